/**
 * The working-day calendar admins can edit: the shipped file (TAXKB_CALENDAR_FILE) unless the data
 * directory holds `calendar.json`, written by PUT /api/admin/calendar when a new year's State Council
 * notice is published. Writes are validated with parseCalendarData and renamed into place.
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  loadCalendarFile,
  parseCalendarData,
  type CalendarData,
  type CalendarYear,
} from '../shared/working-day-calendar.js'
import { AppError } from '../shared/errors.js'

export function calendarOverridePath(dataDir: string): string {
  return path.join(dataDir, 'calendar.json')
}

export function loadEffectiveCalendar(
  calendarFile: string,
  dataDir: string,
): { data: CalendarData; origin: 'data-dir' | 'shipped'; file: string } {
  const override = calendarOverridePath(dataDir)
  if (fs.existsSync(override)) return { data: loadCalendarFile(override), origin: 'data-dir', file: override }
  return { data: loadCalendarFile(calendarFile), origin: 'shipped', file: calendarFile }
}

/** Merges `years` into the current data (a year present in both is replaced), validates and persists. */
export function saveCalendarYears(
  current: CalendarData,
  years: Record<string, unknown>,
  dataDir: string,
  note?: string,
): CalendarData {
  const merged: { note?: string; years: Record<string, CalendarYear | unknown> } = {
    years: { ...current.years, ...years },
  }
  const n = note ?? current.note
  if (n !== undefined) merged.note = n
  let data: CalendarData
  try {
    data = parseCalendarData(merged, 'calendar')
  } catch (error) {
    throw new AppError('VALIDATION_FAILED', (error as Error).message, {
      userMessage: `日历数据不正确：${(error as Error).message}`,
    })
  }
  fs.mkdirSync(dataDir, { recursive: true })
  const file = calendarOverridePath(dataDir)
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, `${JSON.stringify(data, null, 1)}\n`)
  fs.renameSync(tmp, file)
  return data
}
