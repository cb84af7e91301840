/**
 * Bulk formats of knowledge entries: CSV, XLSX and JSONL. CSV and XLSX share one column mapping
 * (documented in README → Editorial workflow); JSONL lines are entry objects. Rows are numbered as the
 * user sees them: the CSV/XLSX header is row 1, JSONL counts lines from 1. Parsing is separate from
 * validation: this module turns rows into entry drafts and reports what it cannot read.
 */
// exceljs (~0.3 s to import) is loaded when a spreadsheet is actually read or written.
import type ExcelJS from 'exceljs'
import { parse as parseCsv } from 'csv-parse/sync'
import { restoreFormulaText, toSafeCsv } from '../shared/csv-export.js'
import type { Entry } from '../../knowledge/entry.js'

export const FORMATS = ['csv', 'xlsx', 'jsonl'] as const
export type BulkFormat = (typeof FORMATS)[number]

/** Everything of an entry an import may set; status, version and timestamps are set by the import mode. */
export type EntryInput = Omit<Entry, 'version' | 'updatedAt' | 'updatedBy' | 'status'>

export const LIST_SEPARATOR = '|'

/** Column → meaning. Lists are separated by `|`. */
export const COLUMNS = [
  ['id', 'unique id (letters, digits, CJK, - _ . # @; no spaces or / ?)'],
  ['kind', 'faq | guide | hot-topic | notice (law-article only via JSONL)'],
  ['title', 'title (guide: 事项名称)'],
  ['question', 'faq: the question as taxpayers ask it'],
  ['body', 'answer / text (guide: 事项概述)'],
  ['layer', 'national | province | city (empty: derived from regionCode)'],
  ['regionCode', 'GB/T 2260 code; empty for national'],
  ['effectiveFrom', 'YYYY-MM-DD or empty'],
  ['effectiveTo', 'YYYY-MM-DD or empty (exclusive)'],
  ['tags', 'list'],
  ['citedArticleIds', 'list of law-article ids, e.g. 个人所得税法#第六条'],
  ['sourceTitle', 'source title (default: 编辑部)'],
  ['sourceDocNumber', '文号'],
  ['sourceIssuer', 'issuer'],
  ['sourceUrl', 'URL'],
  ['sourcePublishedAt', 'YYYY-MM-DD'],
  ['guideCode', 'guide: service-item code'],
  ['guideConditions', 'guide: list'],
  ['guideMaterials', 'guide: list'],
  ['guideSteps', 'guide: list'],
  ['guideTimeLimit', 'guide: 办理时限'],
  ['guideFees', 'guide: 收费标准'],
  ['guideChannels', 'guide: list'],
] as const
export const COLUMN_NAMES: readonly string[] = COLUMNS.map(([c]) => c)

export interface ParsedRow {
  row: number
  input?: EntryInput
  problems: string[]
}

export interface ParsedFile {
  rows: ParsedRow[]
  /** Problems of the file itself (unreadable, unknown columns), reported as row 0 or 1. */
  fileProblems: { row: number; message: string }[]
}

const list = (v: string) =>
  v
    .split(LIST_SEPARATOR)
    .map((s) => s.trim())
    .filter(Boolean)
const orNull = (v: string) => (v.trim() === '' ? null : v.trim())

