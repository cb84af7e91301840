/**
 * Merges pre-aggregated days (dashboard-day-aggregate.ts) into the dashboard (pure). Applies the viewer's
 * scope to the parts that depend on it and "now" to open tickets' deadlines; the result equals what
 * computeDashboard (dashboard-report.ts) returns for the same rows (test/integration/dashboard-aggregate.test.ts).
 */
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Ticket } from '../tickets/ticket-service.js'
import type { DayAggregate, Place, Tally } from './dashboard-day-aggregate.js'
import {
  byDueAt,
  byExtensionTime,
  chinaDay,
  chinaDays,
  countsOf,
  type Dashboard,
  type DayRow,
  INTENT_LABELS,
  meanHours,
  overdueRow,
  periodFields,
  REASON_LABELS,
  ratio,
  SATISFACTION_LABELS,
  SLA_LABELS,
  type Summary,
} from './dashboard-report.js'
import type { Range } from './operations-report.js'

export interface MergeInput {
  days: readonly DayAggregate[]
  /** Region codes the viewer sees; null: every region, including rows without one. */
  scope: readonly string[] | null
  /** Open tickets past their deadline in the scope, whatever their creation date. */
  overdueOpen: readonly Ticket[]
  range: Range
  previous: Range
  now: Date
  calendar: WorkingDayCalendar
}

const add = (into: Tally, from: Tally): void => {
  for (const [k, n] of Object.entries(from)) into[k] = (into[k] ?? 0) + n
}

/** One period's days, with the scope-dependent lines and reasons resolved. */
class Period {
  readonly aggs: DayAggregate[]
  readonly extraLines: { day: string; channel: string; intent: string; hour: number; reason: string }[] = []
  readonly extraReasons: string[] = []

  constructor(
    all: readonly DayAggregate[],
    range: Range,
    /** Whether a row or ticket at this place is among the rows the raw path loads (scope, both periods). */
    loaded: (p: Place) => boolean,
  ) {
    const days = new Set(chinaDays(range))
    this.aggs = all.filter((a) => days.has(a.day) && loaded(a))
    for (const a of this.aggs) {
      for (const c of a.crossLines) if (!c.refs.some(loaded)) this.extraLines.push({ day: a.day, ...c })
      for (const c of a.crossReasons) this.extraReasons.push(loaded(c.ticket) ? c.withTicket : c.without)
    }
  }

  summary(now: string): Summary {
    let volume = this.extraLines.length
    let auto = 0
    let created = 0
    let known = 0
    let onTime = 0
    let handled = 0
    let handledMs = 0
    const stars = [0, 0, 0, 0, 0]
    for (const a of this.aggs) {
      volume += a.volume
      auto += a.auto
      a.satisfaction.forEach((n, i) => {
        stars[i] = (stars[i] ?? 0) + n
      })
      created += a.tickets.created
      handled += a.tickets.handled
      handledMs += a.tickets.handledMs
      for (const k of Object.values(a.tickets.kinds)) {
        const late = k.pendingDue.filter((due) => now > due).length
        known += k.known + late
        onTime += k.onTime
      }
    }
    const rated = stars.reduce((x, y) => x + y, 0)
    const satisfied = (stars[3] ?? 0) + (stars[4] ?? 0)
    return {
      volume,
      autoAnswered: auto,
      automationRate: ratio(auto, volume),
      rated,
      satisfied,
      satisfactionRate: ratio(satisfied, rated),
      ticketsCreated: created,
      outcomeKnown: known,
      onTime,
      onTimeRate: ratio(onTime, known),
      avgHandlingWorkingHours: meanHours(handledMs, handled),
    }
  }

  tally(pick: (a: DayAggregate) => Tally): Tally {
    const out: Tally = {}
    for (const a of this.aggs) add(out, pick(a))
    return out
  }
}

