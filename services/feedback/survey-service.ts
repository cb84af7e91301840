/**
 * 网上调查: survey definitions (collection `surveys`), responses (`survey_responses`) and one-response claims
 * (`survey_claims`).
 *
 * Anonymity: in anonymous mode a response stores only a random id, the survey id, the China-time day and
 * the answers. "One response per session" is enforced by a claim whose id is an HMAC of the session id
 * under a per-survey key derived from the server secret; the claim stores nothing else (no time, no
 * response id), is written by insert-if-absent `create()`, and is never read together with responses.
 * Without the server secret a claim cannot be tied to a session, and nothing ties a claim to a response.
 */
import crypto from 'node:crypto'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import type { TokenSigner } from '../auth/tokens.js'
import type { Clock } from '../shared/clock.js'
import { chinaDate } from '../shared/clock.js'
import { AppError, isAppError } from '../shared/errors.js'
import { aggregateResults, type QuestionResult } from './survey-results.js'
import { surveyCsv, surveyXlsx } from './survey-export.js'
import { validateAnswers, validateSurveyDefinition, type Answer, type Question } from './survey-logic.js'

export type SurveyMode = 'anonymous' | 'identified'
export type SurveyState = 'draft' | 'published' | 'closed'

export interface Survey {
  id: string
  title: string
  description: string
  regionCode: string | null
  mode: SurveyMode
  opensAt: string
  closesAt: string
  state: SurveyState
  questions: Question[]
  createdBy: string
  createdAt: string
  publishedAt: string | null
}

export interface SurveyInput {
  title: string
  description?: string | undefined
  regionCode: string | null
  mode: SurveyMode
  opensAt: string
  closesAt: string
  questions: Question[]
}

interface SurveyResponse {
  id: string
  surveyId: string
  /** China-time day of the response (anonymous mode keeps nothing finer). */
  day: string
  answers: Record<string, Answer>
  /** Identified mode only. */
  sessionId?: string
  at?: string
}

/** Who manages surveys: holders of surveys:manage, scoped to their region (null = national). */
export interface SurveyManager {
  id: string
  regionCode: string | null
}

export interface SessionCheck {
  get(sessionId: string): Promise<unknown>
}

export class SurveyService {
  constructor(
    private readonly store: Store,
    private readonly tokens: Pick<TokenSigner, 'bind'>,
    private readonly clock: Clock,
    private readonly regions: RegionTable,
    private readonly sessions: SessionCheck,
  ) {}

  private get surveys() {
    return this.store.collection<Survey>('surveys')
  }
  private get responses() {
    return this.store.collection<SurveyResponse>('survey_responses')
  }
  private get claims() {
    return this.store.collection<{ id: string }>('survey_claims')
  }

  /** A manager may target their own region and, for a province, its cities; national managers anything. */
  private mayManage(m: SurveyManager, regionCode: string | null): boolean {
    if (m.regionCode === null) return true
    if (regionCode === null) return false
    return regionCode === m.regionCode || this.regions.provinceOf(regionCode) === m.regionCode
  }

  private async managed(m: SurveyManager, id: string): Promise<Survey> {
    const s = await this.surveys.get(id)
    if (!s || !this.mayManage(m, s.regionCode)) throw new AppError('SURVEY_NOT_FOUND')
    return s
  }

  async create(m: SurveyManager, input: SurveyInput): Promise<Survey> {
    if (input.regionCode !== null && !this.regions.has(input.regionCode)) throw new AppError('UNKNOWN_REGION')
    if (!this.mayManage(m, input.regionCode)) throw new AppError('FORBIDDEN', '只能为本地区创建问卷')
    const opens = Date.parse(input.opensAt)
    const closes = Date.parse(input.closesAt)
    if (!Number.isFinite(opens) || !Number.isFinite(closes) || closes <= opens) {
      throw new AppError('VALIDATION_FAILED', 'bad dates', { userMessage: '结束时间须晚于开始时间' })
    }
    const questions = input.questions.map((q) => ({ ...q, title: q.title.trim(), required: q.required === true }))
    validateSurveyDefinition(questions)
    const survey: Survey = {
      id: crypto.randomUUID(),
      title: input.title.trim(),
      description: (input.description ?? '').trim(),
      regionCode: input.regionCode,
      mode: input.mode,
      opensAt: new Date(opens).toISOString(),
      closesAt: new Date(closes).toISOString(),
      state: 'draft',
      questions,
      createdBy: m.id,
      createdAt: this.clock.now().toISOString(),
      publishedAt: null,
    }
    await this.surveys.create(survey)
    return survey
  }

