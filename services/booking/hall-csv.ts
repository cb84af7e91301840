/**
 * Parses the halls registry CSV (columns in knowledge/booking/README.md) into halls, rejecting the whole file
 * with the line and column named on the first bad value, so an import never half-applies.
 */
import { parse } from 'csv-parse/sync'
import { AppError } from '../shared/errors.js'
import type { Hall } from './hall.js'

const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/
const DATE = /^\d{4}-\d{2}-\d{2}$/
const REQUIRED = [
  'id',
  'name',
  'regionCode',
  'address',
  'periods',
  'windows',
  'slotMinutes',
  'capacityPerSlot',
] as const

function fail(line: number, column: string, why: string): never {
  throw new AppError('INVALID_FILE', `line ${line}, ${column}: ${why}`, {
    userMessage: `第${line}行「${column}」：${why}`,
  })
}

function int(value: string, line: number, column: string, min: number, max: number): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max) fail(line, column, `应为${min}到${max}之间的整数`)
  return n
}

const list = (value: string | undefined): string[] =>
  (value ?? '')
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)

export function parsePeriods(value: string, line: number): Hall['periods'] {
  const periods = list(value).map((p) => {
    const [start, end] = p.split('-').map((s) => s.trim())
    if (!start || !end || !HHMM.test(start) || !HHMM.test(end) || end <= start)
      fail(line, 'periods', `时段「${p}」应为 HH:MM-HH:MM`)
    return { start, end }
  })
  if (periods.length === 0) fail(line, 'periods', '至少需要一个开放时段')
  periods.forEach((p, i) => {
    const prev = periods[i - 1]
    if (prev && p.start < prev.end) fail(line, 'periods', '时段须按时间先后排列且不重叠')
  })
  return periods
}

export function parseCapacityByBusiness(
  value: string | undefined,
  line: number,
  knownTypes: ReadonlySet<string>,
): Record<string, number> {
  const out: Record<string, number> = {}
  for (const pair of list(value)) {
    const [code, n] = pair.split('=').map((s) => s.trim())
    if (!code || !knownTypes.has(code)) fail(line, 'capacityByBusiness', `未知的业务类型「${code ?? ''}」`)
    out[code] = int(n ?? '', line, 'capacityByBusiness', 0, 1000)
  }
  return out
}

export function parseHallsCsv(
  text: string,
  isRegion: (code: string) => boolean,
  knownTypes: ReadonlySet<string>,
): Hall[] {
  let rows: Record<string, string>[]
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: true }) as Record<
      string,
      string
    >[]
  } catch (error) {
    throw new AppError('INVALID_FILE', (error as Error).message, { userMessage: '办税服务厅 CSV 文件格式错误' })
  }
  if (rows.length === 0) throw new AppError('INVALID_FILE', 'no rows', { userMessage: 'CSV 文件中没有办税服务厅' })
  const seen = new Set<string>()
  return rows.map((row, i) => {
    const line = i + 2
    for (const column of REQUIRED) if (!row[column]) fail(line, column, '不能为空')
    const id = row.id ?? ''
    if (!/^[a-z0-9][a-z0-9-]{1,47}$/.test(id)) fail(line, 'id', '只能包含小写字母、数字和 -，长度 2–48')
    if (seen.has(id)) fail(line, 'id', `重复的编号 ${id}`)
    seen.add(id)
    const regionCode = row.regionCode ?? ''
    if (!isRegion(regionCode)) fail(line, 'regionCode', `地区代码 ${regionCode} 无效`)
    const blackoutDays = list(row.blackoutDays)
    for (const d of blackoutDays)
      if (!DATE.test(d) || Number.isNaN(Date.parse(d))) fail(line, 'blackoutDays', `日期「${d}」无效`)
    const name = row.name ?? ''
    return {
      id,
      name,
      regionCode,
      address: row.address ?? '',
      phone: row.phone ?? '',
      periods: parsePeriods(row.periods ?? '', line),
      windows: int(row.windows ?? '', line, 'windows', 1, 200),
      slotMinutes: int(row.slotMinutes ?? '', line, 'slotMinutes', 5, 240),
      capacityPerSlot: int(row.capacityPerSlot ?? '', line, 'capacityPerSlot', 1, 1000),
      capacityByBusiness: parseCapacityByBusiness(row.capacityByBusiness, line, knownTypes),
      blackoutDays,
      adminUserIds: list(row.admins),
      apiKeyHash: null,
      sample: name.includes('【样例】'),
    }
  })
}
