/**
 * The dashboard's pre-aggregated path (stored day aggregates + today's rows) against the raw path (every
 * row of both periods through dashboard-report.ts) on the hand-counted week plus a seeded random month
 * across 江苏, 南京, 无锡, 北京 and rows without a region: rows and tickets in different regions, tickets
 * transferred and extended, ratings of earlier answers. Then late edits — a row written into a closed
 * day, a ticket answered and another transferred days after they were created — must show up as well.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Container } from '../../services/container.js'
import type { LedgerRow, Rating } from '../../services/shared/consultation-records.js'
import type { Viewer } from '../../services/tickets/routing.js'
import { seededRandom } from '../../eval/bench/seeded-random.js'
import { cn, seedDashboardWeek } from '../helpers/dashboard-seed.js'
import { containerWithCorpus } from '../helpers/env.js'

let ctx: Container
const ids: Record<string, string> = {}
const REGIONS = ['320000', '320100', '320200', '110000', null] as const
const seat: Viewer & { name: string } = {
  id: 'js2',
  name: '江苏坐席二',
  regionCode: null,
  seatGroup: 'national',
  permissions: new Set(['tickets:work', 'tickets:supervise']),
}
const clock = () => ctx.clock as unknown as { set(v: string): void }

/** A plain answered ledger row of 南京 (override what the case needs). */
const ledgerRow = (id: string, at: string, extra: Partial<LedgerRow> = {}): LedgerRow => ({
  id,
  at: cn(at),
  sessionId: id,
  channel: 'web',
  regionCode: '320100',
  question: '补录',
  intent: 'consult',
  mode: 'faq',
  confidence: 0.9,
  citedIds: [],
  latencyMs: 30,
  ticketId: null,
  topic: null,
  ...extra,
})

async function seedMonth(): Promise<void> {
  const rng = seededRandom(2026)
  const instant = () => new Date(Date.parse(cn('2026-10-10T00:00')) + rng.int(30 * 86_400_000)).toISOString()
  const tickets: string[] = []
  for (let i = 0; i < 30; i++) {
    const createdAt = instant()
    clock().set(createdAt)
    const type = rng.pick(['consult', 'consult', 'complaint', 'report', 'suggestion', 'callback'] as const)
    const t = await ctx.tickets.createTicket({ type, regionCode: rng.pick(REGIONS), question: `随机问题${i}` })
    tickets.push(t.id)
    clock().set(new Date(Date.parse(createdAt) + rng.int(3 * 86_400_000)).toISOString())
    const roll = rng.next()
    if (roll < 0.5) await ctx.tickets.claim(seat, t.id).then(() => ctx.tickets.reply(seat, t.id, '答复'))
    else if (roll < 0.65) {
      const target = t.seatGroup === '320200-remote' ? '320100' : '320200'
      await ctx.tickets.transfer(seat, t.id, { regionCode: target, note: '转办' })
    } else if (roll < 0.8) {
      await ctx.tickets.claim(seat, t.id).then(() => ctx.tickets.extend(seat, t.id, { days: 2, reason: '需核实' }))
    }
  }
  const rows: LedgerRow[] = Array.from({ length: 300 }, (_, i) => {
    const ticketId = i < 30 ? (tickets[i] ?? null) : null
    return {
      id: `m-${i}`,
      at: instant(),
      sessionId: `ms-${i % 90}`,
      channel: rng.pick(['web', 'wechat', 'app']),
      regionCode: rng.pick(REGIONS),
      question: '随机',
      intent: rng.pick(['consult', 'consult', 'complaint', 'out-of-scope']),
      mode: ticketId ? 'handoff' : rng.pick(['faq', 'composed', 'handoff', 'refused']),
      confidence: Math.round(rng.next() * 100) / 100,
      citedIds: rng.chance(0.6) ? [`e${rng.int(6)}`, `e${rng.int(6)}`] : [],
      latencyMs: 30,
      ticketId,
      topic: rng.pick(['增值税', '发票', null]),
    }
  })
  await ctx.store.collection<LedgerRow>('ledger').putMany(rows)
  const ratings: Rating[] = Array.from({ length: 80 }, (_, i) => {
    const s = rng.chance(0.1) ? null : ((1 + rng.int(5)) as 1 | 2 | 3 | 4 | 5)
    return {
      id: `mg-${i}`,
      at: instant(),
      sessionId: `ms-${rng.int(90)}`,
      turnId: null,
      helpful: null,
      satisfaction: s,
      reason: s !== null && s <= 2 ? rng.pick(['答非所问', '太慢']) : null,
      question: null,
      regionCode: rng.pick(REGIONS),
    }
  })
  await ctx.store.collection<Rating>('ratings').putMany(ratings)
}

const VIEWS = [
  { regionCode: '320000' },
  { regionCode: '320000', region: '320200' },
  { regionCode: '320100' },
  { regionCode: null },
] as const
const RANGES = [
  { from: '2026-11-02', to: '2026-11-06' },
  { from: '2026-10-10', to: '2026-11-09' }, // ends today: today's rows are aggregated per request
  { from: '2026-11-09', to: '2026-11-12' }, // today and days to come only
]