/** One table row (column → text) to an entry input. */
export function rowToInput(cells: Record<string, string>): { input: EntryInput; problems: string[] } {
  const problems: string[] = []
  const get = (c: string) => (cells[c] ?? '').trim()
  const regionCode = orNull(get('regionCode'))
  const layerText = get('layer')
  const layer = (layerText ||
    (!regionCode ? 'national' : regionCode.endsWith('0000') ? 'province' : 'city')) as Entry['layer']
  const kind = get('kind') as Entry['kind']
  if (kind === 'law-article') problems.push('列 kind（类型）：法规条文（law-article）只能用 JSONL 导入（需要法规字段）')
  const source: Entry['source'] = { title: get('sourceTitle') || '编辑部' }
  if (get('sourceDocNumber')) source.docNumber = get('sourceDocNumber')
  if (get('sourceIssuer')) source.issuer = get('sourceIssuer')
  if (get('sourceUrl')) source.url = get('sourceUrl')
  if (get('sourcePublishedAt')) source.publishedAt = get('sourcePublishedAt')
  const input: EntryInput = {
    id: get('id'),
    kind,
    title: get('title'),
    body: get('body'),
    source,
    layer,
    regionCode,
    effectiveFrom: orNull(get('effectiveFrom')),
    effectiveTo: orNull(get('effectiveTo')),
    tags: list(get('tags')),
    citedArticleIds: list(get('citedArticleIds')),
  }
  if (get('question')) input.question = get('question')
  const hasGuide = [
    'guideCode',
    'guideConditions',
    'guideMaterials',
    'guideSteps',
    'guideTimeLimit',
    'guideFees',
    'guideChannels',
  ].some((c) => get(c) !== '')
  if (kind === 'guide' || hasGuide) {
    input.guide = {
      code: get('guideCode'),
      conditions: list(get('guideConditions')),
      materials: list(get('guideMaterials')),
      steps: list(get('guideSteps')),
      timeLimit: get('guideTimeLimit'),
      fees: get('guideFees'),
      channels: list(get('guideChannels')),
    }
  }
  return { input, problems }
}

export function inputToRow(e: EntryInput | Entry): Record<string, string> {
  const j = (v: readonly string[] | undefined) => (v ?? []).join(LIST_SEPARATOR)
  return {
    id: e.id,
    kind: e.kind,
    title: e.title,
    question: e.question ?? '',
    body: e.body,
    layer: e.layer,
    regionCode: e.regionCode ?? '',
    effectiveFrom: e.effectiveFrom ?? '',
    effectiveTo: e.effectiveTo ?? '',
    tags: j(e.tags),
    citedArticleIds: j(e.citedArticleIds),
    sourceTitle: e.source.title,
    sourceDocNumber: e.source.docNumber ?? '',
    sourceIssuer: e.source.issuer ?? '',
    sourceUrl: e.source.url ?? '',
    sourcePublishedAt: e.source.publishedAt ?? '',
    guideCode: e.guide?.code ?? '',
    guideConditions: j(e.guide?.conditions),
    guideMaterials: j(e.guide?.materials),
    guideSteps: j(e.guide?.steps),
    guideTimeLimit: e.guide?.timeLimit ?? '',
    guideFees: e.guide?.fees ?? '',
    guideChannels: j(e.guide?.channels),
  }
}

function tableRows(header: string[], rows: { row: number; cells: string[] }[]): ParsedFile {
  const fileProblems: ParsedFile['fileProblems'] = []
  const unknown = header.filter((h) => h !== '' && !COLUMN_NAMES.includes(h))
  if (unknown.length > 0)
    fileProblems.push({ row: 1, message: `表头有不认识的列：${unknown.join('、')}（可用的列见导入模板）` })
  for (const required of ['id', 'kind', 'title', 'body'])
    if (!header.includes(required)) fileProblems.push({ row: 1, message: `表头缺少必需的列 ${required}` })
  const out: ParsedRow[] = []
  for (const { row, cells } of rows) {
    if (cells.every((c) => c.trim() === '')) continue
    const record: Record<string, string> = {}
    header.forEach((h, i) => (record[h] = cells[i] ?? ''))
    const { input, problems } = rowToInput(record)
    out.push({ row, input, problems })
  }
  return { rows: out, fileProblems }
}

