/**
 * The operations dashboard's figures, as pure functions over the rows the dashboard service loaded
 * (already region-scoped). Each figure follows its definition in dashboard-definitions.ts.
 * Confidential tickets (reports, complaints) contribute counts only: no question text leaves.
 */
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Ticket } from '../tickets/ticket-service.js'
import { TYPE_LABELS } from '../tickets/ticket-service.js'
import { CONFIDENTIAL_TEXT } from '../tickets/confidentiality.js'
import type { LedgerRow, Rating } from '../shared/consultation-records.js'
import { buildLedger, type LedgerLine, type Range } from './operations-report.js'

export interface DashboardInput {
  rows: readonly LedgerRow[]
  ratings: readonly Rating[]
  /** Tickets created in the current or the previous range. */
  tickets: readonly Ticket[]
  /** Open tickets past their deadline, whatever their creation date. */
  overdueOpen: readonly Ticket[]
  range: Range
  previous: Range
  now: Date
  calendar: WorkingDayCalendar
  confidenceThreshold: number
}

export interface Summary {
  volume: number
  autoAnswered: number
  automationRate: number | null
  rated: number
  satisfied: number
  satisfactionRate: number | null
  ticketsCreated: number
  outcomeKnown: number
  onTime: number
  onTimeRate: number | null
  avgHandlingWorkingHours: number | null
}

export interface Count {
  key: string
  label: string
  count: number
}

export interface DayRow {
  day: string
  workingDay: boolean
  volume: number
  autoAnswered: number
  automationRate: number | null
  byChannel: Record<string, number>
}

export interface OnTimeRow {
  kind: string
  label: string
  limitDays: number
  outcomeKnown: number
  onTime: number
  rate: number | null
}

export interface OverdueRow {
  id: string
  number: string
  type: string
  typeLabel: string
  seatGroup: string
  regionCode: string | null
  question: string
  dueAt: string
  assignee: string | null
  /** Opens the ticket in the agent console. */
  link: string
}

export interface Dashboard {
  from: string
  to: string
  previousFrom: string
  previousTo: string
  workingDays: number
  summary: { current: Summary; previous: Summary }
  days: DayRow[]
  hours: { hour: number; volume: number; byChannel: Record<string, number> }[]
  channels: string[]
  intents: Count[]
  handoffReasons: Count[]
  ratings: { distribution: Count[]; dissatisfiedReasons: Count[] }
  tickets: {
    onTime: OnTimeRow[]
    overdue: OverdueRow[]
    extensions: { id: string; number: string; days: number; reason: string; at: string; notices: number }[]
  }
  seatGroups: { seatGroup: string; created: number; answered: number; open: number; overdue: number }[]
  agents: { agent: string; answered: number; avgHandlingWorkingHours: number | null }[]
  knowledge: {
    unansweredTopics: { topic: string; count: number; draftLink: string }[]
    mostCited: Count[]
    badlyCited: Count[]
  }
}

export const INTENT_LABELS: Readonly<Record<string, string>> = {
  consult: '咨询',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  callback: '预约回电',
  'out-of-scope': '非涉税',
  greeting: '问候',
}
export const SATISFACTION_LABELS = ['', '非常不满意', '不满意', '基本满意', '满意', '非常满意'] as const
export const TRANSFER_TYPES = new Set(['complaint', 'report', 'suggestion'])
const HOUR_MS = 3_600_000

export const ratio = (a: number, b: number): number | null => (b === 0 ? null : Math.round((a / b) * 10_000) / 10_000)
const inRange = (at: string, r: Range): boolean => at >= r.from && at < r.to
export const round2 = (n: number): number => Math.round(n * 100) / 100
export const chinaDay = (iso: string): string => new Date(Date.parse(iso) + 8 * HOUR_MS).toISOString().slice(0, 10)
export const chinaHour = (iso: string): number => new Date(Date.parse(iso) + 8 * HOUR_MS).getUTCHours()

/** Counts as the dashboard lists them: most first, then by key. */
export function countsOf(m: Iterable<[string, number]>, label: (k: string) => string = (k) => k): Count[] {
  return [...m]
    .filter(([, count]) => count > 0)
    .map(([key, count]) => ({ key, label: label(key), count }))
    .sort((a, b) => b.count - a.count || a.key.localeCompare(b.key))
}

