/**
 * Provisional holidays for a year whose State Council notice (国务院办公厅关于某年部分节假日安排的通知) has
 * not been loaded yet, derived from the statutory rule itself: 《全国年节及纪念日放假办法》 as amended by
 * 国务院令第795号 (2024-11-10), which says:
 *
 *   第二条 全体公民放假的节日：（一）元旦，放假1天（1月1日）；（二）春节，放假4天（农历除夕、正月初一至初三）；
 *   （三）清明节，放假1天（农历清明当日）；（四）劳动节，放假2天（5月1日、2日）；（五）端午节，放假1天（农历端午
 *   当日）；（六）中秋节，放假1天（农历中秋当日）；（七）国庆节，放假3天（10月1日至3日）。
 *   第六条 全体公民放假的假日，如果适逢星期六、星期日，应当在工作日补假。
 *
 * Lunar dates and the 清明 solar term come from lunar-typescript (table-driven, 1900–2100). The annual
 * notice usually also moves weekends around (调休); that cannot be predicted, so a provisional year has no
 * make-up working days and every date in it is flagged provisional until the notice is loaded.
 */
import { Lunar } from 'lunar-typescript'

/** Same shape as a CalendarYear of working-day-calendar.ts (declared here so the two files form no cycle). */
export interface ProvisionalYear {
  readonly source: string
  readonly holidays: Readonly<Record<string, readonly string[]>>
  readonly workdays: readonly string[]
}

export const PROVISIONAL_NOTICE = '节假日安排以国务院办公厅通知为准'
export const STATUTORY_SOURCE = '《全国年节及纪念日放假办法》（2024年11月10日国务院令第795号修订）推算，暂定'

const DAY_MS = 86_400_000

function isoPlus(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10)
}

function weekday(iso: string): number {
  return new Date(`${iso}T00:00:00Z`).getUTCDay()
}

const pad = (n: number): string => String(n).padStart(2, '0')

function lunarToIso(year: number, month: number, day: number): string {
  const solar = Lunar.fromYmd(year, month, day).getSolar()
  return `${solar.getYear()}-${pad(solar.getMonth())}-${pad(solar.getDay())}`
}

/** The statutory days off of one Gregorian year, by holiday name (before 补假). */
export function statutoryDays(year: number): Record<string, string[]> {
  if (!Number.isInteger(year) || year < 1901 || year > 2099) throw new RangeError(`year out of range: ${year}`)
  // 春节 of `year` starts on the 除夕 of lunar year `year - 1`, the day before 正月初一.
  const newYear = lunarToIso(year, 1, 1)
  const qingming = Lunar.fromYmd(year, 3, 1).getJieQiTable()['清明']
  if (!qingming) throw new Error(`no 清明 solar term found for ${year}`)
  return {
    元旦: [`${year}-01-01`],
    春节: [isoPlus(newYear, -1), newYear, isoPlus(newYear, 1), isoPlus(newYear, 2)],
    清明节: [`${year}-${pad(qingming.getMonth())}-${pad(qingming.getDay())}`],
    劳动节: [`${year}-05-01`, `${year}-05-02`],
    端午节: [lunarToIso(year, 5, 5)],
    中秋节: [lunarToIso(year, 8, 15)],
    国庆节: [`${year}-10-01`, `${year}-10-02`, `${year}-10-03`],
  }
}

/**
 * The provisional calendar year: statutory days plus 第六条 补假 — each statutory day on a Saturday or Sunday
 * adds the next weekday that is not itself a day off (after the holiday's own days).
 */
export function provisionalYear(year: number): ProvisionalYear {
  const days = statutoryDays(year)
  const off = new Set(Object.values(days).flat())
  const holidays: Record<string, string[]> = {}
  for (const [name, dates] of Object.entries(days)) {
    const list = [...dates]
    let cursor = dates[dates.length - 1] ?? `${year}-01-01`
    for (const date of dates) {
      const wd = weekday(date)
      if (wd !== 0 && wd !== 6) continue
      do cursor = isoPlus(cursor, 1)
      while (off.has(cursor) || weekday(cursor) === 0 || weekday(cursor) === 6)
      off.add(cursor)
      list.push(cursor)
    }
    holidays[name] = list
  }
  return { source: STATUTORY_SOURCE, holidays, workdays: [] }
}
