/**
 * Chinese import messages for editors (issue 20 item 19): every problem names the column (CSV / XLSX) or field
 * (JSONL) as it appears in the file, what was found and the form expected — instead of the schema validator's
 * English (`/effectiveFrom Expected union value`). Pure: the bulk import and the templates call it.
 */
import type { BulkFormat } from './entry-table.js'

interface ColumnInfo {
  /** Chinese name of the column. */
  zh: string
  /** The form a value must have. */
  expected: string
}

export const COLUMN_INFO: Record<string, ColumnInfo> = {
  id: {
    zh: '编号',
    expected: '不含 / 和 ? 的编号，如 faq-320100-0001（空格只能单个出现在中间，如联合发文的文号；不能以 # 开头）',
  },
  kind: { zh: '类型', expected: 'faq（问答）、guide（办税指南）、hot-topic（热点）或 notice（公告）之一' },
  title: { zh: '标题', expected: '1–300 字的标题' },
  question: { zh: '问题', expected: '纳税人的提问原文（问答类必填，最多 2000 字）' },
  body: { zh: '正文', expected: '答复或正文，不能为空' },
  layer: { zh: '层级', expected: 'national（全国）、province（省级）或 city（市级），留空则按地区代码推断' },
  regionCode: { zh: '地区代码', expected: '6 位 GB/T 2260 地区代码（如 320100），全国条目留空' },
  effectiveFrom: { zh: '生效日期', expected: 'YYYY-MM-DD 格式的日期（如 2026-01-01），或留空' },
  effectiveTo: { zh: '失效日期', expected: 'YYYY-MM-DD 格式的日期（不含当天），或留空' },
  tags: { zh: '标签', expected: '用 | 分隔的标签，每个最多 50 字' },
  citedArticleIds: { zh: '引用条文', expected: '用 | 分隔的法规条文编号，如 个人所得税法#第六条' },
  sourceTitle: { zh: '来源标题', expected: '来源文件标题（留空为「编辑部」）' },
  sourceDocNumber: { zh: '文号', expected: '发文字号，如 财政部 税务总局公告2023年第19号' },
  sourceIssuer: { zh: '发文机关', expected: '发文机关名称' },
  sourceUrl: { zh: '来源网址', expected: '以 http:// 或 https:// 开头的网址' },
  sourcePublishedAt: { zh: '发布日期', expected: 'YYYY-MM-DD 格式的日期' },
  guideCode: { zh: '事项编码', expected: '办税事项编码（办税指南必填）' },
  guideConditions: { zh: '办理条件', expected: '用 | 分隔的条件' },
  guideMaterials: { zh: '所需材料', expected: '用 | 分隔的材料' },
  guideSteps: { zh: '办理步骤', expected: '用 | 分隔的步骤' },
  guideTimeLimit: { zh: '办理时限', expected: '如「即时办结」' },
  guideFees: { zh: '收费标准', expected: '如「不收费」' },
  guideChannels: { zh: '办理渠道', expected: '用 | 分隔的渠道' },
}

const NESTED: Record<string, string> = {
  source: 'source',
  'source/title': 'sourceTitle',
  'source/docNumber': 'sourceDocNumber',
  'source/issuer': 'sourceIssuer',
  'source/url': 'sourceUrl',
  'source/publishedAt': 'sourcePublishedAt',
  'guide/code': 'guideCode',
  'guide/conditions': 'guideConditions',
  'guide/materials': 'guideMaterials',
  'guide/steps': 'guideSteps',
  'guide/timeLimit': 'guideTimeLimit',
  'guide/fees': 'guideFees',
  'guide/channels': 'guideChannels',
}

/** The file column of a validator path: `/effectiveFrom` → effectiveFrom, `/guide/steps/2` → guideSteps. */
export function columnOfPath(path: string): string {
  const parts = path.split('/').filter(Boolean)
  const two = parts.slice(0, 2).join('/')
  if (NESTED[two]) return NESTED[two]
  return parts[0] ?? ''
}