export function mergeDashboard(input: MergeInput): Dashboard {
  const { range, previous, now, calendar, scope } = input
  const window = new Set(chinaDays({ from: previous.from, to: range.to }))
  const loaded = (p: Place): boolean =>
    window.has(p.day) && (scope === null || (p.regionCode !== null && scope.includes(p.regionCode)))
  const current = new Period(input.days, range, loaded)
  const before = new Period(input.days, previous, loaded)
  const nowIso = now.toISOString()
  const dayList = chinaDays(range)

  const days = new Map<string, DayRow>(
    dayList.map((d) => [
      d,
      { day: d, workingDay: calendar.isWorkingDay(d), volume: 0, autoAnswered: 0, automationRate: null, byChannel: {} },
    ]),
  )
  const hours = Array.from({ length: 24 }, (_, hour) => ({ hour, volume: 0, byChannel: {} as Tally }))
  const line = (day: string, channel: string, hour: number, n: number): void => {
    const d = days.get(day)
    if (d) {
      d.volume += n
      d.byChannel[channel] = (d.byChannel[channel] ?? 0) + n
    }
    const h = hours[hour]
    if (h) {
      h.volume += n
      h.byChannel[channel] = (h.byChannel[channel] ?? 0) + n
    }
  }
  for (const a of current.aggs) {
    for (const [channel, counts] of Object.entries(a.hours)) {
      counts.forEach((n, hour) => {
        if (n > 0) line(a.day, channel, hour, n)
      })
    }
    const d = days.get(a.day)
    if (d) d.autoAnswered += a.auto
  }
  for (const x of current.extraLines) line(x.day, x.channel, x.hour, 1)
  for (const d of days.values()) d.automationRate = ratio(d.autoAnswered, d.volume)
  const channels = [...new Set(hours.flatMap((h) => Object.keys(h.byChannel)))].sort()

  const intents = current.tally((a) => a.intents)
  for (const x of current.extraLines) intents[x.intent] = (intents[x.intent] ?? 0) + 1
  const reasons = current.tally((a) => a.reasons)
  for (const r of [...current.extraReasons, ...current.extraLines.map((x) => x.reason)]) {
    reasons[r] = (reasons[r] ?? 0) + 1
  }

  const stars = [0, 0, 0, 0, 0]
  for (const a of current.aggs) a.satisfaction.forEach((n, i) => (stars[i] = (stars[i] ?? 0) + n))

  const kinds = new Map<string, { known: number; onTime: number }>()
  const groups = new Map<
    string,
    { seatGroup: string; created: number; answered: number; open: number; overdue: number }
  >()
  const agents = new Map<string, { answered: number; ms: number }>()
  const extensions: Dashboard['tickets']['extensions'] = []
  for (const a of current.aggs) {
    for (const [kind, k] of Object.entries(a.tickets.kinds)) {
      const sum = kinds.get(kind) ?? { known: 0, onTime: 0 }
      sum.known += k.known + k.pendingDue.filter((due) => nowIso > due).length
      sum.onTime += k.onTime
      kinds.set(kind, sum)
    }
    for (const [seatGroup, g] of Object.entries(a.tickets.groups)) {
      const sum = groups.get(seatGroup) ?? { seatGroup, created: 0, answered: 0, open: 0, overdue: 0 }
      sum.created += g.created
      sum.answered += g.answered
      sum.open += g.open
      groups.set(seatGroup, sum)
    }
    for (const [agent, x] of Object.entries(a.tickets.agents)) {
      const sum = agents.get(agent) ?? { answered: 0, ms: 0 }
      sum.answered += x.answered
      sum.ms += x.ms
      agents.set(agent, sum)
    }
    extensions.push(...a.tickets.extensions)
  }
  const inRange = new Set(dayList)
  for (const t of input.overdueOpen) {
    const g = groups.get(t.seatGroup)
    if (g && inRange.has(chinaDay(t.createdAt))) g.overdue++
  }

  const badly: Tally = {}
  for (const a of current.aggs) {
    for (const candidates of a.badlyRated) {
      for (const id of candidates.find(loaded)?.citedIds ?? []) badly[id] = (badly[id] ?? 0) + 1
    }
  }

  return {
    ...periodFields(range, previous, calendar),
    summary: { current: current.summary(nowIso), previous: before.summary(nowIso) },
    days: [...days.values()],
    hours,
    channels,
    intents: countsOf(Object.entries(intents), (k) => INTENT_LABELS[k] ?? k),
    handoffReasons: countsOf(Object.entries(reasons), (k) => REASON_LABELS[k] ?? k),
    ratings: {
      distribution: [1, 2, 3, 4, 5].map((s) => ({
        key: String(s),
        label: SATISFACTION_LABELS[s] ?? String(s),
        count: stars[s - 1] ?? 0,
      })),
      dissatisfiedReasons: countsOf(Object.entries(current.tally((a) => a.dissatisfiedReasons))),
    },
    tickets: {
      onTime: Object.entries(SLA_LABELS).map(([kind, [label, limitDays]]) => {
        const k = kinds.get(kind) ?? { known: 0, onTime: 0 }
        return { kind, label, limitDays, outcomeKnown: k.known, onTime: k.onTime, rate: ratio(k.onTime, k.known) }
      }),
      overdue: [...input.overdueOpen].sort(byDueAt).map(overdueRow),
      extensions: extensions.sort(byExtensionTime),
    },
    seatGroups: [...groups.values()].sort((a, b) => b.created - a.created || a.seatGroup.localeCompare(b.seatGroup)),
    agents: [...agents]
      .map(([agent, x]) => ({ agent, answered: x.answered, avgHandlingWorkingHours: meanHours(x.ms, x.answered) }))
      .sort((a, b) => b.answered - a.answered || a.agent.localeCompare(b.agent)),
    knowledge: {
      unansweredTopics: countsOf(Object.entries(current.tally((a) => a.topics)))
        .slice(0, 10)
        .map((t) => ({ topic: t.key, count: t.count, draftLink: `/editor/#new=${encodeURIComponent(t.key)}` })),
      mostCited: countsOf(Object.entries(current.tally((a) => a.cited))).slice(0, 10),
      badlyCited: countsOf(Object.entries(badly)).slice(0, 10),
    },
  }
}
