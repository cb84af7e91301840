import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import {
  WorkingDayCalendar,
  chinaDateOf,
  formatChinaDeadline,
  loadCalendarFile,
  parseCalendarData,
} from '../../services/shared/working-day-calendar.js'

const CALENDAR_PATH = fileURLToPath(new URL('../../knowledge/calendar/cn-holidays.json', import.meta.url))
const data = loadCalendarFile(CALENDAR_PATH)

/** China wall-clock time → instant. The explicit +08:00 keeps tests independent of the machine TZ. */
const cn = (local: string): Date => new Date(`${local}:00+08:00`)
const HOUR = 3_600_000

function makeCalendar(): { calendar: WorkingDayCalendar; warnedYears: number[] } {
  const warnedYears: number[] = []
  const calendar = new WorkingDayCalendar(data, { onUncoveredYear: (year) => warnedYears.push(year) })
  return { calendar, warnedYears }
}

describe('isWorkingDay', () => {
  const { calendar } = makeCalendar()

  it('国庆/中秋 2025: Oct 1–8 off, Sunday Sep 28 and Saturday Oct 11 are make-up working days', () => {
    for (let d = 1; d <= 8; d++) expect(calendar.isWorkingDay(`2025-10-0${d}`)).toBe(false)
    expect(calendar.isWorkingDay('2025-09-28')).toBe(true) // Sunday, 调休
    expect(calendar.isWorkingDay('2025-10-11')).toBe(true) // Saturday, 调休
    expect(calendar.isWorkingDay('2025-09-27')).toBe(false) // ordinary Saturday
    expect(calendar.isWorkingDay('2025-10-09')).toBe(true) // Thursday after the break
    expect(calendar.isWorkingDay('2025-10-12')).toBe(false) // ordinary Sunday
  })

  it('春节 2026: Feb 15–23 off, Saturdays Feb 14 and Feb 28 working', () => {
    for (let d = 15; d <= 23; d++) expect(calendar.isWorkingDay(`2026-02-${d}`)).toBe(false)
    expect(calendar.isWorkingDay('2026-02-14')).toBe(true)
    expect(calendar.isWorkingDay('2026-02-28')).toBe(true)
    expect(calendar.isWorkingDay('2026-02-13')).toBe(true) // Friday
    expect(calendar.isWorkingDay('2026-02-24')).toBe(true) // Tuesday
    expect(calendar.isWorkingDay('2026-02-21')).toBe(false) // Saturday inside the holiday
  })

  it('accepts an instant and uses the China-time day it falls on', () => {
    // 2025-09-30T16:30Z is 2025-10-01 00:30 in China: a holiday, although still Sep 30 in UTC.
    expect(calendar.isWorkingDay(new Date('2025-09-30T16:30:00Z'))).toBe(false)
    expect(calendar.isWorkingDay(new Date('2025-09-30T15:59:00Z'))).toBe(true)
    expect(chinaDateOf(new Date('2025-09-30T16:30:00Z'))).toBe('2025-10-01')
  })

  it('rejects malformed dates', () => {
    expect(() => calendar.isWorkingDay('2025-02-30')).toThrow(/YYYY-MM-DD/)
    expect(() => calendar.isWorkingDay('2025/10/01')).toThrow(/YYYY-MM-DD/)
  })
})

