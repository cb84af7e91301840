/**
 * The dashboard's figures pre-aggregated per China day × region (pure): one DayAggregate holds every
 * count a figure needs, so a year view reads ~366 × regions small documents instead of the ledger. What
 * depends on "now" (open tickets turning overdue) keeps the deadlines and is decided when the days are
 * merged (dashboard-merge.ts). What depends on the viewer's scope (a row and its ticket in different
 * regions) keeps both answers, so every scope merges to what dashboard-report.ts computes from the rows.
 */
import type { Doc } from '../../knowledge/store/store.js'
import type { LedgerRow, Rating } from '../shared/consultation-records.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Ticket } from '../tickets/ticket-service.js'
import {
  chinaDay,
  chinaHour,
  type ExtensionRow,
  extensionRow,
  handledAt,
  handlingMillis,
  handoffReason,
  slaKindOf,
} from './dashboard-report.js'

export type Tally = Record<string, number>

export interface KindTally {
  known: number
  onTime: number
  /** Deadlines of tickets still open and unanswered: overdue (a known, late outcome) once now passes them. */
  pendingDue: string[]
}

/** Where a row lies: its China day and region. */
export interface Place {
  day: string
  regionCode: string | null
}

/**
 * A ticket whose rows lie on other days or in other regions: a line of its own in a view that sees none
 * of those rows within the two periods (as buildLedger counts tickets no loaded row points at).
 */
export interface CrossLine {
  refs: Place[]
  channel: string
  intent: string
  hour: number
  reason: string
}

/** A row whose ticket lies elsewhere: the reason depends on whether the view loads the ticket. */
export interface CrossReason {
  ticket: Place
  withTicket: string
  without: string
}

export interface DayTickets {
  created: number
  handled: number
  handledMs: number
  kinds: Record<string, KindTally>
  groups: Record<string, { created: number; answered: number; open: number }>
  agents: Record<string, { answered: number; ms: number }>
  extensions: ExtensionRow[]
}

export interface DayAggregate extends Doc {
  kind: 'region-day'
  day: string
  regionCode: string | null
  /** The day's generation the aggregate was built from (dashboard-day-store.ts). */
  gen: number
  volume: number
  auto: number
  /** Channel → consultations per China hour (24 counts). */
  hours: Record<string, number[]>
  intents: Tally
  reasons: Tally
  crossLines: CrossLine[]
  crossReasons: CrossReason[]
  /** Ratings with satisfaction 1…5 (index 0…4). */
  satisfaction: number[]
  dissatisfiedReasons: Tally
  cited: Tally
  topics: Tally
  /**
   * Per rating 1–2, the rows of its session at or before it, latest first, with their citations: a view
   * counts the citations of the first row it sees within the two periods (as ratedRows does).
   */
  badlyRated: (Place & { citedIds: string[] })[][]
  tickets: DayTickets
}

export interface DayInput {
  /** Ledger rows, ratings and tickets (by creation) of the days to aggregate. */
  rows: readonly LedgerRow[]
  ratings: readonly Rating[]
  tickets: readonly Ticket[]
  /** Every ticket a row refers to. */
  ticketsById: ReadonlyMap<string, Ticket>
  /** Every row pointing at one of the tickets, any day. */
  ticketRows: readonly LedgerRow[]
  /** The ledger rows of the sessions of dissatisfied ratings, any day. */
  sessionRows: readonly LedgerRow[]
  calendar: WorkingDayCalendar
  confidenceThreshold: number
  gen: (day: string) => number
}

const placeOf = (r: LedgerRow): Place => ({ day: chinaDay(r.at), regionCode: r.regionCode })
const bump = (t: Tally, k: string, n = 1): void => {
  t[k] = (t[k] ?? 0) + n
}

function empty(day: string, regionCode: string | null, gen: number): DayAggregate {
  return {
    id: `${day}|${regionCode ?? '-'}`,
    kind: 'region-day',
    day,
    regionCode,
    gen,
    volume: 0,
    auto: 0,
    hours: {},
    intents: {},
    reasons: {},
    crossLines: [],
    crossReasons: [],
    satisfaction: [0, 0, 0, 0, 0],
    dissatisfiedReasons: {},
    cited: {},
    topics: {},
    badlyRated: [],
    tickets: { created: 0, handled: 0, handledMs: 0, kinds: {}, groups: {}, agents: {}, extensions: [] },
  }
}

function addLine(a: DayAggregate, channel: string, at: string, intent: string): void {
  a.volume++
  const hours = a.hours[channel] ?? Array.from({ length: 24 }, () => 0)
  hours[chinaHour(at)] = (hours[chinaHour(at)] ?? 0) + 1
  a.hours[channel] = hours
  bump(a.intents, intent)
}

