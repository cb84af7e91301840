/**
 * Stored day aggregates of the dashboard in the `dashboard_days` collection, next to the operational
 * records they summarise. Three kinds of documents per China day D:
 *   gen|D        how many writes touched D (dashboard-invalidation.ts bumps it after each write);
 *   built|D      the generation the stored aggregates of D were built from;
 *   D|<region>   one DayAggregate per region with data on D, stamped with that generation.
 * A closed day (before today, China time) is valid when built and every aggregate carry its current
 * generation; otherwise it is rebuilt from the ledger, ratings and tickets of that day and stored.
 * The generation is read before the rows, so a write racing with a rebuild leaves the day stale (rebuilt
 * again next time), never wrong. Today is never stored: it is aggregated from its rows per request.
 */
import type { Collection, Doc, Store } from '../../knowledge/store/store.js'
import type { LedgerRow, Rating } from '../shared/consultation-records.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Ticket } from '../tickets/ticket-service.js'
import { aggregateDays, type DayAggregate } from './dashboard-day-aggregate.js'
import { chinaDay } from './dashboard-report.js'

export const DAY_COLLECTION = 'dashboard_days' as const
const DAY_MS = 86_400_000
/** Days rebuilt per batch: bounds the rows held in memory when a long range is first read. */
const REBUILD_BATCH_DAYS = 31
/** Days per step of the background build (warm): one, so a step blocks the event loop briefly (~0.1 s at 1M rows/year). */
const WARM_BATCH_DAYS = 1
const ID_BATCH = 500

interface Marker extends Doc {
  kind: 'gen' | 'built'
  day: string
  gen: number
}
type DayDoc = Marker | DayAggregate

/** Instant where China day `day` starts. */
export const chinaDayStart = (day: string): string => new Date(Date.parse(`${day}T00:00:00+08:00`)).toISOString()
/** The calendar day `n` days after `day` (n may be negative). */
export const addDays = (day: string, n: number): string =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10)
const nextDay = (day: string): string => addDays(day, 1)

function daysBetween(from: string, to: string): string[] {
  const out: string[] = []
  for (let d = from; d < to; d = nextDay(d)) out.push(d)
  return out
}

/**
 * The China days whose aggregates a write of these records changes: their own day, and the days that
 * read them across days — a row's ticket (whose line it hides) and its session's ratings (badly cited
 * entries), a ticket's rows (their handoff reason is the ticket's type).
 */
export async function daysTouchedBy(store: Store, name: 'ledger' | 'ratings' | 'tickets', docs: readonly Doc[]) {
  const days = new Set<string>()
  const add = (iso: unknown): void => {
    if (typeof iso === 'string' && !Number.isNaN(Date.parse(iso))) days.add(chinaDay(iso))
  }
  if (name === 'ratings') for (const g of docs as Rating[]) add(g.at)
  if (name === 'ledger') {
    const rows = docs as LedgerRow[]
    for (const r of rows) add(r.at)
    const ticketIds = [...new Set(rows.map((r) => r.ticketId).filter((id): id is string => id !== null))]
    const sessions = [...new Set(rows.map((r) => r.sessionId))]
    for (let i = 0; i < Math.max(ticketIds.length, sessions.length); i += ID_BATCH) {
      const [tickets, ratings] = await Promise.all([
        store.collection<Ticket>('tickets').getMany(ticketIds.slice(i, i + ID_BATCH)),
        store.collection<Rating>('ratings').list({ where: { sessionId: sessions.slice(i, i + ID_BATCH) } }),
      ])
      for (const t of tickets) add(t.createdAt)
      for (const g of ratings) add(g.at)
    }
  }
  if (name === 'tickets') {
    const tickets = docs as Ticket[]
    for (const t of tickets) add(t.createdAt)
    for (let i = 0; i < tickets.length; i += ID_BATCH) {
      const ids = tickets.slice(i, i + ID_BATCH).map((t) => t.id)
      for (const r of await store.collection<LedgerRow>('ledger').list({ where: { ticketId: ids } })) add(r.at)
    }
  }
  return days
}

/** Bumps the generation of each China day (the write-path half, used by dashboard-invalidation.ts). */
export async function touchDays(store: Store, days: Iterable<string>): Promise<void> {
  const col = store.collection<Marker>(DAY_COLLECTION)
  for (const day of new Set(days)) {
    const id = `gen|${day}`
    await col.update(id, (m) => ({ ...m, gen: m.gen + 1 }), {
      createIfMissing: { id, kind: 'gen', day, gen: 1 } as Marker,
    })
  }
}

export class DashboardDays {
  private readonly col: Collection<DayDoc>
  /** One rebuild at a time in this process (two would read and write the same days). */
  private queue: Promise<unknown> = Promise.resolve()

  constructor(
    private readonly store: Store,
    private readonly calendar: WorkingDayCalendar,
    private readonly confidenceThreshold: number,
  ) {
    this.col = store.collection<DayDoc>(DAY_COLLECTION)
  }

