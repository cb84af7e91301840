/**
 * Which consultations may appear in the public 热点问题 list, and how many askers make a question trend.
 * Pure. The list is shown to every visitor, so it is built only from answered tax consultations — never
 * from reports, complaints or handoffs (they may name a reporter), never from texts carrying contact data
 * (a phone, a WeChat id, a URL: the shape of spam), and only once several distinct sessions asked.
 */
import { containsPii } from '../shared/mask.js'
import { LOW_CONFIDENCE, normalizeQuestion, type LedgerRowLike } from './worklists.js'

/** A question trends only when this many different chat sessions asked it in the window… */
export const TRENDING_MIN_SESSIONS = 3
/** …and it was asked at least this many times in the window. */
export const TRENDING_MIN_COUNT = 5

const ANSWERED_MODES = new Set(['faq', 'composed', 'llm'])

// WeChat / QQ handles, "add me", URLs, e-mail addresses, masked identifiers and long digit runs.
const CONTACT: readonly RegExp[] = [
  /(微信|威信|薇信|加微|加v|vx|wx|weixin|wechat|qq|扣扣|企鹅号|私信|私聊|加我|加群|群号|二维码|扫码)/i,
  /(https?:|www\.|\.(com|cn|net|org|top|xyz)\b)/i,
  /[\w.+-]+@[\w-]+\.[\w.]+/,
  /\*{3,}/,
  /\d[\d\s-]{6,}\d/,
]

export function containsContactData(text: string): boolean {
  return containsPii(text) || CONTACT.some((p) => p.test(text))
}

/** May this ledger row count towards the public trending list? */
export function isTrendable(row: LedgerRowLike): boolean {
  if ((row.intent ?? 'consult') !== 'consult') return false
  if (!ANSWERED_MODES.has(row.mode) || row.citedIds.length === 0 || row.confidence < LOW_CONFIDENCE) return false
  return !containsContactData(row.question)
}

export interface TrendingOptions {
  limit?: number
  /** Normalised questions editors blocked (normalizeQuestion). */
  blocked?: ReadonlySet<string>
  minSessions?: number
  minCount?: number
}

/** The most asked trendable questions since `since`, each asked by enough sessions. */
export function trendingQuestions(
  ledger: readonly LedgerRowLike[],
  since: string,
  options: TrendingOptions = {},
): { question: string; count: number }[] {
  const { limit = 10, blocked, minSessions = TRENDING_MIN_SESSIONS, minCount = TRENDING_MIN_COUNT } = options
  const m = new Map<string, { question: string; count: number; sessions: Set<string> }>()
  for (const r of ledger) {
    if (r.at < since || !isTrendable(r)) continue
    const key = normalizeQuestion(r.question)
    if (!key || blocked?.has(key)) continue
    const cur = m.get(key)
    if (cur) {
      cur.count++
      cur.sessions.add(r.sessionId)
    } else m.set(key, { question: r.question.trim(), count: 1, sessions: new Set([r.sessionId]) })
  }
  return [...m.values()]
    .filter((q) => q.sessions.size >= minSessions && q.count >= minCount)
    .map(({ question, count }) => ({ question, count }))
    .sort((a, b) => b.count - a.count || a.question.localeCompare(b.question))
    .slice(0, limit)
}
