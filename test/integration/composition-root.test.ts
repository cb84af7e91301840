/**
 * The composition root: built once and frozen, swappable handles for what changes at run time, and routes
 * that see only the services they declare (never the store, the index or the container).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import Fastify, { type FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { routes, servicePlugin } from '../../services/api/plugins/services.js'
import type { Container } from '../../services/container.js'
import { swappable } from '../../services/shared/swappable.js'
import { WorkingDayCalendar } from '../../services/shared/working-day-calendar.js'
import { containerWithCorpus } from '../helpers/env.js'

let ctx: Container
let app: FastifyInstance

beforeAll(async () => {
  ctx = await containerWithCorpus()
  app = await build(ctx.config, { container: ctx, logger: false })
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

describe('composition root', () => {
  it('is frozen: no service is reassigned after construction', () => {
    expect(Object.isFrozen(ctx)).toBe(true)
    expect(() => {
      ;(ctx as unknown as Record<string, unknown>).calendar = null
    }).toThrow(TypeError)
  })

  it('decorates the app with route services only', () => {
    for (const name of ['search', 'tickets', 'editorial', 'answer', 'operations', 'calendars', 'health', 'entries']) {
      expect(app.hasDecorator(name), name).toBe(true)
    }
    for (const name of ['ctx', 'store', 'index', 'notifier', 'chatModel', 'embedder', 'lexicon']) {
      expect(app.hasDecorator(name), name).toBe(false)
    }
  })

  it('refuses to start a route plugin whose service plugin is missing', async () => {
    const bare = Fastify({ logger: false })
    await bare.register(servicePlugin('clock', ctx.clock))
    bare.register(routes('needs-tickets', ['tickets', 'clock'], async () => {}))
    await expect(bare.ready()).rejects.toThrow(/taxkb-service-tickets/)
    await bare.close().catch(() => {})
  })
})

describe('swappable handles', () => {
  it('keep one object while the value behind it changes', () => {
    const data = (years: Record<string, unknown>) => ({ years }) as ConstructorParameters<typeof WorkingDayCalendar>[0]
    const first = new WorkingDayCalendar(
      data({ '2026': { source: 'test', holidays: { 元旦: ['2026-01-01'] }, workdays: [] } }),
    )
    const holder = swappable(first)
    const handle = holder.value
    // 2026-11-25 is a Wednesday: a working day until a calendar makes it a holiday.
    expect(handle.isWorkingDay('2026-11-25')).toBe(true)
    const holiday = { source: 'test', holidays: { 测试假: ['2026-11-25'] }, workdays: [] }
    holder.swap(new WorkingDayCalendar(data({ '2026': holiday })))
    expect(handle.isWorkingDay('2026-11-25')).toBe(false)
    expect(holder.current()).not.toBe(first)
    expect(() => {
      ;(handle as unknown as Record<string, unknown>).x = 1
    }).toThrow(TypeError)
  })

  it('the container calendar follows an admin edit (tickets and operations hold the same handle)', () => {
    const before = ctx.calendar.isWorkingDay('2027-03-03')
    const view = ctx.calendars.save(
      { '2027': { source: '测试', holidays: { 测试假: ['2027-03-03'] }, workdays: [] } },
      undefined,
    )
    expect(view.origin).toBe('data-dir')
    expect(before).toBe(true)
    expect(ctx.calendar.isWorkingDay('2027-03-03')).toBe(false)
  })
})
