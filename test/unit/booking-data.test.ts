/** Pure booking data helpers: the halls CSV parser, the wait estimate and the metrics arithmetic. */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import type { Appointment } from '../../services/booking/appointment.js'
import { computeBookingMetrics } from '../../services/booking/booking-metrics.js'
import { parseHallsCsv } from '../../services/booking/hall-csv.js'
import { estimateWait } from '../../services/booking/queue-board.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const TYPES = new Set(['filing', 'property', 'vehicle'])
const isRegion = (c: string) => /^32\d{4}$/.test(c)
const HEADER =
  'id,name,regionCode,address,phone,periods,windows,slotMinutes,capacityPerSlot,capacityByBusiness,blackoutDays,admins'

describe('halls CSV', () => {
  it('parses the bundled sample halls, all marked as samples', () => {
    const text = fs.readFileSync(path.join(REPO_ROOT, 'knowledge/booking/sample-halls.csv'), 'utf8')
    const halls = parseHallsCsv(text, isRegion, TYPES)
    expect(halls.length).toBeGreaterThanOrEqual(5)
    expect(halls.every((h) => h.sample)).toBe(true)
    const xw = halls.find((h) => h.id === 'nj-xuanwu')
    expect(xw?.periods).toEqual([
      { start: '09:00', end: '12:00' },
      { start: '13:30', end: '17:00' },
    ])
    expect(xw?.capacityByBusiness).toEqual({ property: 2, vehicle: 2 })
  })

  it.each([
    ['overlapping periods', 'h1,厅,320100,地址,,09:00-12:00;11:00-13:00,2,30,4,,,', /第2行「periods」/],
    ['unknown business type', 'h1,厅,320100,地址,,09:00-12:00,2,30,4,nope=1,,', /未知的业务类型/],
    ['bad region', 'h1,厅,999999,地址,,09:00-12:00,2,30,4,,,', /地区代码 999999/],
    ['bad blackout day', 'h1,厅,320100,地址,,09:00-12:00,2,30,4,,2026-13-40,', /blackoutDays/],
    ['zero capacity', 'h1,厅,320100,地址,,09:00-12:00,2,30,0,,,', /capacityPerSlot/],
  ])('rejects %s with the line and column named', (_what, row, message) => {
    expect(() => parseHallsCsv(`${HEADER}\n${row}\n`, isRegion, TYPES)).toThrow(
      expect.objectContaining({ code: 'INVALID_FILE', userMessage: expect.stringMatching(message) }),
    )
  })

  it('rejects a duplicated id', () => {
    const row = 'h1,厅,320100,地址,,09:00-12:00,2,30,4,,,'
    expect(() => parseHallsCsv(`${HEADER}\n${row}\n${row}\n`, isRegion, TYPES)).toThrow(
      expect.objectContaining({ userMessage: expect.stringContaining('第3行') }),
    )
  })
})

describe('queue and metrics arithmetic', () => {
  it('estimates the wait from people, windows and service minutes (never divides by zero)', () => {
    expect(estimateWait(12, 4, 8)).toBe(24)
    expect(estimateWait(5, 2, 10)).toBe(25)
    expect(estimateWait(3, 0, 10)).toBe(30)
  })

  it('counts bookings per day, utilisation, no-show rate and average wait', () => {
    const a = (id: string, date: string, status: Appointment['status']) =>
      ({ id, hallId: 'h1', date, status }) as Appointment
    const m = computeBookingMetrics({
      from: '2026-12-01',
      to: '2026-12-02',
      appointments: [
        a('1', '2026-12-01', 'checked-in'),
        a('2', '2026-12-01', 'no-show'),
        a('3', '2026-12-02', 'cancelled'),
        a('4', '2026-12-02', 'checked-in'),
        a('5', '2026-12-03', 'booked'),
      ],
      halls: [{ id: 'h1', name: '厅', offeredSeats: 10 }],
      waits: new Map([
        ['h1', { '2026-12-01': { samples: 2, waitMinutes: 30 }, '2026-12-05': { samples: 1, waitMinutes: 99 } }],
      ]),
    })
    expect(m.bookingsPerDay).toEqual([
      { date: '2026-12-01', bookings: 2 },
      { date: '2026-12-02', bookings: 2 },
    ])
    expect(m.halls[0]).toMatchObject({
      booked: 3,
      utilisation: 0.3,
      noShows: 1,
      checkedIn: 2,
      cancellations: 1,
      averageWaitMinutes: 15,
    })
    expect(m.halls[0]?.noShowRate).toBeCloseTo(1 / 3, 3)
    expect(m.totals).toMatchObject({ bookings: 4, cancellations: 1, noShows: 1 })
  })
})