describe('years not in the file', () => {
  it('coversYear reflects the data', () => {
    const { calendar } = makeCalendar()
    expect(calendar.coversYear(2025)).toBe(true)
    expect(calendar.coversYear(2026)).toBe(true)
    expect(calendar.coversYear(2027)).toBe(false)
    expect(calendar.coversYear(2024)).toBe(false)
  })

  it('falls back to the statutory holidays and weekends, provisionally, and warns once per year', () => {
    const { calendar, warnedYears } = makeCalendar()
    // 2027-01-01 is a Friday: 元旦 is a statutory day off even before the 2027 notice is loaded.
    expect(calendar.isWorkingDay('2027-01-01')).toBe(false)
    expect(calendar.isWorkingDay('2027-01-02')).toBe(false) // Saturday
    expect(calendar.isWorkingDay('2027-01-04')).toBe(true)
    expect(calendar.isProvisional('2027-01-04')).toBe(true)
    expect(calendar.isProvisional('2026-12-31')).toBe(false)
    expect(warnedYears).toEqual([2027])
  })

  it('does not warn for covered years', () => {
    const { calendar, warnedYears } = makeCalendar()
    calendar.addWorkingDays(cn('2025-03-03T10:00'), 30)
    expect(warnedYears).toEqual([])
  })

  it('a deadline running into an uncovered year skips the statutory 元旦 and warns', () => {
    const { calendar, warnedYears } = makeCalendar()
    // Thu 2026-12-31 10:00 → Fri 2027-01-01 is 元旦, the weekend follows: Mon 2027-01-04.
    expect(calendar.addWorkingDays(cn('2026-12-31T10:00'), 1)).toEqual(cn('2027-01-04T17:30'))
    expect(warnedYears).toEqual([2027])
  })
})

describe('isWorkingTime and nextWorkingStart', () => {
  const { calendar } = makeCalendar()

  it('models 09:00–12:00 and 13:30–17:30 with start inclusive, end exclusive', () => {
    expect(calendar.isWorkingTime(cn('2025-11-19T08:59'))).toBe(false)
    expect(calendar.isWorkingTime(cn('2025-11-19T09:00'))).toBe(true)
    expect(calendar.isWorkingTime(cn('2025-11-19T11:59'))).toBe(true)
    expect(calendar.isWorkingTime(cn('2025-11-19T12:00'))).toBe(false)
    expect(calendar.isWorkingTime(cn('2025-11-19T12:30'))).toBe(false)
    expect(calendar.isWorkingTime(cn('2025-11-19T13:30'))).toBe(true)
    expect(calendar.isWorkingTime(cn('2025-11-19T17:29'))).toBe(true)
    expect(calendar.isWorkingTime(cn('2025-11-19T17:30'))).toBe(false)
    expect(calendar.isWorkingTime(cn('2025-10-11T10:00'))).toBe(true) // 调休 Saturday
    expect(calendar.isWorkingTime(cn('2025-10-08T10:00'))).toBe(false) // holiday Wednesday
  })

  it('returns the instant itself during working time', () => {
    const at = cn('2025-11-19T10:15')
    const result = calendar.nextWorkingStart(at)
    expect(result).toEqual(at)
    expect(result).not.toBe(at)
  })

  it('moves lunch to 13:30, early morning to 09:00, evening to the next working morning', () => {
    expect(calendar.nextWorkingStart(cn('2025-11-19T12:30'))).toEqual(cn('2025-11-19T13:30'))
    expect(calendar.nextWorkingStart(cn('2025-11-19T07:00'))).toEqual(cn('2025-11-19T09:00'))
    expect(calendar.nextWorkingStart(cn('2025-11-14T18:00'))).toEqual(cn('2025-11-17T09:00')) // Fri → Mon
    expect(calendar.nextWorkingStart(cn('2025-09-27T10:00'))).toEqual(cn('2025-09-28T09:00')) // Sat → 调休 Sun
    expect(calendar.nextWorkingStart(cn('2025-09-30T17:30'))).toEqual(cn('2025-10-09T09:00')) // over 国庆
  })
})

