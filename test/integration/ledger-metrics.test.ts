/**
 * Ledger and operations metrics against hand-computed figures on a fixture week (Mon 2026-11-02 …
 * Fri 11-06, China time; "now" Mon 11-09 10:00). Working hours 09:00–12:00, 13:30–17:30.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import type { LedgerRow, RatingRow } from '../../services/ops/operations-report.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { atChinaTime, cn, JIANGSU_SEAT, ledgerRow } from '../helpers/ledger-rows.js'

const seat = JIANGSU_SEAT

let ctx: Container
let app: FastifyInstance
let auth: { authorization: string }
const ids: Record<string, string> = {}

function row(id: string, at: string, mode: string, extra: Partial<LedgerRow> = {}): LedgerRow {
  return ledgerRow(id, at, { mode, ...extra })
}
function rating(id: string, at: string, satisfaction: RatingRow['satisfaction']): RatingRow {
  return {
    id,
    at: cn(at),
    sessionId: 's',
    turnId: null,
    helpful: satisfaction === null ? true : null,
    satisfaction,
    reason: satisfaction !== null && satisfaction <= 2 ? '没解决' : null,
    question: null,
    regionCode: null,
  }
}

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, cn('2026-11-03T14:00'))
  const clock = ctx.clock as unknown as { set(v: string): void }
  const at = atChinaTime(ctx.clock)
  // T1 consult 11-03 14:00 (due 11-04 17:30), answered 11-04 10:00: on time, 3.5 + 1 = 4.5 working hours.
  ids.T1 = (
    await at('2026-11-03T14:00', () =>
      ctx.tickets.createTicket({ type: 'consult', regionCode: '320000', question: '个税问题一' }),
    )
  ).id
  // T2 consult 11-04 10:00 (due 11-05 17:30), answered 11-06 09:30: late, 6 + 7 + 0.5 = 13.5 h.
  ids.T2 = (
    await at('2026-11-04T10:00', () =>
      ctx.tickets.createTicket({ type: 'consult', regionCode: '320000', question: '个税问题二' }),
    )
  ).id
  // T3 report 11-04 15:00 (due 11-05 17:30), never answered: overdue at 11-09.
  ids.T3 = (
    await at('2026-11-04T15:00', () =>
      ctx.tickets.createTicket({
        type: 'report',
        regionCode: '320000',
        question: '举报张三虚开发票',
        contact: { name: '李四', phone: '13911112222' },
      }),
    )
  ).id
  // T4 callback by phone 11-05 10:00 (due 11-06 17:30), answered 11-05 11:00: on time, 1 h. No ledger row.
  ids.T4 = (
    await at('2026-11-05T10:00', () =>
      ctx.tickets.createTicket({ type: 'callback', regionCode: '320000', question: '请回电', channel: 'phone' }),
    )
  ).id
  await at('2026-11-04T09:30', () => ctx.tickets.claim(seat, ids.T1!))
  await at('2026-11-04T10:00', () => ctx.tickets.reply(seat, ids.T1!, '答复一'))
  await at('2026-11-05T09:00', () => ctx.tickets.claim(seat, ids.T2!))
  await at('2026-11-06T09:30', () => ctx.tickets.reply(seat, ids.T2!, '答复二'))
  await at('2026-11-05T10:30', () => ctx.tickets.claim(seat, ids.T4!))
  await at('2026-11-05T11:00', () => ctx.tickets.reply(seat, ids.T4!, '已回电'))
  await ctx.store.collection<LedgerRow>('ledger').putMany([
    row('r1', '2026-11-02T10:00', 'faq', { topic: '增值税' }),
    row('r2', '2026-11-02T11:00', 'composed', { topic: '个人所得税' }),
    row('r3', '2026-11-03T09:30', 'refused', { intent: 'out-of-scope' }),
    row('r4', '2026-11-03T14:00', 'handoff', { ticketId: ids.T1!, topic: '个人所得税' }),
    row('r5', '2026-11-04T10:00', 'handoff', { ticketId: ids.T2!, topic: '个人所得税' }),
    row('r6', '2026-11-04T15:00', 'handoff', {
      ticketId: ids.T3!,
      topic: '发票',
      intent: 'report',
      question: '举报张三虚开发票',
    }),
    row('r7', '2026-11-10T10:00', 'faq', { topic: '增值税' }), // outside the range
  ])
  await ctx.store.collection<RatingRow>('ratings').putMany([
    rating('g1', '2026-11-02T10:05', 5),
    rating('g2', '2026-11-02T11:05', 4),
    rating('g3', '2026-11-03T09:35', 2),
    rating('g4', '2026-11-03T10:00', null),
    rating('g5', '2026-11-04T16:00', 3),
    rating('g6', '2026-11-12T10:00', 1), // outside
  ])
  clock.set(cn('2026-11-09T10:00'))
  app = await build(ctx.config, { container: ctx, logger: false })
  auth = await staffAuth(ctx, 'manager', 'admin', null)
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

describe('GET /api/admin/metrics', () => {
  it('matches the hand-computed figures', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/admin/metrics?from=2026-11-02&to=2026-11-06',
      headers: auth,
    })
    expect(res.statusCode).toBe(200)
    const m = res.json()
    expect(m).toMatchObject({
      from: cn('2026-11-02T00:00'),
      to: cn('2026-11-07T00:00'),
      volume: 7, // r1–r6 + the phone ticket T4
      autoAnswered: 3, // r1, r2, r3
      humanHandled: 4,
      automationRate: 0.4286, // 3 / 7
      rated: 4, // 5, 4, 2, 3 (g4 has no score, g6 outside)
      goodRatings: 2,
      goodRatingShare: 0.5,
      tickets: {
        created: 4,
        answered: 3,
        answeredOnTime: 2,
        outcomeKnown: 4,
        onTimeRate: 0.5,
        open: 1,
        overdueOpen: 1,
        byType: { consult: 2, report: 1, callback: 1 },
      },
      avgHandlingWorkingHours: 6.33, // (4.5 + 13.5 + 1) / 3
      topUnansweredTopics: [
        { topic: '个人所得税', count: 2 },
        { topic: '发票', count: 1 },
      ],
    })
  })
})

describe('GET /api/admin/ledger', () => {
  it('lists every consultation with channel, intent, auto/human, ticket and outcome; reports stay confidential', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/admin/ledger?from=2026-11-02&to=2026-11-06',
      headers: auth,
    })
    const { rows, total } = res.json() as { total: number; rows: Record<string, unknown>[] }
    expect(total).toBe(7)
    expect(rows.map((r) => [r.handledBy, r.outcome, r.onTime])).toEqual([
      ['auto', 'auto-answered', null],
      ['auto', 'auto-answered', null],
      ['auto', 'refused', null],
      ['human', 'human-answered', true],
      ['human', 'human-answered', false],
      ['human', 'human-overdue', false],
      ['human', 'human-answered', true],
    ])
    expect(rows[5]).toMatchObject({ intent: 'report', question: '（保密）', ticketType: 'report' })
    expect(rows[6]).toMatchObject({ channel: 'phone', intent: 'callback', mode: 'handoff' })
    expect(res.body).not.toContain('张三')
    expect(res.body).not.toContain('李四')
    expect(res.body).not.toContain('13911112222')
  })

  it('exports the same rows as CSV with Chinese headers', async () => {
    const res = await app.inject({
      method: 'GET',
      url: '/api/admin/ledger?from=2026-11-02&to=2026-11-06&format=csv',
      headers: auth,
    })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    expect(res.headers['content-disposition']).toContain('attachment')
    const records = parse(res.body.replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[]
    expect(records).toHaveLength(7)
    expect(Object.keys(records[0]!)).toEqual([
      '时间',
      '渠道',
      '地区',
      '意图',
      '智能/人工',
      '应答方式',
      '主题',
      '问题（已脱敏）',
      '工单号',
      '工单状态',
      '按期答复',
      '结果',
    ])
    expect(records.filter((r) => r['智能/人工'] === 'auto')).toHaveLength(3)
    expect(records[4]).toMatchObject({ 按期答复: '否', 结果: '人工已答复' })
    expect(records[5]).toMatchObject({ '问题（已脱敏）': '（保密）', 结果: '人工处理超期' })
    expect(res.body).not.toContain('张三')
  })
})

describe('GET /api/admin/metrics with impossible dates', () => {
  it.each([
    ['from=2026-02-30&to=2026-03-05', '日期 2026-02-30 无效'],
    ['from=2026-11-01&to=2026-13-01', '日期 2026-13-01 无效'],
    ['from=2026-11-06&to=2026-11-02', '开始日期不能晚于结束日期'],
    ['from=2024-01-01&to=2026-11-06', '日期范围不能超过 366 天'],
  ])('%s → 400 VALIDATION_FAILED in Chinese', async (query, message) => {
    const res = await app.inject({ method: 'GET', url: `/api/admin/metrics?${query}`, headers: auth })
    expect(res.statusCode).toBe(400)
    const body = res.json() as { error: { code: string; message: string; requestId: string } }
    expect(body.error.code).toBe('VALIDATION_FAILED')
    expect(body.error.message).toBe(message)
    expect(body.error.requestId).toBeTruthy()
  })

  it('the ledger export rejects a non-existent date too, and still accepts a range longer than a year', async () => {
    const bad = await app.inject({ method: 'GET', url: '/api/admin/ledger?from=2026-02-29', headers: auth })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toBe('日期 2026-02-29 无效')
    const url = '/api/admin/ledger?from=2024-01-01&to=2026-11-06'
    const long = await app.inject({ method: 'GET', url, headers: auth })
    expect(long.statusCode).toBe(200)
    expect(long.json().total).toBe(7) // r1–r6 and the phone ticket T4; r7 is after the range
  })
})