/** 「列 effectiveFrom（生效日期）」 for tables, 「字段 effectiveFrom（生效日期）」 for JSONL. */
export function columnLabel(column: string, format: BulkFormat): string {
  const info = COLUMN_INFO[column]
  const what = format === 'jsonl' ? '字段' : '列'
  return `${what} ${column}${info ? `（${info.zh}）` : ''}`
}

/** Rules a schema cannot say, by the English message validateEntry uses for them. */
const RULES: Record<string, string> = {
  'national entries have no region code': '全国层级的条目不能填写地区代码',
  'province entries need a province code (XX0000)': '省级条目需要省级地区代码（如 320000）',
  'city entries need a city code (XXXX00)': '市级条目需要市级地区代码（如 320100）',
  'faq entries need a question': '问答类条目必须填写问题',
  'guide entries need service-item fields': '办税指南必须填写事项字段（guideCode 等）',
  'law-article entries need law fields': '法规条文需要法规字段（只能用 JSONL 导入）',
  'effectiveTo is before effectiveFrom': '失效日期早于生效日期',
}

function shown(value: unknown): string {
  if (value === undefined || value === null || value === '') return '空'
  const text = Array.isArray(value)
    ? value.join('|')
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value)
  return `「${text.length > 40 ? `${text.slice(0, 40)}…` : text}」`
}

/** One validator problem of a row in Chinese: the column, the rule or the expected form, and the value found. */
export function fieldMessage(problem: { path: string; message: string }, value: unknown, format: BulkFormat): string {
  const column = columnOfPath(problem.path)
  const label = column ? columnLabel(column, format) : '整行'
  const rule = RULES[problem.message]
  if (rule) return `${label}：${rule}`
  if (/Unexpected property/i.test(problem.message)) return `${label}：不认识的字段（可用字段见导入模板）`
  const expected = COLUMN_INFO[column]?.expected
  return `${label}：当前值为${shown(value)}，应为${expected ?? '符合格式的值'}`
}

/** The value at a validator path of a candidate entry (for showing what was found). */
export function valueAt(entry: unknown, path: string): unknown {
  let v: unknown = entry
  for (const p of path.split('/').filter(Boolean))
    v = v && typeof v === 'object' ? (v as Record<string, unknown>)[p] : undefined
  return v
}

const FORMAT_ZH: Record<BulkFormat, string> = { csv: 'CSV', xlsx: 'Excel（XLSX）', jsonl: 'JSONL' }

/** What the bytes look like: an XLSX is a ZIP archive (PK\x03\x04); anything else is taken as text. */
export function sniffFormat(data: Buffer): 'zip' | 'text' {
  return data.length >= 4 && data.readUInt32LE(0) === 0x04034b50 ? 'zip' : 'text'
}

/**
 * A file whose bytes do not fit the selected format, explained in Chinese, or null. Catches the common mix-up
 * (a CSV uploaded while XLSX is selected, or the reverse) before a parser answers with its own English.
 */
export function formatMismatch(format: BulkFormat, data: Buffer): string | null {
  const kind = sniffFormat(data)
  if (format === 'xlsx' && kind === 'text') {
    const firstLine = data.subarray(0, 200).toString('utf8').split(/\r?\n/)[0] ?? ''
    const looksCsv = firstLine.includes(',') && /\bid\b/.test(firstLine)
    const json = /^\s*[{[]/.test(firstLine)
    const guess = looksCsv ? 'CSV 文本' : json ? 'JSONL 文本' : '文本文件'
    const fix = looksCsv ? 'CSV' : json ? 'JSONL' : 'CSV 或 JSONL'
    return `所选格式为 ${FORMAT_ZH.xlsx}，但上传的文件不是 Excel 工作簿（看起来是${guess}）。请把格式改为 ${fix}，或上传 .xlsx 文件。`
  }
  if (format !== 'xlsx' && kind === 'zip') {
    return `所选格式为 ${FORMAT_ZH[format]}，但上传的文件是 Excel 工作簿（.xlsx）。请把格式改为 Excel（XLSX）后重新上传。`
  }
  return null
}
