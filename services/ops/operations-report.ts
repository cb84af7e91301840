/**
 * The consultation ledger (台账) and the operations figures 12366 managers report, computed from the
 * answering service's `ledger` and `ratings` rows joined with tickets. Pure functions over plain rows so
 * the figures are unit-tested against hand-computed values.
 *
 * Definitions (also in README):
 *  - volume: ledger rows (consultation turns) in the range, plus tickets in the range no ledger row points
 *    at (e.g. created by phone);
 *  - automation rate (话务分流量): rows answered by the machine (no ticket, mode ≠ handoff) / volume;
 *  - good-rating share: ratings with satisfaction ≥ 4 / ratings with a satisfaction score;
 *  - answered on time: tickets created in the range answered by their deadline / tickets whose outcome is
 *    known (answered, or still open and past the deadline);
 *  - average handling time: working hours (calendar.workingMillisBetween) from creation to answer;
 *  - top unanswered topics: ledger topics of rows handed to a human, most frequent first.
 * Confidential tickets (reports, complaints) contribute counts only; their question text never leaves.
 */
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Ticket } from '../tickets/ticket-service.js'
import type { LedgerRow, Rating } from '../shared/consultation-records.js'
import { CONFIDENTIAL_INTENTS, CONFIDENTIAL_TEXT, confidentialSessions } from '../tickets/confidentiality.js'

// The ledger and rating rows are written by the answering service; declared once, below both.
export type { LedgerRow }
export type RatingRow = Rating

export type Outcome =
  | 'auto-answered'
  | 'refused'
  | 'redirected'
  | 'human-answered'
  | 'human-closed'
  | 'human-pending'
  | 'human-overdue'
  | 'human-redirected'

export const OUTCOME_LABELS: Readonly<Record<Outcome, string>> = {
  'auto-answered': '智能应答',
  refused: '不予解答',
  redirected: '引导至其他渠道',
  'human-answered': '人工已答复',
  'human-closed': '人工已办结',
  'human-pending': '人工处理中',
  'human-overdue': '人工处理超期',
  'human-redirected': '转其他地区办理',
}

export interface LedgerLine {
  at: string
  channel: string
  regionCode: string | null
  intent: string
  mode: string
  handledBy: 'auto' | 'human'
  topic: string | null
  /** Masked question; 「（保密）」 for reports and complaints. */
  question: string
  ticketNumber: string | null
  ticketType: string | null
  ticketState: string | null
  onTime: boolean | null
  outcome: Outcome
  outcomeLabel: string
}

export { CONFIDENTIAL_TEXT }

export interface Range {
  /** Inclusive ISO instant. */
  from: string
  /** Exclusive ISO instant. */
  to: string
}

const inRange = (at: string, r: Range): boolean => at >= r.from && at < r.to

function ticketOutcome(t: Ticket, now: Date): { outcome: Outcome; onTime: boolean | null } {
  if (t.redirect) return { outcome: 'human-redirected', onTime: null }
  if (t.answeredAt)
    return { outcome: t.state === 'closed' ? 'human-closed' : 'human-answered', onTime: t.answeredAt <= t.dueAt }
  return now.toISOString() > t.dueAt
    ? { outcome: 'human-overdue', onTime: false }
    : { outcome: 'human-pending', onTime: null }
}

/**
 * One ledger line of a ledger row. `ticket`: the row's ticket when it has one; `secret`: the row's session
 * holds a report or complaint (confidentialSessions). Pure; shared by buildLedger and the streamed export.
 */
export function ledgerLine(r: LedgerRow, t: Ticket | undefined, secret: boolean, now: Date): LedgerLine {
  const human = r.ticketId !== null || r.mode === 'handoff'
  const confidential = (t?.confidential ?? false) || CONFIDENTIAL_INTENTS.has(r.intent) || secret
  let outcome: Outcome
  let onTime: boolean | null = null
  if (t) ({ outcome, onTime } = ticketOutcome(t, now))
  else if (human) outcome = 'human-pending'
  else outcome = r.mode === 'refused' ? 'refused' : r.mode === 'redirect' ? 'redirected' : 'auto-answered'
  return {
    at: r.at,
    channel: r.channel,
    regionCode: r.regionCode,
    intent: r.intent,
    mode: r.mode,
    handledBy: human ? 'human' : 'auto',
    topic: r.topic,
    question: confidential ? CONFIDENTIAL_TEXT : r.question,
    ticketNumber: t?.number ?? null,
    ticketType: t?.type ?? null,
    ticketState: t?.state ?? null,
    onTime,
    outcome,
    outcomeLabel: OUTCOME_LABELS[outcome],
  }
}

/** The ledger line of a ticket no ledger row points at (phone, counter): a consultation too. Pure. */
export function unlinkedTicketLine(t: Ticket, now: Date): LedgerLine {
  const { outcome, onTime } = ticketOutcome(t, now)
  return {
    at: t.createdAt,
    channel: t.channel,
    regionCode: t.regionCode,
    intent: t.type,
    mode: 'handoff',
    handledBy: 'human',
    topic: null,
    question: t.confidential ? CONFIDENTIAL_TEXT : t.question,
    ticketNumber: t.number,
    ticketType: t.type,
    ticketState: t.state,
    onTime,
    outcome,
    outcomeLabel: OUTCOME_LABELS[outcome],
  }
}

