/**
 * The operations dashboard for 12366 centre managers: loads the region-scoped rows of one China-date range
 * and the period before it through the store's indexed queries (ledger and ratings by region and time,
 * tickets by region and creation time, open tickets by state and deadline — see sqlite-indexes.ts) and
 * hands them to the pure figures of dashboard-report.ts. A provincial manager sees the province and its
 * cities, a city manager the city, a national user (no region) everything.
 */
import type { ListQuery, Store } from '../../knowledge/store/store.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Clock } from '../shared/clock.js'
import type { LedgerRow, Rating } from '../shared/consultation-records.js'
import { AppError } from '../shared/errors.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Ticket } from '../tickets/ticket-service.js'
import { DashboardDays, addDays, chinaDayStart } from './dashboard-day-store.js'
import { mergeDashboard } from './dashboard-merge.js'
import { chinaDay, chinaDays, computeDashboard, type Dashboard } from './dashboard-report.js'
import type { ServiceFigures } from './service-figures.js'
import { ServiceFiguresSource } from './service-figures-source.js'
import type { Range } from './operations-report.js'
import { MAX_RANGE_DAYS, reportRange } from './report-range.js'

const OPEN_STATES = ['new', 'assigned', 'transferred', 'extended', 'reopened']

export interface DashboardViewer {
  regionCode: string | null
}

/** Every figure of the page: consultation and tickets, and the services around them, in the viewer's scope. */
export type DashboardView = Dashboard & ServiceFigures & { scope: string[] | null }

export interface DashboardQuery {
  from?: string | undefined
  to?: string | undefined
  /** Narrow to one region inside the viewer's scope. */
  region?: string | undefined
}

export class DashboardService {
  constructor(
    private readonly store: Store,
    private readonly regions: RegionTable,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly confidenceThreshold: number,
  ) {
    this.days = new DashboardDays(store, calendar, confidenceThreshold)
    this.serviceFigures = new ServiceFiguresSource(store, calendar)
  }

  private readonly days: DashboardDays
  private readonly serviceFigures: ServiceFiguresSource

  /** The region codes a viewer may see (null: every region, including rows without one). */
  scope(viewer: DashboardViewer, region?: string): string[] | null {
    const own = viewer.regionCode === null ? null : this.expand(viewer.regionCode)
    if (region === undefined) return own
    const wanted = this.expand(region)
    if (own !== null && !wanted.every((c) => own.includes(c))) {
      throw new AppError('FORBIDDEN', `region ${region} outside the viewer's scope`, {
        userMessage: '只能查看本辖区（本省及所辖市或本市）的数据',
      })
    }
    return wanted
  }

  /**
   * The figures from the stored day aggregates (closed China days, rebuilt when stale) plus today's rows
   * aggregated on the fly: ~366 × regions small documents for a year instead of the ledger.
   */
  async dashboard(viewer: DashboardViewer, q: DashboardQuery = {}): Promise<DashboardView> {
    const { now, range, previous, scope, where } = this.request(viewer, q)
    const todayStart = chinaDayStart(chinaDay(now.toISOString()))
    const [closedTo = todayStart] = [range.to, todayStart].sort() // the earlier instant
    const openFrom = [previous.from, todayStart].sort()[1] ?? todayStart // the later instant
    const [closed, open, overdueOpen] = await Promise.all([
      previous.from < closedTo
        ? this.days.closed(chinaDay(previous.from), chinaDay(closedTo), scope)
        : Promise.resolve([]),
      openFrom < range.to ? this.days.fromRows(openFrom, range.to, where) : Promise.resolve([]),
      this.overdueOpen(where, now),
    ])
    const days = [...closed, ...open]
    const figures = mergeDashboard({ days, scope, overdueOpen, range, previous, now, calendar: this.calendar })
    return { ...figures, ...(await this.services(scope, range, now)), scope }
  }

  /**
   * Builds the stored day aggregates of every closed day the page can ask for — the longest range and the
   * period before it — so the first /admin request after a start does not build two years of them (3–9 s on a
   * store with a year of provincial history). `taxkb serve` runs it in the background at start and hourly (a
   * day closes at midnight); days already built are skipped, so later runs cost a few indexed reads.
   */
  async prewarm(signal?: AbortSignal): Promise<void> {
    const today = chinaDay(this.clock.now().toISOString())
    await this.days.warm(addDays(today, -(2 * MAX_RANGE_DAYS + 1)), today, signal)
  }

  /** Drops every stored day aggregate (they are rebuilt when read; the dashboard bench measures that). */
  clearAggregates(): Promise<void> {
    return this.days.clear()
  }

  /** The same figures straight from the rows of both periods: the reference the aggregates must equal. */
  async dashboardFromRows(viewer: DashboardViewer, q: DashboardQuery = {}): Promise<DashboardView> {
    const { now, range, previous, scope, where } = this.request(viewer, q)
    const both = (field: string): ListQuery => ({ where, range: { field, gte: previous.from, lt: range.to } })
    const [rows, ratings, tickets, overdueOpen] = await Promise.all([
      this.store.collection<LedgerRow>('ledger').list(both('at')),
      this.store.collection<Rating>('ratings').list(both('at')),
      this.store.collection<Ticket>('tickets').list(both('createdAt')),
      this.overdueOpen(where, now),
    ])
    const figures = computeDashboard({
      rows,
      ratings,
      tickets,
      overdueOpen,
      range,
      previous,
      now,
      calendar: this.calendar,
      confidenceThreshold: this.confidenceThreshold,
    })
    return { ...figures, ...(await this.services(scope, range, now)), scope }
  }

  private services(scope: string[] | null, range: Range, now: Date): Promise<ServiceFigures> {
    return this.serviceFigures.figures(scope, range, chinaDays(range), now)
  }

  private request(viewer: DashboardViewer, q: DashboardQuery) {
    const now = this.clock.now()
    const range = reportRange(q.from, q.to, now)
    const length = Date.parse(range.to) - Date.parse(range.from)
    const previous: Range = { from: new Date(Date.parse(range.from) - length).toISOString(), to: range.from }
    const scope = this.scope(viewer, q.region)
    const where: Record<string, string[]> = scope === null ? {} : { regionCode: scope }
    return { now, range, previous, scope, where }
  }

  private async overdueOpen(where: Record<string, string[]>, now: Date): Promise<Ticket[]> {
    const open = await this.store.collection<Ticket>('tickets').list({
      where: { ...where, state: OPEN_STATES },
      range: { field: 'dueAt', lt: now.toISOString() },
    })
    return open.filter((t) => t.answeredAt === null)
  }

  private expand(code: string): string[] {
    const r = this.regions.require(code)
    if (r.level === 'city') return [r.code]
    return [
      r.code,
      ...this.regions
        .all()
        .filter((c) => c.parent === r.code)
        .map((c) => c.code),
    ]
  }
}