function tally(keys: Iterable<string>, label: (k: string) => string = (k) => k): Count[] {
  const m = new Map<string, number>()
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1)
  return countsOf(m, label)
}

/** When the ticket's obligation was met: answered, or for transfer kinds also handed over / redirected. */
export function handledAt(t: Ticket): string | null {
  if (!TRANSFER_TYPES.has(t.type)) return t.answeredAt
  const moved = t.events.find((e) => e.action === 'transfer' || e.action === 'redirect')?.at ?? null
  if (t.answeredAt && moved) return t.answeredAt < moved ? t.answeredAt : moved
  return t.answeredAt ?? moved
}

export function slaKindOf(t: Ticket): string {
  return t.type === 'consult' ? `consult-${t.difficulty}` : t.type
}

export const SLA_LABELS: Readonly<Record<string, [string, number]>> = {
  'consult-general': ['一般咨询（1 个工作日答复）', 1],
  'consult-difficult': ['疑难咨询（3 个工作日答复）', 3],
  complaint: ['投诉（1 个工作日转交）', 1],
  report: ['举报（1 个工作日转交）', 1],
  suggestion: ['建议（1 个工作日转交）', 1],
  callback: ['预约回电（1 个工作日回电）', 1],
}

/** Outcome of one ticket against its deadline: true / false, or null while still open within it. */
export function onTimeOutcome(t: Ticket, now: Date): boolean | null {
  const done = handledAt(t)
  if (done) return done <= t.dueAt
  if (t.state === 'closed') return t.closedAt !== null && t.closedAt <= t.dueAt
  return now.toISOString() > t.dueAt ? false : null
}

// Working-time arithmetic walks the calendar day by day: computed once per ticket per request. Kept in
// integer milliseconds so a mean over pre-aggregated sums (dashboard-day.ts) equals the mean over tickets.
const millisCache = new WeakMap<Ticket, number | null>()
export function handlingMillis(t: Ticket, calendar: WorkingDayCalendar): number | null {
  const hit = millisCache.get(t)
  if (hit !== undefined) return hit
  const ms = t.answeredAt ? calendar.workingMillisBetween(new Date(t.createdAt), new Date(t.answeredAt)) : null
  millisCache.set(t, ms)
  return ms
}

/** Mean handling time in working hours, two decimals, from a sum of milliseconds over n tickets. */
export const meanHours = (sumMs: number, n: number): number | null => (n === 0 ? null : round2(sumMs / n / HOUR_MS))
const mean = (ms: readonly number[]): number | null =>
  meanHours(
    ms.reduce((a, b) => a + b, 0),
    ms.length,
  )

function summarise(lines: readonly LedgerLine[], input: DashboardInput, r: Range): Summary {
  const auto = lines.filter((l) => l.handledBy === 'auto').length
  const rated = input.ratings.filter((x) => inRange(x.at, r) && x.satisfaction !== null)
  const satisfied = rated.filter((x) => (x.satisfaction ?? 0) >= 4).length
  const created = input.tickets.filter((t) => inRange(t.createdAt, r))
  const outcomes = created.map((t) => onTimeOutcome(t, input.now)).filter((o): o is boolean => o !== null)
  const onTime = outcomes.filter(Boolean).length
  const hours = created.map((t) => handlingMillis(t, input.calendar)).filter((h): h is number => h !== null)
  return {
    volume: lines.length,
    autoAnswered: auto,
    automationRate: ratio(auto, lines.length),
    rated: rated.length,
    satisfied,
    satisfactionRate: ratio(satisfied, rated.length),
    ticketsCreated: created.length,
    outcomeKnown: outcomes.length,
    onTime,
    onTimeRate: ratio(onTime, outcomes.length),
    avgHandlingWorkingHours: mean(hours),
  }
}

export function handoffReason(type: string, confidence: number | null, threshold: number): string {
  if (TRANSFER_TYPES.has(type)) return type
  if (confidence !== null && confidence < threshold) return 'low-confidence'
  return 'requested'
}
export const REASON_LABELS: Readonly<Record<string, string>> = {
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  'low-confidence': '低置信度',
  requested: '纳税人要求转人工',
}

