/**
 * The China-date range of a report request, checked before any store query: each date must exist
 * (2026-02-30 has the right shape but is no date), from must not be after to, and a range may be capped.
 * Every failure is a VALIDATION_FAILED AppError with a Chinese message, never a RangeError (a 500).
 */
import { AppError } from '../shared/errors.js'
import { rangeFromDates, type Range } from './operations-report.js'

/** A year and a day: the longest range one dashboard or metrics request may ask for. */
export const MAX_RANGE_DAYS = 366
const DAY_MS = 86_400_000

function checkDate(d: string | undefined): void {
  if (d === undefined) return
  const t = Date.parse(`${d}T00:00:00Z`)
  if (Number.isNaN(t) || new Date(t).toISOString().slice(0, 10) !== d) {
    throw new AppError('VALIDATION_FAILED', `no such date ${d}`, { userMessage: `日期 ${d} 无效` })
  }
}

export function reportRange(
  from: string | undefined,
  to: string | undefined,
  now: Date,
  maxDays: number | null = MAX_RANGE_DAYS,
): Range {
  checkDate(from)
  checkDate(to)
  const range = rangeFromDates(from, to, now)
  const length = Date.parse(range.to) - Date.parse(range.from)
  if (length <= 0) {
    throw new AppError('VALIDATION_FAILED', 'from after to', { userMessage: '开始日期不能晚于结束日期' })
  }
  if (maxDays !== null && length > maxDays * DAY_MS) {
    throw new AppError('VALIDATION_FAILED', `range longer than ${maxDays} days`, {
      userMessage: `日期范围不能超过 ${maxDays} 天`,
    })
  }
  return range
}
