/**
 * Slots of a hall on a day, computed from the working-day calendar and the hall's hours: each opening period
 * is cut into consecutive slots of `slotMinutes`; a slot that would run past the period's end (into the lunch
 * break or closing time) is not offered. All times are China time (UTC+8), whatever the machine's TZ.
 */
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Hall } from './hall.js'

export interface Slot {
  /** ISO instant (UTC) the slot starts. */
  start: string
  end: string
  /** China calendar date and wall-clock label, e.g. 2026-12-02 and 09:00–09:30. */
  date: string
  label: string
}

const MINUTE_MS = 60_000

function clockMinutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number)
  return (h ?? 0) * 60 + (m ?? 0)
}

function hhmm(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`
}

/** The instant of a China wall-clock time on a China date. */
export function chinaInstant(date: string, minutes: number): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`) + minutes * MINUTE_MS)
}

/** Whether the hall opens at all on `date` (working day, not a blackout day). */
export function hallOpenOn(hall: Pick<Hall, 'blackoutDays'>, date: string, calendar: WorkingDayCalendar): boolean {
  return calendar.isWorkingDay(date) && !hall.blackoutDays.includes(date)
}

export function slotsForDay(
  hall: Pick<Hall, 'periods' | 'slotMinutes' | 'blackoutDays'>,
  date: string,
  calendar: WorkingDayCalendar,
): Slot[] {
  if (!hallOpenOn(hall, date, calendar)) return []
  const out: Slot[] = []
  for (const period of hall.periods) {
    const endMin = clockMinutes(period.end)
    for (let m = clockMinutes(period.start); m + hall.slotMinutes <= endMin; m += hall.slotMinutes) {
      out.push({
        start: chinaInstant(date, m).toISOString(),
        end: chinaInstant(date, m + hall.slotMinutes).toISOString(),
        date,
        label: `${hhmm(m)}–${hhmm(m + hall.slotMinutes)}`,
      })
    }
  }
  return out
}

/** The hall's slot starting exactly at `start` (an ISO instant), or undefined when it offers none then. */
export function slotStartingAt(
  hall: Pick<Hall, 'periods' | 'slotMinutes' | 'blackoutDays'>,
  start: string,
  calendar: WorkingDayCalendar,
): Slot | undefined {
  const t = Date.parse(start)
  if (!Number.isFinite(t)) return undefined
  const date = new Date(t + 8 * 3_600_000).toISOString().slice(0, 10)
  return slotsForDay(hall, date, calendar).find((s) => Date.parse(s.start) === t)
}
