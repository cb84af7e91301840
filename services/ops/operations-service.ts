/**
 * Operations reporting for managers: the consultation ledger, the ticket export and the operations
 * figures over a China-date range. Reads the `ledger`, `ratings` and `tickets` collections; the figures
 * themselves are pure functions (operations-report.ts).
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import {
  buildLedger,
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
  ) {}

  async ledger(from?: string, to?: string): Promise<{ range: Range; rows: LedgerLine[] }> {
    const { now, range, rows, tickets } = await this.load(from, to)
    return { range, rows: buildLedger(rows, tickets, range, now) }
  }

  async ticketExport(from?: string, to?: string): Promise<{ range: Range; tickets: TicketExportLine[] }> {
    const { now, range, tickets } = await this.load(from, to)
    const out = tickets
      .filter((t) => t.createdAt >= range.from && t.createdAt < range.to)
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : 1))
      .map((t) => this.exportLine(t, now))
    return { range, tickets: out }
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
