/**
 * Working-day calendar for China (国务院办公厅 holiday notices + 调休 make-up working days).
 *
 * All public inputs and outputs are instants (`Date`). Wall-clock questions ("which day is it",
 * "is it 17:00 yet") are answered in China time, which is UTC+8 all year (no DST), so we shift the
 * UTC epoch by a fixed +8h and never touch the machine's local time zone: results are identical
 * whatever `TZ` the process runs with.
 *
 * Working hours default to 09:00–12:00 and 13:30–17:30 (a 12:00–13:30 lunch break is modelled as
 * non-working time), i.e. 7 working hours a day; they can be overridden per instance.
 *
 * Deadline rule (`addWorkingDays`), following 12366 practice where "1个工作日内答复" means "by the
 * end of the next working day after acceptance":
 *   1. Acceptance day D0: the China-time day `at` falls on, if that is a working day and `at` is
 *      before the end of working hours (17:30, exclusive; before 09:00 and during lunch count as that
 *      day). Otherwise — after hours, weekend, holiday — the ticket is treated as accepted at the
 *      start of the next working day, and D0 is that day.
 *   2. The deadline is the end of working hours (17:30 China time) of the n-th working day after D0
 *      (n = 0 → end of D0 itself).
 *
 * Years missing from the data fall back to the statutory holidays of 《全国年节及纪念日放假办法》 with weekends
 * off (statutory-holidays.ts), flagged by `isProvisional`, and `onUncoveredYear` is called once per year per
 * calendar so operators notice that next year's notice is missing. Loading the notice replaces them.
 */
import { readFileSync } from 'node:fs'
import { PROVISIONAL_NOTICE, provisionalYear } from './statutory-holidays.js'

const MINUTE_MS = 60_000
const HOUR_MS = 60 * MINUTE_MS
const DAY_MS = 24 * HOUR_MS
/** China Standard Time is UTC+8 with no daylight saving. */
export const CHINA_UTC_OFFSET_MS = 8 * HOUR_MS
/** How far ahead we look for a working day before declaring the data broken (no real year has a month off). */
const MAX_LOOKAHEAD_DAYS = 400
const WEEKDAY_ZH = ['日', '一', '二', '三', '四', '五', '六'] as const

export interface CalendarYear {
  /** The notice the year's dates were transcribed from. */
  readonly source: string
  /** Holiday name → dates off (YYYY-MM-DD, China time). */
  readonly holidays: Readonly<Record<string, readonly string[]>>
  /** Weekend dates that are working days (调休). */
  readonly workdays: readonly string[]
}

export interface CalendarData {
  readonly note?: string
  /** Keyed by four-digit year. */
  readonly years: Readonly<Record<string, CalendarYear>>
}

/** One continuous stretch of working time in a day, China wall clock, 'HH:MM'. */
export interface WorkingPeriod {
  readonly start: string
  readonly end: string
}

/** 09:00–12:00 and 13:30–17:30: the lunch break 12:00–13:30 is not working time. */
export const DEFAULT_WORKING_PERIODS: readonly WorkingPeriod[] = [
  { start: '09:00', end: '12:00' },
  { start: '13:30', end: '17:30' },
]

export interface WorkingDayCalendarOptions {
  readonly workingPeriods?: readonly WorkingPeriod[]
  /** Called once per year (per instance) when a date outside the data's years is evaluated. */
  readonly onUncoveredYear?: (year: number) => void
}

// ---------------------------------------------------------------------------------------------
// Date helpers: "day index" = days since 1970-01-01 in China time.

function assertValidInstant(at: Date, what: string): number {
  const t = at instanceof Date ? at.getTime() : Number.NaN
  if (!Number.isFinite(t)) throw new TypeError(`${what} must be a valid Date`)
  return t
}

function chinaDayIndex(t: number): number {
  return Math.floor((t + CHINA_UTC_OFFSET_MS) / DAY_MS)
}

function msIntoChinaDay(t: number): number {
  const shifted = t + CHINA_UTC_OFFSET_MS
  return shifted - Math.floor(shifted / DAY_MS) * DAY_MS
}

function dayIndexToIso(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10)
}

function weekdayOf(day: number): number {
  return new Date(day * DAY_MS).getUTCDay()
}

function instantAt(day: number, msOfDay: number): Date {
  return new Date(day * DAY_MS + msOfDay - CHINA_UTC_OFFSET_MS)
}

/** Parses a real calendar date 'YYYY-MM-DD' to a day index, or returns undefined. */
function isoToDayIndex(value: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return undefined
  const t = Date.parse(`${value}T00:00:00Z`)
  if (!Number.isFinite(t) || new Date(t).toISOString().slice(0, 10) !== value) return undefined
  return t / DAY_MS
}

