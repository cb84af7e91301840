/**
 * Ticket service levels in working days (12366 practice). Pure arithmetic over a WorkingDayCalendar:
 * a deadline is the end of working hours (17:30 China time) of the n-th working day after the
 * acceptance day — see `WorkingDayCalendar.addWorkingDays` for how after-hours and holiday
 * creation is shifted to the next working day.
 */
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'

export const SLA_KINDS = [
  'consult-general',
  'consult-difficult',
  'complaint',
  'report',
  'suggestion',
  'callback',
] as const

export type SlaKind = (typeof SLA_KINDS)[number]

/** What must happen by the deadline: answer the taxpayer, hand over to the responsible office, or call back. */
export type SlaAction = 'answer' | 'transfer' | 'callback'

export interface SlaRule {
  readonly workingDays: number
  readonly action: SlaAction
}

export const SLA_RULES: Readonly<Record<SlaKind, SlaRule>> = {
  // 一般咨询：1个工作日内答复
  'consult-general': { workingDays: 1, action: 'answer' },
  // 疑难咨询：3个工作日内答复
  'consult-difficult': { workingDays: 3, action: 'answer' },
  // 投诉、举报、建议：1个工作日内转交承办部门
  complaint: { workingDays: 1, action: 'transfer' },
  report: { workingDays: 1, action: 'transfer' },
  suggestion: { workingDays: 1, action: 'transfer' },
  // 预约回电：1个工作日内回电
  callback: { workingDays: 1, action: 'callback' },
}

export function isSlaKind(value: unknown): value is SlaKind {
  return typeof value === 'string' && (SLA_KINDS as readonly string[]).includes(value)
}

/** Deadline for a ticket of `kind` created at `createdAt`. */
export function dueAt(calendar: WorkingDayCalendar, createdAt: Date, kind: SlaKind): Date {
  return calendar.addWorkingDays(createdAt, SLA_RULES[kind].workingDays)
}

/**
 * Overdue when answered after the deadline, or — still open — when `now` is past it. A deadline is
 * already a working-time instant, so this is a plain comparison; `calendar` keeps the SLA functions'
 * signatures uniform.
 */
export function isOverdue(_calendar: WorkingDayCalendar, due: Date, now: Date, answeredAt?: Date): boolean {
  const reference = answeredAt ?? now
  return reference.getTime() > due.getTime()
}

/**
 * Pushes a deadline back by whole working days (e.g. an approved 延期答复). The day the current
 * deadline falls on counts as day 0 when it is a working day and the deadline is at or before the
 * end of working hours; the result is 17:30 of the extra-th working day after it. 0 returns `due`.
 */
export function extendDue(calendar: WorkingDayCalendar, due: Date, extraWorkingDays: number): Date {
  if (!Number.isInteger(extraWorkingDays) || extraWorkingDays < 0) {
    throw new RangeError(`extraWorkingDays must be a non-negative integer, got ${extraWorkingDays}`)
  }
  if (extraWorkingDays === 0) return new Date(due.getTime())
  // A deadline sits exactly at 17:30, which addWorkingDays treats as after hours; step back 1 ms so
  // the deadline's own day is the base day rather than the next working day.
  return calendar.addWorkingDays(new Date(due.getTime() - 1), extraWorkingDays)
}
