/**
 * The answering use case behind POST /api/chat and `taxkb ask`:
 * normalise + guard → intent → region → retrieve → decide + compose (FAQ | extractive | LLM) → handoff →
 * session + ledger. Each step is a small pure module in this folder; this file only sequences them and
 * does the I/O. A low-confidence answer or a handoff is a normal result, never an error.
 */
import { type Entry, isEffectiveOn } from '../../knowledge/entry.js'
import type { KnownGaps } from '../../knowledge/known-gaps.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import { clauseId } from '../../knowledge/policy-info.js'
import { type Analyzer, wordWeights } from '../search/analyzer.js'
import type { Embedder } from '../search/embedder.js'
import { makeSnippet } from '../search/snippet.js'
import type { TicketService, TicketType, TranscriptLine } from '../tickets/ticket-service.js'
import { chinaDate, type Clock } from '../shared/clock.js'
import type { Config } from '../shared/config.js'
import { maskPii } from '../shared/mask.js'
import type { Metrics } from '../shared/metrics.js'
import type { ChatModel } from './chat-model.js'
import type { DraftCache } from './draft-cache.js'
import { monthlySalaryIn } from './chinese-numerals.js'
import { computeConfidence, coverage, isTimeSensitive, timeCovered, yearsIn } from './confidence.js'
import { abstentionScore, answerFeatures, evenOdds, modelFor, noFeatures, type AnswerFeatures } from './abstention.js'
import {
  citeIn,
  composeDirect,
  type DirectAnswer,
  passagesOf,
  rankPassages,
  type ScoredPassage,
} from './direct-answer.js'
import {
  composeFaqAnswer,
  delegatedStandard,
  missingDetailNotes,
  rateTableFor,
  sourceLabel,
  sourceText,
  statesStandard,
  restatedDefinitions,
  supersededStandards,
  type AnswerSource,
} from './extractive-answer.js'
import { resolveFollowUp } from './follow-up.js'
import { buildGroundedPrompt, validateCitations } from './grounded-prompt.js'
import { asksHowToReport, classifyIntent, illegalPractice, type Intent } from './intent-rules.js'
import { combinedIntent, type SemanticIntents } from './semantic-intent.js'
import { correctSlips } from './typos.js'
import { asksLocalFigure, statesRange } from './local-standard.js'
import type { LedgerService } from './ledger.js'
import { guardMessage, normalizeMessage } from './message-guard.js'
import { placeInQuestion, resolveRegion, type RegionDecision } from './region-resolution.js'
import { HANDOFF_CONSENT_REQUEST, handoffNotice, REPLIES } from './replies.js'
import type { Retrieval, Retriever, RetrievedSource } from './retrieval.js'
import { lateFeeAsk, lateFeeEstimate } from './late-fee.js'
import {
  ASKS_FIGURE,
  expandTaxAliases,
  otherQuestion,
  statutoryTaxesIn,
  TAX_NAME,
  taxesAskedIn,
} from './question-type.js'
import {
  asksWageThreshold,
  DEDUCTION_RULE,
  type EstimateBasis,
  RATE_RANGE,
  salaryEstimate,
  wageThresholdAnswer,
} from './salary-estimate.js'
import { SessionService, type ChatMode, type ChatSession, type Citation } from './session-service.js'
import { topicOf } from './topic.js'
import { uncertainBand, uncertainReply } from './uncertain-reply.js'
import { PassageCloseness, type DenseLookup } from './passage-closeness.js'
import { periodNote, policyCitation } from './policy-citation.js'
import { questionPeriod } from './period.js'

export interface ChatResponse {
  sessionId: string
  turnId: string
  answer: string
  mode: ChatMode
  intent: Intent
  confidence: number
  citations: Citation[]
  suggestions: string[]
  /** The question was not answered with enough confidence: the widget shows a 转人工 button. */
  handoffOffered: boolean
  regionCode: string | null
  ticketId?: string
  ticketNumber?: string
}

export interface AskInput {
  sessionId?: string | undefined
  message: string
  region?: string | undefined
  channel?: ChatSession['channel']
}

export interface LogLike {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
}

export interface AskOptions {
  /** Receives LLM text deltas as they arrive (SSE). Extractive answers are chunked by the caller. */
  onToken?: (text: string) => void
  log?: LogLike
  /** Query-time synonym expansion (off for the ablation in `taxkb eval --no-synonyms`). */
  synonyms?: boolean
  /**
   * Receives the abstention features of a composed answer (evaluation and fitting, see abstention.ts), and
   * whether a rule decided it instead of the model (an estimate answers; an uncovered time-sensitive question
   * abstains).
   */
  onFeatures?: (features: AnswerFeatures, forced: 'answer' | 'abstain' | null) => void
  /** Receives every candidate passage of a composed answer with its lead-score features (eval/fit-lead.ts). */
  onRanked?: (ranked: readonly ScoredPassage[]) => void
}

export interface AnswerDeps {
  config: Config
  clock: Clock
  store: Store
  regions: RegionTable
  analyzer: Analyzer
  retriever: Retriever
  sessions: SessionService
  ledger: LedgerService
  tickets: TicketService
  chatModel: ChatModel
  metrics: Metrics
  /** The retriever's embedder: the few best candidate passages are embedded to pick the opening one (optional). */
  embedder?: Embedder
  /** The search backend's dense side: the question's vector and the passages' stored vectors (optional). */
  passageVectors?: DenseLookup | null
  /** Replies to repeated questions (draft-cache.ts); absent or disabled: every turn is composed. */
  draftCache?: DraftCache<Draft>
  /** Intent by meaning for messages the rules leave as a consult (semantic-intent.ts); absent without the model. */
  semanticIntents?: SemanticIntents | null
  /** Situations where the corpus's statute is not the whole current rule (knowledge/known-gaps.ts); absent: none. */
  knownGaps?: KnownGaps | null
}

export interface Draft {
  answer: string
  mode: ChatMode
  confidence: number
  citations: Citation[]
  suggestions: string[]
  handoffOffered: boolean
  ticket?: { id: string; number: string }
  query?: string
}

const SOURCES_FOR_ANSWER = 6
/**
 * Lexically best passages embedded to choose the opening one (one batch; short texts embed in milliseconds). Every
 * other candidate passage inside an indexed passage takes that passage's stored vector (no model call): a 款 the
 * question shares few words with (「执照不用改」 for 「不需要到工商行政管理机关…办理变更登记的」) still competes on meaning.
 */
