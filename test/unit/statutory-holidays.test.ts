/**
 * Provisional holidays from 《全国年节及纪念日放假办法》: checked against the official 2025 and 2026 notices
 * bundled in knowledge/calendar (every statutory day must be a day off there), and against 2027.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { provisionalYear, statutoryDays } from '../../services/shared/statutory-holidays.js'
import { loadCalendarFile, WorkingDayCalendar } from '../../services/shared/working-day-calendar.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const official = loadCalendarFile(path.join(REPO_ROOT, 'knowledge', 'calendar', 'cn-holidays.json'))

describe('statutory holidays', () => {
  it.each([2025, 2026])('every statutory day of %i is a day off in the official notice', (year) => {
    const offDays = new Set(Object.values(official.years[String(year)]?.holidays ?? {}).flat())
    const days = Object.values(statutoryDays(year)).flat()
    expect(days).toHaveLength(13)
    for (const d of days) expect(offDays.has(d), d).toBe(true)
  })

  it('computes the lunar dates and 清明 of 2027', () => {
    const days = statutoryDays(2027)
    expect(days.春节).toEqual(['2027-02-05', '2027-02-06', '2027-02-07', '2027-02-08'])
    expect(days.清明节).toEqual(['2027-04-05'])
    expect(days.端午节).toEqual(['2027-06-09'])
    expect(days.中秋节).toEqual(['2027-09-15'])
  })

  it('adds 补假 on the next free weekday for days that fall on a weekend (第六条)', () => {
    const y = provisionalYear(2027)
    // 春节 2027: Fri 02-05 除夕, Sat 02-06, Sun 02-07, Mon 02-08 → two weekend days → Tue 02-09, Wed 02-10.
    expect(y.holidays.春节).toEqual([
      '2027-02-05',
      '2027-02-06',
      '2027-02-07',
      '2027-02-08',
      '2027-02-09',
      '2027-02-10',
    ])
    // 国庆 2027: Fri 10-01, Sat 10-02, Sun 10-03 → Mon 10-04, Tue 10-05.
    expect(y.holidays.国庆节).toEqual(['2027-10-01', '2027-10-02', '2027-10-03', '2027-10-04', '2027-10-05'])
    expect(y.workdays).toEqual([])
  })

  it('2027-01-01 is never a working day, and loading the notice replaces the provisional year', () => {
    const provisional = new WorkingDayCalendar(official, { onUncoveredYear: () => {} })
    expect(provisional.isWorkingDay('2027-01-01')).toBe(false)
    expect(provisional.isProvisional('2027-01-01')).toBe(true)
    expect(provisional.isWorkingDay('2027-02-09')).toBe(false)
    const notice = {
      source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
      holidays: { 元旦: ['2027-01-01'] },
      workdays: [],
    }
    const loaded = new WorkingDayCalendar(
      { years: { ...official.years, '2027': notice } },
      { onUncoveredYear: () => {} },
    )
    expect(loaded.isWorkingDay('2027-01-01')).toBe(false)
    expect(loaded.isProvisional('2027-01-01')).toBe(false)
    // The notice, not the statutory rule, decides once loaded.
    expect(loaded.isWorkingDay('2027-02-09')).toBe(true)
  })

  it('a deadline on a provisional day says so; one in a year with a notice does not', () => {
    const calendar = new WorkingDayCalendar(official, { onUncoveredYear: () => {} })
    // Thu 2026-12-31 10:00 + 1 working day → Mon 2027-01-04 17:30 (元旦 and the weekend skipped, provisionally).
    const due = calendar.addWorkingDays(new Date('2026-12-31T02:00:00Z'), 1)
    expect(calendar.deadlineLabel(due)).toBe('2027年1月4日（星期一）17:30（节假日安排以国务院办公厅通知为准）')
    expect(calendar.deadlineLabel(new Date('2026-12-30T09:30:00Z'))).toBe('2026年12月30日（星期三）17:30')
  })
})
