/**
 * The province's booking rules (网上预约办税, 皖地税函〔2017〕271号), as pure functions of an injected "now":
 *  - book up to one week ahead (the slot's China date at most 7 days after today's);
 *  - a same-day booking only when the slot starts at least 3 hours later (exactly 3 hours is allowed);
 *  - cancel at least 3 hours before the slot starts (exactly 3 hours is allowed), later the booking stands;
 *  - not checked in by the end of the slot = a no-show; the third no-show locks the person for 90 days in
 *    every hall of the province, until a hall administrator unlocks after an in-person ID check.
 * Violations return a rule (stable code + the Chinese sentence shown to the taxpayer), never throw.
 */
import { chinaDateOf } from '../shared/working-day-calendar.js'

export const BOOKING_WINDOW_DAYS = 7
export const SAME_DAY_LEAD_HOURS = 3
export const CANCEL_CUTOFF_HOURS = 3
export const NO_SHOWS_TO_LOCK = 3
export const LOCK_DAYS = 90

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

export type RuleCode = 'SLOT_IN_PAST' | 'BOOKING_TOO_FAR' | 'SAME_DAY_TOO_LATE' | 'CANCEL_TOO_LATE' | 'PERSON_LOCKED'

export interface RuleViolation {
  code: RuleCode
  message: string
}

function daysBetween(fromIso: string, toIso: string): number {
  return Math.round((Date.parse(`${toIso}T00:00:00Z`) - Date.parse(`${fromIso}T00:00:00Z`)) / DAY_MS)
}

/** Whether a slot starting at `slotStart` may be booked at `now` (capacity is the store's business). */
export function bookingWindowViolation(now: Date, slotStart: Date): RuleViolation | null {
  if (slotStart.getTime() <= now.getTime()) {
    return { code: 'SLOT_IN_PAST', message: '该时段已开始或已过去，请选择其他时段' }
  }
  const today = chinaDateOf(now)
  const day = chinaDateOf(slotStart)
  const ahead = daysBetween(today, day)
  if (ahead > BOOKING_WINDOW_DAYS) {
    return { code: 'BOOKING_TOO_FAR', message: `最多可预约${BOOKING_WINDOW_DAYS}天内的时段，请重新选择日期` }
  }
  if (ahead === 0 && slotStart.getTime() - now.getTime() < SAME_DAY_LEAD_HOURS * HOUR_MS) {
    return {
      code: 'SAME_DAY_TOO_LATE',
      message: `当天预约须在所选时段开始前至少${SAME_DAY_LEAD_HOURS}小时办理，该时段已不可预约，请选择更晚的时段或其他日期`,
    }
  }
  return null
}

/** Whether a booking for `slotStart` may still be cancelled at `now`. */
export function cancelViolation(now: Date, slotStart: Date): RuleViolation | null {
  if (slotStart.getTime() - now.getTime() < CANCEL_CUTOFF_HOURS * HOUR_MS) {
    return {
      code: 'CANCEL_TOO_LATE',
      message: `须在预约时段开始前至少${CANCEL_CUTOFF_HOURS}小时取消；现已不能取消，预约仍然有效，请按时到厅办理`,
    }
  }
  return null
}

/** A booked, not checked-in appointment becomes a no-show once its slot has ended. */
export function isNoShow(now: Date, appointment: { status: string; slotEnd: string }): boolean {
  return appointment.status === 'booked' && now.getTime() >= Date.parse(appointment.slotEnd)
}

export interface LockState {
  /** No-shows counted since the last lock or unlock. */
  noShows: number
  lockedUntil: string | null
}

/** Records one no-show at `at`: the third (since the last lock/unlock) locks for 90 days. */
export function afterNoShow(state: LockState, at: Date): LockState {
  const noShows = state.noShows + 1
  if (noShows < NO_SHOWS_TO_LOCK) return { noShows, lockedUntil: state.lockedUntil }
  return { noShows: 0, lockedUntil: new Date(at.getTime() + LOCK_DAYS * DAY_MS).toISOString() }
}

export function lockViolation(now: Date, state: LockState | undefined): RuleViolation | null {
  if (!state?.lockedUntil || Date.parse(state.lockedUntil) <= now.getTime()) return null
  const until = chinaDateOf(new Date(state.lockedUntil))
  return {
    code: 'PERSON_LOCKED',
    message:
      `因累计${NO_SHOWS_TO_LOCK}次预约未到，${LOCK_DAYS}天内（至${until}）不能在全省办税服务厅预约；` +
      '如需解除，请携带有效身份证件到任一办税服务厅核验',
  }
}