const CLOSENESS_CANDIDATES = 6
/** Sources whose sentences compete for the extractive answer (only the ones used are cited). */
const SOURCES_FOR_SENTENCES = 10
/** Clauses a retrieved 公告 preamble brings in (the bundled 公告 have up to a few dozen). */
const PREAMBLE_CLAUSES = 12
const FAQ_QUESTION_COVERAGE = 0.75
const FAQ_REVERSE_COVERAGE = 0.5
const EXAMPLES = ['小规模纳税人增值税征收率是多少', '个税专项附加扣除有哪些', '办了营业执照多少天内要去税务登记']
const LATE_FEE_RULE = /按日加收滞纳税款万分之五的滞纳金/
const noLog: LogLike = { info() {}, warn() {} }
/**
 * A 公告 clause implements a statute: at equal overlap the statute's sentence leads (h14-policies), except where a
 * candidate statute leaves the standard asked about to the State Council (「起征点标准由国务院规定」) and the clause
 * states that standard with a figure (起征点为月销售额10万元): the current figure is the 公告's, not the statute's.
 */
const policyPrior = (e: Entry, delegated: readonly string[]) =>
  (e.kind !== 'policy' || delegated.some((d) => statesStandard(e.body, d)) ? 1 : 0.6) * amendedPrior(e)
/**
 * The official library marks a 公告 「已修改」 without saying which clauses changed: at equal overlap a text in force
 * unchanged leads (the 2018 转登记 clauses for a 2026 question; 2017年第12号's 研发 filing rule before 2023年第11号).
 */
const amendedPrior = (e: Entry) => (e.policy?.officialValidity === '已修改' ? 0.6 : 1)
/** A national provision that leaves its figure, period or relief to each province. */
const LEFT_TO_PROVINCES =
  /(由省、自治区、直辖市人民政府[^。；]{0,40}(规定|确定|提出|决定|制定)|省、自治区、直辖市可以决定)/
const ASKS_AMOUNT = /(是多少|多少钱|交多少|缴多少|按多少|收多少|怎么收|多少税|几个点)/

/** 「（九）偶然所得，是指个人得奖、中奖、中彩以及其他偶然性质的所得」: an income category and what it covers. */
const INCOME_DEFINITION = /[（(][一二三四五六七八九十]+[）)]\s*([\p{Script=Han}、]{2,14}所得)，是指([^。]*)/u

/**
 * The income category a source defines in words of the question (「中奖」 in 「偶然所得，是指…中奖…」), read from the
 * definition items of the first sources' law articles; null when none does.
 */
export function definedIncome(terms: ReadonlyMap<string, number>, sources: readonly RetrievedSource[]): string | null {
  const words = [...terms.keys()].filter((w) => [...w].length >= 2 && !w.endsWith('所得'))
  for (const s of sources) {
    if (s.entry.kind !== 'law-article') continue
    for (const p of passagesOf(s.entry, 0)) {
      const m = INCOME_DEFINITION.exec(p.text)
      if (m && words.some((w) => (m[2] as string).includes(w))) return m[1] as string
    }
  }
  return null
}

export class AnswerService {
  readonly #passages: PassageCloseness

  constructor(private readonly d: AnswerDeps) {
    this.#passages = new PassageCloseness(d.embedder, d.passageVectors ?? null)
  }

  get threshold(): number {
    return this.d.config.confidenceThreshold
  }

  async ask(input: AskInput, options: AskOptions = {}): Promise<ChatResponse> {
    const t0 = performance.now()
    const log = options.log ?? noLog
    const message = normalizeMessage(input.message, this.d.config.maxQueryChars)
    const explicit = this.#validRegion(input.region)
    // A new session is written with its first two turns at the end (one write, not three); an explicit region is
    // stored with the turns.
    const fresh = !input.sessionId
    const session = input.sessionId
      ? await this.d.sessions.get(input.sessionId)
      : this.d.sessions.open(input.channel ?? 'api', explicit ?? (this.d.config.defaultRegion || null))

    let intent: Intent
    /** Which intent rule fired, or `semantic <cosine>/<nearest consult cosine>` (for the log). */
    let intentRule = 'guard'
    let draft: Draft
    let regionCode: string | null = explicit ?? session.regionCode
    const guard = guardMessage(message)
    if (!guard.ok) {
      intent = 'blocked'
      this.d.metrics.guarded.inc({ reason: guard.reason })
      log.warn(
        { guard: guard.reason, matched: maskPii(guard.matched), sessionId: tail(session.id) },
        'chat message refused by guard',
      )
      draft = refusal(REPLIES.guard[guard.reason])
    } else {
      // 「起正点」「首违不法」: homophone slips corrected for reading the message; tickets, the session and the ledger
      // keep what the taxpayer typed.
      const asked = correctSlips(message)
      const rules = classifyIntent(asked)
      intent = rules.intent
      intentRule = rules.rule
      if (intent === 'consult' && this.d.semanticIntents) {
        // the text retrieval embeds too (places dropped), so a fresh consult costs one model call, not two
        const semantic = await this.d.semanticIntents.classify(this.d.regions.withoutPlaces(asked))
        intent = combinedIntent(intent, semantic)
        if (semantic) intentRule = `semantic ${semantic.cos.toFixed(2)}/${semantic.consultCos.toFixed(2)}`
      }
      const region = resolveRegion(
        {
          explicit,
          text: asked,
          sessionRegion: session.regionCode,
          defaultRegion: this.d.config.defaultRegion || null,
        },
        this.d.regions,
      )
      regionCode = region.regionCode
      draft = await this.#draft(intent, intent === 'consult' ? asked : message, region, session, options, log)
    }

    const turns = this.d.sessions.appendTurns(
      session,
      [
        { role: 'user', text: message, intent, ...(draft.query ? { query: draft.query } : {}) },
        {
          role: 'assistant',
          text: draft.answer,
          mode: draft.mode,
          intent,
          confidence: draft.confidence,
          citations: draft.citations,
          ...(draft.ticket ? { ticketId: draft.ticket.id } : {}),
        },
      ],
      { fresh, ...(explicit && (fresh || session.regionCode !== explicit) ? { regionCode: explicit } : {}) },
    )
    // An existing session's update can fail (purged, expired): then no ledger row either. A new session's write
    // cannot conflict, so its ledger row joins the same group commit (one COMMIT, one fsync for the whole turn).
    if (!fresh) await turns
    const latencyMs = Math.round(performance.now() - t0)
    const ledgered = this.d.ledger.record({
      sessionId: session.id,
      channel: session.channel,
      regionCode,
      question: message,
      intent,
      mode: draft.mode,
      confidence: draft.confidence,
      citedIds: draft.citations.map((c) => c.id),
      latencyMs,
      ticketId: draft.ticket?.id ?? null,
      topic:
        intent === 'consult'
          ? topicOf(
              message,
              draft.citations.map((c) => c.title),
            )
          : null,
    })
    const [[, turn]] = await Promise.all([turns, ledgered])
    if (!turn) throw new Error('appendTurns returned no assistant turn')
    this.d.metrics.chats.inc({ mode: draft.mode, intent })
    this.d.metrics.chatLatency.observe({ mode: draft.mode }, latencyMs / 1000)
    log.info(
      {
        sessionId: tail(session.id),
        intent,
        intentRule,
        mode: draft.mode,
        confidence: draft.confidence,
        cited: draft.citations.map((c) => c.id),
        latencyMs,
      },
      'chat answered',
    )
    return {
      sessionId: session.id,
      turnId: turn.id,
      answer: draft.answer,
      mode: draft.mode,
      intent,
      confidence: draft.confidence,
      citations: draft.citations,
      suggestions: draft.suggestions,
      handoffOffered: draft.handoffOffered,
      regionCode,
      ...(draft.ticket ? { ticketId: draft.ticket.id, ticketNumber: draft.ticket.number } : {}),
    }
  }