/** China calendar date ('YYYY-MM-DD') of an instant. */
export function chinaDateOf(at: Date): string {
  return dayIndexToIso(chinaDayIndex(assertValidInstant(at, 'at')))
}

/** "2026年10月9日（星期五）17:30" — the instant in China time, for notices to taxpayers. */
export function formatChinaDeadline(at: Date): string {
  const t = assertValidInstant(at, 'at')
  const day = chinaDayIndex(t)
  const iso = dayIndexToIso(day)
  const minutes = Math.floor(msIntoChinaDay(t) / MINUTE_MS)
  const hh = String(Math.floor(minutes / 60)).padStart(2, '0')
  const mm = String(minutes % 60).padStart(2, '0')
  const [y, m, d] = iso.split('-').map(Number)
  return `${y}年${m}月${d}日（星期${WEEKDAY_ZH[weekdayOf(day)]}）${hh}:${mm}`
}

// ---------------------------------------------------------------------------------------------
// Validation

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function parseDateList(value: unknown, path: string, origin: string): string[] {
  if (!Array.isArray(value)) throw new Error(`${origin}: ${path} must be an array of YYYY-MM-DD dates`)
  return value.map((item: unknown, i) => {
    if (typeof item !== 'string' || isoToDayIndex(item) === undefined) {
      throw new Error(`${origin}: ${path}[${i}] is not a valid YYYY-MM-DD date: ${JSON.stringify(item)}`)
    }
    return item
  })
}

/**
 * Validates parsed JSON as calendar data. Throws an Error naming the offending field.
 * Rules: four-digit year keys; each year has a non-empty `source`, `holidays` (name → dates) and
 * `workdays` (dates); dates are real YYYY-MM-DD dates within a year of their key (元旦 can spill
 * over); a make-up working day must fall on a Saturday or Sunday; no date is both off and on.
 */
export function parseCalendarData(raw: unknown, origin = 'calendar data'): CalendarData {
  if (!isRecord(raw)) throw new Error(`${origin}: expected a JSON object with a "years" object`)
  if (raw.note !== undefined && typeof raw.note !== 'string') throw new Error(`${origin}: "note" must be a string`)
  if (!isRecord(raw.years)) throw new Error(`${origin}: "years" must be an object keyed by year`)
  const yearKeys = Object.keys(raw.years)
  if (yearKeys.length === 0) throw new Error(`${origin}: "years" is empty`)

  const years: Record<string, CalendarYear> = {}
  const holidayDates = new Set<string>()
  const workdayDates = new Set<string>()
  for (const key of yearKeys) {
    const entry = raw.years[key]
    const at = `years.${key}`
    if (!/^\d{4}$/.test(key)) throw new Error(`${origin}: year key "${key}" must be four digits`)
    if (!isRecord(entry)) throw new Error(`${origin}: ${at} must be an object`)
    if (typeof entry.source !== 'string' || entry.source.trim() === '') {
      throw new Error(`${origin}: ${at}.source must name the official notice`)
    }
    if (!isRecord(entry.holidays)) throw new Error(`${origin}: ${at}.holidays must be an object (name → dates)`)
    const year = Number(key)
    const inRange = (date: string): boolean => Math.abs(Number(date.slice(0, 4)) - year) <= 1

    const holidays: Record<string, string[]> = {}
    for (const [name, list] of Object.entries(entry.holidays)) {
      const dates = parseDateList(list, `${at}.holidays.${name}`, origin)
      for (const date of dates) {
        if (!inRange(date)) throw new Error(`${origin}: ${at}.holidays.${name} has ${date}, outside ${key}`)
        holidayDates.add(date)
      }
      holidays[name] = dates
    }
    const workdays = parseDateList(entry.workdays, `${at}.workdays`, origin)
    for (const date of workdays) {
      if (!inRange(date)) throw new Error(`${origin}: ${at}.workdays has ${date}, outside ${key}`)
      const weekday = weekdayOf(isoToDayIndex(date) ?? 0)
      if (weekday !== 0 && weekday !== 6) {
        throw new Error(`${origin}: ${at}.workdays has ${date}, which is not a Saturday or Sunday`)
      }
      workdayDates.add(date)
    }
    years[key] = { source: entry.source, holidays, workdays }
  }
  for (const date of workdayDates) {
    if (holidayDates.has(date)) throw new Error(`${origin}: ${date} is listed both as a holiday and as a workday`)
  }
  return typeof raw.note === 'string' ? { note: raw.note, years } : { years }
}

