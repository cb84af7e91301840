/**
 * DashboardService.prewarm (run by `taxkb serve` in the background at start and hourly): it builds the stored
 * day aggregates of every closed day the page can ask for, so the first /admin request reads them instead of
 * the ledger; a request arriving while it runs gets the same figures as the rows and no day is built twice;
 * an aborted warm stops between steps.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Doc } from '../../knowledge/store/store.js'
import type { Container } from '../../services/container.js'
import type { LedgerRow } from '../../services/shared/consultation-records.js'
import { cn, seedDashboardWeek } from '../helpers/dashboard-seed.js'
import { containerWithCorpus } from '../helpers/env.js'

let ctx: Container
const clock = () => ctx.clock as unknown as { set(v: string): void }
const YEAR = { from: '2025-11-10', to: '2026-11-10' } // today 11-09 China time: the year up to tomorrow
const built = () => ctx.store.collection('dashboard_days').count({ where: { kind: 'built' } })

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, cn('2026-10-10T10:00'))
  await seedDashboardWeek(ctx)
  const rows = Array.from({ length: 40 }, (_, i) => ({
    id: `old-${i}`,
    at: new Date(Date.parse(cn('2025-12-01T09:00')) + i * 7 * 86_400_000).toISOString(),
    sessionId: `old-s-${i}`,
    channel: 'web',
    regionCode: i % 2 === 0 ? '320100' : '320200',
    question: '往年的咨询',
    intent: 'consult',
    mode: 'faq',
    confidence: 0.9,
    citedIds: [],
    latencyMs: 20,
    ticketId: null,
    topic: null,
  })) as LedgerRow[]
  await ctx.store.collection<LedgerRow>('ledger').putMany(rows)
  clock().set(cn('2026-11-09T10:00'))
})
afterAll(async () => {
  await ctx.close()
})

describe('dashboard prewarm', () => {
  it('stops between steps when aborted', async () => {
    const abort = new AbortController()
    const warm = ctx.dashboard.prewarm(abort.signal)
    abort.abort()
    await warm
    expect(await built()).toBeLessThanOrEqual(7) // at most the step under way
  })

  it("a request during the warm gets the rows' figures, and every day is built exactly once", async () => {
    const days = ctx.store.collection<Doc>('dashboard_days')
    const spy = vi.spyOn(days, 'putMany')
    const warm = ctx.dashboard.prewarm()
    const during = await ctx.dashboard.dashboard({ regionCode: '320000' }, YEAR)
    await warm
    const markers = spy.mock.calls.flatMap(([docs]) => docs.map((d) => d.id)).filter((id) => id.startsWith('built|'))
    spy.mockRestore()
    expect(during).toEqual(await ctx.dashboard.dashboardFromRows({ regionCode: '320000' }, YEAR))
    expect(during.summary.current.volume).toBeGreaterThan(40)
    expect(new Set(markers).size).toBe(markers.length) // no day built twice
    // 2 × 366 + 1 closed days before today (11-09), minus the ones the aborted warm had already built
    expect(await built()).toBe(733)
  })

  it("after the warm, a year of the dashboard reads only today's rows", async () => {
    const spy = vi.spyOn(ctx.store.collection<LedgerRow>('ledger'), 'list')
    const view = await ctx.dashboard.dashboard({ regionCode: null }, YEAR)
    const ranges = spy.mock.calls.map(([q]) => q?.range)
    spy.mockRestore()
    for (const r of ranges) expect(String(r?.gte) >= cn('2026-11-09T00:00')).toBe(true)
    expect(view).toEqual(await ctx.dashboard.dashboardFromRows({ regionCode: null }, YEAR))
    // a second warm finds nothing stale: no aggregate is written
    const put = vi.spyOn(ctx.store.collection<Doc>('dashboard_days'), 'putMany')
    await ctx.dashboard.prewarm()
    expect(put).not.toHaveBeenCalled()
    put.mockRestore()
  })
})
