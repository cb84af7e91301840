import { fileURLToPath } from 'node:url'
import { describe, it, expect } from 'vitest'
import { WorkingDayCalendar, loadCalendarFile } from '../../services/shared/working-day-calendar.js'
import {
  SLA_KINDS,
  SLA_RULES,
  dueAt,
  extendDue,
  isOverdue,
  isSlaKind,
  type SlaKind,
} from '../../services/tickets/sla.js'

const CALENDAR_PATH = fileURLToPath(new URL('../../knowledge/calendar/cn-holidays.json', import.meta.url))
const calendar = new WorkingDayCalendar(loadCalendarFile(CALENDAR_PATH), { onUncoveredYear: () => {} })

/** China wall-clock time → instant, independent of the machine TZ. */
const cn = (local: string): Date => new Date(`${local}:00+08:00`)

describe('dueAt', () => {
  it('general consultation: by the end of the next working day', () => {
    expect(dueAt(calendar, cn('2025-11-19T10:00'), 'consult-general')).toEqual(cn('2025-11-20T17:30'))
  })

  it('difficult consultation: 3 working days, counting the 调休 Saturday Oct 11 2025', () => {
    // Created Tue Sep 30 10:00: day 0 Sep 30; +1 Thu Oct 9, +2 Fri Oct 10, +3 Sat Oct 11 (调休).
    expect(dueAt(calendar, cn('2025-09-30T10:00'), 'consult-difficult')).toEqual(cn('2025-10-11T17:30'))
    // Created after hours: accepted Oct 9; +1 Oct 10, +2 Oct 11, +3 Mon Oct 13.
    expect(dueAt(calendar, cn('2025-09-30T18:00'), 'consult-difficult')).toEqual(cn('2025-10-13T17:30'))
  })

  it('complaint, report and suggestion: transfer within 1 working day', () => {
    for (const kind of ['complaint', 'report', 'suggestion'] as const) {
      expect(SLA_RULES[kind].action).toBe('transfer')
      // Friday 18:00 → accepted Monday → due Tuesday.
      expect(dueAt(calendar, cn('2025-11-14T18:00'), kind)).toEqual(cn('2025-11-18T17:30'))
    }
  })

  it('callback: 1 working day, Sunday creation accepted Monday', () => {
    expect(dueAt(calendar, cn('2025-11-16T11:00'), 'callback')).toEqual(cn('2025-11-18T17:30'))
  })

  it('creation during lunch counts the same day', () => {
    expect(dueAt(calendar, cn('2025-11-19T12:45'), 'consult-general')).toEqual(cn('2025-11-20T17:30'))
  })

  it('春节 2026: Friday evening before the holiday is accepted on the 调休 Saturday Feb 14', () => {
    expect(dueAt(calendar, cn('2026-02-13T18:00'), 'consult-general')).toEqual(cn('2026-02-24T17:30'))
    expect(dueAt(calendar, cn('2026-02-13T18:00'), 'consult-difficult')).toEqual(cn('2026-02-26T17:30'))
  })

  it('New Year 2025-12-31 → first working day 2026-01-04 (Sunday 调休)', () => {
    expect(dueAt(calendar, cn('2025-12-31T15:00'), 'consult-general')).toEqual(cn('2026-01-04T17:30'))
  })

  it('is independent of how the instant is written', () => {
    expect(dueAt(calendar, new Date('2025-11-14T10:00:00Z'), 'consult-general').toISOString()).toBe(
      '2025-11-18T09:30:00.000Z',
    )
  })

  it('has a rule for every kind', () => {
    for (const kind of SLA_KINDS) expect(SLA_RULES[kind].workingDays).toBeGreaterThan(0)
    expect(isSlaKind('consult-general')).toBe(true)
    expect(isSlaKind('unknown')).toBe(false)
    const kind: SlaKind = 'callback'
    expect(SLA_RULES[kind]).toEqual({ workingDays: 1, action: 'callback' })
  })
})

describe('isOverdue', () => {
  const due = cn('2025-11-20T17:30')

  it('open tickets compare now with the deadline (the deadline itself is on time)', () => {
    expect(isOverdue(calendar, due, cn('2025-11-20T17:00'))).toBe(false)
    expect(isOverdue(calendar, due, due)).toBe(false)
    expect(isOverdue(calendar, due, cn('2025-11-20T17:31'))).toBe(true)
  })

  it('answered tickets compare the answer time, not now', () => {
    expect(isOverdue(calendar, due, cn('2025-12-01T10:00'), cn('2025-11-20T16:00'))).toBe(false)
    expect(isOverdue(calendar, due, cn('2025-12-01T10:00'), cn('2025-11-21T09:05'))).toBe(true)
  })
})

describe('extendDue', () => {
  it('adds working days after the deadline day, skipping 国庆 2025', () => {
    expect(extendDue(calendar, cn('2025-09-30T17:30'), 1)).toEqual(cn('2025-10-09T17:30'))
    expect(extendDue(calendar, cn('2025-10-10T17:30'), 1)).toEqual(cn('2025-10-11T17:30')) // 调休 Saturday
    expect(extendDue(calendar, cn('2025-11-14T17:30'), 2)).toEqual(cn('2025-11-18T17:30')) // over a weekend
  })

  it('0 leaves the deadline unchanged; negative is rejected', () => {
    const due = cn('2025-11-20T17:30')
    expect(extendDue(calendar, due, 0)).toEqual(due)
    expect(() => extendDue(calendar, due, -1)).toThrow(RangeError)
  })
})