  /** The widget's 转人工 button: a consult ticket with the masked transcript and the contact left. */
  async handoff(
    sessionId: string,
    contact: { name?: string; phone?: string } | null,
    options: { log?: LogLike } = {},
  ): Promise<ChatResponse> {
    const t0 = performance.now()
    const session = await this.d.sessions.get(sessionId)
    const users = [...session.turns].reverse().filter((t) => t.role === 'user')
    // The question to work on: the last one that is not itself the request for a human.
    const lastQuestion = (users.find((t) => t.intent !== 'human') ?? users[0])?.text ?? '（纳税人请求人工服务）'
    const ticket = await this.d.tickets.createTicket({
      type: 'consult',
      regionCode: session.regionCode,
      question: lastQuestion,
      transcript: transcriptOf(session),
      contact,
      sessionId: session.id,
      channel: session.channel,
    })
    this.d.metrics.handoffs.inc({ type: 'consult' })
    const answer = handoffNotice(
      {
        type: 'consult',
        number: ticket.number,
        dueLabel: ticket.dueLabel,
        humansAvailableNow: ticket.humansAvailableNow,
      },
      false,
    )
    const turn = await this.d.sessions.appendTurn(session.id, {
      role: 'assistant',
      text: answer,
      mode: 'handoff',
      intent: 'human',
      confidence: 1,
      citations: [],
      ticketId: ticket.id,
    })
    const latencyMs = Math.round(performance.now() - t0)
    await this.d.ledger.record({
      sessionId: session.id,
      channel: session.channel,
      regionCode: session.regionCode,
      question: lastQuestion,
      intent: 'human',
      mode: 'handoff',
      confidence: 1,
      citedIds: [],
      latencyMs,
      ticketId: ticket.id,
      topic: topicOf(lastQuestion),
    })
    this.d.metrics.chats.inc({ mode: 'handoff', intent: 'human' })
    options.log?.info({ sessionId: tail(session.id), ticket: ticket.number }, 'chat handed off')
    return {
      sessionId: session.id,
      turnId: turn.id,
      answer,
      mode: 'handoff',
      intent: 'human',
      confidence: 1,
      citations: [],
      suggestions: [],
      handoffOffered: false,
      regionCode: session.regionCode,
      ticketId: ticket.id,
      ticketNumber: ticket.number,
    }
  }

