/**
 * Streams the consultation ledger (台账) of a China-time date range as JSON lines, in bounded pages of
 * the indexed `at` (time-pages.ts), so exporting a year — or one very busy day — never holds it in memory.
 * Questions are stored PII-masked already; rows are written as stored.
 */
import type { Store } from '../../knowledge/store/store.js'
import { AppError } from '../shared/errors.js'
import { timePages } from './time-pages.js'

const DATE = /^\d{4}-\d{2}-\d{2}$/

/** UTC instants of China-time midnight for each day from `from` to `to` inclusive, plus the end. Pure. */
export function chinaDayBounds(from: string, to: string): string[] {
  if (!DATE.test(from) || !DATE.test(to))
    throw new AppError('VALIDATION_FAILED', 'dates must be YYYY-MM-DD', { userMessage: '日期格式应为 YYYY-MM-DD' })
  const start = Date.parse(`${from}T00:00:00+08:00`)
  const end = Date.parse(`${to}T00:00:00+08:00`) + 86400_000
  if (!Number.isFinite(start) || !Number.isFinite(end))
    throw new AppError('VALIDATION_FAILED', 'invalid date', { userMessage: '日期无效' })
  if (start >= end)
    throw new AppError('VALIDATION_FAILED', 'from after to', { userMessage: '开始日期不能晚于结束日期' })
  if (end - start > 3660 * 86400_000)
    throw new AppError('VALIDATION_FAILED', 'range too long', { userMessage: '导出范围不能超过 10 年' })
  const out: string[] = []
  for (let t = start; t <= end; t += 86400_000) out.push(new Date(t).toISOString())
  return out
}

export async function exportLedger(
  store: Store,
  from: string,
  to: string,
  write: (line: string) => Promise<void>,
  batchRows = 1000,
): Promise<number> {
  const bounds = chinaDayBounds(from, to)
  const ledger = store.collection<{ id: string; at: string }>('ledger')
  // One range over all the days, read in bounded pages: a busy day never comes back as one list.
  const range = { field: 'at', gte: bounds[0]!, lt: bounds.at(-1)! }
  let n = 0
  for await (const rows of timePages(ledger, range, batchRows)) {
    for (const r of rows) await write(`${JSON.stringify(r)}\n`)
    n += rows.length
  }
  return n
}
