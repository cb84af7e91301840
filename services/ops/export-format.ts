/**
 * The wire formats of the admin exports, written page by page: a JSON envelope that leads with the range
 * and `total` (the response schema's field order), and a CSV for Excel / WPS with Chinese column labels,
 * BOM and formula-safe cells (services/shared/csv-export.ts). Pure generators over pages of lines.
 */
import { safeCsvHeader, safeCsvRows } from '../shared/csv-export.js'

export type Columns = readonly (readonly [string, string])[]

export const LEDGER_COLUMNS: Columns = [
  ['at', '时间'],
  ['channel', '渠道'],
  ['regionCode', '地区'],
  ['intent', '意图'],
  ['handledBy', '智能/人工'],
  ['mode', '应答方式'],
  ['topic', '主题'],
  ['question', '问题（已脱敏）'],
  ['ticketNumber', '工单号'],
  ['ticketState', '工单状态'],
  ['onTime', '按期答复'],
  ['outcomeLabel', '结果'],
]

export const TICKET_COLUMNS: Columns = [
  ['number', '工单号'],
  ['typeLabel', '类型'],
  ['difficulty', '难度'],
  ['stateLabel', '状态'],
  ['regionCode', '地区'],
  ['seatGroup', '座席组'],
  ['channel', '渠道'],
  ['question', '问题（已脱敏）'],
  ['assignee', '处理人'],
  ['createdAt', '创建时间'],
  ['dueAt', '答复期限'],
  ['answeredAt', '答复时间'],
  ['closedAt', '办结时间'],
  ['overdue', '超期'],
  ['extended', '延期'],
]

function cell(v: unknown): string {
  if (v === null || v === undefined) return ''
  if (typeof v === 'boolean') return v ? '是' : '否'
  return String(v)
}

/** CSV chunks: BOM + header first, then one chunk per page. */
export async function* csvChunks<T extends object>(
  columns: Columns,
  pages: AsyncIterable<T[]>,
): AsyncGenerator<string> {
  yield safeCsvHeader(columns.map(([, label]) => label))
  for await (const page of pages) {
    const rows = page.map((line) => columns.map(([key]) => cell((line as Record<string, unknown>)[key])))
    yield safeCsvRows(rows)
  }
}

/** `{…head, [key]: [lines]}` as JSON chunks: the head, then one chunk per page, then the closing brackets. */
export async function* jsonChunks<T>(
  head: Record<string, unknown>,
  key: string,
  pages: AsyncIterable<T[]>,
): AsyncGenerator<string> {
  yield `${JSON.stringify(head).slice(0, -1)},${JSON.stringify(key)}:[`
  let first = true
  for await (const page of pages) {
    if (page.length === 0) continue
    yield `${first ? '' : ','}${page.map((line) => JSON.stringify(line)).join(',')}`
    first = false
  }
  yield ']}'
}