  #validRegion(region: string | undefined): string | undefined {
    if (region === undefined || region === '') return undefined
    return this.d.regions.require(region).code
  }

  async #draft(
    intent: Intent,
    message: string,
    region: RegionDecision,
    session: ChatSession,
    options: AskOptions,
    log: LogLike,
  ): Promise<Draft> {
    switch (intent) {
      case 'greeting':
        return {
          answer: REPLIES.greeting,
          mode: 'composed',
          confidence: 1,
          citations: [],
          suggestions: EXAMPLES,
          handoffOffered: false,
        }
      case 'out-of-scope':
        return { ...refusal(REPLIES.outOfScope), suggestions: EXAMPLES }
      case 'illegal':
        log.warn({ intent, sessionId: tail(session.id) }, 'request for help with an unlawful act refused')
        return refusal(REPLIES.illegalNamed(illegalPractice(message)))
      case 'blocked':
        return refusal(REPLIES.guard.sensitive)
      case 'human':
        // Consent first, on every path (the button does the same): the ticket comes from handoff().
        return {
          answer: HANDOFF_CONSENT_REQUEST,
          mode: 'composed',
          confidence: 1,
          citations: [],
          suggestions: ['转人工'],
          handoffOffered: true,
        }
      case 'complaint':
      case 'report':
        // 「投诉电话多少」: how to, not yet what; the next message that names the matter files the ticket
        if (asksHowToReport(message))
          return {
            answer: intent === 'report' ? REPLIES.howToReport : REPLIES.howToComplain,
            mode: 'composed',
            confidence: 1,
            citations: [],
            suggestions: [],
            handoffOffered: false,
          }
        return this.#ticket(intent, message, region, session)
      case 'suggestion':
        return this.#ticket(intent, message, region, session)
      case 'booking': {
        // A link to the booking page for the taxpayer's region (city or province); no store or search involved.
        const code = region.regionCode
        const place = code ? (this.d.regions.get(code)?.name ?? '') : ''
        const link = code ? `/booking/?region=${code}` : '/booking/'
        return {
          answer: REPLIES.booking(place, link),
          mode: 'composed',
          confidence: 1,
          citations: [],
          suggestions: [],
          handoffOffered: false,
        }
      }
      case 'consult':
        if (region.redirect) return this.#redirect(message, region, options)
        return this.#consult(message, region, session, options, log)
    }
  }

  async #ticket(
    intent: 'human' | 'complaint' | 'report' | 'suggestion',
    message: string,
    region: RegionDecision,
    session: ChatSession,
  ): Promise<Draft> {
    const callback = intent === 'human' && /(回电|打电话|电话联系)/.test(message)
    const type: TicketType = intent === 'human' ? (callback ? 'callback' : 'consult') : intent
    // A complaint or report about a named place goes to that place's seat group.
    const named = placeInQuestion(message, this.d.regions)
    const regionCode = intent !== 'human' && named ? named : (region.regionCode ?? null)
    const prior = SessionService.previousConsult(session)
    const question = intent === 'human' && prior ? `${prior.text}（纳税人要求转人工：${message}）` : message
    const ticket = await this.d.tickets.createTicket({
      type,
      regionCode,
      question,
      transcript: [...transcriptOf(session), { role: 'user', text: message, at: this.d.clock.now().toISOString() }],
      sessionId: session.id,
      channel: session.channel,
    })
    this.d.metrics.handoffs.inc({ type })
    const answer = handoffNotice(
      { type, number: ticket.number, dueLabel: ticket.dueLabel, humansAvailableNow: ticket.humansAvailableNow },
      intent === 'human' && !callback,
    )
    return {
      answer,
      mode: 'handoff',
      confidence: 1,
      citations: [],
      suggestions: [],
      handoffOffered: false,
      ticket: { id: ticket.id, number: ticket.number },
    }
  }

  /**
   * A reply composed from the question, region and date alone goes through the draft cache, keyed on exactly
   * those; with an LLM, or when an evaluation reads the abstention features, every reply is composed.
   */
  #cached(key: readonly unknown[], options: AskOptions, compose: () => Promise<Draft>): Promise<Draft> {
    const cache = this.d.draftCache
    if (!cache?.enabled || options.onFeatures || this.d.chatModel.name !== 'none') return compose()
    return cache.through(JSON.stringify([...key, this.#today(), options.synonyms !== false]), compose)
  }

  #redirect(message: string, region: RegionDecision, options: AskOptions): Promise<Draft> {
    const name = region.redirect?.name ?? '当地'
    // Nationwide rules still apply there; quote them only when they clearly match, never our local layers.
    const q = this.d.regions.withoutPlaces(message)
    return this.#cached(['redirect', q, name], options, () => this.#composeRedirect(q, name, options))
  }

  async #composeRedirect(q: string, name: string, options: AskOptions): Promise<Draft> {
    const advice = REPLIES.redirect(name)
    const retrieval = await this.d.retriever.retrieve(q, {
      regionCode: null,
      nationalOnly: true,
      today: this.#today(),
      synonyms: options.synonyms !== false,
      limit: SOURCES_FOR_ANSWER + 4,
    })
    rerankByCoverage(retrieval, this.#terms(q), q)
    const composed = await this.#extractive(q, retrieval, options)
    // A nationwide rule that leaves the figure to each province (「具体减除幅度，由省、自治区、直辖市人民政府规定」,
    // 契税's 3%–5% 「具体适用税率，由省…提出」) is not that province's answer: quoted as reference it reads as theirs.
    const cited = new Set(composed?.citations.map((c) => c.id) ?? [])
    const localised = retrieval.sources.some((s) => cited.has(s.entry.id) && LEFT_TO_PROVINCES.test(s.entry.body))
    if (composed && composed.confidence >= this.threshold && !localised) {
      return {
        answer: `${advice}\n${REPLIES.redirectNational}\n${composed.answer}`,
        mode: 'redirect',
        confidence: composed.confidence,
        citations: composed.citations,
        suggestions: ['转人工'],
        handoffOffered: false,
        query: q,
      }
    }
    return {
      answer: advice,
      mode: 'redirect',
      confidence: 1,
      citations: [],
      suggestions: ['转人工'],
      handoffOffered: false,
      query: q,
    }
  }

  async #consult(
    message: string,
    region: RegionDecision,
    session: ChatSession,
    options: AskOptions,
    log: LogLike,
  ): Promise<Draft> {
    const prior = SessionService.previousConsult(session)
    // Place names chose the region already; as search terms they only dilute the match.
    const asked = this.d.regions.withoutPlaces(message)
    const { query } = resolveFollowUp(asked, prior ? (prior.query ?? prior.text) : null)
    // 「江苏的契税税率是多少」: the place is gone from the search text but still asks for that place's figure
    const namesPlace = placeInQuestion(message, this.d.regions) !== undefined
    return this.#cached(['consult', query, region.regionCode, namesPlace], options, () =>
      this.#composeConsult(query, region, options, log, namesPlace),
    )
  }

  async #composeConsult(
    query: string,
    region: RegionDecision,
    options: AskOptions,
    log: LogLike,
    namesPlace = false,
  ): Promise<Draft> {
    const synonyms = options.synonyms !== false
    // 「2025年的…」 asks about a past period: retrieve the rules valid then and say so (services/answer/period.ts)
    const period = questionPeriod(query, this.#today())
    const today = period?.at ?? this.#today()
    const retrieval = await this.d.retriever.retrieve(query, {
      regionCode: region.regionCode,
      today,
      synonyms,
      limit: SOURCES_FOR_ANSWER + 4,
    })
    rerankByCoverage(retrieval, this.#terms(query), query)
    await this.#addRateBasis(query, retrieval, region.regionCode, today, synonyms)
    const salary = monthlySalaryIn(query)
    // 「工资多少才开始交个税」 asks the same rule a salary estimate uses: the annual 减除费用六万元
    const threshold = salary === null && asksWageThreshold(query)
    if ((salary !== null && /(个税|个人所得税|扣税|交税|缴税|税)/.test(query)) || threshold)
      await this.#addSalaryBasis(retrieval, region.regionCode, today, synonyms)
    if (lateFeeAsk(query))
      await this.#addBasis(
        retrieval,
        '滞纳金 按日加收 滞纳税款 万分之五',
        LATE_FEE_RULE,
        region.regionCode,
        today,
        synonyms,
      )

    if (retrieval.sources.length === 0) return nothingFound(query)
    const notes: string[] = []
    if (period) notes.push(periodNote(period))
    // a repeal notice only when the repealed article is about this question, not merely the best lexical match
    if (retrieval.retired && coverage(this.#terms(query), sourceText(retrieval.retired.entry)) >= 0.6)
      notes.push(retiredNote(retrieval.retired.entry, retrieval.retired.replacements))
    const timeSensitive = isTimeSensitive(query)

    // 1. FAQ direct answer
    const faq = this.#faqMatch(query, retrieval)
    if (faq) {
      const conf = computeConfidence(
        {
          terms: this.#terms(query),
          topText: `${faq.entry.question ?? ''} ${faq.entry.body}`,
          answerText: faq.entry.body,
          topScore: retrieval.topScore,
          timeSensitive,
          timeCovered: timeCovered(query, [faq.entry]),
        },
        this.threshold,
      )
      if (conf >= this.threshold) {
        // The FAQ's own note names the repealed article it cites; the general one would repeat it.
        const own = await this.#faqRetiredNotes(faq.entry)
        const faqNotes = own.length > 0 ? own : notes
        const answer = [...faqNotes, composeFaqAnswer(faq.entry, 1)].join('\n')
        return {
          answer,
          mode: 'faq',
          confidence: conf,
          citations: [citationOf(faq.entry, 1, query, this.d.analyzer, this.#today())],
          suggestions: this.#related(retrieval, [faq.entry.id]),
          handoffOffered: false,
          query,
        }
      }
    }

    // 2. Grounded extractive answer (and the LLM's, when one is configured and it cites correctly)
    const extractive = await this.#extractive(query, retrieval, options, salary, threshold)
    if (!extractive) return nothingFound(query)
    const capped =
      timeSensitive &&
      !period &&
      !timeCovered(
        query,
        retrieval.sources.map((s) => s.entry),
        extractive.lead,
        today,
      )
    options.onFeatures?.(extractive.features, extractive.estimate ? 'answer' : capped ? 'abstain' : null)
    let confidence = extractive.confidence
    /** Where a rule holds a reply below the threshold (an uncovered time-sensitive question, a local figure). */
    const held = Math.round(this.threshold * 0.8 * 1000) / 1000
    if (capped) {
      const years = yearsIn(query).join('、')
      notes.push(REPLIES.timeSensitive(years))
      confidence = Math.min(confidence, held)
    }
    // 「南京一级土地每平米多少」 answered by the statute's national range: the province sets the figure within it
    const localRange =
      !capped &&
      !extractive.estimate &&
      extractive.lead?.kind === 'law-article' &&
      asksLocalFigure(query, namesPlace) &&
      statesRange(extractive.answer.split('\n')[0] ?? '')
    if (localRange) {
      notes.push(REPLIES.localStandard)
      confidence = Math.min(confidence, held)
    }
    // 「个人出租住房房产税按多少交」 led by 房产税暂行条例's 12%: the current rule is in a document the corpus lacks
    const gap =
      !capped && !localRange && !extractive.estimate && extractive.lead
        ? (this.d.knownGaps?.match(query, extractive.lead.id) ?? null)
        : null
    if (gap) {
      notes.push(gap.note)
      confidence = Math.min(confidence, held)
    }
    // the best evidence left is written for another matter (铁路电子客票 for a general invoice): not the answer
    if (extractive.lead && scopeMismatch(query, extractive.lead)) confidence = Math.min(confidence, held)
    if (confidence < this.threshold) {
      const band = uncertainBand({ capped, evenOdds: extractive.evenOdds })
      const answer = uncertainReply({
        band,
        years: yearsIn(query),
        notes: notes.filter((n) => !n.startsWith('知识库中没有找到')),
        evidence: extractive.answer,
        statuteLead: !extractive.lead || extractive.lead.kind === 'law-article',
      })
      return {
        answer,
        mode: 'composed',
        confidence,
        citations: extractive.citations,
        suggestions: [
          '转人工',
          ...this.#related(
            retrieval,
            extractive.citations.map((c) => c.id),
          ),
        ].slice(0, 4),
        handoffOffered: true,
        query,
      }
    }
    if (this.d.chatModel.name !== 'none') {
      const llm = await this.#llm(query, retrieval.sources.slice(0, SOURCES_FOR_ANSWER), options, log)
      if (llm)
        return {
          answer: [...notes, llm.answer].join('\n'),
          mode: 'llm',
          confidence,
          citations: llm.citations,
          suggestions: this.#related(
            retrieval,
            llm.citations.map((c) => c.id),
          ),
          handoffOffered: false,
          query,
        }
    }
    return {
      answer: [...notes, extractive.answer].join('\n'),
      mode: 'composed',
      confidence,
      citations: extractive.citations,
      suggestions: this.#related(
        retrieval,
        extractive.citations.map((c) => c.id),
      ),
      handoffOffered: false,
      query,
    }
  }

  #today(): string {
    return chinaDate(this.d.clock.now())
  }

  #terms(query: string): Map<string, number> {
    return wordWeights(this.d.analyzer.query(query, { synonyms: false }).weights)
  }

  /** A FAQ among the first two sources whose question covers the asked question well. */
  #faqMatch(query: string, retrieval: Retrieval): RetrievedSource | null {
    const terms = this.#terms(query)
    for (const s of retrieval.sources.slice(0, 2)) {
      if (s.entry.kind !== 'faq') continue
      if (s.score < retrieval.topScore * 0.8) continue
      const asked = `${s.entry.question ?? s.entry.title}`
      // both ways: the FAQ covers the question, and the question covers what the FAQ is about (not its topic)
      if (
        coverage(terms, asked) >= FAQ_QUESTION_COVERAGE &&
        coverage(this.#terms(asked), query) >= FAQ_REVERSE_COVERAGE &&
        !otherQuestion(query, asked) &&
        !scopeMismatch(query, s.entry)
      )
        return s
    }
    return null
  }

  async #faqRetiredNotes(faq: Entry): Promise<string[]> {
    if (faq.citedArticleIds.length === 0) return []
    const cited = await this.d.store.collection<Entry>('entries').getMany(faq.citedArticleIds)
    const today = this.#today()
    const retired = cited.filter((e) => e.status === 'retired' || (e.effectiveTo !== null && e.effectiveTo <= today))
    return retired
      .slice(0, 1)
      .map(
        (e) =>
          `提示：该问答引用的${e.law ? `《${e.law.shortName}》${e.law.article}` : `《${e.title}》`}已${e.effectiveTo ? `于 ${e.effectiveTo} 起` : ''}废止${e.law?.repealedBy ? `，现行规定见${e.law.repealedBy}` : ''}，下面的答复仅供参考，请以现行规定为准。`,
      )
  }

  /**
   * 「车辆购置税是多少」「契税按多少交」 ask for the rate without saying 税率: the short article that states it
   * rarely wins on BM25 against longer ones, so the rate is looked up too.
   */
  async #addRateBasis(
    query: string,
    retrieval: Retrieval,
    regionCode: string | null,
    today: string,
    synonyms: boolean,
  ): Promise<void> {
    const asksRate = /(税率|征收率|比例)/.test(query)
    if (!ASKS_AMOUNT.test(query) && !asksRate) return
    // 「中了5万块彩票要交多少税」: a source defines the income it is (「偶然所得，是指个人得奖、中奖…」), and the rate of
    // that income answers it (个人所得税法第三条 「…偶然所得，适用比例税率，税率为百分之二十」), not the tax's rate tables
    const words = wordWeights(this.d.analyzer.query(query, { synonyms }).weights)
    const income = definedIncome(words, retrieval.sources.slice(0, SOURCES_FOR_ANSWER))
    const tax = income || asksRate || /扣除/.test(query) ? null : TAX_NAME.exec(expandTaxAliases(query))?.[0]
    if (!tax && !income) return
    const lookup = tax ? `${tax}的税率` : `${income} 适用比例税率 税率`
    const r = await this.d.retriever.retrieve(lookup, { regionCode, today, synonyms, limit: 3, mode: 'bm25' })
    for (const s of r.sources) {
      if (!s.entry.body.includes('税率') || retrieval.sources.some((x) => x.entry.id === s.entry.id)) continue
      if (income && !(s.entry.kind === 'law-article' && s.entry.body.includes(income))) continue
      // with the passage the lookup matched (the rate sentence), as a retrieved source carries it
      retrieval.sources.splice(Math.min(2, retrieval.sources.length), 0, {
        entry: s.entry,
        score: retrieval.topScore * 0.9,
        ...(s.passage ? { passage: s.passage } : {}),
      })
      break
    }
  }

  /** Makes sure the article stating a calculator's rule is among the sources (it may rank below colloquial matches). */
  async #addBasis(
    retrieval: Retrieval,
    q: string,
    rule: RegExp,
    regionCode: string | null,
    today: string,
    synonyms: boolean,
  ): Promise<void> {
    if (retrieval.sources.some((s) => rule.test(s.entry.body))) return
    const r = await this.d.retriever.retrieve(q, { regionCode, today, synonyms, limit: 5, mode: 'bm25' })
    const hit = r.sources.find((s) => s.entry.kind === 'law-article' && rule.test(s.entry.body))
    if (hit) retrieval.sources.unshift({ entry: hit.entry, score: retrieval.topScore })
  }

  /** For a salary question: make sure the articles that state the deduction and the rate range are sources. */
  async #addSalaryBasis(
    retrieval: Retrieval,
    regionCode: string | null,
    today: string,
    synonyms: boolean,
  ): Promise<void> {
    const wanted: [string, RegExp][] = [
      ['居民个人 综合所得 每一纳税年度 收入额 减除费用 专项扣除 专项附加扣除 应纳税所得额', DEDUCTION_RULE],
      ['个人所得税的税率 综合所得 超额累进税率', RATE_RANGE],
    ]
    for (const [q, figure] of wanted) {
      const r = await this.d.retriever.retrieve(q, { regionCode, today, synonyms, limit: 5, mode: 'bm25' })
      // the article that actually states the figure, not just the best match
      const top = r.sources.find(
        (s) => s.entry.kind === 'law-article' && figure.test(s.entry.body) && !isRateTable(s.entry),
      )
      if (top && !retrieval.sources.some((s) => s.entry.id === top.entry.id))
        retrieval.sources.push({ entry: top.entry, score: retrieval.topScore })
    }
    // the articles that carry the computation come first
    retrieval.sources.sort((a, b) => rank(b.entry) - rank(a.entry))
    function rank(e: Entry): number {
      const t = e.body
      return DEDUCTION_RULE.test(t) ? 2 : RATE_RANGE.test(t) ? 1 : 0
    }
  }

  async #extractive(
    query: string,
    retrieval: Retrieval,
    options: AskOptions,
    salary: number | null = null,
    threshold = false,
  ): Promise<{
    answer: string
    confidence: number
    citations: Citation[]
    features: AnswerFeatures
    /** A rule, not the model, decides it answers (an estimate, or a 公告 stating a delegated standard). */
    estimate: boolean
    /** Below the threshold, the model still rates the reply more likely right than wrong. */
    evenOdds: boolean
    /** The source of the passage that opens the reply. */
    lead: Entry | null
  } | null> {
    const top = retrieval.sources[0]
    if (!top) return null
    const synonyms = options.synonyms !== false
    // a salary estimate or the wage threshold: both are built from the annual deduction and the rate range
    const wage = salary !== null || threshold
    // 车购税, 个税…: the statute's names score the passages
    const scoring = wordWeights(this.d.analyzer.query(expandTaxAliases(query), { synonyms }).weights)
    const leading = await this.#withClauses(retrieval.sources.slice(0, SOURCES_FOR_SENTENCES))
    const delegated = leading
      .filter((s) => s.entry.kind === 'law-article')
      .map((s) => delegatedStandard(s.entry.body))
      .filter((d): d is string => d !== null)
    // texts a later 公告 among the candidates replaces: an older 公告's delegated standard, an article's definition
    const entries = leading.map((s) => s.entry)
    const outdated = new Set([...supersededStandards(entries, delegated), ...restatedDefinitions(entries)])
    const candidates: AnswerSource[] = leading
      .filter((s, i) => i === 0 || s.score >= retrieval.topScore * 0.2 || (s.signals?.dense ?? null) !== null || wage)
      .map((s, i) => ({
        n: i + 1,
        entry: s.entry,
        weight:
          (taxMismatch(query, s.entry) || scopeMismatch(query, s.entry) || outdated.has(s.entry.id) ? 0.3 : 1) *
          policyPrior(s.entry, delegated),
        ...(s.passage ? { passage: s.passage.text } : {}),
        ...(s.signals ? { signals: s.signals } : {}),
      }))
    // A salary estimate opens the reply; it cites the articles stating its figures.
    // the article that states the deduction (第六条), before the rate table whose note repeats it (附表 注1)
    const deduction = !wage
      ? undefined
      : [...candidates]
          .sort((a, b) => Number(isRateTable(a.entry)) - Number(isRateTable(b.entry)))
          .find((c) => c.entry.kind === 'law-article' && DEDUCTION_RULE.test(c.entry.body))
    const rates = !wage
      ? undefined
      : candidates.find((c) => c.entry.kind === 'law-article' && RATE_RANGE.test(c.entry.body))
    const late = lateFeeAsk(query)
    const lateBasis = late
      ? candidates.find((c) => c.entry.kind === 'law-article' && LATE_FEE_RULE.test(c.entry.body))
      : undefined
    const ordered = (lateBasis ? [lateBasis] : [deduction, rates]).filter((c): c is AnswerSource => c !== undefined)
    const sources = [...ordered, ...candidates.filter((c) => !ordered.includes(c))]
    const est =
      late && lateBasis
        ? lateFeeEstimate(late, { n: 1, text: lateBasis.entry.body })
        : !deduction
          ? null
          : wageReply(salary, {
              deduction: { n: 1, text: deduction.entry.body },
              ...(rates ? { rates: { n: 2, text: rates.entry.body } } : {}),
            })
    const pool = est ? ordered : sources
    const today = this.#today()
    const closeness = est
      ? undefined
      : await this.#closeness(query, rankPassages(query, scoring, pool, undefined, today))
    const direct = composeDirect(
      query,
      scoring,
      pool,
      est ?? undefined,
      est ? ordered.map((o) => o.entry) : [],
      closeness,
      today,
    )
    if (!est) options.onRanked?.(direct.ranked)
    if (!direct.lead)
      return {
        answer: '',
        confidence: 0,
        citations: [],
        features: noFeatures(retrieval.topScore),
        estimate: false,
        evenOdds: false,
        lead: null,
      }
    // 「（税率表附后）」: the annex's table for that income is quoted and cited next to the rate, not called missing
    // a salary estimate or the wage threshold cites 第三条's 综合所得 rate range: its annexed table follows too
    const table = await this.#rateTable(direct, synonyms, wage && est !== null ? '综合所得' : undefined)
    const [opening = '', ...rest] = direct.text.split('\n')
    const parts = table
      ? [opening, `${sourceLabel(table.entry)}：「${table.text}。」[${citeIn(direct.used, table.entry)}]`, ...rest]
      : [direct.text]
    // what the reply quotes, not the whole articles: 第六条's 专项附加扣除 delegation is not missing from a
    // 财产转让所得 answer that quotes only its item (五); a salary estimate uses the whole articles it cites
    const missing = missingDetailNotes(est ? direct.used.map((e) => e.body) : parts)
    if (missing.length > 0 && (wage || /(多少|怎么算|计算|税率|标准)/.test(query)))
      parts.push(`说明：${missing.join('；')}。${missingDetailAdvice(wage, direct.used)}`)
    const features = answerFeatures(query, this.#terms(query), retrieval, direct)
    // an estimate is arithmetic over the cited rules, not a guess: it answers when its basis is cited; so does the
    // 公告 clause that states, with a figure, the standard a candidate statute leaves to the State Council
    // (「起征点为月销售额10万元」 for 「每个月销售额多少以内免增值税」 where 增值税法 says 起征点标准由国务院规定)
    const model = modelFor(retrieval.dense)
    const score = abstentionScore(features, model)
    const lead = direct.lead
    const setsStandard =
      !est &&
      ASKS_FIGURE.test(query) &&
      lead.entry.kind === 'policy' &&
      delegated.some((d) => statesStandard(lead.text, d))
    const ruled = est !== null || setsStandard
    const confidence = ruled ? Math.max(score, this.threshold) : score
    return {
      answer: parts.join('\n'),
      confidence,
      citations: direct.used.map((e, i) => citationOf(e, i + 1, query, this.d.analyzer, this.#today())),
      features,
      estimate: ruled,
      evenOdds: evenOdds(score, model),
      lead: lead.entry,
    }
  }

  /**
   * For a lead that says 「（税率表附后）」 (个人所得税法第三条), the rows of the annexed table for that income
   * (综合所得 / 经营所得), when the corpus has the annex and the reply does not already cite it.
   */
  async #rateTable(
    direct: DirectAnswer,
    synonyms: boolean,
    income?: string,
  ): Promise<{ entry: Entry; text: string } | null> {
    const lead = direct.lead
    if (!income && !lead?.text.includes('税率表附后')) return null
    const category = income ?? /(综合所得|经营所得)/.exec(lead?.text ?? '')?.[1]
    if (!category || direct.text.includes(`（${category}适用）`)) return null
    const tableIn = (entries: readonly Entry[]) => {
      for (const entry of entries) {
        const text = entry.kind === 'law-article' ? rateTableFor(entry.body, category) : null
        if (text) return { entry, text }
      }
      return null
    }
    const cited = tableIn(direct.used)
    if (cited) return cited
    const r = await this.d.retriever.retrieve(`个人所得税税率表 ${category}适用 级数 全年应纳税所得额`, {
      regionCode: null,
      today: this.#today(),
      synonyms,
      limit: 5,
      mode: 'bm25',
    })
    return tableIn(r.sources.map((x) => x.entry))
  }

  /**
   * A 公告's preamble (「为支持高新技术企业…现就…公告如下：」) matches a question by the words of its title but states no
   * rule; the rule is in its clauses, which may rank below the statute they specify (2018年第45号#一's 10年 below
   * 企业所得税法第十八条's 五年). A preamble among the sources brings its document's clauses in force today in after
   * it, at its own retrieval score, so they compete passage by passage.
   */
  async #withClauses(sources: readonly RetrievedSource[]): Promise<RetrievedSource[]> {
    const preambles = sources.filter((s) => s.entry.policy?.part === 'clause' && s.entry.policy.label === '正文')
    if (preambles.length === 0) return [...sources]
    const entries = this.d.store.collection<Entry>('entries')
    const today = this.#today()
    const present = new Set(sources.map((s) => s.entry.id))
    const out: RetrievedSource[] = []
    for (const s of sources) {
      out.push(s)
      if (!preambles.includes(s)) continue
      const docId = s.entry.policy?.documentId
      const doc = docId ? await entries.get(docId) : null
      const labels = (doc?.policy?.clauses ?? []).map((c) => c.label).filter((l) => l !== '正文')
      const ids = labels.map((l) => clauseId(docId as string, l)).filter((id) => !present.has(id))
      const clauses = (await entries.getMany(ids.slice(0, PREAMBLE_CLAUSES))).filter(
        (e) => e.status === 'published' && isEffectiveOn(e, today),
      )
      for (const e of clauses) {
        present.add(e.id)
        out.push({ entry: e, score: s.score })
      }
    }
    return out
  }

  /** Passage-level dense evidence: the best lexical candidates (distinct texts), see passage-closeness.ts. */
  async #closeness(query: string, ranked: readonly ScoredPassage[]): Promise<Map<string, number> | undefined> {
    if (!this.#passages.enabled || ranked.length === 0) return undefined
    return this.#passages.of(
      query,
      ranked.slice(0, CLOSENESS_CANDIDATES).map((p) => ({ text: p.text, entry: p.entry })),
      ranked.slice(CLOSENESS_CANDIDATES).map((p) => ({ text: p.text, entry: p.entry })),
    )
  }

  async #llm(
    query: string,
    sources: readonly RetrievedSource[],
    options: AskOptions,
    log: LogLike,
  ): Promise<{ answer: string; citations: Citation[] } | null> {
    const numbered = sources.map((s, i) => ({ n: i + 1, title: titleOf(s.entry), text: sourceText(s.entry) }))
    const prompt = buildGroundedPrompt({ question: query, sources: numbered })
    const signal = AbortSignal.timeout(this.d.config.llmTimeoutMs)
    let text = ''
    try {
      if (options.onToken) {
        for await (const delta of this.d.chatModel.stream({ ...prompt, signal })) {
          text += delta
          options.onToken(delta)
        }
      } else text = await this.d.chatModel.generate({ ...prompt, signal })
    } catch (e) {
      const reason = signal.aborted ? 'timeout' : 'error'
      this.d.metrics.llmFallbacks.inc({ reason })
      log.warn({ reason, err: (e as Error).message }, 'LLM failed; using the extractive answer')
      return null
    }
    const check = validateCitations(text, numbered.length)
    if (!check.ok) {
      this.d.metrics.llmFallbacks.inc({ reason: 'citations' })
      log.warn(
        { reason: 'citations', problems: check.problems.slice(0, 5) },
        'LLM answer rejected; using the extractive answer',
      )
      return null
    }
    const answer = text.trim()
    return {
      answer,
      citations: check.cited.map((n) =>
        citationOf((sources[n - 1] as RetrievedSource).entry, n, query, this.d.analyzer, this.#today()),
      ),
    }
  }

  #related(retrieval: Retrieval, exclude: readonly string[]): string[] {
    const out: string[] = []
    for (const s of retrieval.sources) {
      if (exclude.includes(s.entry.id)) continue
      if (s.entry.kind === 'faq' && s.entry.question) out.push(s.entry.question)
      else if (s.entry.kind === 'guide') out.push(`如何办理${s.entry.title}`)
      if (out.length >= 3) break
    }
    return out
  }
}