async function expectAgreement(): Promise<void> {
  for (const v of VIEWS) {
    for (const r of RANGES) {
      const q = { ...r, region: 'region' in v ? v.region : undefined }
      const viewer = { regionCode: v.regionCode }
      const raw = await ctx.dashboard.dashboardFromRows(viewer, q)
      const aggregated = await ctx.dashboard.dashboard(viewer, q)
      expect(aggregated, `${JSON.stringify(v)} ${r.from}…${r.to}`).toEqual(raw)
    }
  }
}

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, cn('2026-10-10T10:00'))
  await seedMonth()
  Object.assign(ids, await seedDashboardWeek(ctx))
  clock().set(cn('2026-11-09T10:00'))
  // Today's rows (China day 11-09): never stored, read per request.
  await ctx.store.collection<LedgerRow>('ledger').put(ledgerRow('today-1', '2026-11-09T09:15', { citedIds: ['e1'] }))
})
afterAll(async () => {
  await ctx.close()
})

describe('dashboard day aggregates', () => {
  it('give the same figures as the raw rows for every scope and range', async () => {
    await expectAgreement()
    const week = await ctx.dashboard.dashboard({ regionCode: '320000' }, RANGES[0])
    expect(week.summary.current.volume).toBeGreaterThan(6) // the hand-counted week plus the random month
  })

  it('are stored once per closed day and then read instead of the ledger', async () => {
    await ctx.dashboard.dashboard({ regionCode: null }, { from: '2026-10-10', to: '2026-11-09' })
    const spy = vi.spyOn(ctx.store.collection<LedgerRow>('ledger'), 'list')
    await ctx.dashboard.dashboard({ regionCode: null }, { from: '2026-10-10', to: '2026-11-09' })
    const todayStart = cn('2026-11-09T00:00')
    const ranges = spy.mock.calls.map(([q]) => q?.range)
    spy.mockRestore()
    expect(ranges.length).toBeGreaterThan(0)
    for (const r of ranges) expect(String(r?.gte) >= todayStart).toBe(true) // only today's rows
    const stored = await ctx.store.collection('dashboard_days').count({ where: { kind: 'built' } })
    expect(await ctx.store.collection('dashboard_days').get('gen|2026-11-09')).toBeUndefined() // today: no bumps
    expect(stored).toBe(61) // 10-10 … 11-08 (today 11-09 is not stored) and the 31-day previous period
  })

  it('follow a late row, a late answer and a late transfer into closed days', async () => {
    const view = { regionCode: '320000' }
    const before = await ctx.dashboard.dashboard(view, RANGES[0])
    await ctx.store
      .collection<LedgerRow>('ledger')
      .put(ledgerRow('late-1', '2026-11-03T16:00', { channel: 'app', regionCode: '320200', citedIds: ['e9'] }))
    await ctx.tickets.claim(seat, ids.B!).then(() => ctx.tickets.reply(seat, ids.B!, '迟到的答复'))
    await ctx.tickets.transfer(seat, ids.C!, { regionCode: '110000', note: '转北京' })
    const after = await ctx.dashboard.dashboard(view, RANGES[0])
    expect(after).toEqual(await ctx.dashboard.dashboardFromRows(view, RANGES[0]))
    expect(after.summary.current.volume).toBe(before.summary.current.volume + 1)
    expect(after.channels).toContain('app')
    expect(after.knowledge.mostCited.map((c) => c.key)).toContain('e9')
    expect(after.tickets.overdue.map((t) => t.id)).not.toContain(ids.B)
    expect(after.tickets.overdue.map((t) => t.id)).not.toContain(ids.C) // now 北京's
    expect(after.summary.current.ticketsCreated).toBe(before.summary.current.ticketsCreated - 1)
    await expectAgreement()
  })

  it('a restore of the records alone drops the stored days, which are rebuilt on the next read', async () => {
    const { dashboard_days: stored, ...records } = await ctx.store.snapshot()
    expect(stored.length).toBeGreaterThan(0)
    await ctx.store.replaceAll(records)
    expect(await ctx.store.collection('dashboard_days').count()).toBe(0)
    await expectAgreement()
  })

  it('writes to today bump its generation only in the last minutes before China midnight', async () => {
    const row = (id: string, at: string): LedgerRow => ledgerRow(id, at)
    const gen = () => ctx.store.collection<{ id: string; gen: number }>('dashboard_days').get('gen|2026-11-09')
    clock().set(cn('2026-11-09T23:40'))
    await ctx.store.collection<LedgerRow>('ledger').put(row('evening', '2026-11-09T23:39'))
    expect(await gen()).toBeUndefined()
    clock().set(cn('2026-11-09T23:55'))
    await ctx.store.collection<LedgerRow>('ledger').put(row('late-evening', '2026-11-09T23:54'))
    expect((await gen())?.gen).toBe(1)
    clock().set(cn('2026-11-10T00:05'))
    await expectAgreement()
  })
})