/** Reads and validates a calendar JSON file (startup-time, synchronous). */
export function loadCalendarFile(path: string): CalendarData {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (error) {
    throw new Error(`Cannot read holiday calendar ${path}: ${(error as Error).message}`, { cause: error })
  }
  let raw: unknown
  try {
    raw = JSON.parse(text)
  } catch (error) {
    throw new Error(`Holiday calendar ${path} is not valid JSON: ${(error as Error).message}`, { cause: error })
  }
  return parseCalendarData(raw, path)
}

// ---------------------------------------------------------------------------------------------

interface Period {
  readonly startMs: number
  readonly endMs: number
}

function parseClock(value: string, what: string): number {
  const match = /^(\d{2}):(\d{2})$/.exec(value)
  const h = Number(match?.[1])
  const m = Number(match?.[2])
  if (!match || m > 59 || h > 24 || (h === 24 && m !== 0)) throw new Error(`${what} must be HH:MM, got "${value}"`)
  return h * HOUR_MS + m * MINUTE_MS
}

function parsePeriods(periods: readonly WorkingPeriod[]): Period[] {
  if (periods.length === 0) throw new Error('workingPeriods must contain at least one period')
  const parsed = periods.map((p, i) => ({
    startMs: parseClock(p.start, `workingPeriods[${i}].start`),
    endMs: parseClock(p.end, `workingPeriods[${i}].end`),
  }))
  parsed.forEach((p, i) => {
    if (p.endMs <= p.startMs) throw new Error(`workingPeriods[${i}] must end after it starts`)
    const previous = parsed[i - 1]
    if (previous && p.startMs < previous.endMs) {
      throw new Error(`workingPeriods[${i}] must start after the previous period ends (sorted, no overlap)`)
    }
  })
  return parsed
}

function defaultUncoveredYearWarning(year: number): void {
  process.emitWarning(
    `Holiday calendar has no data for ${year}; using the statutory holidays (provisional) and weekends. ` +
      `Add the State Council notice for ${year} to knowledge/calendar/cn-holidays.json.`,
    { code: 'TAXKB_CALENDAR_YEAR_NOT_COVERED' },
  )
}

export class WorkingDayCalendar {
  readonly #holidays = new Set<string>()
  readonly #workdays = new Set<string>()
  readonly #years = new Set<number>()
  readonly #periods: readonly Period[]
  readonly #dayStartMs: number
  readonly #dayEndMs: number
  readonly #onUncoveredYear: (year: number) => void
  readonly #warnedYears = new Set<number>()
  /** Statutory days off of uncovered years, computed on first use. */
  readonly #provisional = new Map<number, ReadonlySet<string>>()

  constructor(data: CalendarData, options: WorkingDayCalendarOptions = {}) {
    const checked = parseCalendarData(data)
    for (const [key, year] of Object.entries(checked.years)) {
      this.#years.add(Number(key))
      for (const dates of Object.values(year.holidays)) for (const d of dates) this.#holidays.add(d)
      for (const d of year.workdays) this.#workdays.add(d)
    }
    this.#periods = parsePeriods(options.workingPeriods ?? DEFAULT_WORKING_PERIODS)
    // parsePeriods guarantees at least one period.
    this.#dayStartMs = this.#periods[0]?.startMs ?? 0
    this.#dayEndMs = this.#periods[this.#periods.length - 1]?.endMs ?? 0
    this.#onUncoveredYear = options.onUncoveredYear ?? defaultUncoveredYearWarning
  }

  /** Whether the data contains the official notice for `year`. */
  coversYear(year: number): boolean {
    return this.#years.has(year)
  }

