/**
 * The admin ledger and ticket exports stream: they page through the store by the indexed time field in
 * bounded batches and write rows as they come. Small ranges give the same bytes as the in-memory export
 * did (JSON envelope, CSV with BOM and formula-safe cells); a confidential session stays 「（保密）」 on
 * every line even when its report turn lands in a later batch; 50,000 seeded rows are read in bounded pages.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import type { CollectionName, ListQuery, Store } from '../../knowledge/store/store.js'
import type { LedgerRow } from '../../services/ops/operations-report.js'
import { OperationsService } from '../../services/ops/operations-service.js'
import type { Ticket } from '../../services/tickets/ticket-service.js'
import { containerWithCorpus, FIXTURES, staffAuth } from '../helpers/env.js'
import { atChinaTime, cn, JIANGSU_SEAT, ledgerRow } from '../helpers/ledger-rows.js'

let ctx: Container
let app: FastifyInstance
let auth: { authorization: string }

const row = ledgerRow
const seat = JIANGSU_SEAT

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, cn('2026-11-03T14:00'))
  const clock = ctx.clock as unknown as { set(v: string): void }
  const at = atChinaTime(ctx.clock)
  const t1 = await at('2026-11-03T14:00', () =>
    ctx.tickets.createTicket({ type: 'consult', regionCode: '320000', question: '=HYPERLINK("x")个税' }),
  )
  const t2 = await at('2026-11-04T15:00', () =>
    ctx.tickets.createTicket({ type: 'report', regionCode: '320000', question: '举报张三虚开发票' }),
  )
  // By phone: no ledger row points at it, so it is a ledger line of its own.
  await at('2026-11-05T10:00', () =>
    ctx.tickets.createTicket({ type: 'callback', regionCode: '320100', question: '请回电', channel: 'phone' }),
  )
  await at('2026-11-04T09:30', () => ctx.tickets.claim(seat, t1.id))
  await at('2026-11-04T10:00', () => ctx.tickets.reply(seat, t1.id, '答复一'))
  await ctx.store.collection<LedgerRow>('ledger').putMany([
    row('r1', '2026-11-02T10:00', { topic: '增值税', question: '+1 发票怎么开' }),
    // Session s-secret: an ordinary question first, the report two days later (a later batch).
    row('r2', '2026-11-02T11:00', { sessionId: 's-secret', question: '普通问题' }),
    row('r3', '2026-11-03T09:30', { mode: 'refused', intent: 'out-of-scope' }),
    row('r4', '2026-11-03T14:00', { mode: 'handoff', ticketId: t1.id, topic: '个人所得税' }),
    row('r5', '2026-11-04T10:00', { topic: '个人所得税' }),
    row('r6', '2026-11-04T15:00', {
      sessionId: 's-secret',
      mode: 'handoff',
      ticketId: t2.id,
      intent: 'report',
      question: '举报张三虚开发票',
    }),
    row('r7', '2026-11-05T10:00', { question: '@SUM(A1)' }),
    row('r8', '2026-11-06T16:00', { topic: '社保' }),
    row('r9', '2026-11-10T10:00', { topic: '增值税' }), // outside the range
  ])
  clock.set(cn('2026-11-09T10:00'))
  app = await build(ctx.config, { container: ctx, logger: false })
  auth = await staffAuth(ctx, 'manager', 'admin', null)
})
afterAll(async () => {
  await app?.close()
  await ctx?.close()
})

const GOLDEN = path.join(FIXTURES, 'exports')
// Bytes of the in-memory export before streaming (captured from it on this fixture): the contract.
const CASES = [
  ['ledger', 'json', 'ledger-export.json.golden'],
  ['ledger', 'csv', 'ledger-export.csv.golden'],
  ['tickets', 'json', 'ticket-export.json.golden'],
  ['tickets', 'csv', 'ticket-export.csv.golden'],
] as const

/** The app over the same data, its exports paging `batchRows` documents at a time. */
async function appWithBatch(batchRows: number): Promise<FastifyInstance> {
  const operations = new OperationsService(ctx.store, ctx.tickets, ctx.calendar, ctx.clock, batchRows)
  return build(ctx.config, { container: { ...ctx, operations }, logger: false })
}

describe('streamed exports give the bytes of the in-memory export', () => {
  for (const batch of [1000, 2, 1]) {
    it(`pages of ${batch}`, async () => {
      const paged = batch === 1000 ? app : await appWithBatch(batch)
      try {
        for (const [what, format, file] of CASES) {
          const url = `/api/admin/${what}?from=2026-11-02&to=2026-11-06${format === 'csv' ? '&format=csv' : ''}`
          const res = await paged.inject({ method: 'GET', url, headers: auth })
          expect(res.statusCode, url).toBe(200)
          expect(res.headers['content-type']).toContain(format === 'csv' ? 'text/csv' : 'application/json')
          expect(res.body, `${url} with pages of ${batch}`).toBe(fs.readFileSync(path.join(GOLDEN, file), 'utf8'))
        }
      } finally {
        if (paged !== app) await paged.close()
      }
    })
  }

  it('the report turn of a session in a later page still hides the earlier question', async () => {
    const paged = await appWithBatch(1)
    try {
      const res = await paged.inject({ method: 'GET', url: URL_LEDGER, headers: auth })
      const lines = res.json().rows as { at: string; question: string }[]
      expect(lines.find((l) => l.at === cn('2026-11-02T11:00'))?.question).toBe('（保密）')
      expect(lines.some((l) => l.question.includes('普通问题') || l.question.includes('举报'))).toBe(false)
    } finally {
      await paged.close()
    }
  })

  it('bad ranges are refused before anything is streamed', async () => {
    for (const q of ['from=2026-11-06&to=2026-11-02', 'from=2026-13-45', 'to=2026-02-31x']) {
      const res = await app.inject({ method: 'GET', url: `/api/admin/ledger?${q}&format=csv`, headers: auth })
      expect(res.statusCode, q).toBe(400)
      expect(res.json().error.code).toBe('VALIDATION_FAILED')
      expect(res.json().error.message).toMatch(/[\u4e00-\u9fff]/)
      expect(res.json().error.requestId).toBeTruthy()
    }
  })
})