export function parseCsvEntries(text: string): ParsedFile {
  let records: string[][]
  try {
    records = parseCsv(text, { bom: true, relax_column_count: true, skip_empty_lines: false }) as string[][]
  } catch (e) {
    const at = (e as { lines?: number }).lines
    const where = at ? `（约第 ${at} 行）` : ''
    return {
      rows: [],
      fileProblems: [{ row: 0, message: `不是有效的 CSV 文件${where}：请检查引号是否成对、文件是否为 UTF-8 编码` }],
    }
  }
  const [header, ...rest] = records
  if (!header) return { rows: [], fileProblems: [{ row: 0, message: '文件为空' }] }
  // csv-parse counts records, not lines; a quoted cell may span lines, so use the record's index + 2 (header is row 1).
  const rows = rest.map((cells, i) => ({ row: i + 2, cells: cells.map(restoreFormulaText) }))
  return tableRows(
    header.map((h) => h.trim()),
    rows,
  )
}

async function excel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default
}

function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return ''
  if (v instanceof Date) return v.toISOString().slice(0, 10)
  if (typeof v === 'object') {
    if ('richText' in v) return v.richText.map((r) => r.text).join('')
    if ('text' in v && typeof v.text === 'string') return v.text
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue)
    return ''
  }
  return String(v)
}

export async function parseXlsxEntries(data: Buffer): Promise<ParsedFile> {
  const wb = new (await excel()).Workbook()
  try {
    await wb.xlsx.load(data as unknown as ArrayBuffer)
  } catch {
    return {
      rows: [],
      fileProblems: [{ row: 0, message: '不是有效的 Excel 工作簿：请在 Excel 中另存为 .xlsx 后重试' }],
    }
  }
  const ws = wb.worksheets[0]
  if (!ws) return { rows: [], fileProblems: [{ row: 0, message: '工作簿中没有工作表' }] }
  const width = ws.columnCount
  const read = (r: ExcelJS.Row) => Array.from({ length: width }, (_, i) => cellText(r.getCell(i + 1).value))
  const header = read(ws.getRow(1)).map((h) => h.trim())
  const rows: { row: number; cells: string[] }[] = []
  ws.eachRow({ includeEmpty: false }, (r, n) => {
    if (n > 1) rows.push({ row: n, cells: read(r) })
  })
  return tableRows(header, rows)
}

export function parseJsonlEntries(text: string): ParsedFile {
  const rows: ParsedRow[] = []
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .forEach((line, i) => {
      if (line.trim() === '') return
      const row = i + 1
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        rows.push({ row, problems: ['不是有效的 JSON：每行应是一个完整的条目对象'] })
        return
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        rows.push({ row, problems: ['每行必须是一个 JSON 对象（{…}）'] })
        return
      }
      const { version: _v, updatedAt: _u, updatedBy: _b, status: _s, ...rest } = value as Record<string, unknown>
      rows.push({ row, input: rest as unknown as EntryInput, problems: [] })
    })
  return { rows, fileProblems: [] }
}

export async function parseEntries(format: BulkFormat, data: Buffer): Promise<ParsedFile> {
  switch (format) {
    case 'csv':
      return parseCsvEntries(data.toString('utf8'))
    case 'xlsx':
      return parseXlsxEntries(data)
    case 'jsonl':
      return parseJsonlEntries(data.toString('utf8'))
  }
}

export async function writeEntries(format: BulkFormat, entries: readonly Entry[]): Promise<Buffer> {
  switch (format) {
    case 'jsonl':
      return Buffer.from(entries.map((e) => JSON.stringify(e)).join('\n') + (entries.length ? '\n' : ''), 'utf8')
    case 'csv':
      // BOM and formula neutralising (services/shared/csv-export.ts); the parser above undoes the prefix.
      return Buffer.from(toSafeCsv(entries.map(inputToRow), [...COLUMN_NAMES]), 'utf8')
    case 'xlsx': {
      const wb = new (await excel()).Workbook()
      const ws = wb.addWorksheet('entries')
      ws.columns = COLUMN_NAMES.map((c) => ({ header: c, key: c, width: c === 'body' ? 60 : 18 }))
      for (const e of entries) ws.addRow(inputToRow(e))
      return Buffer.from(await wb.xlsx.writeBuffer())
    }
  }
}