/**
 * Light rerank: the hybrid retriever's fused (RRF) order weighted by how much of the question a source covers,
 * so 「契税税率多少」 prefers 契税法第三条 over an article that only shares 税率, while a source only the dense
 * retriever found (房子租出去 → 房产税暂行条例) keeps its place instead of falling behind lexical matches.
 * Without signals (BM25 only, or sources the answer layer added) the BM25 score ratio stands in.
 */
function rerankByCoverage(retrieval: Retrieval, terms: ReadonlyMap<string, number>, question: string): void {
  const top = retrieval.sources[0]?.score ?? 0
  const keyed = retrieval.sources.map((s, i) => {
    const fused = s.signals?.fused.rank
    const base = fused !== undefined ? 1 / (1 + 0.25 * fused) : top > 0 && s.score > 0 ? s.score / top : 1 / (i + 2)
    const cov = coverage(terms, `${s.entry.title} ${s.entry.question ?? ''} ${sourceText(s.entry)}`)
    // a law about another tax (个人所得税法 for an 增值税 question) is rarely the answer
    const mismatch = taxMismatch(question, s.entry) ? 0.5 : 1
    return { s, key: Math.sqrt(base) * (0.2 + cov) * mismatch }
  })
  keyed.sort((a, b) => b.key - a.key)
  retrieval.sources = keyed.map((k) => k.s)
}