  async publish(m: SurveyManager, id: string): Promise<Survey> {
    const s = await this.managed(m, id)
    // Validated again: the rules may have tightened since the draft was saved.
    validateSurveyDefinition(s.questions)
    return this.surveys.update(id, (cur) => {
      if (cur.state !== 'draft') throw new AppError('INVALID_TRANSITION', 'only drafts are published')
      return { ...cur, state: 'published', publishedAt: this.clock.now().toISOString() }
    })
  }

  async close(m: SurveyManager, id: string): Promise<Survey> {
    await this.managed(m, id)
    return this.surveys.update(id, (cur) => {
      if (cur.state !== 'published') throw new AppError('INVALID_TRANSITION', 'only published surveys close')
      return { ...cur, state: 'closed' }
    })
  }

  async listManaged(m: SurveyManager): Promise<Survey[]> {
    const all = await this.surveys.list({ sort: { field: 'createdAt', order: 'desc' } })
    return all.filter((s) => this.mayManage(m, s.regionCode))
  }

  isOpen(s: Survey, now = this.clock.now()): boolean {
    const t = now.getTime()
    return s.state === 'published' && Date.parse(s.opensAt) <= t && t < Date.parse(s.closesAt)
  }

  /** Open surveys a taxpayer of `regionCode` sees: national ones, their province's and their city's. */
  async listOpen(regionCode: string | null): Promise<Survey[]> {
    const targets = new Set<string | null>([null])
    if (regionCode && this.regions.has(regionCode)) {
      targets.add(regionCode)
      targets.add(this.regions.provinceOf(regionCode))
    }
    const published = await this.surveys.list({
      where: { state: 'published' },
      sort: { field: 'closesAt', order: 'asc' },
    })
    return published.filter((s) => this.isOpen(s) && targets.has(s.regionCode))
  }

  async getOpen(id: string): Promise<Survey> {
    const s = await this.surveys.get(id)
    if (!s || s.state === 'draft') throw new AppError('SURVEY_NOT_FOUND')
    return s
  }

  /** The claim id of a session for a survey: HMAC under a per-survey key (see the header). */
  claimId(surveyId: string, sessionId: string): string {
    const perSurveyKey = this.tokens.bind('survey-claim-key', surveyId)
    const mac = crypto.createHmac('sha256', perSurveyKey).update(sessionId).digest('base64url')
    return `${surveyId}.${mac}`
  }

  async respond(
    id: string,
    sessionId: string,
    rawAnswers: Record<string, unknown>,
  ): Promise<{ accepted: true; day: string }> {
    const s = await this.getOpen(id)
    if (!this.isOpen(s)) throw new AppError('SURVEY_NOT_OPEN')
    await this.sessions.get(sessionId)
    const answers = validateAnswers(s.questions, rawAnswers)
    const now = this.clock.now()
    const claim = this.claimId(s.id, sessionId)
    try {
      await this.claims.create({ id: claim })
    } catch (error) {
      if (isAppError(error) && error.code === 'CONFLICT') throw new AppError('ALREADY_RESPONDED')
      throw error
    }
    const response: SurveyResponse = { id: crypto.randomUUID(), surveyId: s.id, day: chinaDate(now), answers }
    if (s.mode === 'identified') Object.assign(response, { sessionId, at: now.toISOString() })
    try {
      await this.responses.put(response)
    } catch (error) {
      // No half-written record: a failed answer frees the claim so the taxpayer may try again.
      await this.claims.remove([claim]).catch(() => undefined)
      throw error
    }
    return { accepted: true, day: response.day }
  }

  private async responsesOf(surveyId: string): Promise<SurveyResponse[]> {
    return this.responses.list({ where: { surveyId }, sort: { field: 'day', order: 'asc' } })
  }

  async results(
    m: SurveyManager,
    id: string,
    textPage = 1,
  ): Promise<{ survey: Survey; total: number; questions: QuestionResult[] }> {
    const s = await this.managed(m, id)
    const rs = await this.responsesOf(id)
    return { survey: s, total: rs.length, questions: aggregateResults(s.questions, rs, textPage) }
  }

  async export(
    m: SurveyManager,
    id: string,
    format: 'csv' | 'xlsx',
  ): Promise<{ filename: string; body: string | Buffer }> {
    const s = await this.managed(m, id)
    const rs = await this.responsesOf(id)
    const base = `survey-${s.id.slice(0, 8)}`
    if (format === 'csv') return { filename: `${base}.csv`, body: surveyCsv(s.questions, rs) }
    return { filename: `${base}.xlsx`, body: await surveyXlsx(s.title, s.questions, rs) }
  }
}