export function chinaDays(r: Range): string[] {
  const out: string[] = []
  for (let t = Date.parse(r.from); t < Date.parse(r.to); t += 24 * HOUR_MS)
    out.push(chinaDay(new Date(t).toISOString()))
  return out
}

/** The ledger row a rating is about: the latest row of its session at or before the rating. */
export function ratedRows(rows: readonly LedgerRow[], ratings: readonly Rating[]): Map<Rating, LedgerRow> {
  const bySession = new Map<string, LedgerRow[]>()
  for (const r of rows) {
    const list = bySession.get(r.sessionId) ?? []
    list.push(r)
    bySession.set(r.sessionId, list)
  }
  for (const list of bySession.values()) list.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
  const out = new Map<Rating, LedgerRow>()
  for (const g of ratings) {
    const list = bySession.get(g.sessionId) ?? []
    let hit: LedgerRow | undefined
    for (const r of list) if (r.at <= g.at) hit = r
    if (hit) out.set(g, hit)
  }
  return out
}

/** The range, the previous period and the working days of the range, as the dashboard reports them. */
export function periodFields(range: Range, previous: Range, calendar: WorkingDayCalendar) {
  return {
    from: range.from,
    to: range.to,
    previousFrom: previous.from,
    previousTo: previous.to,
    workingDays: chinaDays(range).filter((d) => calendar.isWorkingDay(d)).length,
  }
}

export type ExtensionRow = Dashboard['tickets']['extensions'][number]
export function extensionRow(t: Ticket): ExtensionRow {
  return {
    id: t.id,
    number: t.number,
    days: t.extension?.days ?? 0,
    reason: t.extension?.reason ?? '',
    at: t.extension?.at ?? '',
    notices: t.notices.length,
  }
}
export const byExtensionTime = (a: ExtensionRow, b: ExtensionRow): number =>
  a.at < b.at ? -1 : a.at > b.at ? 1 : a.number.localeCompare(b.number)

/** The overdue list row of one open ticket past its deadline (confidential questions withheld). */
export function overdueRow(t: Ticket): OverdueRow {
  return {
    id: t.id,
    number: t.number,
    type: t.type,
    typeLabel: TYPE_LABELS[t.type],
    seatGroup: t.seatGroup,
    regionCode: t.regionCode,
    question: t.confidential ? CONFIDENTIAL_TEXT : t.question,
    dueAt: t.dueAt,
    assignee: t.assignee,
    link: `/console/#ticket=${encodeURIComponent(t.id)}`,
  }
}
export const byDueAt = (a: Ticket, b: Ticket): number =>
  a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.number.localeCompare(b.number)