function addTicket(a: DayAggregate, t: Ticket, calendar: WorkingDayCalendar): void {
  const s = a.tickets
  s.created++
  const kind = s.kinds[slaKindOf(t)] ?? { known: 0, onTime: 0, pendingDue: [] }
  const done = handledAt(t)
  if (done) {
    kind.known++
    if (done <= t.dueAt) kind.onTime++
  } else if (t.state === 'closed') {
    kind.known++
    if (t.closedAt !== null && t.closedAt <= t.dueAt) kind.onTime++
  } else kind.pendingDue.push(t.dueAt)
  s.kinds[slaKindOf(t)] = kind
  const ms = handlingMillis(t, calendar)
  if (ms !== null) {
    s.handled++
    s.handledMs += ms
  }
  const g = s.groups[t.seatGroup] ?? { created: 0, answered: 0, open: 0 }
  g.created++
  if (t.answeredAt) g.answered++
  else if (t.state !== 'closed') g.open++
  s.groups[t.seatGroup] = g
  if (ms !== null && t.answeredBy) {
    const agent = s.agents[t.answeredBy] ?? { answered: 0, ms: 0 }
    agent.answered++
    agent.ms += ms
    s.agents[t.answeredBy] = agent
  }
  if (t.extension !== null) s.extensions.push(extensionRow(t))
}

export function aggregateDays(input: DayInput): DayAggregate[] {
  const out = new Map<string, DayAggregate>()
  const of = (day: string, region: string | null): DayAggregate => {
    const id = `${day}|${region ?? '-'}`
    const hit = out.get(id)
    if (hit) return hit
    const a = empty(day, region, input.gen(day))
    out.set(id, a)
    return a
  }
  const threshold = input.confidenceThreshold
  for (const r of input.rows) {
    const day = chinaDay(r.at)
    const a = of(day, r.regionCode)
    const human = r.ticketId !== null || r.mode === 'handoff'
    addLine(a, r.channel, r.at, r.intent)
    if (!human) a.auto++
    if (human) {
      const t = r.ticketId === null ? undefined : input.ticketsById.get(r.ticketId)
      const without = handoffReason(r.intent, r.confidence, threshold)
      const withTicket = t === undefined ? without : handoffReason(t.type, r.confidence, threshold)
      if (t === undefined) bump(a.reasons, without)
      else if (t.regionCode === r.regionCode && chinaDay(t.createdAt) === day) bump(a.reasons, withTicket)
      else
        a.crossReasons.push({ ticket: { day: chinaDay(t.createdAt), regionCode: t.regionCode }, withTicket, without })
    }
    if (human || r.confidence < threshold) bump(a.topics, r.topic ?? '未分类')
    for (const id of r.citedIds) bump(a.cited, id)
  }
  const refs = new Map<string, Place[]>()
  for (const r of input.ticketRows) {
    if (r.ticketId !== null) refs.set(r.ticketId, [...(refs.get(r.ticketId) ?? []), placeOf(r)])
  }
  for (const t of input.tickets) {
    const day = chinaDay(t.createdAt)
    const a = of(day, t.regionCode)
    addTicket(a, t, input.calendar)
    const places = refs.get(t.id) ?? []
    const reason = handoffReason(t.type, null, threshold)
    if (places.length === 0) {
      addLine(a, t.channel, t.createdAt, t.type)
      bump(a.reasons, reason)
    } else if (!places.some((p) => p.day === day && p.regionCode === t.regionCode)) {
      // A view that shows this ticket sees its own day and region, so a row there always hides the line.
      a.crossLines.push({ refs: places, channel: t.channel, intent: t.type, hour: chinaHour(t.createdAt), reason })
    }
  }
  const bySession = new Map<string, LedgerRow[]>()
  for (const r of input.sessionRows) bySession.set(r.sessionId, [...(bySession.get(r.sessionId) ?? []), r])
  for (const list of bySession.values()) list.sort((x, y) => (x.at < y.at ? 1 : x.at > y.at ? -1 : 0))
  for (const g of input.ratings) {
    if (g.satisfaction === null) continue
    const a = of(chinaDay(g.at), g.regionCode)
    a.satisfaction[g.satisfaction - 1] = (a.satisfaction[g.satisfaction - 1] ?? 0) + 1
    if (g.satisfaction > 2) continue
    bump(a.dissatisfiedReasons, g.reason ?? '未填写')
    const earlier = (bySession.get(g.sessionId) ?? []).filter((r) => r.at <= g.at)
    if (earlier.length > 0) a.badlyRated.push(earlier.map((r) => ({ ...placeOf(r), citedIds: r.citedIds })))
  }
  return [...out.values()]
}
