/**
 * The dashboard's booking, survey, satisfaction and follow-up figures against hand counts on the seeded
 * week (test/helpers/service-seed.ts; Mon 2026-11-02 … Fri 11-06, "now" Mon 11-09 10:00), as the 江苏
 * provincial manager, the 南京 city manager and a national admin. No sample halls (hall file empty).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'csv-parse/sync'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { cn } from '../helpers/dashboard-seed.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { seedServiceWeek } from '../helpers/service-seed.js'

let ctx: Container
let app: FastifyInstance
const auth: Record<string, { authorization: string }> = {}
const week = '/api/admin/dashboard?from=2026-11-02&to=2026-11-06'

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, { bookingHallsFile: '' }, cn('2026-11-09T10:00'))
  await seedServiceWeek(ctx)
  app = await build(ctx.config, { container: ctx, logger: false })
  auth.province = await staffAuth(ctx, 'js-manager', 'manager', '320000')
  auth.city = await staffAuth(ctx, 'nj-manager', 'manager', '320100')
  auth.admin = await staffAuth(ctx, 'root', 'admin', null)
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

const get = async (url: string, who: string) => app.inject({ method: 'GET', url, headers: auth[who] ?? {} })

describe('service figures as the 江苏 provincial manager', () => {
  it('bookings: seats, booked, utilisation, no-shows and cancellations per hall and day', async () => {
    const d = (await get(week, 'province')).json()
    expect(d.bookings.halls).toEqual([
      // 4 open days (11-04 blacked out) × 3 slots × 2 = 24; a1 a2 a3 a5 booked (a4 cancelled).
      expect.objectContaining({ hallId: 'h-nj', offeredSeats: 24, booked: 4, utilisation: 0.1667, checkedIn: 2 }),
      expect.objectContaining({ hallId: 'h-wx', offeredSeats: 10, booked: 1, utilisation: 0.1, noShows: 0 }),
    ])
    expect(d.bookings.halls[0]).toMatchObject({ noShows: 2, noShowRate: 0.5, cancellations: 1 })
    expect(d.bookings.totals).toEqual({
      offeredSeats: 34,
      booked: 5,
      utilisation: 0.1471, // 5 / 34
      noShows: 2,
      noShowRate: 0.4, // 2 / (2 + 3 checked in)
      cancellations: 2,
    })
    const days = Object.fromEntries(
      d.bookings.days.map((x: { day: string; offeredSeats: number; booked: number; noShows: number }) => [
        x.day,
        [x.offeredSeats, x.booked, x.noShows],
      ]),
    )
    expect(days).toEqual({
      '2026-11-02': [8, 2, 1],
      '2026-11-03': [8, 1, 0],
      '2026-11-04': [2, 0, 0], // 南京 closed
      '2026-11-05': [8, 1, 1],
      '2026-11-06': [8, 1, 0],
    })
  })

  it('surveys, satisfaction and follow-ups of the province and its cities', async () => {
    const d = (await get(week, 'province')).json()
    // Drafts, national surveys and the response after the week do not count.
    expect(d.surveys.map((s: { surveyId: string; responses: number }) => [s.surveyId, s.responses])).toEqual([
      ['sv-js', 3],
      ['sv-nj', 2],
    ])
    expect(d.satisfaction).toEqual([
      { channel: 'web', count: 2, satisfied: 1, satisfiedRate: 0.5, meanScore: 3.5 },
      { channel: 'hall', count: 1, satisfied: 1, satisfiedRate: 1, meanScore: 3 },
      { channel: 'wechat', count: 1, satisfied: 0, satisfiedRate: 0, meanScore: 1 },
      { channel: '合计', count: 4, satisfied: 2, satisfiedRate: 0.5, meanScore: 2.75 },
    ])
    expect(d.followUps).toMatchObject({ opened: 3, closed: 2, openNow: 2, overdueNow: 1 })
    expect(d.followUps.days[0]).toEqual({ day: '2026-11-02', opened: 1, closed: 1 }) // f1 opened, f4 closed
  })

  it('exports a service figure as CSV with Chinese headings', async () => {
    const res = await get(`${week}&format=csv&figure=bookingHalls`, 'province')
    expect(res.statusCode).toBe(200)
    const rows = parse(res.body.replace(/^\ufeff/, ''), { columns: true }) as Record<string, string>[]
    expect(rows[0]).toMatchObject({ 办税服务厅: '南京测试办税服务厅', 号源: '24', 已预约: '4', '利用率（%）': '16.7' })
    expect(rows[0]?.['爽约率（%）']).toBe('50')
  })
})

describe('service figures as the 南京 city manager and a national admin', () => {
  it('the city sees its own hall, surveys, ratings and follow-ups only', async () => {
    const d = (await get(week, 'city')).json()
    expect(d.bookings.halls.map((h: { hallId: string }) => h.hallId)).toEqual(['h-nj'])
    expect(d.bookings.totals).toMatchObject({ offeredSeats: 24, booked: 4, noShowRate: 0.5, cancellations: 1 })
    expect(d.surveys.map((s: { surveyId: string }) => s.surveyId)).toEqual(['sv-nj'])
    expect(d.satisfaction.at(-1)).toEqual({
      channel: '合计',
      count: 3,
      satisfied: 2,
      satisfiedRate: 0.6667,
      meanScore: 3.33,
    })
    expect(d.followUps).toMatchObject({ opened: 2, closed: 2, openNow: 1, overdueNow: 1 })
    expect(JSON.stringify(d)).not.toContain('无锡测试')
  })

  it('a national admin also sees 北京 and national surveys', async () => {
    const d = (await get(week, 'admin')).json()
    expect(d.bookings.totals).toMatchObject({ offeredSeats: 39, booked: 6, noShows: 3 })
    expect(d.surveys.map((s: { surveyId: string; responses: number }) => [s.surveyId, s.responses])).toEqual([
      ['sv-cn', 5],
      ['sv-js', 3],
      ['sv-nj', 2],
    ])
    expect(d.followUps).toMatchObject({ opened: 4, openNow: 3, overdueNow: 2 })
  })
})
