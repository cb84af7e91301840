/**
 * The booking API end to end on lowdb with SMS captured by a local gateway: rules at their edges through
 * HTTP (same-day 3 h, one week, cancel cutoff), the SMS template, 我的预约, locks after three no-shows across
 * halls and the audited unlock, reschedule proposals, the queue feed (hall API key, stale data), staff
 * look-up and check-in, metrics, the provisional calendar, and who may call each route.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Claim } from '../../services/booking/appointment.js'
import { book, bookingEnv, type BookingEnv, codeFor, phoneOf, taxpayerIdOf } from '../helpers/booking.js'
import { staffAuth } from '../helpers/env.js'

let env: BookingEnv
type Auth = { authorization: string }
// Tokens are signed at the (moving) test clock, so each request gets a fresh one.
const tokenAt = (user: string, role: string): Auth => ({
  authorization: `Bearer ${env.ctx.tokens.sign({ sub: user, kind: 'staff', role }, 3600, env.ctx.clock.now().getTime())}`,
})
const admin = (): Auth => tokenAt('prov-admin', 'admin')
const xuanwuAdmin = (): Auth => tokenAt('xw-hall', 'hall-admin')
const jiangbeiAdmin = (): Auth => tokenAt('jb-hall', 'hall-admin')
const agent = (): Auth => tokenAt('agent1', 'agent')
const TOMORROW_9 = '2026-12-02T01:00:00.000Z'

beforeAll(async () => {
  env = await bookingEnv()
  await staffAuth(env.ctx, 'prov-admin', 'admin', '320000')
  await staffAuth(env.ctx, 'xw-hall', 'hall-admin', '320100')
  await staffAuth(env.ctx, 'jb-hall', 'hall-admin', '320100')
  await staffAuth(env.ctx, 'agent1', 'agent', '320100')
  for (const [hall, user] of [
    ['nj-xuanwu', 'xw-hall'],
    ['nj-jiangbei', 'jb-hall'],
  ]) {
    const r = await env.app.inject({
      method: 'PUT',
      url: `/api/booking/halls/${hall}/admins`,
      headers: admin(),
      payload: { userIds: [user] },
    })
    expect(r.statusCode, r.body).toBe(200)
  }
}, 60_000)
afterAll(async () => env?.close())

const at = (iso: string) => env.clock.set(iso)

describe('catalogue and slots', () => {
  it('lists the sample halls by city and province, and 12 business types', async () => {
    const nj = (await env.app.inject({ url: '/api/booking/halls?region=320100' })).json().halls
    expect(nj.map((h: { id: string }) => h.id).sort()).toEqual(['nj-jiangbei', 'nj-xuanwu'])
    expect(nj.every((h: { sample: boolean; name: string }) => h.sample && h.name.startsWith('【样例】'))).toBe(true)
    expect(nj[0]).not.toHaveProperty('apiKeyHash')
    const js = (await env.app.inject({ url: '/api/booking/halls?region=320000' })).json().halls
    expect(js.length).toBe(5)
    const bad = await env.app.inject({ url: '/api/booking/halls?region=999999' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.code).toBe('UNKNOWN_REGION')
    const types = (await env.app.inject({ url: '/api/booking/business-types' })).json().types
    expect(types.map((t: { name: string }) => t.name)).toEqual([
      '税务登记',
      '申报缴税',
      '发票领用',
      '发票代开',
      '税收优惠',
      '社保费',
      '个人所得税',
      '房产交易',
      '车辆购置税',
      '注销',
      '涉税证明',
      '咨询辅导',
    ])
  })

  it('slots skip the lunch break and weekends; 2027-01-01 is closed and provisional', async () => {
    const day = (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-12-02' })).json()
    expect(day.slots[0]).toMatchObject({ slotStart: TOMORROW_9, label: '09:00–09:30', remaining: 6, bookable: true })
    expect(day.slots.map((s: { label: string }) => s.label)).not.toContain('12:00–12:30')
    expect(day.provisional).toBe(false)
    expect((await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-12-05' })).json().slots).toEqual(
      [],
    )
    const ny = (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2027-01-01' })).json()
    expect(ny).toMatchObject({ slots: [], provisional: true, notice: '节假日安排以国务院办公厅通知为准' })
    const bad = await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-13-01' })
    expect(bad.statusCode).toBe(400)
    expect((await env.app.inject({ url: '/api/booking/halls/nope/slots?date=2026-12-02' })).json().error.code).toBe(
      'HALL_NOT_FOUND',
    )
  })
})

describe('codes, booking and the SMS', () => {
  it('codes are rate-limited and checked; the booking SMS names hall, date, time, business and 预约号', async () => {
    at('2026-12-01T01:00:00Z')
    const phone = phoneOf(1)
    const code = await codeFor(env, phone)
    const again = await env.app.inject({ method: 'POST', url: '/api/booking/verification-codes', payload: { phone } })
    expect(again.statusCode).toBe(429)
    expect(again.json().error.code).toBe('CODE_TOO_FREQUENT')
    const wrong = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart: TOMORROW_9,
      taxpayerId: taxpayerIdOf(1),
      phone,
      code: code === '000000' ? '111111' : '000000',
    })
    expect(wrong.json().error.code).toBe('CODE_INVALID')
    const ok = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart: TOMORROW_9,
      businessTypes: ['filing', 'invoice-issue'],
      taxpayerId: taxpayerIdOf(1),
      phone,
      code,
    })
    expect(ok.statusCode, ok.body).toBe(201)
    const body = ok.json()
    expect(body).toMatchObject({
      hallId: 'nj-xuanwu',
      date: '2026-12-02',
      label: '09:00–09:30',
      status: 'booked',
      businessNames: ['申报缴税', '发票领用'],
    })
    expect(body.number).toMatch(/^1202-\d{3}$/)
    expect(body.taxpayerIdMasked).not.toContain(taxpayerIdOf(1))
    const sms = env.sms.messages.find((m) => m.template === 'booking-confirmed' && m.to?.phone === phone)
    expect(sms?.text).toContain('南京市玄武区')
    expect(sms?.text).toContain('2026-12-02 09:00–09:30')
    expect(sms?.text).toContain('申报缴税、发票领用')
    expect(sms?.text).toContain(`预约号${body.number}`)
    // Phone and taxpayer id are not stored in clear anywhere in the booking collections.
    const snap = JSON.stringify(await env.ctx.store.snapshot())
    expect(snap).not.toContain(phone)
    expect(snap).not.toContain(taxpayerIdOf(1))
    // The same taxpayer cannot hold a second booking for that slot, not even at another hall.
    const code2 = await codeFor(env, phoneOf(2))
    const twice = await book(env, {
      hallId: 'nj-jiangbei',
      slotStart: TOMORROW_9,
      taxpayerId: taxpayerIdOf(1),
      phone: phoneOf(2),
      code: code2,
    })
    expect(twice.statusCode).toBe(409)
    expect(twice.json().error.code).toBe('TAXPAYER_SLOT_TAKEN')
    // 我的预约 by phone + code, then cancel (more than 3 hours ahead): the seat is free again.
    const mine = await env.app.inject({ method: 'POST', url: '/api/booking/my-appointments', payload: { phone, code } })
    expect(mine.json().appointments.map((a: { id: string }) => a.id)).toEqual([body.id])
    const other = await env.app.inject({
      method: 'POST',
      url: `/api/booking/appointments/${body.id}/cancel`,
      payload: { phone: phoneOf(2), code: code2 },
    })
    expect(other.json().error.code).toBe('APPOINTMENT_NOT_FOUND')
    const cancelled = await env.app.inject({
      method: 'POST',
      url: `/api/booking/appointments/${body.id}/cancel`,
      payload: { phone, code },
    })
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', statusLabel: '已取消' })
    const slot = (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-12-02' })).json().slots[0]
    expect(slot.remaining).toBe(6)
    expect(env.sms.messages.some((m) => m.template === 'booking-cancelled' && m.to?.phone === phone)).toBe(true)
  })

  it('same day: exactly 3 hours ahead is allowed, 2 hours ahead refused with the rule stated', async () => {
    at('2026-12-01T02:00:00Z') // 10:00 China time
    const phone = phoneOf(3)
    const code = await codeFor(env, phone)
    const twoHours = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart: '2026-12-01T04:00:00.000Z',
      taxpayerId: taxpayerIdOf(3),
      phone,
      code,
    })
    expect(twoHours.statusCode).toBe(400) // 12:00 is lunch: no slot
    const lunchless = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart: '2026-12-01T03:30:00.000Z',
      taxpayerId: taxpayerIdOf(3),
      phone,
      code,
    })
    expect(lunchless.statusCode).toBe(422)
    expect(lunchless.json().error).toMatchObject({ code: 'SAME_DAY_TOO_LATE' })
    expect(lunchless.json().error.message).toContain('至少3小时')
    const exact = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart: '2026-12-01T05:30:00.000Z',
      taxpayerId: taxpayerIdOf(3),
      phone,
      code,
    })
    expect(exact.statusCode, exact.body).toBe(201) // 13:30, booked at 10:00: 3.5 h
    const tooFar = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart: '2026-12-09T01:00:00.000Z',
      taxpayerId: taxpayerIdOf(3),
      phone,
      code,
    })
    expect(tooFar.json().error.code).toBe('BOOKING_TOO_FAR')
    // Cancel cutoff at its edge: 10:30 for a 13:30 slot is exactly 3 h → allowed; 10:31 is not.
    at('2026-12-01T02:31:00Z')
    const fresh = await codeFor(env, phone)
    const late = await env.app.inject({
      method: 'POST',
      url: `/api/booking/appointments/${exact.json().id}/cancel`,
      payload: { phone, code: fresh },
    })
    expect(late.statusCode).toBe(409)
    expect(late.json().error.code).toBe('CANCEL_TOO_LATE')
    expect(late.json().error.message).toContain('预约仍然有效')
  })

  it('per-business capacity: the third 房产交易 booking in a slot is refused', async () => {
    at('2026-12-01T01:00:00Z')
    const slotStart = '2026-12-03T01:00:00.000Z'
    const results = []
    for (const n of [11, 12, 13]) {
      env.clock.set(new Date(Date.parse('2026-12-01T01:00:00Z') + n * 61_000))
      results.push(
        await book(env, {
          hallId: 'nj-xuanwu',
          slotStart,
          businessTypes: ['property'],
          taxpayerId: taxpayerIdOf(n),
          phone: phoneOf(n),
          code: await codeFor(env, phoneOf(n)),
        }),
      )
    }
    expect(results.map((r) => r.statusCode)).toEqual([201, 201, 409])
    expect(results[2]?.json().error.code).toBe('BUSINESS_FULL')
  })
})

describe('no-shows, the province-wide lock and unlock', () => {
  it('a third no-show locks the person in every hall until a hall administrator unlocks', async () => {
    at('2026-12-01T01:00:00Z')
    const phone = phoneOf(20)
    const id = taxpayerIdOf(20)
    const code = await codeFor(env, phone)
    for (const slot of ['2026-12-02T01:30:00.000Z', '2026-12-02T02:00:00.000Z', '2026-12-02T02:30:00.000Z']) {
      const r = await book(env, { hallId: 'nj-xuanwu', slotStart: slot, taxpayerId: id, phone, code })
      expect(r.statusCode, r.body).toBe(201)
    }
    at('2026-12-02T03:00:00Z') // 11:00 on the day: all three slots have ended
    const code2 = await codeFor(env, phone)
    const refused = await book(env, {
      hallId: 'sz-gusu',
      slotStart: '2026-12-03T00:30:00.000Z',
      taxpayerId: id,
      phone,
      code: code2,
    })
    expect(refused.statusCode).toBe(423)
    expect(refused.json().error.code).toBe('PERSON_LOCKED')
    expect(refused.json().error.message).toContain('90天内')
    // Another phone does not get round a taxpayer lock.
    const viaOther = await book(env, {
      hallId: 'nj-jiangbei',
      slotStart: '2026-12-03T01:00:00.000Z',
      taxpayerId: id,
      phone: phoneOf(21),
      code: await codeFor(env, phoneOf(21)),
    })
    expect(viaOther.json().error.code).toBe('PERSON_LOCKED')
    const mine = (
      await env.app.inject({ method: 'POST', url: '/api/booking/my-appointments', payload: { phone, code: code2 } })
    ).json().appointments
    expect(mine.map((a: { status: string }) => a.status)).toEqual(['no-show', 'no-show', 'no-show'])
    // Unlock: only a hall administrator (or province admin), after an in-person ID check, audited.
    const byAgent = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-jiangbei/unlock',
      headers: agent(),
      payload: { taxpayerId: id, phone, idChecked: true, note: '现场核验身份证' },
    })
    expect(byAgent.statusCode).toBe(403)
    const noCheck = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-jiangbei/unlock',
      headers: jiangbeiAdmin(),
      payload: { taxpayerId: id, phone, idChecked: false, note: 'x' },
    })
    expect(noCheck.statusCode).toBe(400)
    const status = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-jiangbei/locks/status',
      headers: jiangbeiAdmin(),
      payload: { taxpayerId: id },
    })
    expect(status.json()).toMatchObject({ locked: true })
    const unlock = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-jiangbei/unlock',
      headers: jiangbeiAdmin(),
      payload: { taxpayerId: id, phone, idChecked: true, note: '现场核验身份证件' },
    })
    expect(unlock.json()).toEqual({ unlocked: 2 })
    const audit = await env.ctx.store.collection<{ id: string; route: string; actorId: string }>('audit').list()
    expect(audit.some((a) => a.route === '/api/booking/halls/:hallId/unlock' && a.actorId === 'jb-hall')).toBe(true)
    const locks = await env.ctx.store
      .collection<{ id: string; history: { action: string; by?: string }[] }>('person_locks')
      .list()
    expect(locks.flatMap((l) => l.history).filter((h) => h.action === 'unlock' && h.by === 'jb-hall')).toHaveLength(2)
    const after = await book(env, {
      hallId: 'sz-gusu',
      slotStart: '2026-12-03T00:30:00.000Z',
      taxpayerId: id,
      phone,
      code: code2,
    })
    expect(after.statusCode, after.body).toBe(201)
  })
})

describe('hall console operations', () => {
  it('look-up by 名称 + 预约号, check-in, and reschedule after a failure (accept)', async () => {
    at('2026-12-01T01:00:00Z')
    const phone = phoneOf(30)
    const code = await codeFor(env, phone)
    const made = (
      await book(env, {
        hallId: 'nj-xuanwu',
        slotStart: '2026-12-02T06:00:00.000Z',
        taxpayerId: taxpayerIdOf(30),
        taxpayerName: '南京甲乙丙有限公司',
        phone,
        code,
      })
    ).json()
    const wrongName = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-xuanwu/appointments/lookup',
      headers: xuanwuAdmin(),
      payload: { taxpayerName: '别的公司', number: made.number },
    })
    expect(wrongName.statusCode).toBe(404)
    const otherHall = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-xuanwu/appointments/lookup',
      headers: jiangbeiAdmin(),
      payload: { taxpayerName: '南京甲乙丙有限公司', number: made.number },
    })
    expect(otherHall.statusCode).toBe(403)
    const found = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-xuanwu/appointments/lookup',
      headers: xuanwuAdmin(),
      payload: { taxpayerName: '南京甲乙丙有限公司', number: made.number },
    })
    expect(found.json().id).toBe(made.id)
    // Not on the booking day: check-in refused.
    const early = await env.app.inject({
      method: 'POST',
      url: `/api/booking/halls/nj-xuanwu/appointments/${made.id}/check-in`,
      headers: xuanwuAdmin(),
    })
    expect(early.statusCode).toBe(409)
    // The hall proposes another time; the taxpayer accepts; the old seat is freed, the new one held.
    const proposed = await env.app.inject({
      method: 'POST',
      url: `/api/booking/halls/nj-xuanwu/appointments/${made.id}/reschedule`,
      headers: xuanwuAdmin(),
      payload: { slotStart: '2026-12-03T06:00:00.000Z', reason: '系统故障' },
    })
    expect(proposed.statusCode, proposed.body).toBe(200)
    expect(proposed.json().proposal).toMatchObject({ date: '2026-12-03', label: '14:00–14:30' })
    expect(
      env.sms.messages.some(
        (m) => m.template === 'booking-reschedule-proposed' && m.to?.phone === phone && m.text.includes('系统故障'),
      ),
    ).toBe(true)
    const accepted = await env.app.inject({
      method: 'POST',
      url: `/api/booking/appointments/${made.id}/reschedule/accept`,
      payload: { phone, code },
    })
    expect(accepted.json()).toMatchObject({
      date: '2026-12-03',
      label: '14:00–14:30',
      status: 'booked',
      proposal: null,
      number: made.number,
    })
    const oldSlot = (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-12-02' }))
      .json()
      .slots.find((s: { label: string }) => s.label === '14:00–14:30')
    expect(oldSlot.remaining).toBe(6)
    // The hall cannot cancel a booking: there is no such staff route.
    const cancelByHall = await env.app.inject({
      method: 'POST',
      url: `/api/booking/appointments/${made.id}/cancel`,
      headers: xuanwuAdmin(),
      payload: {},
    })
    expect(cancelByHall.statusCode).toBe(400)
    at('2026-12-03T06:05:00Z')
    const checkedIn = await env.app.inject({
      method: 'POST',
      url: `/api/booking/halls/nj-xuanwu/appointments/${made.id}/check-in`,
      headers: xuanwuAdmin(),
    })
    expect(checkedIn.json()).toMatchObject({ status: 'checked-in', statusLabel: '已签到' })
    const list = await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/appointments', headers: xuanwuAdmin() })
    expect(list.json().date).toBe('2026-12-03')
    expect(list.json().appointments.some((a: { id: string }) => a.id === made.id)).toBe(true)
  })

  it('capacity settings are scoped to the hall', async () => {
    const mine = await env.app.inject({
      method: 'PUT',
      url: '/api/booking/halls/nj-jiangbei/capacity',
      headers: jiangbeiAdmin(),
      payload: { capacityPerSlot: 5, blackoutDays: ['2026-12-10'] },
    })
    expect(mine.json()).toMatchObject({ capacityPerSlot: 5, blackoutDays: ['2026-12-10'] })
    const notMine = await env.app.inject({
      method: 'PUT',
      url: '/api/booking/halls/nj-xuanwu/capacity',
      headers: jiangbeiAdmin(),
      payload: { capacityPerSlot: 1 },
    })
    expect(notMine.statusCode).toBe(403)
    const badType = await env.app.inject({
      method: 'PUT',
      url: '/api/booking/halls/nj-jiangbei/capacity',
      headers: jiangbeiAdmin(),
      payload: { capacityByBusiness: { nope: 1 } },
    })
    expect(badType.statusCode).toBe(400)
  })
})

describe('queue feed', () => {
  it('needs the hall API key, shows waiting and estimated wait, and marks stale data', async () => {
    at('2026-12-03T02:00:00Z')
    const none = await env.app.inject({ url: '/api/booking/halls/sz-gusu/queue' })
    expect(none.json()).toMatchObject({ available: false })
    const noKey = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/sz-gusu/queue',
      payload: { waiting: 3 },
    })
    expect(noKey.statusCode).toBe(401)
    expect(noKey.json().error.code).toBe('HALL_KEY_INVALID')
    const byHallAdmin = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/sz-gusu/api-key',
      headers: jiangbeiAdmin(),
    })
    expect(byHallAdmin.statusCode).toBe(403)
    const k1 = (
      await env.app.inject({ method: 'POST', url: '/api/booking/halls/sz-gusu/api-key', headers: admin() })
    ).json().apiKey
    const k2 = (
      await env.app.inject({ method: 'POST', url: '/api/booking/halls/sz-gusu/api-key', headers: admin() })
    ).json().apiKey
    const old = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/sz-gusu/queue',
      headers: { 'x-hall-api-key': k1 },
      payload: { waiting: 3 },
    })
    expect(old.statusCode).toBe(401)
    const pushed = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/sz-gusu/queue',
      headers: { 'x-hall-api-key': k2 },
      payload: { waiting: 12, windowsOpen: 4, averageServiceMinutes: 8 },
    })
    expect(pushed.json()).toMatchObject({ waiting: 12, estimatedWaitMinutes: 24, stale: false })
    const otherHall = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/nj-xuanwu/queue',
      headers: { 'x-hall-api-key': k2 },
      payload: { waiting: 1 },
    })
    expect(otherHall.statusCode).toBe(401)
    at('2026-12-03T02:06:00Z')
    const stale = (await env.app.inject({ url: '/api/booking/halls/sz-gusu/queue' })).json()
    expect(stale).toMatchObject({ stale: true, waiting: 12 })
    expect(stale.message).toContain('仅供参考')
    const spec = (await env.app.inject({ url: '/docs/json' })).json()
    expect(spec.paths['/api/booking/halls/{hallId}/queue'].post.security).toEqual([{ hallApiKey: [] }])
    expect(spec.components.securitySchemes.hallApiKey).toMatchObject({
      type: 'apiKey',
      in: 'header',
      name: 'x-hall-api-key',
    })
    // Staff routes declare their guard too (preValidation), so the document states who may call them.
    expect(spec.paths['/api/booking/halls/{hallId}/unlock'].post['x-taxkb-permissions']).toEqual(['booking:hall'])
  })
})

describe('crash safety of claims', () => {
  it('a seat claimed by a booking that was never written is freed after the grace period, a held one is not', async () => {
    at('2026-12-01T01:00:00Z')
    const slotStart = '2026-12-04T01:00:00.000Z'
    const seats = env.ctx.store.collection<Claim>('seats')
    const base = {
      kind: 'seat' as const,
      hallId: 'nj-xuanwu',
      slotStart,
      date: '2026-12-04',
      at: '2026-12-01T00:50:00.000Z',
    }
    await seats.create({ ...base, id: `nj-xuanwu|${slotStart}|seat|1`, appointmentId: 'ap_neverwritten' })
    const held = await book(env, {
      hallId: 'nj-xuanwu',
      slotStart,
      taxpayerId: taxpayerIdOf(40),
      phone: phoneOf(40),
      code: await codeFor(env, phoneOf(40)),
    })
    expect(held.statusCode, held.body).toBe(201)
    const remaining = async () =>
      (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2026-12-04' })).json().slots[0].remaining
    expect(await remaining()).toBe(4)
    at('2026-12-01T01:03:00Z')
    expect(await env.ctx.booking.appointments.releaseOrphanClaims()).toBe(1)
    expect(await remaining()).toBe(5)
    expect(await env.ctx.booking.appointments.releaseOrphanClaims()).toBe(0)
  })
})

describe('calendar beyond the published years', () => {
  it('an administrator loading the 2027 notice replaces the provisional year for slots', async () => {
    const before = (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2027-01-04' })).json()
    expect(before).toMatchObject({ provisional: true, notice: '节假日安排以国务院办公厅通知为准' })
    expect(before.slots.length).toBeGreaterThan(0)
    const notice = {
      source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
      holidays: { 元旦: ['2027-01-01', '2027-01-02', '2027-01-03', '2027-01-04'] },
      workdays: [],
    }
    const put = await env.app.inject({
      method: 'PUT',
      url: '/api/admin/calendar',
      headers: admin(),
      payload: { years: { '2027': notice } },
    })
    expect(put.statusCode, put.body).toBe(200)
    const after = (await env.app.inject({ url: '/api/booking/halls/nj-xuanwu/slots?date=2027-01-04' })).json()
    expect(after).toMatchObject({ provisional: false, notice: null, slots: [] })
  })
})

describe('chat', () => {
  it("「我想预约…」 is answered with the booking page for the taxpayer's region", async () => {
    const r = await env.app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { message: '我想预约去办税服务厅办理发票', region: '320100' },
    })
    expect(r.statusCode, r.body).toBe(200)
    expect(r.json().intent).toBe('booking')
    expect(r.json().answer).toContain('/booking/?region=320100')
    expect(r.json().answer).toContain('南京市')
  })
})

describe('metrics and roles', () => {
  it('metrics count bookings, no-shows and cancellations; hall admins see only their hall', async () => {
    const all = await env.app.inject({ url: '/api/booking/metrics?from=2026-12-01&to=2026-12-07', headers: admin() })
    expect(all.statusCode, all.body).toBe(200)
    const m = all.json()
    const xw = m.halls.find((h: { hallId: string }) => h.hallId === 'nj-xuanwu')
    const noShows = await env.ctx.store
      .collection('appointments')
      .count({ where: { hallId: 'nj-xuanwu', status: 'no-show' } })
    expect(noShows).toBeGreaterThanOrEqual(3)
    expect(xw.noShows).toBe(noShows)
    expect(xw.noShowRate).toBeCloseTo(noShows / (noShows + xw.checkedIn), 2)
    expect(xw.cancellations).toBeGreaterThanOrEqual(1)
    expect(xw.utilisation).toBeGreaterThan(0)
    expect(m.halls.find((h: { hallId: string }) => h.hallId === 'sz-gusu').averageWaitMinutes).toBe(24)
    expect(m.bookingsPerDay.length).toBeGreaterThan(0)
    const scoped = await env.app.inject({
      url: '/api/booking/metrics?from=2026-12-01&to=2026-12-07',
      headers: jiangbeiAdmin(),
    })
    expect(scoped.json().halls.map((h: { hallId: string }) => h.hallId)).toEqual(['nj-jiangbei'])
  })

  it.each([
    ['GET', '/api/booking/halls/nj-xuanwu/appointments'],
    ['POST', '/api/booking/halls/nj-xuanwu/appointments/lookup'],
    ['POST', '/api/booking/halls/nj-xuanwu/unlock'],
    ['PUT', '/api/booking/halls/nj-xuanwu/capacity'],
    ['POST', '/api/booking/halls/import'],
    ['POST', '/api/booking/halls/nj-xuanwu/api-key'],
    ['GET', '/api/booking/metrics?from=2026-12-01&to=2026-12-02'],
  ] as const)('%s %s: anonymous 401, agent 403 (before the body is even validated)', async (method, url) => {
    const body = method === 'GET' ? {} : { payload: {} }
    expect((await env.app.inject({ method, url, ...body })).statusCode).toBe(401)
    expect((await env.app.inject({ method, url, headers: agent(), ...body })).statusCode).toBe(403)
  })

  it('CSV import validates the whole file first', async () => {
    const bad =
      'id,name,regionCode,address,phone,periods,windows,slotMinutes,capacityPerSlot\nnew-hall,新厅,320100,地址,,09:00-12:00,2,30,4\nbad,坏厅,999999,地址,,09:00-12:00,2,30,4\n'
    const r = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/import',
      headers: admin(),
      payload: { csv: bad },
    })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.message).toContain('第3行')
    expect((await env.app.inject({ url: '/api/booking/halls?region=320100' })).json().halls).toHaveLength(2)
    const ok = await env.app.inject({
      method: 'POST',
      url: '/api/booking/halls/import',
      headers: admin(),
      payload: { csv: bad.split('\n').slice(0, 2).join('\n') },
    })
    expect(ok.json()).toEqual({ imported: 1, ids: ['new-hall'] })
  })
})