export function buildLedger(
  rows: readonly LedgerRow[],
  tickets: readonly Ticket[],
  range: Range,
  now: Date,
): LedgerLine[] {
  const byId = new Map(tickets.map((t) => [t.id, t]))
  const referenced = new Set<string>()
  // Every line of a session that holds a report or complaint is confidential, not only the report's own.
  const secretSessions = confidentialSessions(rows, tickets)
  const out: LedgerLine[] = []
  for (const r of rows) {
    if (!inRange(r.at, range)) continue
    if (r.ticketId) referenced.add(r.ticketId)
    const t = r.ticketId ? byId.get(r.ticketId) : undefined
    out.push(ledgerLine(r, t, secretSessions.has(r.sessionId), now))
  }
  for (const t of tickets) {
    if (referenced.has(t.id) || !inRange(t.createdAt, range)) continue
    out.push(unlinkedTicketLine(t, now))
  }
  return out.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
}

export interface OperationsMetrics {
  from: string
  to: string
  volume: number
  autoAnswered: number
  humanHandled: number
  /** 话务分流量: share of consultations the machine handled, 0..1 (null when there were none). */
  automationRate: number | null
  rated: number
  goodRatings: number
  goodRatingShare: number | null
  tickets: {
    created: number
    answered: number
    answeredOnTime: number
    outcomeKnown: number
    onTimeRate: number | null
    open: number
    overdueOpen: number
    byType: Record<string, number>
  }
  avgHandlingWorkingHours: number | null
  topUnansweredTopics: { topic: string; count: number }[]
}

const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000)

export function computeMetrics(
  rows: readonly LedgerRow[],
  tickets: readonly Ticket[],
  ratings: readonly RatingRow[],
  calendar: WorkingDayCalendar,
  range: Range,
  now: Date,
): OperationsMetrics {
  const ledger = buildLedger(rows, tickets, range, now)
  const autoAnswered = ledger.filter((l) => l.handledBy === 'auto').length
  const rated = ratings.filter((r) => inRange(r.at, range) && r.satisfaction !== null)
  const good = rated.filter((r) => (r.satisfaction ?? 0) >= 4).length
  const created = tickets.filter((t) => inRange(t.createdAt, range))
  const answered = created.filter((t) => t.answeredAt !== null)
  const onTime = answered.filter((t) => (t.answeredAt ?? '') <= t.dueAt).length
  const open = created.filter((t) => t.answeredAt === null && t.state !== 'closed')
  const overdueOpen = open.filter((t) => now.toISOString() > t.dueAt).length
  const byType: Record<string, number> = {}
  for (const t of created) byType[t.type] = (byType[t.type] ?? 0) + 1
  const handlingMs = answered.map((t) =>
    calendar.workingMillisBetween(new Date(t.createdAt), new Date(t.answeredAt ?? t.createdAt)),
  )
  const avg =
    handlingMs.length === 0
      ? null
      : Math.round((handlingMs.reduce((a, b) => a + b, 0) / handlingMs.length / 3_600_000) * 100) / 100
  const topics = new Map<string, number>()
  for (const r of rows) {
    if (!inRange(r.at, range) || (r.ticketId === null && r.mode !== 'handoff')) continue
    const k = r.topic ?? '未分类'
    topics.set(k, (topics.get(k) ?? 0) + 1)
  }
  return {
    from: range.from,
    to: range.to,
    volume: ledger.length,
    autoAnswered,
    humanHandled: ledger.length - autoAnswered,
    automationRate: ratio(autoAnswered, ledger.length),
    rated: rated.length,
    goodRatings: good,
    goodRatingShare: ratio(good, rated.length),
    tickets: {
      created: created.length,
      answered: answered.length,
      answeredOnTime: onTime,
      outcomeKnown: answered.length + overdueOpen,
      onTimeRate: ratio(onTime, answered.length + overdueOpen),
      open: open.length,
      overdueOpen,
      byType,
    },
    avgHandlingWorkingHours: avg,
    topUnansweredTopics: [...topics]
      .map(([topic, count]) => ({ topic, count }))
      .sort((a, b) => b.count - a.count || a.topic.localeCompare(b.topic))
      .slice(0, 10),
  }
}

/** China-time calendar dates (inclusive) → instant range. Defaults: the last 30 days up to today. */
export function rangeFromDates(from: string | undefined, to: string | undefined, now: Date): Range {
  const day = (d: string): number => Date.parse(`${d}T00:00:00+08:00`)
  const today = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10)
  const toDay = to ?? today
  const fromDay = from ?? new Date(day(toDay) - 29 * 86_400_000 + 8 * 3600_000).toISOString().slice(0, 10)
  return { from: new Date(day(fromDay)).toISOString(), to: new Date(day(toDay) + 86_400_000).toISOString() }
}
