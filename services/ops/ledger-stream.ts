/**
 * The admin ledger (台账) export as a stream of bounded pages: ledger rows paged by `at`, merged in time
 * order with the tickets no ledger row points at (paged by `createdAt`), each page joined with its own
 * tickets and the confidentiality of its own sessions. Same lines, in the same order, as buildLedger over
 * the whole range, without holding the range: at most `batchRows` documents come back from one store call
 * (the confidentiality look-ups included).
 */
import type { Collection, Store } from '../../knowledge/store/store.js'
import { CONFIDENTIAL_INTENTS } from '../tickets/confidentiality.js'
import type { Ticket } from '../tickets/ticket-service.js'
import { ledgerLine, unlinkedTicketLine, type LedgerLine, type LedgerRow, type Range } from './operations-report.js'
import { timePages } from './time-pages.js'

const CONFIDENTIAL = [...CONFIDENTIAL_INTENTS]

export class LedgerStream {
  private readonly ledger: Collection<LedgerRow>
  private readonly tickets: Collection<Ticket>

  constructor(
    store: Store,
    private readonly range: Range,
    private readonly now: Date,
    private readonly batchRows: number,
  ) {
    this.ledger = store.collection<LedgerRow>('ledger')
    this.tickets = store.collection<Ticket>('tickets')
  }

  /** Lines the export will hold: ledger rows in the range plus unlinked tickets created in it. */
  async total(): Promise<number> {
    let n = await this.ledger.count({ range: { field: 'at', gte: this.range.from, lt: this.range.to } })
    for await (const page of this.unlinkedTickets()) n += page.length
    return n
  }

  /** The lines in time order (a ledger row before a ticket of the same instant), at most batchRows a page. */
  async *pages(): AsyncGenerator<LedgerLine[]> {
    const rows = flatten(this.rowLines())
    const phone = flatten(this.unlinkedLines())
    let a = await rows.next()
    let b = await phone.next()
    let out: LedgerLine[] = []
    while (!a.done || !b.done) {
      if (!a.done && (b.done || a.value.at <= b.value.at)) {
        out.push(a.value)
        a = await rows.next()
      } else if (!b.done) {
        out.push(b.value)
        b = await phone.next()
      }
      if (out.length >= this.batchRows) {
        yield out
        out = []
      }
    }
    if (out.length > 0) yield out
  }

  private async *rowLines(): AsyncGenerator<LedgerLine[]> {
    const range = { field: 'at', gte: this.range.from, lt: this.range.to }
    for await (const page of timePages(this.ledger, range, this.batchRows)) {
      const ticketIds = [...new Set(page.flatMap((r) => (r.ticketId ? [r.ticketId] : [])))]
      const byId = new Map((await this.tickets.getMany(ticketIds)).map((t) => [t.id, t]))
      const secret = await this.secretSessions(page, byId)
      yield page.map((r) => {
        const t = r.ticketId ? byId.get(r.ticketId) : undefined
        return ledgerLine(r, t, secret.has(r.sessionId), this.now)
      })
    }
  }

  /**
   * Sessions of this page that hold a report or complaint anywhere in the range, or a confidential
   * ticket (confidentialSessions over the whole range, asked per page through the session indexes).
   */
  private async secretSessions(page: readonly LedgerRow[], tickets: ReadonlyMap<string, Ticket>): Promise<Set<string>> {
    const secret = new Set<string>()
    for (const r of page) {
      const t = r.ticketId ? tickets.get(r.ticketId) : undefined
      if (CONFIDENTIAL_INTENTS.has(r.intent) || t?.confidential) secret.add(r.sessionId)
    }
    const open = [...new Set(page.map((r) => r.sessionId))].filter((s) => !secret.has(s))
    if (open.length === 0) return secret
    const sealed = await this.tickets.list({ where: { sessionId: open, confidential: true }, limit: this.batchRows })
    for (const t of sealed) if (t.sessionId) secret.add(t.sessionId)
    const range = { field: 'at', gte: this.range.from, lt: this.range.to }
    const rest = open.filter((s) => !secret.has(s))
    if (rest.length === 0) return secret
    const reports = await this.ledger.list({
      where: { sessionId: rest, intent: CONFIDENTIAL },
      range,
      limit: this.batchRows,
    })
    for (const r of reports) secret.add(r.sessionId)
    // A full page may have left sessions out: ask those one by one (a count, no documents).
    const full = sealed.length === this.batchRows || reports.length === this.batchRows
    if (full) {
      for (const s of open.filter((x) => !secret.has(x))) {
        const [n, m] = await Promise.all([
          this.tickets.count({ where: { sessionId: s, confidential: true } }),
          this.ledger.count({ where: { sessionId: s, intent: CONFIDENTIAL }, range }),
        ])
        if (n + m > 0) secret.add(s)
      }
    }
    return secret
  }

  /** Tickets created in the range that no ledger row of the range points at, in creation order. */
  private async *unlinkedTickets(): AsyncGenerator<Ticket[]> {
    const created = { field: 'createdAt', gte: this.range.from, lt: this.range.to }
    const at = { field: 'at', gte: this.range.from, lt: this.range.to }
    for await (const page of timePages(this.tickets, created, this.batchRows)) {
      const ids = page.map((t) => t.id)
      const linked = new Set<string>()
      // One handoff row points at a ticket; more than a page of them is checked ticket by ticket.
      const rows = await this.ledger.list({ where: { ticketId: ids }, range: at, limit: this.batchRows })
      for (const r of rows) if (r.ticketId) linked.add(r.ticketId)
      if (rows.length === this.batchRows) {
        for (const id of ids.filter((x) => !linked.has(x)))
          if ((await this.ledger.count({ where: { ticketId: id }, range: at })) > 0) linked.add(id)
      }
      const unlinked = page.filter((t) => !linked.has(t.id))
      if (unlinked.length > 0) yield unlinked
    }
  }

  private async *unlinkedLines(): AsyncGenerator<LedgerLine[]> {
    for await (const page of this.unlinkedTickets()) yield page.map((t) => unlinkedTicketLine(t, this.now))
  }
}

async function* flatten<T>(pages: AsyncIterable<T[]>): AsyncGenerator<T> {
  for await (const page of pages) yield* page
}
