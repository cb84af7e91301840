/**
 * No double booking, decided by the store: 50 concurrent bookings for the last seat of a slot give exactly
 * one 201 and 49 clear 409 SLOT_FULL, on the embedded store (booking collections live in SQLite) and (when ELASTICSEARCH_URL is set) on Elasticsearch; one
 * taxpayer firing at one slot from several phones gets one booking. The seat count afterwards is exact.
 */
import crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ElasticsearchStore } from '../../knowledge/store/elasticsearch-store.js'
import { loadConfig } from '../../services/shared/config.js'
import { book, bookingEnv, type BookingEnv, codeFor, phoneOf, taxpayerIdOf } from '../helpers/booking.js'

const esUrl = loadConfig().elasticsearchUrl
const SLOT = '2026-12-02T02:00:00.000Z' // Wed 10:00 China time
const backends = [
  { name: 'the embedded store (SQLite for booking collections)', overrides: {} },
  ...(esUrl
    ? [
        {
          name: 'elasticsearch',
          overrides: {
            backend: 'elasticsearch',
            elasticsearchUrl: esUrl,
            esIndexPrefix: `taxkb-test-bk-${crypto.randomBytes(4).toString('hex')}`,
          },
        },
      ]
    : []),
]

describe.each(backends)('concurrent bookings on $name', ({ overrides }) => {
  let env: BookingEnv
  beforeAll(async () => {
    env = await bookingEnv(overrides)
    await env.ctx.store.collection('halls').get('nj-xuanwu')
    await env.ctx.booking.halls.updateCapacity('nj-xuanwu', { capacityPerSlot: 3, capacityByBusiness: {} })
  }, 120_000)
  afterAll(async () => {
    if (env?.ctx.store.kind === 'elasticsearch') await (env.ctx.store as ElasticsearchStore).destroy()
    await env?.close()
  })

  it('50 concurrent bookings at the last seat: exactly one 201, 49 clear 409s', async () => {
    for (const n of [1, 2]) {
      const res = await book(env, {
        hallId: 'nj-xuanwu',
        slotStart: SLOT,
        taxpayerId: taxpayerIdOf(n),
        phone: phoneOf(n),
        code: await codeFor(env, phoneOf(n)),
      })
      expect(res.statusCode, res.body).toBe(201)
    }
    const people = Array.from({ length: 50 }, (_, i) => 100 + i)
    const codes = new Map<number, string>()
    await Promise.all(people.map(async (n) => codes.set(n, await codeFor(env, phoneOf(n)))))
    const results = await Promise.all(
      people.map((n) =>
        book(env, {
          hallId: 'nj-xuanwu',
          slotStart: SLOT,
          taxpayerId: taxpayerIdOf(n),
          phone: phoneOf(n),
          code: codes.get(n) ?? '',
        }),
      ),
    )
    const created = results.filter((r) => r.statusCode === 201)
    const refused = results.filter((r) => r.statusCode === 409)
    expect(created).toHaveLength(1)
    expect(refused).toHaveLength(49)
    for (const r of refused) {
      expect(r.json().error.code).toBe('SLOT_FULL')
      expect(r.json().error.message).toContain('已约满')
    }
    const slots = await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-12-02' })
    const slot = slots.json().slots.find((s: { slotStart: string }) => s.slotStart === SLOT)
    expect(slot).toMatchObject({ capacity: 3, remaining: 0, bookable: false })
    // No half-written records: three appointments, three seat claims for the slot.
    const appts = await env.ctx.store
      .collection('appointments')
      .list({ where: { hallId: 'nj-xuanwu', slotStart: SLOT } })
    expect(appts).toHaveLength(3)
    expect(
      await env.ctx.store.collection('seats').count({ where: { hallId: 'nj-xuanwu', slotStart: SLOT, kind: 'seat' } }),
    ).toBe(3)
  }, 120_000)

  it('one taxpayer racing for one slot from ten phones holds one booking', async () => {
    const slot = '2026-12-02T03:00:00.000Z'
    const phones = Array.from({ length: 10 }, (_, i) => phoneOf(500 + i))
    const codes = new Map<string, string>()
    await Promise.all(phones.map(async (p) => codes.set(p, await codeFor(env, p))))
    const results = await Promise.all(
      phones.map((p) =>
        book(env, {
          hallId: 'nj-xuanwu',
          slotStart: slot,
          taxpayerId: taxpayerIdOf(999),
          phone: p,
          code: codes.get(p) ?? '',
        }),
      ),
    )
    expect(results.filter((r) => r.statusCode === 201)).toHaveLength(1)
    const refused = results.filter((r) => r.statusCode === 409)
    expect(refused).toHaveLength(9)
    for (const r of refused) expect(r.json().error.code).toBe('TAXPAYER_SLOT_TAKEN')
    expect(
      await env.ctx.store.collection('seats').count({ where: { hallId: 'nj-xuanwu', slotStart: slot, kind: 'seat' } }),
    ).toBe(1)
  }, 120_000)
})