const URL_LEDGER = '/api/admin/ledger?from=2026-11-02&to=2026-11-06'

/** A store whose collections record how many documents each list() call returned. */
function countingStore(store: Store): { store: Store; calls: { name: string; rows: number }[] } {
  const calls: { name: string; rows: number }[] = []
  const spy = new Proxy(store, {
    get(target, prop, receiver) {
      if (prop !== 'collection') return Reflect.get(target, prop, receiver)
      return (name: CollectionName) => {
        const c = target.collection(name)
        return new Proxy(c, {
          get(ct, p, r) {
            if (p === 'list') {
              return async (q?: ListQuery) => {
                const rows = await ct.list(q)
                calls.push({ name, rows: rows.length })
                return rows
              }
            }
            if (p === 'getMany') {
              return async (ids: readonly string[]) => {
                const rows = await ct.getMany(ids)
                calls.push({ name, rows: rows.length })
                return rows
              }
            }
            const v = Reflect.get(ct, p, r)
            return typeof v === 'function' ? v.bind(ct) : v
          },
        })
      }
    },
  })
  return { store: spy, calls }
}

describe('50,000 rows are read in bounded pages', () => {
  it('ledger and ticket exports never take more than a batch from one store call', async () => {
    const big = await containerWithCorpus(undefined, {}, cn('2026-10-20T10:00'))
    try {
      const template = await big.tickets.createTicket({ type: 'consult', regionCode: '320000', question: '模板' })
      const base = (await big.store.collection<Ticket>('tickets').get(template.id))!
      const start = Date.parse(cn('2026-10-01T08:00'))
      const rows: LedgerRow[] = []
      const tickets: Ticket[] = []
      for (let i = 0; i < 50_000; i++) {
        // 1,500 rows share one instant (keyset paging across ties); the rest 30 s apart.
        const at = new Date(i < 1500 ? start : start + i * 30_000).toISOString()
        const ticketId = i % 25 === 0 ? `big-t${i}` : null
        const intent = i % 1000 === 999 ? 'report' : 'consult'
        rows.push({
          ...row(`big-r${String(i).padStart(6, '0')}`, '2026-10-01T08:00'),
          at,
          sessionId: `big-s${i % 4000}`,
          ticketId,
          intent,
        })
        if (ticketId)
          tickets.push({ ...base, id: ticketId, number: `N${i}`, createdAt: at, sessionId: `big-s${i % 4000}` })
        if (i % 50 === 1)
          tickets.push({ ...base, id: `big-p${i}`, number: `P${i}`, createdAt: at, sessionId: null, channel: 'phone' })
      }
      await big.store.collection<LedgerRow>('ledger').putMany(rows)
      await big.store.collection<Ticket>('tickets').putMany(tickets)
      const { store, calls } = countingStore(big.store)
      const batch = 500
      const ops = new OperationsService(store, big.tickets, big.calendar, big.clock, batch)

      const ledger = await ops.ledgerExport('2026-09-30', '2026-10-31')
      // The phone tickets and the template: no ledger row points at them.
      const phone = tickets.filter((t) => t.id.startsWith('big-p')).length + 1
      expect(ledger.total).toBe(50_000 + phone)
      let n = 0
      let last = ''
      const secretSessions = new Set(rows.filter((r) => r.intent === 'report').map((r) => r.sessionId))
      let secretLines = 0
      for await (const page of ledger.pages) {
        expect(page.length).toBeLessThanOrEqual(batch)
        for (const line of page) {
          expect(line.at >= last).toBe(true)
          last = line.at
          if (line.question === '（保密）') secretLines++
        }
        n += page.length
      }
      expect(n).toBe(50_000 + phone)
      // Every line of a session holding a report is hidden, wherever its report falls among the pages.
      expect(secretLines).toBe(rows.filter((r) => secretSessions.has(r.sessionId)).length)
      expect(calls.length).toBeGreaterThan(100)
      expect(Math.max(...calls.map((c) => c.rows))).toBeLessThanOrEqual(batch)

      calls.length = 0
      const exported = await ops.ticketExport('2026-09-30', '2026-10-31')
      expect(exported.total).toBe(tickets.length + 1)
      let m = 0
      const numbers = new Set<string>()
      for await (const page of exported.pages) {
        m += page.length
        for (const t of page) numbers.add(t.number)
      }
      expect(m).toBe(tickets.length + 1)
      expect(numbers.size).toBe(tickets.length + 1)
      expect(Math.max(...calls.map((c) => c.rows))).toBeLessThanOrEqual(batch)
    } finally {
      await big.close()
    }
  }, 120_000)
})
