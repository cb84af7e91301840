/**
 * Operations reporting for managers: the consultation ledger, the ticket export and the operations
 * figures over a China-date range. Reads the `ledger`, `ratings` and `tickets` collections; the figures
 * themselves are pure functions (operations-report.ts).
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import {
  computeMetrics,
  CONFIDENTIAL_TEXT,
  type LedgerLine,
  type LedgerRow,
  type OperationsMetrics,
  type Range,
  type RatingRow,
} from './operations-report.js'
import { TYPE_LABELS, type Ticket, type TicketService } from '../tickets/ticket-service.js'
import { STATE_LABELS } from '../tickets/transitions.js'
import { LedgerStream } from './ledger-stream.js'
import { timePages } from './time-pages.js'

/** Default page size of the streamed exports: one store call returns at most this many documents. */
export const EXPORT_BATCH_ROWS = 1000

/** An export read page by page: the range, the line count, then the lines. */
export interface ExportStream<T> {
  range: Range
  total: number
  pages: AsyncIterable<T[]>
}
import { MAX_RANGE_DAYS, reportRange } from './report-range.js'

/** One exported ticket: no contact, identity or session id; confidential questions replaced. */
export interface TicketExportLine {
  number: string
  type: string
  typeLabel: string
  difficulty: string
  state: string
  stateLabel: string
  regionCode: string | null
  seatGroup: string
  channel: string
  question: string
  assignee: string | null
  createdAt: string
  dueAt: string
  answeredAt: string | null
  closedAt: string | null
  overdue: boolean
  extended: boolean
}

export class OperationsService {
  constructor(
    private readonly store: Store,
    private readonly tickets: Pick<TicketService, 'isOverdue'>,
    private readonly calendar: WorkingDayCalendar,
    private readonly clock: Clock,
    /** Most documents one store call of an export returns (memory bound of the streamed exports). */
    private readonly batchRows = EXPORT_BATCH_ROWS,
  ) {}

  /**
   * The ledger of a China-date range as bounded pages (LedgerStream), with its line count first so a
   * JSON envelope can lead with `total`. Dates are checked before anything is read or written.
   */
  async ledgerExport(from?: string, to?: string): Promise<ExportStream<LedgerLine>> {
    const now = this.clock.now()
    const range = this.checkedRange(from, to, now)
    const stream = new LedgerStream(this.store, range, now, this.batchRows)
    return { range, total: await stream.total(), pages: stream.pages() }
  }

  /** Tickets created in the range, oldest first, paged by the indexed `createdAt`. */
  async ticketExport(from?: string, to?: string): Promise<ExportStream<TicketExportLine>> {
    const now = this.clock.now()
    const range = this.checkedRange(from, to, now)
    const tickets = this.store.collection<Ticket>('tickets')
    const created = { field: 'createdAt', gte: range.from, lt: range.to }
    const total = await tickets.count({ range: created })
    const pages = this.exportPages(timePages(tickets, created, this.batchRows), now)
    return { range, total, pages }
  }

  private async *exportPages(pages: AsyncIterable<Ticket[]>, now: Date): AsyncGenerator<TicketExportLine[]> {
    for await (const page of pages) yield page.map((t) => this.exportLine(t, now))
  }

  async metrics(from?: string, to?: string): Promise<OperationsMetrics> {
    const { now, range, rows, tickets, ratings } = await this.load(from, to, true)
    return computeMetrics(rows, tickets, ratings, this.calendar, range, now)
  }

  private exportLine(t: Ticket, now: Date): TicketExportLine {
    return {
      number: t.number,
      type: t.type,
      typeLabel: TYPE_LABELS[t.type],
      difficulty: t.difficulty,
      state: t.state,
      stateLabel: STATE_LABELS[t.state],
      regionCode: t.regionCode,
      seatGroup: t.seatGroup,
      channel: t.channel,
      question: t.confidential ? CONFIDENTIAL_TEXT : t.question,
      assignee: t.assignee,
      createdAt: t.createdAt,
      dueAt: t.dueAt,
      answeredAt: t.answeredAt,
      closedAt: t.closedAt,
      overdue: this.tickets.isOverdue(t, now),
      extended: t.extension !== null,
    }
  }

  /** Exports: any range of real dates (streamed); reportRange rejects impossible dates and from ≥ to. */
  private checkedRange(from: string | undefined, to: string | undefined, now: Date): Range {
    return reportRange(from, to, now, null)
  }

  private async load(from: string | undefined, to: string | undefined, capped = false) {
    const now = this.clock.now()
    // Exports may span any range of real dates; the metrics are capped like the dashboard.
    const range = reportRange(from, to, now, capped ? MAX_RANGE_DAYS : null)
    const inRange = { range: { field: 'at', gte: range.from, lt: range.to } }
    const [rows, tickets, ratings] = await Promise.all([
      this.store.collection<LedgerRow>('ledger').list(inRange),
      this.store.collection<Ticket>('tickets').list(),
      this.store.collection<RatingRow>('ratings').list(inRange),
    ])
    return { now, range, rows, tickets, ratings }
  }
}