/** The question names one tax and the source is a law about another (个人所得税法 for an 增值税 question). */
function taxMismatch(question: string, e: Entry): boolean {
  const asked = TAX_NAME.exec(expandTaxAliases(question))?.[0]
  // policy documents: the official library's tax topic (h14-policies)
  const about = e.law
    ? TAX_NAME.exec(e.law.shortName)?.[0]
    : e.policy?.taxTopic
      ? TAX_NAME.exec(e.policy.taxTopic)?.[0]
      : undefined
  if (asked !== undefined && about !== undefined && about !== asked) return true
  // a FAQ or guide about another tax (「新成立的公司，应于什么时候申报营业账簿印花税？」 for 「契税什么时候交」): the taxes
  // its question or title names, none of them the one asked
  if (asked !== undefined && !e.law && !e.policy) {
    const named = statutoryTaxesIn(`${e.question ?? ''} ${e.title}`)
    const inQuestion = taxesAskedIn(question)
    if (named.length > 0 && !named.some((t) => inQuestion.includes(t))) return true
  }
  // customs duties and the ship tonnage tax are collected by 海关: a question that names no such matter is not about
  // them (「前年多交了税还能要回来吗」 is 征管法第五十一条's refund, not 关税法第五十一条's 向海关书面申请)
  const law = e.law?.shortName ?? ''
  return CUSTOMS_LAWS.test(law) && !CUSTOMS_MATTER.test(question)
}