describe('addWorkingDays (deadline = 17:30 of the n-th working day after acceptance day)', () => {
  const { calendar } = makeCalendar()

  it('within working hours the creation day is day 0', () => {
    expect(calendar.addWorkingDays(cn('2025-11-19T10:00'), 0)).toEqual(cn('2025-11-19T17:30'))
    expect(calendar.addWorkingDays(cn('2025-11-19T10:00'), 1)).toEqual(cn('2025-11-20T17:30'))
  })

  it('before 09:00 on a working day still counts that day', () => {
    expect(calendar.addWorkingDays(cn('2025-11-19T07:00'), 1)).toEqual(cn('2025-11-20T17:30'))
  })

  it('creation during lunch counts that day', () => {
    expect(calendar.addWorkingDays(cn('2025-11-19T12:30'), 1)).toEqual(cn('2025-11-20T17:30'))
  })

  it('Friday 18:00 (after hours) is accepted Monday, due Tuesday', () => {
    expect(calendar.addWorkingDays(cn('2025-11-14T18:00'), 1)).toEqual(cn('2025-11-18T17:30'))
  })

  it('exactly 17:30 is after hours', () => {
    expect(calendar.addWorkingDays(cn('2025-11-19T17:30'), 1)).toEqual(cn('2025-11-21T17:30'))
    expect(calendar.addWorkingDays(cn('2025-11-19T17:29'), 1)).toEqual(cn('2025-11-20T17:30'))
  })

  it('Sunday creation is accepted Monday, due Tuesday', () => {
    expect(calendar.addWorkingDays(cn('2025-11-16T11:00'), 1)).toEqual(cn('2025-11-18T17:30'))
  })

  it('国庆 2025: before the break jumps to Oct 9; a ticket created in the break is due Oct 10', () => {
    expect(calendar.addWorkingDays(cn('2025-09-30T10:00'), 1)).toEqual(cn('2025-10-09T17:30'))
    expect(calendar.addWorkingDays(cn('2025-09-30T18:00'), 1)).toEqual(cn('2025-10-10T17:30'))
    expect(calendar.addWorkingDays(cn('2025-10-03T10:00'), 1)).toEqual(cn('2025-10-10T17:30'))
  })

  it('counts the 调休 Saturday Oct 11 2025 as a working day', () => {
    // Accepted Thu Oct 9; +1 Fri Oct 10, +2 Sat Oct 11 (调休), +3 Mon Oct 13.
    expect(calendar.addWorkingDays(cn('2025-10-05T10:00'), 2)).toEqual(cn('2025-10-11T17:30'))
    expect(calendar.addWorkingDays(cn('2025-10-05T10:00'), 3)).toEqual(cn('2025-10-13T17:30'))
  })

  it('a non-working Saturday is accepted on the 调休 Sunday Sep 28 2025', () => {
    expect(calendar.addWorkingDays(cn('2025-09-27T14:00'), 1)).toEqual(cn('2025-09-29T17:30'))
    expect(calendar.addWorkingDays(cn('2025-09-27T14:00'), 0)).toEqual(cn('2025-09-28T17:30'))
  })

  it('春节 2026 around the 调休 Saturday Feb 14', () => {
    expect(calendar.addWorkingDays(cn('2026-02-13T16:00'), 1)).toEqual(cn('2026-02-14T17:30'))
    expect(calendar.addWorkingDays(cn('2026-02-13T18:00'), 1)).toEqual(cn('2026-02-24T17:30'))
    expect(calendar.addWorkingDays(cn('2026-02-18T10:00'), 1)).toEqual(cn('2026-02-25T17:30'))
    expect(calendar.addWorkingDays(cn('2026-02-13T10:00'), 3)).toEqual(cn('2026-02-25T17:30'))
  })

  it('New Year 2025-12-31 → 2026: Jan 1–3 off, Sunday Jan 4 is a 调休 working day', () => {
    expect(calendar.addWorkingDays(cn('2025-12-31T10:00'), 1)).toEqual(cn('2026-01-04T17:30'))
    expect(calendar.addWorkingDays(cn('2025-12-31T18:00'), 1)).toEqual(cn('2026-01-05T17:30'))
  })

  it('rejects negative or fractional n', () => {
    expect(() => calendar.addWorkingDays(cn('2025-11-19T10:00'), -1)).toThrow(RangeError)
    expect(() => calendar.addWorkingDays(cn('2025-11-19T10:00'), 1.5)).toThrow(RangeError)
  })
})

