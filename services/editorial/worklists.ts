/**
 * Editorial worklists from the consultation ledger (台账) and ratings: questions the service could not
 * answer, answered with low confidence, or that taxpayers rated badly — grouped by topic with counts, so
 * editors write the missing knowledge first where it is asked most. Pure.
 * Shapes of ledger rows and ratings: docs/interfaces.md (owner: answering service).
 */
export interface LedgerRowLike {
  id: string
  at: string
  sessionId: string
  regionCode: string | null
  question: string
  intent?: string
  mode: string
  confidence: number
  citedIds: string[]
  topic: string | null
}

export interface RatingLike {
  id: string
  at: string
  sessionId: string
  helpful: boolean | null
  satisfaction: number | null
  reason: string | null
  question: string | null
  regionCode: string | null
}

export interface WorkQuestion {
  question: string
  count: number
  lastAt: string
  regionCode: string | null
  reasons: string[]
}

export interface WorkGroup {
  topic: string
  count: number
  questions: WorkQuestion[]
}

export interface Worklists {
  unanswered: WorkGroup[]
  lowConfidence: WorkGroup[]
  badlyRated: WorkGroup[]
}

export const LOW_CONFIDENCE = 0.5
const UNTOPICAL = '未分类'
/** Modes that are not a knowledge gap: a redirect to another department, or a refusal of a non-tax request. */
const NOT_A_GAP = new Set(['redirect', 'refused'])

export function normalizeQuestion(q: string): string {
  return q
    .normalize('NFKC')
    .replace(/[\s\p{P}\p{S}]+/gu, '')
    .toLowerCase()
}

class Grouper {
  private readonly groups = new Map<string, Map<string, WorkQuestion>>()

  add(topic: string | null, question: string, at: string, regionCode: string | null, reason?: string | null): void {
    const t = topic || UNTOPICAL
    const key = normalizeQuestion(question)
    if (!key) return
    let g = this.groups.get(t)
    if (!g) this.groups.set(t, (g = new Map()))
    const q = g.get(key)
    if (!q) {
      g.set(key, { question: question.trim(), count: 1, lastAt: at, regionCode, reasons: reason ? [reason] : [] })
      return
    }
    q.count++
    if (at > q.lastAt) q.lastAt = at
    if (reason && q.reasons.length < 5 && !q.reasons.includes(reason)) q.reasons.push(reason)
  }

  result(): WorkGroup[] {
    return [...this.groups]
      .map(([topic, qs]) => {
        const questions = [...qs.values()].sort((a, b) => b.count - a.count || (a.lastAt < b.lastAt ? 1 : -1))
        return { topic, count: questions.reduce((n, q) => n + q.count, 0), questions }
      })
      .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic))
  }
}

export function buildWorklists(
  ledger: readonly LedgerRowLike[],
  ratings: readonly RatingLike[],
  since?: string,
): Worklists {
  const unanswered = new Grouper()
  const low = new Grouper()
  const bad = new Grouper()
  const topicOf = new Map<string, string | null>()
  for (const r of ledger) {
    if (since && r.at < since) continue
    topicOf.set(`${r.sessionId}\u0001${normalizeQuestion(r.question)}`, r.topic)
    if (NOT_A_GAP.has(r.mode)) continue
    if (r.mode === 'handoff' || r.citedIds.length === 0) unanswered.add(r.topic, r.question, r.at, r.regionCode)
    else if (r.confidence < LOW_CONFIDENCE) low.add(r.topic, r.question, r.at, r.regionCode)
  }
  for (const r of ratings) {
    if (since && r.at < since) continue
    const isBad = r.helpful === false || (r.satisfaction !== null && r.satisfaction <= 2)
    if (!isBad || !r.question) continue
    bad.add(
      topicOf.get(`${r.sessionId}\u0001${normalizeQuestion(r.question)}`) ?? null,
      r.question,
      r.at,
      r.regionCode,
      r.reason,
    )
  }
  return { unanswered: unanswered.result(), lowConfidence: low.result(), badlyRated: bad.result() }
}
