/**
 * Operations dashboard against hand-counted figures on a seeded week (Mon 2026-11-02 … Fri 11-06, China
 * time; previous period 10-28 … 11-01; "now" Mon 11-09 10:00), seen by a provincial manager of 江苏
 * (320000: 南京 320100 and 无锡 320200 included), a city manager of 南京 and a national admin.
 * Working hours 09:00–12:00, 13:30–17:30. The seed is test/helpers/dashboard-seed.ts: read it with this file.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { cn, seedDashboardWeek } from '../helpers/dashboard-seed.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'

let ctx: Container
let app: FastifyInstance
const auth: Record<string, { authorization: string }> = {}
const ids: Record<string, string> = {}
const week = '/api/admin/dashboard?from=2026-11-02&to=2026-11-06'

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, cn('2026-10-29T10:00'))
  Object.assign(ids, await seedDashboardWeek(ctx))
  const clock = ctx.clock as unknown as { set(v: string): void }
  clock.set(cn('2026-11-09T10:00'))
  app = await build(ctx.config, { container: ctx, logger: false })
  auth.province = await staffAuth(ctx, 'js-manager', 'manager', '320000')
  auth.city = await staffAuth(ctx, 'nj-manager', 'manager', '320100')
  auth.admin = await staffAuth(ctx, 'root', 'admin', null)
  auth.agent = await staffAuth(ctx, 'nj-agent', 'agent', '320100')
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

const get = async (url: string, who: string) => app.inject({ method: 'GET', url, headers: auth[who] ?? {} })

describe('GET /api/admin/dashboard as the 江苏 provincial manager', () => {
  it('counts the province and its cities, not 北京', async () => {
    const res = await get(week, 'province')
    expect(res.statusCode).toBe(200)
    const d = res.json()
    expect(d.summary.current).toEqual({
      volume: 6, // r1–r6
      autoAnswered: 3, // r1, r2, r3
      automationRate: 0.5,
      rated: 3, // g1, g2, g3
      satisfied: 1,
      satisfactionRate: 0.3333,
      ticketsCreated: 3, // A, B, C
      outcomeKnown: 3, // A answered, B and C overdue
      onTime: 1,
      onTimeRate: 0.3333,
      avgHandlingWorkingHours: 4.5,
    })
    expect(d.summary.previous).toMatchObject({ volume: 2, autoAnswered: 1, rated: 1, satisfied: 1, onTime: 1 })
    expect(d.workingDays).toBe(5)
    expect(d.days.map((x: { volume: number; autoAnswered: number }) => [x.volume, x.autoAnswered])).toEqual([
      [2, 2],
      [2, 1],
      [2, 0],
      [0, 0],
      [0, 0],
    ])
    expect(d.days[0].byChannel).toEqual({ web: 1, wechat: 1 })
    const hours = Object.fromEntries(
      d.hours
        .filter((h: { volume: number }) => h.volume > 0)
        .map((h: { hour: number; volume: number }) => [h.hour, h.volume]),
    )
    expect(hours).toEqual({ 9: 1, 10: 2, 11: 1, 14: 1, 15: 1 })
    expect(d.intents.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
      ['consult', 5],
      ['complaint', 1],
    ])
    expect(d.handoffReasons.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
      ['complaint', 1],
      ['low-confidence', 1],
      ['requested', 1],
    ])
    expect(d.ratings.distribution.map((c: { count: number }) => c.count)).toEqual([1, 1, 0, 0, 1])
    expect(d.ratings.dissatisfiedReasons).toEqual([{ key: '答非所问', label: '答非所问', count: 2 }])
    const onTime = Object.fromEntries(
      d.tickets.onTime.map((r: { kind: string; outcomeKnown: number; onTime: number }) => [
        r.kind,
        [r.outcomeKnown, r.onTime],
      ]),
    )
    expect(onTime).toMatchObject({ 'consult-general': [2, 1], complaint: [1, 0], report: [0, 0] })
    expect(d.tickets.overdue.map((t: { id: string }) => t.id)).toEqual([ids.B, ids.C])
    expect(d.tickets.overdue[1]).toMatchObject({ question: '（保密）', link: `/console/#ticket=${ids.C}` })
    expect(res.body).not.toContain('王五')
    expect(d.seatGroups.reduce((n: number, g: { created: number }) => n + g.created, 0)).toBe(3)
    expect(d.agents).toEqual([{ agent: 'js1', answered: 1, avgHandlingWorkingHours: 4.5 }])
    expect(d.knowledge.unansweredTopics.map((t: { topic: string }) => t.topic).sort()).toEqual(
      ['个人所得税', '发票', '未分类', '社保'].sort(),
    )
    expect(d.knowledge.mostCited.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
      ['e1', 2],
      ['e2', 2],
    ])
    // g2 rates r2 (e1, e2), g3 rates r3 (e2).
    expect(d.knowledge.badlyCited.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
      ['e2', 2],
      ['e1', 1],
    ])
    expect(d.definitions.automationRate.definition).toContain('智能应答')
  })

  it('narrows to one city of the province', async () => {
    const d = (await get(`${week}&region=320200`, 'province')).json()
    expect(d.summary.current).toMatchObject({ volume: 2, autoAnswered: 1, ticketsCreated: 1 })
    expect(d.tickets.overdue.map((t: { id: string }) => t.id)).toEqual([ids.B])
  })

  it('exports a figure as formula-safe CSV with Chinese headings', async () => {
    const res = await get(`${week}&format=csv&figure=handoffReasons`, 'province')
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/csv')
    const records = parse(res.body.replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[]
    expect(records).toEqual([
      { 原因: '投诉', 转人工量: '1' },
      { 原因: '低置信度', 转人工量: '1' },
      { 原因: '纳税人要求转人工', 转人工量: '1' },
    ])
  })
})

describe('GET /api/admin/dashboard as the 南京 city manager', () => {
  it('counts 南京 only', async () => {
    const d = (await get(week, 'city')).json()
    expect(d.scope).toEqual(['320100'])
    expect(d.summary.current).toMatchObject({
      volume: 4,
      autoAnswered: 2,
      rated: 2,
      satisfied: 1,
      ticketsCreated: 2,
      onTime: 1,
    })
    expect(d.tickets.overdue.map((t: { id: string }) => t.id)).toEqual([ids.C])
    expect(d.knowledge.badlyCited.map((c: { key: string; count: number }) => [c.key, c.count])).toEqual([
      ['e1', 1],
      ['e2', 1],
    ])
  })

  it('may not look at the province or another city', async () => {
    for (const region of ['320000', '320200']) {
      const res = await get(`${week}&region=${region}`, 'city')
      expect(res.statusCode).toBe(403)
      expect(res.json().error).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('本辖区') })
    }
  })
})

describe('access and validation', () => {
  it('a national admin sees every region', async () => {
    const d = (await get(week, 'admin')).json()
    expect(d.scope).toBeNull()
    expect(d.summary.current.volume).toBe(7)
    expect(d.tickets.overdue.map((t: { id: string }) => t.id).sort()).toEqual(
      [ids.A, ids.B, ids.C, ids.D].filter((i) => i !== ids.A).sort(),
    )
  })

  it('an agent and an anonymous caller are refused', async () => {
    expect((await get(week, 'agent')).statusCode).toBe(403)
    expect((await app.inject({ method: 'GET', url: week })).statusCode).toBe(401)
  })

  it('rejects an inverted or over-long range with a Chinese message', async () => {
    const inverted = await get('/api/admin/dashboard?from=2026-11-06&to=2026-11-02', 'province')
    expect(inverted.statusCode).toBe(400)
    expect(inverted.json().error.code).toBe('VALIDATION_FAILED')
    const long = await get('/api/admin/dashboard?from=2024-01-01&to=2026-11-02', 'province')
    expect(long.statusCode).toBe(400)
    expect(long.json().error.message).toContain('366')
    for (const bad of ['2026-02-31', '2026-13-45']) {
      const res = await get(`/api/admin/dashboard?from=${bad}&to=2026-11-02`, 'province')
      expect(res.statusCode).toBe(400)
      expect(res.json().error.message).toContain('无效')
    }
  })
})
