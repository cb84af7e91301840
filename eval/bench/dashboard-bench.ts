/**
 * `npm run bench:dashboard [-- --rows N] [-- --runs N]`: does /admin load within 1 s after a year of
 * history? Seeds a year of synthetic operational history through the Store (default 300 000 ledger rows ≈
 * 820 a day, a fifth as many ratings, a tenth as many tickets, over 江苏's and 浙江's regions), then times
 * what the page requests for a provincial and a city manager — the page, its script, /api/auth/me and the
 * dashboard API (stored day aggregates) — for 7, 30 and 365 days, p50 / p99 of N runs (default 15), and,
 * as the baseline in the same run, the same figures computed from the rows (the code before the day
 * aggregates; p50 of 3). The first dashboard request builds the day aggregates of a year and its previous
 * year (reported apart, like the script's first build); then, as `taxkb serve` does at start, the background
 * build (prewarm) and the first request after it. Also prints how many aggregate documents a
 * request reads, RSS / heap, and SQLite's plan for the queries (index use, no scan).
 * Writes eval/results/bench-dashboard-latest.json.
 */
import fs from 'node:fs'
import path from 'node:path'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { createContainer } from '../../services/container.js'
import { build } from '../../services/api/app.js'
import { REPO_ROOT, loadConfig } from '../../services/shared/config.js'
import { fixedClock } from '../../services/shared/clock.js'
import type { LedgerRow, Rating } from '../../services/shared/consultation-records.js'
import type { Ticket } from '../../services/tickets/ticket-service.js'
import { selectSql } from '../../knowledge/store/sqlite-query.js'
import { machineInfo, machineLine } from './machine.js'
import { seededRandom, type Rng } from './seeded-random.js'
import { benchDataDir } from './measure-process.js'

const NOW = '2026-11-30T02:00:00Z'
const REGIONS = ['320000', '320100', '320100', '320200', '320500', '330100', '330200'] as const
const CHANNELS = ['web', 'wechat', 'app', 'phone'] as const
const MODES = ['faq', 'composed', 'faq', 'handoff', 'refused', 'redirect'] as const
const TOPICS = ['增值税', '个人所得税', '发票', '社保', '企业所得税', null] as const
const TYPES = ['consult', 'consult', 'consult', 'complaint', 'report', 'suggestion', 'callback'] as const
const YEAR_MS = 365 * 86_400_000
const argRows = process.argv.indexOf('--rows')
const ROWS = argRows > 0 ? Number(process.argv[argRows + 1]) : 300_000
const argRuns = process.argv.indexOf('--runs')
const RUNS = argRuns > 0 ? Number(process.argv[argRuns + 1]) : 15

function at(rng: Rng, now: number): string {
  return new Date(now - Math.floor(rng.next() * YEAR_MS)).toISOString()
}

function ledger(i: number, rng: Rng, now: number, ticketId: string | null): LedgerRow {
  return {
    id: `b-l-${i}`,
    at: at(rng, now),
    sessionId: `b-s-${Math.floor(i / 3)}`,
    channel: rng.pick(CHANNELS),
    regionCode: rng.pick(REGIONS),
    question: '小规模纳税人季度销售额多少免征增值税',
    intent: 'consult',
    mode: ticketId ? 'handoff' : rng.pick(MODES),
    confidence: Math.round(rng.next() * 100) / 100,
    citedIds: rng.chance(0.7) ? [`faq-${rng.int(400)}`, `law-${rng.int(200)}`] : [],
    latencyMs: rng.int(60),
    ticketId,
    topic: rng.pick(TOPICS),
  }
}

function ticket(i: number, rng: Rng, now: number): Ticket {
  const created = Date.parse(at(rng, now))
  const region = rng.pick(REGIONS)
  const answered = rng.chance(0.9) ? new Date(created + rng.int(4 * 86_400_000)).toISOString() : null
  const type = rng.pick(TYPES)
  return {
    id: `b-t-${i}`,
    number: `12366-B-${i}`,
    type,
    difficulty: rng.chance(0.2) ? 'difficult' : 'general',
    state: answered ? 'closed' : 'assigned',
    regionCode: region,
    seatGroup: `${region}-${region.endsWith('0000') ? 'center' : 'remote'}`,
    channel: 'web',
    question: '问题',
    transcript: [],
    contactSealed: null,
    confidential: type === 'complaint' || type === 'report',
    sessionId: null,
    assignee: answered ? `agent-${rng.int(40)}` : null,
    createdAt: new Date(created).toISOString(),
    dueAt: new Date(created + 2 * 86_400_000).toISOString(),
    answeredAt: answered,
    closedAt: answered,
    answer: answered ? '答复' : null,
    answeredBy: answered ? `agent-${rng.int(40)}` : null,
    extension: rng.chance(0.03)
      ? { days: 2, reason: '需核实', at: new Date(created).toISOString(), by: 'agent-1' }
      : null,
    redirect: null,
    notices: [],
    promotedEntryId: null,
    events: [],
  }
}