  /**
   * Whether the answer for this day comes from the statutory rule rather than a loaded notice, so whatever
   * depends on it must say 「节假日安排以国务院办公厅通知为准」 (PROVISIONAL_NOTICE).
   */
  isProvisional(day: string | Date): boolean {
    const iso = typeof day === 'string' ? day : chinaDateOf(day)
    if (isoToDayIndex(iso) === undefined) throw new TypeError(`isProvisional expects a YYYY-MM-DD date, got "${iso}"`)
    if (this.#holidays.has(iso) || this.#workdays.has(iso)) return false
    return !this.#years.has(Number(iso.slice(0, 4)))
  }

  /** A China-time date ('YYYY-MM-DD') or the China-time day an instant falls on. */
  isWorkingDay(day: string | Date): boolean {
    if (typeof day === 'string') {
      const index = isoToDayIndex(day)
      if (index === undefined) throw new TypeError(`isWorkingDay expects a YYYY-MM-DD date, got "${day}"`)
      return this.#isWorkingDayIndex(index)
    }
    return this.#isWorkingDayIndex(chinaDayIndex(assertValidInstant(day, 'day')))
  }

  /** Within a working period of a working day (start inclusive, end exclusive). */
  isWorkingTime(at: Date): boolean {
    const t = assertValidInstant(at, 'at')
    if (!this.#isWorkingDayIndex(chinaDayIndex(t))) return false
    const ms = msIntoChinaDay(t)
    return this.#periods.some((p) => ms >= p.startMs && ms < p.endMs)
  }

  /** `at` itself when it is working time, otherwise the start of the next working period. */
  nextWorkingStart(at: Date): Date {
    const t = assertValidInstant(at, 'at')
    const day = chinaDayIndex(t)
    if (this.#isWorkingDayIndex(day)) {
      const ms = msIntoChinaDay(t)
      for (const p of this.#periods) {
        if (ms < p.startMs) return instantAt(day, p.startMs)
        if (ms < p.endMs) return new Date(t)
      }
    }
    return instantAt(this.#nextWorkingDayIndex(day), this.#dayStartMs)
  }

  /**
   * End of working hours of the n-th working day after the acceptance day (see the module comment):
   * D0 is `at`'s day if it is a working day and `at` is before 17:30, else the next working day.
   */
  addWorkingDays(at: Date, n: number): Date {
    const t = assertValidInstant(at, 'at')
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a non-negative integer, got ${n}`)
    let day = chinaDayIndex(t)
    if (!(this.#isWorkingDayIndex(day) && msIntoChinaDay(t) < this.#dayEndMs)) day = this.#nextWorkingDayIndex(day)
    for (let i = 0; i < n; i++) day = this.#nextWorkingDayIndex(day)
    return instantAt(day, this.#dayEndMs)
  }

  /** Working milliseconds in [a, b), respecting holidays, 调休 and the lunch break; 0 when b ≤ a. */
  workingMillisBetween(a: Date, b: Date): number {
    const from = assertValidInstant(a, 'a')
    const to = assertValidInstant(b, 'b')
    if (to <= from) return 0
    let total = 0
    const lastDay = chinaDayIndex(to)
    for (let day = chinaDayIndex(from); day <= lastDay; day++) {
      if (!this.#isWorkingDayIndex(day)) continue
      for (const p of this.#periods) {
        const start = Math.max(from, day * DAY_MS + p.startMs - CHINA_UTC_OFFSET_MS)
        const end = Math.min(to, day * DAY_MS + p.endMs - CHINA_UTC_OFFSET_MS)
        if (end > start) total += end - start
      }
    }
    return total
  }

  /**
   * A deadline formatted for taxpayers (formatChinaDeadline), followed by 「（节假日安排以国务院办公厅通知为准）」 when
   * its day was computed from the statutory rule because that year's notice is not loaded yet.
   */
  deadlineLabel(at: Date): string {
    const label = formatChinaDeadline(at)
    return this.isProvisional(at) ? `${label}（${PROVISIONAL_NOTICE}）` : label
  }

  /**
   * The "1个工作日内答复" deadline for something received at `at`, formatted for a notice:
   * "2026年10月9日（星期五）17:30". Use `formatChinaDeadline` for other deadlines.
   */
  nextWorkingDayLabel(at: Date): string {
    return formatChinaDeadline(this.addWorkingDays(at, 1))
  }

  #isWorkingDayIndex(day: number): boolean {
    const iso = dayIndexToIso(day)
    // Explicit data wins, even for a date spilling into a neighbouring year (元旦 across New Year).
    if (this.#holidays.has(iso)) return false
    if (this.#workdays.has(iso)) return true
    const year = Number(iso.slice(0, 4))
    if (!this.#years.has(year) && !this.#warnedYears.has(year)) {
      this.#warnedYears.add(year)
      this.#onUncoveredYear(year)
    }
    if (!this.#years.has(year) && this.#provisionalDays(year).has(iso)) return false
    const weekday = weekdayOf(day)
    return weekday !== 0 && weekday !== 6
  }

  #provisionalDays(year: number): ReadonlySet<string> {
    let days = this.#provisional.get(year)
    if (!days) {
      days = year > 1900 && year < 2100 ? new Set(Object.values(provisionalYear(year).holidays).flat()) : new Set()
      this.#provisional.set(year, days)
    }
    return days
  }

  #nextWorkingDayIndex(after: number): number {
    for (let day = after + 1; day <= after + MAX_LOOKAHEAD_DAYS; day++) {
      if (this.#isWorkingDayIndex(day)) return day
    }
    throw new Error(
      `No working day within ${MAX_LOOKAHEAD_DAYS} days after ${dayIndexToIso(after)}; check the calendar data`,
    )
  }
}
