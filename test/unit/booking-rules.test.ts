/**
 * Booking rules as pure functions: slots from the calendar and the hall's hours (holidays, 调休 Saturdays,
 * lunch break), the one-week window, the 3-hour same-day and cancel cutoffs at their exact edges, no-shows
 * and the 90-day lock. Instants are written in China time (+08:00); nothing reads the machine's time zone.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  afterNoShow,
  bookingWindowViolation,
  cancelViolation,
  isNoShow,
  lockViolation,
  LOCK_DAYS,
} from '../../services/booking/booking-rules.js'
import { slotsForDay, slotStartingAt } from '../../services/booking/slot-rules.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { loadCalendarFile, WorkingDayCalendar } from '../../services/shared/working-day-calendar.js'

const calendar = new WorkingDayCalendar(loadCalendarFile(path.join(REPO_ROOT, 'knowledge/calendar/cn-holidays.json')), {
  onUncoveredYear: () => {},
})
const cn = (local: string): Date => new Date(`${local}:00+08:00`)
const hall = {
  periods: [
    { start: '09:00', end: '12:00' },
    { start: '13:30', end: '17:00' },
  ],
  slotMinutes: 30,
  blackoutDays: ['2026-12-09'],
}

describe('slots', () => {
  it('cuts the opening hours into slots and skips the lunch break, in China time', () => {
    const slots = slotsForDay(hall, '2026-12-02', calendar)
    expect(slots).toHaveLength(6 + 7)
    expect(slots[0]).toEqual({
      start: '2026-12-02T01:00:00.000Z',
      end: '2026-12-02T01:30:00.000Z',
      date: '2026-12-02',
      label: '09:00–09:30',
    })
    expect(slots.map((s) => s.label)).not.toContain('12:00–12:30')
    expect(slots[6]?.label).toBe('13:30–14:00')
    expect(slots.at(-1)?.label).toBe('16:30–17:00')
  })

  it('a slot that would run past the period end is not offered', () => {
    const odd = slotsForDay({ ...hall, slotMinutes: 40 }, '2026-12-02', calendar)
    // 09:00 + 4×40 = 11:40; 11:40–12:20 would cross into lunch.
    expect(odd.filter((s) => s.label.startsWith('11:'))).toEqual([expect.objectContaining({ label: '11:00–11:40' })])
  })

  it('no slots on weekends, holidays and blackout days; slots on a 调休 Saturday', () => {
    expect(slotsForDay(hall, '2026-12-05', calendar)).toEqual([]) // Saturday
    expect(slotsForDay(hall, '2026-10-01', calendar)).toEqual([]) // 国庆节
    expect(slotsForDay(hall, '2026-12-09', calendar)).toEqual([]) // the hall's blackout day
    expect(slotsForDay(hall, '2026-10-10', calendar)).toHaveLength(13) // 调休 Saturday: a working day
    expect(slotsForDay(hall, '2027-01-01', calendar)).toEqual([]) // 元旦, before the 2027 notice
  })

  it('finds a slot only at an exact slot start', () => {
    expect(slotStartingAt(hall, cn('2026-12-02T09:30').toISOString(), calendar)?.label).toBe('09:30–10:00')
    expect(slotStartingAt(hall, cn('2026-12-02T09:31').toISOString(), calendar)).toBeUndefined()
    expect(slotStartingAt(hall, cn('2026-12-02T12:00').toISOString(), calendar)).toBeUndefined()
    expect(slotStartingAt(hall, 'not a date', calendar)).toBeUndefined()
  })
})

describe('booking window', () => {
  it('allows the same day exactly 3 hours ahead, refuses one minute less', () => {
    expect(bookingWindowViolation(cn('2026-12-02T10:00'), cn('2026-12-02T13:00'))).toBeNull()
    expect(bookingWindowViolation(cn('2026-12-02T10:01'), cn('2026-12-02T13:00'))?.code).toBe('SAME_DAY_TOO_LATE')
    const twoHours = bookingWindowViolation(cn('2026-12-02T09:00'), cn('2026-12-02T11:00'))
    expect(twoHours?.message).toContain('至少3小时')
  })

  it('the 3-hour rule is for the same day only (China date, not UTC date)', () => {
    // 23:30 China time on 12-01 is 15:30 UTC on 12-01; 09:00 on 12-02 China time is a different China day.
    expect(bookingWindowViolation(cn('2026-12-01T23:30'), cn('2026-12-02T09:00'))).toBeNull()
    // 07:30 China time on 12-02 is still 12-01 in UTC: the same-day rule must still apply.
    expect(bookingWindowViolation(cn('2026-12-02T07:30'), cn('2026-12-02T09:00'))?.code).toBe('SAME_DAY_TOO_LATE')
  })

  it('books up to 7 days ahead, not the 8th', () => {
    expect(bookingWindowViolation(cn('2026-12-02T16:59'), cn('2026-12-09T09:00'))).toBeNull()
    expect(bookingWindowViolation(cn('2026-12-02T23:59'), cn('2026-12-10T09:00'))?.code).toBe('BOOKING_TOO_FAR')
    // Just after midnight China time the window moves on by a day.
    expect(bookingWindowViolation(cn('2026-12-03T00:00'), cn('2026-12-10T09:00'))).toBeNull()
  })

  it('refuses slots that have started', () => {
    expect(bookingWindowViolation(cn('2026-12-02T09:00'), cn('2026-12-02T09:00'))?.code).toBe('SLOT_IN_PAST')
  })
})

describe('cancel cutoff', () => {
  it('allows exactly 3 hours before, refuses one second later', () => {
    expect(cancelViolation(cn('2026-12-02T06:00'), cn('2026-12-02T09:00'))).toBeNull()
    const late = cancelViolation(new Date(cn('2026-12-02T06:00').getTime() + 1000), cn('2026-12-02T09:00'))
    expect(late?.code).toBe('CANCEL_TOO_LATE')
    expect(late?.message).toContain('预约仍然有效')
  })
})

describe('no-shows and the lock', () => {
  it('a booked appointment is a no-show from the end of its slot, not before', () => {
    const a = { status: 'booked', slotEnd: cn('2026-12-02T09:30').toISOString() }
    expect(isNoShow(cn('2026-12-02T09:29'), a)).toBe(false)
    expect(isNoShow(cn('2026-12-02T09:30'), a)).toBe(true)
    expect(isNoShow(cn('2026-12-02T10:00'), { ...a, status: 'checked-in' })).toBe(false)
  })

  it('the third no-show locks for 90 days; the lock ends on its own afterwards', () => {
    const at = cn('2026-12-02T10:00')
    let s = { noShows: 0, lockedUntil: null as string | null }
    s = afterNoShow(s, at)
    s = afterNoShow(s, at)
    expect(lockViolation(at, s)).toBeNull()
    s = afterNoShow(s, at)
    expect(s.lockedUntil).toBe(new Date(at.getTime() + LOCK_DAYS * 86_400_000).toISOString())
    expect(lockViolation(cn('2027-03-01T10:00'), s)?.code).toBe('PERSON_LOCKED')
    expect(lockViolation(cn('2027-03-01T10:00'), s)?.message).toContain('90天内（至2027-03-02）')
    expect(lockViolation(new Date(Date.parse(s.lockedUntil ?? '')), s)).toBeNull()
  })
})