describe('workingMillisBetween', () => {
  const { calendar } = makeCalendar()

  it('across lunch excludes 12:00–13:30', () => {
    expect(calendar.workingMillisBetween(cn('2025-11-19T11:00'), cn('2025-11-19T14:00'))).toBe(1.5 * HOUR)
    expect(calendar.workingMillisBetween(cn('2025-11-19T12:10'), cn('2025-11-19T13:20'))).toBe(0)
  })

  it('a full working day is 7 hours (3h + 4h)', () => {
    expect(calendar.workingMillisBetween(cn('2025-11-19T00:00'), cn('2025-11-20T00:00'))).toBe(7 * HOUR)
  })

  it('across a weekend counts only Friday afternoon and Monday morning', () => {
    // Fri 16:00–17:30 (1.5h) + Mon 09:00–10:00 (1h)
    expect(calendar.workingMillisBetween(cn('2025-11-14T16:00'), cn('2025-11-17T10:00'))).toBe(2.5 * HOUR)
  })

  it('across 国庆 2025 counts only the days around it', () => {
    expect(calendar.workingMillisBetween(cn('2025-09-30T17:00'), cn('2025-10-09T09:30'))).toBe(1 * HOUR)
  })

  it('a weekend with a 调休 Sunday counts that Sunday', () => {
    expect(calendar.workingMillisBetween(cn('2025-09-27T00:00'), cn('2025-09-29T00:00'))).toBe(7 * HOUR)
  })

  it('is 0 for an empty or reversed range', () => {
    expect(calendar.workingMillisBetween(cn('2025-11-19T10:00'), cn('2025-11-19T10:00'))).toBe(0)
    expect(calendar.workingMillisBetween(cn('2025-11-19T14:00'), cn('2025-11-19T10:00'))).toBe(0)
  })
})

describe('labels', () => {
  const { calendar } = makeCalendar()

  it('formats a deadline in China time with the weekday', () => {
    expect(formatChinaDeadline(cn('2026-10-09T17:30'))).toBe('2026年10月9日（星期五）17:30')
    expect(formatChinaDeadline(new Date('2026-01-04T09:30:00Z'))).toBe('2026年1月4日（星期日）17:30')
  })

  it('nextWorkingDayLabel gives the 1-working-day reply deadline', () => {
    // Created during 国庆 2026 (Oct 1–7): accepted Thu Oct 8, due Fri Oct 9 17:30.
    expect(calendar.nextWorkingDayLabel(cn('2026-10-05T10:00'))).toBe('2026年10月9日（星期五）17:30')
  })
})

describe('time-zone independence', () => {
  it('instants written in UTC give the China-time answers', () => {
    const { calendar } = makeCalendar()
    // 2025-11-14T10:00Z = Fri 18:00 China (after hours) → due Tue Nov 18 17:30 China = 09:30Z.
    expect(calendar.addWorkingDays(new Date('2025-11-14T10:00:00Z'), 1).toISOString()).toBe('2025-11-18T09:30:00.000Z')
    // 2025-11-16T16:30Z = Mon Nov 17 00:30 China (still Sunday in UTC) → accepted Monday, due Tuesday.
    expect(calendar.addWorkingDays(new Date('2025-11-16T16:30:00Z'), 1).toISOString()).toBe('2025-11-18T09:30:00.000Z')
    expect(calendar.isWorkingTime(new Date('2025-11-19T01:00:00Z'))).toBe(true) // 09:00 China
    expect(calendar.isWorkingTime(new Date('2025-11-19T00:59:00Z'))).toBe(false) // 08:59 China
  })

  it('gives the same results whatever the process TZ is', () => {
    const original = process.env.TZ
    const run = (): string[] => {
      const { calendar } = makeCalendar()
      return [
        calendar.addWorkingDays(new Date('2025-09-30T10:00:00Z'), 1).toISOString(),
        calendar.nextWorkingStart(new Date('2025-12-31T10:00:00Z')).toISOString(),
        String(calendar.workingMillisBetween(new Date('2025-11-14T08:00:00Z'), new Date('2025-11-17T02:00:00Z'))),
        String(calendar.isWorkingDay(new Date('2025-09-30T16:30:00Z'))),
        calendar.nextWorkingDayLabel(new Date('2026-10-05T02:00:00Z')),
      ]
    }
    try {
      const results = ['UTC', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Asia/Shanghai'].map((tz) => {
        process.env.TZ = tz
        return run()
      })
      expect(results[0]).toEqual([
        '2025-10-10T09:30:00.000Z', // Sep 30 18:00 China, after hours → accepted Oct 9, due Oct 10 17:30
        '2026-01-04T01:00:00.000Z',
        String(2.5 * HOUR),
        'false',
        '2026年10月9日（星期五）17:30',
      ])
      for (const r of results) expect(r).toEqual(results[0])
    } finally {
      if (original === undefined) delete process.env.TZ
      else process.env.TZ = original
    }
  })
})