function rating(i: number, rng: Rng, now: number): Rating {
  const s = (1 + rng.int(5)) as 1 | 2 | 3 | 4 | 5
  return {
    id: `b-g-${i}`,
    at: at(rng, now),
    sessionId: `b-s-${rng.int(Math.floor(ROWS / 3))}`,
    turnId: null,
    helpful: null,
    satisfaction: s,
    reason: s <= 2 ? rng.pick(['答非所问', '太慢', '没解决']) : null,
    question: null,
    regionCode: rng.pick(REGIONS),
  }
}

const quantile = (xs: number[], q: number): number =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * q))] ?? 0
const median = (xs: number[]): number => quantile(xs, 0.5)
const mb = (n: number): number => Math.round(n / 1048576)

async function main(): Promise<void> {
  const dataDir = benchDataDir('dashboard')
  const config = loadConfig(
    { TAXKB_LOG_LEVEL: 'silent', TAXKB_RATE_LIMIT_PER_MINUTE: '10000000' },
    { dataDir, sqliteSynchronous: 'normal' },
  )
  const ctx = await createContainer(config, { skipIndexSync: true, clock: fixedClock(NOW) })
  const now = Date.parse(NOW)
  const rng = seededRandom(22)
  const t0 = performance.now()
  const tickets = Array.from({ length: Math.floor(ROWS / 10) }, (_, i) => ticket(i, rng, now))
  for (let i = 0; i < tickets.length; i += 5000)
    await ctx.store.collection<Ticket>('tickets').putMany(tickets.slice(i, i + 5000))
  for (let i = 0; i < ROWS; i += 5000) {
    const batch = Array.from({ length: Math.min(5000, ROWS - i) }, (_, k) => {
      const n = i + k
      // A handoff row and its ticket are written in the same turn: same instant, same region.
      const t = n % 10 === 0 ? tickets[n / 10] : undefined
      const row = ledger(n, rng, now, t?.id ?? null)
      return t ? { ...row, at: t.createdAt, regionCode: t.regionCode } : row
    })
    await ctx.store.collection<LedgerRow>('ledger').putMany(batch)
  }
  const ratings = Array.from({ length: Math.floor(ROWS / 5) }, (_, i) => rating(i, rng, now))
  for (let i = 0; i < ratings.length; i += 5000)
    await ctx.store.collection<Rating>('ratings').putMany(ratings.slice(i, i + 5000))
  const fillMs = Math.round(performance.now() - t0)
  // A server does not hold the seeded year in memory: drop it, or its garbage collection is timed too.
  const seeded = { ledger: ROWS, ratings: ratings.length, tickets: tickets.length }
  ratings.length = 0
  tickets.length = 0

  const app = await build(ctx.config, { container: ctx, logger: false })
  await ctx.users.add({ username: 'js', role: 'manager', regionCode: '320000', password: 'bench-password-1' })
  await ctx.users.add({ username: 'nj', role: 'manager', regionCode: '320100', password: 'bench-password-1' })
  const header = (sub: string) => ({
    authorization: `Bearer ${ctx.tokens.sign({ sub, kind: 'staff', role: 'manager' }, 3600, now)}`,
  })
  const time = async (url: string, who: string): Promise<number> => {
    const s = performance.now()
    const res = await app.inject({ method: 'GET', url, headers: header(who) })
    if (res.statusCode !== 200) throw new Error(`${url}: ${res.statusCode} ${res.body.slice(0, 200)}`)
    return performance.now() - s
  }
  const scriptFirstMs = Math.round(await time('/admin/admin.js', 'js'))
  // Without the start-up warm, the first dashboard request builds and stores the day aggregates of the year and
  // the year before (measured on a copy of the seeded data dir, so the rest of the run sees the same store).
  const coldBuildMs = Math.round(await time('/api/admin/dashboard?from=2025-12-01&to=2026-11-30', 'js'))
  await ctx.dashboard.clearAggregates()
  // `taxkb serve` builds them in the background at start (DashboardService.prewarm): its time, then the first
  // request after it, and the longest the event loop was blocked meanwhile (what a chat request could wait).
  const loop = monitorEventLoopDelay({ resolution: 5 })
  loop.enable()
  const w0 = performance.now()
  await ctx.dashboard.prewarm()
  const warmMs = Math.round(performance.now() - w0)
  loop.disable()
  const warmLoopMaxMs = Math.round(loop.max / 1e6)
  const firstAfterWarmMs = Math.round(await time('/api/admin/dashboard?from=2025-12-01&to=2026-11-30', 'js'))
  const rewarmW = performance.now()
  await ctx.dashboard.prewarm()
  const rewarmMs = Math.round(performance.now() - rewarmW)
  const ranges = [
    ['7d', '2026-11-24'],
    ['30d', '2026-11-01'],
    ['365d', '2025-12-01'],
  ] as const
  const viewers = { js: { regionCode: '320000' }, nj: { regionCode: '320100' } } as const
  const results: Record<string, Record<string, number>> = {}
  for (const who of ['js', 'nj'] as const) {
    for (const [label, from] of ranges) {
      const runs: number[] = []
      const api: number[] = []
      for (let k = 0; k < RUNS; k++) {
        const s = performance.now()
        await time('/admin/', who)
        await time('/admin/admin.js', who)
        await time('/api/auth/me', who)
        api.push(await time(`/api/admin/dashboard?from=${from}&to=2026-11-30`, who))
        runs.push(performance.now() - s)
      }
      const raw: number[] = []
      for (let k = 0; k < 3; k++) {
        const s = performance.now()
        await ctx.dashboard.dashboardFromRows(viewers[who], { from, to: '2026-11-30' })
        raw.push(performance.now() - s)
      }
      const scope = ctx.dashboard.scope(viewers[who])
      const aggregateDocs = await ctx.store.collection('dashboard_days').count({
        where: { kind: 'region-day', ...(scope === null ? {} : { regionCode: scope }) },
        range: { field: 'day', gte: '2024-12-01', lt: '2026-12-01' },
      })
      results[`${who === 'js' ? 'province' : 'city'}-${label}`] = {
        pageP50Ms: Math.round(median(runs)),
        pageP99Ms: Math.round(quantile(runs, 0.99)),
        dashboardApiP50Ms: Math.round(median(api)),
        dashboardApiP99Ms: Math.round(quantile(api, 0.99)),
        baselineFromRowsP50Ms: Math.round(median(raw)),
        ...(label === '365d' ? { aggregateDocsReadForYearAndPrevious: aggregateDocs } : {}),
      }
    }
  }
  const memory = { rssMb: mb(process.memoryUsage().rss), heapUsedMb: mb(process.memoryUsage().heapUsed) }
  // Plans of the dashboard's queries on the SQLite file (the store exposes no SQL; open it read-only).
  const { DatabaseSync } = await import('node:sqlite')
  const db = new DatabaseSync(path.join(dataDir, 'operational.sqlite'), { readOnly: true })
  const where = { regionCode: ['320000', '320100', '320200'] }
  const plans: Record<string, string> = {}
  for (const [table, field] of [
    ['ledger', 'at'],
    ['ratings', 'at'],
    ['tickets', 'createdAt'],
    ['dashboard_days', 'day'],
  ] as const) {
    const q =
      table === 'dashboard_days'
        ? { where: { kind: 'region-day', ...where }, range: { field, gte: '2025-10-01', lt: '2026-12-01' } }
        : { where, range: { field, gte: '2026-10-01', lt: '2026-12-01' } }
    const { sql, params } = selectSql(table, q)
    plans[table] = (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join('; ')
  }
  db.close()
  const report = {
    at: new Date().toISOString(),
    machine: machineInfo(),
    rows: seeded,
    fillMs,
    scriptFirstMs,
    coldBuildMs,
    warm: { backgroundMs: warmMs, firstRequestAfterMs: firstAfterWarmMs, rewarmMs, eventLoopMaxDelayMs: warmLoopMaxMs },
    runs: RUNS,
    results,
    memory,
    plans,
  }
  console.log(machineLine(report.machine))
  console.log(JSON.stringify(report, null, 2))
  fs.writeFileSync(
    path.join(REPO_ROOT, 'eval', 'results', 'bench-dashboard-latest.json'),
    `${JSON.stringify(report, null, 2)}\n`,
  )
  await app.close()
  await ctx.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
}

await main()
