/**
 * A seeded week for the operations dashboard (Mon 2026-11-02 … Fri 11-06, China time; previous period
 * 10-28 … 11-01): tickets through the ticket service, ledger and rating rows through the Store. The hand
 * counts are in test/integration/dashboard.test.ts. Call with a container whose fixed clock the seed moves.
 */
import type { Container } from '../../services/container.js'
import type { LedgerRow, Rating } from '../../services/shared/consultation-records.js'
import { atChinaTime, cn, JIANGSU_SEAT, ledgerRow } from './ledger-rows.js'

export { cn }
const seat = JIANGSU_SEAT

function row(id: string, region: string, at: string, mode: string, extra: Partial<LedgerRow> = {}): LedgerRow {
  return ledgerRow(id, at, { regionCode: region, mode, confidence: 0.9, ...extra })
}
function rating(
  id: string,
  region: string,
  at: string,
  session: string,
  s: Rating['satisfaction'],
  reason?: string,
): Rating {
  const r = reason ?? null
  return {
    id,
    at: cn(at),
    sessionId: session,
    turnId: null,
    helpful: null,
    satisfaction: s,
    reason: r,
    question: null,
    regionCode: region,
  }
}

export async function seedDashboardWeek(ctx: Container): Promise<Record<string, string>> {
  const ids: Record<string, string> = {}
  const at = atChinaTime(ctx.clock)
  const create = (local: string, type: 'consult' | 'complaint', regionCode: string, question: string) =>
    at(local, () => ctx.tickets.createTicket({ type, regionCode, question })).then((t) => t.id)
  // E (previous period) 南京 consult 10-29 10:00, answered 11:00: on time.
  ids.E = await create('2026-10-29T10:00', 'consult', '320100', '上期问题')
  // A 南京 consult 11-03 14:00 (due 11-04 17:30), answered 11-04 10:00: on time, 3.5 + 1 = 4.5 working hours.
  ids.A = await create('2026-11-03T14:00', 'consult', '320100', '个税问题')
  // D 北京 consult 11-03 10:00, never answered: overdue, outside 江苏.
  ids.D = await create('2026-11-03T10:00', 'consult', '110000', '北京问题')
  // B 无锡 consult 11-04 10:00 (due 11-05 17:30), never answered: overdue at 11-09.
  ids.B = await create('2026-11-04T10:00', 'consult', '320200', '社保问题')
  // C 南京 complaint 11-04 15:00 (due 11-05 17:30), never transferred: overdue, confidential.
  ids.C = await create('2026-11-04T15:00', 'complaint', '320100', '投诉王五态度差')
  await at('2026-10-29T10:30', () => ctx.tickets.claim(seat, ids.E!))
  await at('2026-10-29T11:00', () => ctx.tickets.reply(seat, ids.E!, '答复上期'))
  await at('2026-11-04T09:30', () => ctx.tickets.claim(seat, ids.A!))
  await at('2026-11-04T10:00', () => ctx.tickets.reply(seat, ids.A!, '答复一'))
  await ctx.store.collection<LedgerRow>('ledger').putMany([
    row('r1', '320100', '2026-11-02T10:00', 'faq', { topic: '增值税', citedIds: ['e1'] }),
    row('r2', '320100', '2026-11-02T11:00', 'composed', {
      channel: 'wechat',
      citedIds: ['e1', 'e2'],
      confidence: 0.6,
    }),
    row('r3', '320200', '2026-11-03T09:30', 'faq', { topic: '发票', citedIds: ['e2'], confidence: 0.3 }),
    row('r4', '320100', '2026-11-03T14:00', 'handoff', { ticketId: ids.A!, topic: '个人所得税', confidence: 0.2 }),
    row('r5', '320200', '2026-11-04T10:00', 'handoff', { ticketId: ids.B!, topic: '社保', confidence: 0.8 }),
    row('r6', '320100', '2026-11-04T15:00', 'handoff', { ticketId: ids.C!, intent: 'complaint' }),
    row('r7', '110000', '2026-11-03T10:00', 'handoff', { ticketId: ids.D! }),
    row('r8', '320100', '2026-10-29T10:00', 'handoff', { ticketId: ids.E! }),
    row('r9', '320100', '2026-10-30T09:00', 'faq'),
  ])
  await ctx.store
    .collection<Rating>('ratings')
    .putMany([
      rating('g1', '320100', '2026-11-02T10:05', 's-r1', 5),
      rating('g2', '320100', '2026-11-02T11:05', 's-r2', 2, '答非所问'),
      rating('g3', '320200', '2026-11-03T09:35', 's-r3', 1, '答非所问'),
      rating('g4', '110000', '2026-11-03T10:05', 's-r7', 1, '太慢'),
      rating('g5', '320100', '2026-10-30T09:05', 's-r9', 4),
    ])
  return ids
}
