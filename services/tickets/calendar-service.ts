/**
 * The admin-editable working-day calendar: reads the effective calendar and saves a new year's notice,
 * then swaps the shared calendar handle so ticket deadlines and operations metrics use it at once.
 */
import type { Swappable } from '../shared/swappable.js'
import { WorkingDayCalendar, type CalendarData } from '../shared/working-day-calendar.js'
import { loadEffectiveCalendar, saveCalendarYears } from './calendar-store.js'

export interface CalendarView {
  origin: 'data-dir' | 'shipped'
  years: string[]
  data: CalendarData
}

export class CalendarService {
  constructor(
    private readonly holder: Swappable<WorkingDayCalendar>,
    private readonly files: { calendarFile: string; dataDir: string },
  ) {}

  view(): CalendarView {
    const { data, origin } = loadEffectiveCalendar(this.files.calendarFile, this.files.dataDir)
    return { origin, years: Object.keys(data.years).sort(), data }
  }

  /** Merges `years` into the effective calendar, persists it in the data dir and makes it current. */
  save(years: Record<string, unknown>, note: string | undefined): CalendarView {
    const current = loadEffectiveCalendar(this.files.calendarFile, this.files.dataDir).data
    const data = saveCalendarYears(current, years, this.files.dataDir, note)
    this.holder.swap(new WorkingDayCalendar(data))
    return { origin: 'data-dir', years: Object.keys(data.years).sort(), data }
  }
}