/**
 * Documents written for one kind of ticket, fuel or trade (国家税务总局 财政部 中国国家铁路集团有限公司公告2024年第8号 on
 * 铁路电子客票, the 12366 FAQ 「电子发票（铁路电子客票）抬头写错了…」): their rules (换开3次, 红字确认 by the railway) are not
 * the general invoice rule. A question that names none of the matter's words is not about it.
 */
const SCOPED_MATTERS: readonly [RegExp, RegExp][] = [
  [/铁路/, /(铁路|火车|高铁|动车|车票|客票|12306|乘车)/],
  [/(民用航空|航空运输|民航|行程单)/, /(飞机|机票|航空|行程单|航班|乘机|民航)/],
  [/成品油/, /(成品油|汽油|柴油|加油|油品|燃油|石油)/],
  [/(机动车|二手车)/, /(机动车|汽车|车辆|买车|卖车|新车|旧车|二手车|摩托|车)/],
  [/离境退税/, /(离境|境外旅客|外国游客|退税商店|即买即退)/],
  [/(资源回收|反向开票)/, /(回收|废品|报废|反向开票|废旧)/],
]

/** The source is written for a matter (铁路客票, 成品油…) the question does not name. */
function scopeMismatch(question: string, e: Entry): boolean {
  const scope = `${e.source?.title ?? ''} ${e.title} ${e.question ?? ''}`
  return SCOPED_MATTERS.some(([about, asked]) => about.test(scope) && !asked.test(question))
}