describe('loading and validation', () => {
  it('loads the bundled file', () => {
    expect(Object.keys(data.years)).toEqual(expect.arrayContaining(['2025', '2026']))
    expect(data.years['2025']?.workdays).toContain('2025-10-11')
  })

  const base = (): Record<string, unknown> => ({
    years: { '2025': { source: 'test notice', holidays: { 国庆节: ['2025-10-01'] }, workdays: ['2025-10-11'] } },
  })
  const withYear = (patch: Record<string, unknown>): unknown => ({
    years: { '2025': { source: 'test notice', holidays: {}, workdays: [], ...patch } },
  })

  it('accepts minimal valid data', () => {
    expect(() => parseCalendarData(base())).not.toThrow()
  })

  it('rejects malformed data with a clear message', () => {
    expect(() => parseCalendarData(null)).toThrow(/years/)
    expect(() => parseCalendarData({ years: {} })).toThrow(/empty/)
    expect(() => parseCalendarData({ years: { '25': {} } })).toThrow(/four digits/)
    expect(() => parseCalendarData(withYear({ source: '' }))).toThrow(/source/)
    expect(() => parseCalendarData(withYear({ holidays: { 春节: ['2025-02-30'] } }))).toThrow(/春节\[0\].*2025-02-30/)
    expect(() => parseCalendarData(withYear({ workdays: '2025-10-11' }))).toThrow(/workdays must be an array/)
    // 2025-10-10 is a Friday: a make-up working day must be a weekend day.
    expect(() => parseCalendarData(withYear({ workdays: ['2025-10-10'] }))).toThrow(/not a Saturday or Sunday/)
    expect(() => parseCalendarData(withYear({ holidays: { x: ['2025-10-11'] }, workdays: ['2025-10-11'] }))).toThrow(
      /both/,
    )
    expect(() => parseCalendarData(withYear({ holidays: { x: ['2030-01-01'] } }))).toThrow(/outside 2025/)
  })

  it('loadCalendarFile reports unreadable and invalid files', () => {
    const dir = mkdtempSync(join(tmpdir(), 'taxkb-calendar-'))
    const broken = join(dir, 'broken.json')
    writeFileSync(broken, '{ not json')
    expect(() => loadCalendarFile(broken)).toThrow(/not valid JSON/)
    const bad = join(dir, 'bad.json')
    writeFileSync(bad, JSON.stringify(withYear({ workdays: ['2025-10-10'] })))
    expect(() => loadCalendarFile(bad)).toThrow(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}.*Saturday`))
    expect(() => loadCalendarFile(join(dir, 'missing.json'))).toThrow(/Cannot read/)
  })

  it('rejects bad working hours', () => {
    expect(() => new WorkingDayCalendar(data, { workingPeriods: [] })).toThrow(/at least one/)
    expect(() => new WorkingDayCalendar(data, { workingPeriods: [{ start: '9:00', end: '17:00' }] })).toThrow(/HH:MM/)
    expect(
      () =>
        new WorkingDayCalendar(data, {
          workingPeriods: [
            { start: '09:00', end: '13:00' },
            { start: '12:00', end: '17:00' },
          ],
        }),
    ).toThrow(/no overlap/)
  })

  it('honours custom working hours', () => {
    const calendar = new WorkingDayCalendar(data, {
      workingPeriods: [{ start: '08:30', end: '17:00' }],
      onUncoveredYear: () => {},
    })
    expect(calendar.isWorkingTime(cn('2025-11-19T12:30'))).toBe(true)
    expect(calendar.addWorkingDays(cn('2025-11-19T10:00'), 1)).toEqual(cn('2025-11-20T17:00'))
  })
})