  /** Aggregates of the closed China days [fromDay, toDay) in the scope, rebuilding stale days first. */
  async closed(fromDay: string, toDay: string, scope: readonly string[] | null): Promise<DayAggregate[]> {
    // A rebuild under way (a step of warm()) may be building some of these days: read the markers after it.
    await this.queue
    const range = { field: 'day', gte: fromDay, lt: toDay }
    const [markers, aggs] = await Promise.all([
      this.col.list({ where: { kind: ['gen', 'built'] }, range }) as Promise<Marker[]>,
      this.col.list({
        where: scope === null ? { kind: 'region-day' } : { kind: 'region-day', regionCode: [...scope] },
        range,
      }) as Promise<DayAggregate[]>,
    ])
    const gen = new Map<string, number>()
    const built = new Map<string, number>()
    for (const m of markers) (m.kind === 'gen' ? gen : built).set(m.day, m.gen)
    const current = (day: string): number => gen.get(day) ?? 0
    const stale = new Set(daysBetween(fromDay, toDay).filter((d) => built.get(d) !== current(d)))
    for (const a of aggs) if (a.gen !== current(a.day)) stale.add(a.day)
    if (stale.size === 0) return aggs
    const rebuilt = await this.rebuild([...stale].sort())
    const sees = (r: string | null): boolean => scope === null || (r !== null && scope.includes(r))
    return [...aggs.filter((a) => !stale.has(a.day)), ...rebuilt.filter((a) => sees(a.regionCode))]
  }

  /**
   * Builds the stale closed days of [fromDay, toDay), newest first, a day per step: each step is one rebuild
   * in the queue, so a dashboard request meanwhile waits for at most one step and then builds only the days
   * still stale. Days already built cost two indexed reads of their markers. Stops between steps on `signal`.
   */
  async warm(fromDay: string, toDay: string, signal?: AbortSignal): Promise<void> {
    for (let end = toDay; end > fromDay && !signal?.aborted; ) {
      const back = addDays(end, -WARM_BATCH_DAYS)
      const start = back > fromDay ? back : fromDay // ISO days compare as strings
      await this.closed(start, end, null)
      end = start
    }
  }

  /** Aggregates of [from, to) straight from the rows in the scope's `where` (today: never stored). */
  async fromRows(from: string, to: string, where: Record<string, string[]>): Promise<DayAggregate[]> {
    return this.aggregate(from, to, where, () => 0)
  }

  /** Drops every stored aggregate (after a restore replaced the records they summarise). */
  async clear(): Promise<void> {
    const all = await this.col.list()
    await this.col.remove(all.map((d) => d.id))
  }

  private rebuild(days: string[]): Promise<DayAggregate[]> {
    const run = this.queue.then(() => this.rebuildNow(days))
    this.queue = run.catch(() => undefined)
    return run
  }

  private async rebuildNow(days: string[]): Promise<DayAggregate[]> {
    const out: DayAggregate[] = []
    // Contiguous runs of stale days, at most a month each: one range query per collection per run.
    const runs: string[][] = []
    for (const d of days) {
      const last = runs.at(-1)
      if (last && nextDay(last.at(-1) ?? '') === d && last.length < REBUILD_BATCH_DAYS) last.push(d)
      else runs.push([d])
    }
    for (const run of runs) {
      const first = run[0] ?? ''
      const end = nextDay(run.at(-1) ?? first)
      const markers = (await this.col.getMany(run.map((d) => `gen|${d}`))) as Marker[]
      const gens = new Map(markers.map((m) => [m.day, m.gen]))
      const gen = (d: string): number => gens.get(d) ?? 0
      const aggs = await this.aggregate(chinaDayStart(first), chinaDayStart(end), {}, gen)
      const old = await this.col.list({ where: { kind: 'region-day' }, range: { field: 'day', gte: first, lt: end } })
      const fresh = new Set(aggs.map((a) => a.id))
      await this.col.remove(old.map((d) => d.id).filter((id) => !fresh.has(id)))
      await this.col.putMany(aggs)
      await this.col.putMany(run.map((day) => ({ id: `built|${day}`, kind: 'built', day, gen: gen(day) }) as Marker))
      out.push(...aggs)
    }
    return out
  }

  private async aggregate(
    from: string,
    to: string,
    where: Record<string, string[]>,
    gen: (day: string) => number,
  ): Promise<DayAggregate[]> {
    const between = (field: string) => ({ where, range: { field, gte: from, lt: to } })
    const [rows, ratings, tickets] = await Promise.all([
      this.store.collection<LedgerRow>('ledger').list(between('at')),
      this.store.collection<Rating>('ratings').list(between('at')),
      this.store.collection<Ticket>('tickets').list(between('createdAt')),
    ])
    const ticketsById = new Map(tickets.map((t) => [t.id, t]))
    const missing = [...new Set(rows.map((r) => r.ticketId))].filter(
      (id): id is string => id !== null && !ticketsById.has(id),
    )
    for (const t of await this.inBatches(missing, (ids) => this.store.collection<Ticket>('tickets').getMany(ids)))
      ticketsById.set(t.id, t)
    const ticketRows = await this.inBatches(
      tickets.map((t) => t.id),
      (ids) => this.store.collection<LedgerRow>('ledger').list({ where: { ticketId: ids } }),
    )
    const sessions = [
      ...new Set(ratings.filter((g) => g.satisfaction !== null && g.satisfaction <= 2).map((g) => g.sessionId)),
    ]
    const sessionRows = await this.inBatches(sessions, (ids) =>
      this.store.collection<LedgerRow>('ledger').list({ where: { sessionId: ids } }),
    )
    return aggregateDays({
      rows,
      ratings,
      tickets,
      ticketsById,
      ticketRows,
      sessionRows,
      calendar: this.calendar,
      confidenceThreshold: this.confidenceThreshold,
      gen,
    })
  }

  private async inBatches<T>(ids: readonly string[], load: (ids: string[]) => Promise<T[]>): Promise<T[]> {
    const out: T[] = []
    for (let i = 0; i < ids.length; i += ID_BATCH) out.push(...(await load(ids.slice(i, i + ID_BATCH))))
    return out
  }
}