export function computeDashboard(input: DashboardInput): Dashboard {
  const { range, previous, now, calendar } = input
  const lines = buildLedger(input.rows, input.tickets, range, now)
  const previousLines = buildLedger(input.rows, input.tickets, previous, now)
  const rowsInRange = input.rows.filter((r) => inRange(r.at, range))
  const ratingsInRange = input.ratings.filter((g) => inRange(g.at, range))
  const created = input.tickets.filter((t) => inRange(t.createdAt, range))
  const channels = [...new Set(lines.map((l) => l.channel))].sort()

  const dayList = chinaDays(range)
  const days = new Map<string, DayRow>(
    dayList.map((d) => [
      d,
      { day: d, workingDay: calendar.isWorkingDay(d), volume: 0, autoAnswered: 0, automationRate: null, byChannel: {} },
    ]),
  )
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, volume: 0, byChannel: {} as Record<string, number> }))
  for (const l of lines) {
    const d = days.get(chinaDay(l.at))
    if (d) {
      d.volume++
      if (l.handledBy === 'auto') d.autoAnswered++
      d.byChannel[l.channel] = (d.byChannel[l.channel] ?? 0) + 1
    }
    const h = hours[chinaHour(l.at)]
    if (h) {
      h.volume++
      h.byChannel[l.channel] = (h.byChannel[l.channel] ?? 0) + 1
    }
  }
  for (const d of days.values()) d.automationRate = ratio(d.autoAnswered, d.volume)

  // Reasons from the rows (they carry the confidence) plus tickets that reached a seat without a row.
  const ticketById = new Map(input.tickets.map((t) => [t.id, t]))
  const referenced = new Set(rowsInRange.map((r) => r.ticketId).filter((id): id is string => id !== null))
  const reasons = [
    ...rowsInRange
      .filter((r) => r.ticketId !== null || r.mode === 'handoff')
      .map((r) =>
        handoffReason(ticketById.get(r.ticketId ?? '')?.type ?? r.intent, r.confidence, input.confidenceThreshold),
      ),
    ...created.filter((t) => !referenced.has(t.id)).map((t) => handoffReason(t.type, null, input.confidenceThreshold)),
  ]

  const scored = ratingsInRange.filter((g) => g.satisfaction !== null)
  const distribution = [1, 2, 3, 4, 5].map((s) => ({
    key: String(s),
    label: SATISFACTION_LABELS[s] ?? String(s),
    count: scored.filter((g) => g.satisfaction === s).length,
  }))
  const dissatisfied = scored.filter((g) => (g.satisfaction ?? 5) <= 2)

  const onTime: OnTimeRow[] = Object.entries(SLA_LABELS).map(([kind, [label, limitDays]]) => {
    const outcomes = created
      .filter((t) => slaKindOf(t) === kind)
      .map((t) => onTimeOutcome(t, now))
      .filter((o): o is boolean => o !== null)
    const ok = outcomes.filter(Boolean).length
    return { kind, label, limitDays, outcomeKnown: outcomes.length, onTime: ok, rate: ratio(ok, outcomes.length) }
  })

  const overdue = [...input.overdueOpen].sort(byDueAt).map(overdueRow)
  const overdueIds = new Set(input.overdueOpen.map((t) => t.id))

  const groups = new Map<
    string,
    { seatGroup: string; created: number; answered: number; open: number; overdue: number }
  >()
  for (const t of created) {
    const g = groups.get(t.seatGroup) ?? { seatGroup: t.seatGroup, created: 0, answered: 0, open: 0, overdue: 0 }
    g.created++
    if (t.answeredAt) g.answered++
    else if (t.state !== 'closed') g.open++
    if (overdueIds.has(t.id)) g.overdue++
    groups.set(t.seatGroup, g)
  }
  const byAgent = new Map<string, number[]>()
  for (const t of created) {
    const h = handlingMillis(t, calendar)
    if (h === null || !t.answeredBy) continue
    byAgent.set(t.answeredBy, [...(byAgent.get(t.answeredBy) ?? []), h])
  }

  const weak = rowsInRange.filter(
    (r) => r.ticketId !== null || r.mode === 'handoff' || r.confidence < input.confidenceThreshold,
  )
  const topics = tally(weak.map((r) => r.topic ?? '未分类')).slice(0, 10)
  const about = ratedRows(input.rows, dissatisfied)

  return {
    ...periodFields(range, previous, calendar),
    summary: { current: summarise(lines, input, range), previous: summarise(previousLines, input, previous) },
    days: [...days.values()],
    hours,
    channels,
    intents: tally(
      lines.map((l) => l.intent),
      (k) => INTENT_LABELS[k] ?? k,
    ),
    handoffReasons: tally(reasons, (k) => REASON_LABELS[k] ?? k),
    ratings: { distribution, dissatisfiedReasons: tally(dissatisfied.map((g) => g.reason ?? '未填写')) },
    tickets: {
      onTime,
      overdue,
      extensions: created
        .filter((t) => t.extension !== null)
        .map((t) => extensionRow(t))
        .sort(byExtensionTime),
    },
    seatGroups: [...groups.values()].sort((a, b) => b.created - a.created || a.seatGroup.localeCompare(b.seatGroup)),
    agents: [...byAgent]
      .map(([agent, hs]) => ({ agent, answered: hs.length, avgHandlingWorkingHours: mean(hs) }))
      .sort((a, b) => b.answered - a.answered || a.agent.localeCompare(b.agent)),
    knowledge: {
      unansweredTopics: topics.map((t) => ({
        topic: t.key,
        count: t.count,
        draftLink: `/editor/#new=${encodeURIComponent(t.key)}`,
      })),
      mostCited: tally(rowsInRange.flatMap((r) => r.citedIds)).slice(0, 10),
      badlyCited: tally([...about.values()].flatMap((r) => r.citedIds)).slice(0, 10),
    },
  }
}