const CUSTOMS_LAWS =
  /^(关税法|船舶吨税法|进出口关税条例|外国公司船舶运输收入征税办法|外国在华常住人员携带进境物品进口税收暂行规定)/
const CUSTOMS_MATTER = /(关税|海关|进口|出口|进境|出境|入境|报关|船舶|吨税|跨境|行邮|免税店|离岛|外国公司|常住人员)/

const isRateTable = (e: Entry) => /^个人所得税税率表/.test(e.body)

/** A monthly salary gets its estimate; the wage-threshold question, the rule it rests on. */
const wageReply = (salary: number | null, basis: EstimateBasis) =>
  salary === null ? wageThresholdAnswer(basis) : salaryEstimate(salary, basis)

function refusal(answer: string): Draft {
  return { answer, mode: 'refused', confidence: 1, citations: [], suggestions: [], handoffOffered: false }
}

function titleOf(e: Entry): string {
  return e.law ? `${e.law.shortName}${e.law.article}` : e.title
}

/** `today`: policy citations carry their validity on that date (文号, clause, validity, official URL). */
function citationOf(e: Entry, n: number, query: string, analyzer: Analyzer, today: string): Citation {
  const terms = analyzer.query(query, { synonyms: false }).original
  return {
    n,
    id: e.id,
    title: e.title,
    kind: e.kind,
    snippet: makeSnippet(sourceText(e), terms, 120),
    ...policyCitation(e, today),
  }
}

function retiredNote(old: Entry, replacements: readonly Entry[]): string {
  const oldName = old.law ? `《${old.law.shortName}》${old.law.article}` : `《${old.title}》`
  const until = old.effectiveTo ?? '此前'
  // replacedBy names the repealing clause (e.g. 增值税法#第三十八条); the reader needs the law that now applies.
  // 「本法自…起施行，…同时废止」 names the repeal, not the rule that now applies: point to the law only
  const first = replacements[0]
  if (first) {
    const byLaw = first.law ? `《${first.law.shortName}》` : `《${first.title}》`
    const clause = replacements
      .filter((r) => !/(起施行|同时废止)/.test(r.body))
      .map((r) => (r.law ? `《${r.law.shortName}》${r.law.article}` : ''))
      .filter(Boolean)
      .join('、')
    return REPLIES.retired(oldName, until, byLaw, clause)
  }
  if (old.law?.repealedBy) return REPLIES.retired(oldName, until, old.law.repealedBy, '')
  return REPLIES.retiredNoReplacement(oldName, until)
}

function transcriptOf(session: ChatSession): TranscriptLine[] {
  return session.turns
    .slice(-20)
    .map((t) => ({ role: t.role, text: maskPii(t.text), at: t.at, ...(t.intent ? { intent: t.intent } : {}) }))
}

/** The last characters of a session id, enough to correlate logs without logging the bearer secret. */
function tail(id: string): string {
  return id.slice(-8)
}

/** No evidence at all: say so and offer 转人工 (never a guess). */
function nothingFound(query: string) {
  return {
    answer: REPLIES.nothingFound,
    mode: 'composed' as const,
    confidence: 0,
    citations: [],
    suggestions: ['转人工'],
    handoffOffered: true,
    query,
  }
}

/** Where to turn for what the corpus lacks: the 个税 App computes 个人所得税 only; anything else goes to a person. */
function missingDetailAdvice(salary: boolean, used: readonly Entry[]): string {
  const iit = salary || used.some((e) => e.law?.shortName?.startsWith('个人所得税') || e.title.includes('个人所得税'))
  return iit
    ? '如需准确计算，建议使用个人所得税 App 的算税功能，或点击「转人工」咨询。'
    : '如需确认，请点击「转人工」咨询。'
}
