/**
 * Editors add a 公告 the way they receive it, pure: the official text pasted from the page, the page's HTML,
 * or a JSON record in the shared format → a document draft with 文号, title, dates, clauses and relations
 * filled in, for the editor to check and correct before it goes to four-eyes review.
 */
import { parse as parseHtml } from 'node-html-parser'
import { validateEntry, type Entry } from '../../knowledge/entry.js'
import { buildPolicy, type PolicyDocumentInput } from '../../knowledge/policy-entries.js'
import type { LawTitles } from '../../knowledge/policy-relations.js'
import { isoDate } from '../../knowledge/policy-relations.js'
import { policyInputFromRecord } from '../../indexers/sources/policy-source.js'
import { fieldMessage, valueAt } from './import-messages.js'

export const INTAKE_FORMATS = ['text', 'html', 'json'] as const
export type IntakeFormat = (typeof INTAKE_FORMATS)[number]

export interface IntakeRequest {
  format: IntakeFormat
  content: string
  /** Corrections typed by the editor (they win over what was read from the text). */
  docNumber?: string | undefined
  title?: string | undefined
  issuer?: string | undefined
  publishedAt?: string | undefined
  effectiveFrom?: string | undefined
  sourceUrl?: string | undefined
}

export interface IntakeDraft {
  /** The document entry to create as a draft (status is set by the editorial service). */
  entry: Omit<Entry, 'version' | 'updatedAt' | 'status'> | null
  clauses: {
    id: string
    label: string
    heading: string | null
    text: string
    effectiveFrom: string | null
    effectiveTo: string | null
  }[]
  /** Problems the editor must fix before the draft can be saved (Chinese). */
  problems: string[]
}

// Issuers separated by single spaces (「财政部 税务总局公告…」). Written without a nested quantifier: the
// former `(?:[一-龥]+ ?)+公告` backtracked exponentially on a long line of Han characters (a pasted 5,000-字
// paragraph hung the request); a 文号 line is short anyway (DOC_NO_MAX).
const DOC_NO_LINE =
  /^([\u4e00-\u9fa5]+(?: [\u4e00-\u9fa5]+)*公告\s?\d{4}年第\d+号|[\u4e00-\u9fa5]{1,10}[〔[]\d{4}[〕\]]\d+号)$/
const DOC_NO_MAX = 80
const TITLE_LINE = /^[\u4e00-\u9fa5 《》〈〉“”、（）()0-9A-Za-z]{4,120}关于.{2,120}的(公告|通知|决定|批复)$/
const SIGNED_DATE = /^(\d{4})年(\d{1,2})月(\d{1,2})日$/

/** The visible text of an official page: the article body when it can be found, block elements as lines. */
export function textFromHtml(html: string): string {
  const root = parseHtml(html, { blockTextElements: { script: false, style: false, noscript: false } })
  const candidates = ['#fontzoom', '.TRS_Editor', '.article-content', '.content', 'article', 'main', 'body']
  for (const sel of candidates) {
    const el = root.querySelector(sel)
    const text = el?.structuredText?.trim()
    if (text && text.length > 40) return normaliseLines(text)
  }
  return normaliseLines(root.structuredText)
}

function normaliseLines(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .split('\n')
    .map((l) => l.replace(/[\u00a0\u3000]/g, ' ').trim())
    .filter(Boolean)
    .join('\n')
}

/** Reads the head (title, 文号) and the signature date off a pasted text; the rest is the body. */
export function inputFromText(
  text: string,
  req: IntakeRequest,
): { input: PolicyDocumentInput | null; problems: string[] } {
  const problems: string[] = []
  const lines = normaliseLines(text).split('\n')
  let title = req.title?.trim()
  let docNumber = req.docNumber?.trim()
  const body: string[] = []
  let head = true
  for (const line of lines) {
    if (head && !docNumber && line.length <= DOC_NO_MAX && DOC_NO_LINE.test(line)) {
      docNumber = line.replace(/\s+(?=\d{4}年)/, '')
      continue
    }
    if (head && !title && TITLE_LINE.test(line)) {
      title = line
      continue
    }
    if (head && (line === title || line === docNumber)) continue
    head = false
    body.push(line)
  }
  const signed = [...body].reverse().find((l) => SIGNED_DATE.test(l))
  const publishedAt = req.publishedAt || (signed ? isoDate(SIGNED_DATE.exec(signed)) : null)
  if (!docNumber) problems.push('没有识别出文号，请在「文号」中填写，例如「国家税务总局公告2026年第4号」')
  if (!title) problems.push('没有识别出标题，请在「标题」中填写（「国家税务总局关于……的公告」）')
  if (body.join('').length < 20) problems.push('正文太短，请粘贴公告全文')
  if (!docNumber || !title || body.length === 0) return { input: null, problems }
  const issuerPart = req.issuer?.trim() || /^(.+?)关于/.exec(title)?.[1]?.trim() || '国家税务总局'
  return {
    input: {
      docNumber,
      title,
      issuers: issuerPart.split(/\s+/).filter(Boolean),
      category: '税务规范性文件',
      publishedAt,
      effectiveFrom: req.effectiveFrom || null,
      fullText: body.join('\n'),
      sourceUrl: req.sourceUrl || undefined,
      provenance: `editor intake (${req.format})`,
      tags: ['公告'],
    },
    problems,
  }
}

export function draftFromIntake(req: IntakeRequest, laws?: LawTitles): IntakeDraft {
  let input: PolicyDocumentInput | null = null
  const problems: string[] = []
  if (req.format === 'json') {
    let value: unknown
    try {
      value = JSON.parse(req.content)
    } catch {
      return { ...empty(), problems: ['JSON 格式有误，无法解析'] }
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return { ...empty(), problems: ['JSON 应为一个公告记录对象'] }
    input = policyInputFromRecord({ ...(value as Record<string, unknown>), ...overrides(req) }, (m) => problems.push(m))
    if (input) input.provenance ??= 'editor intake (json)'
  } else {
    const text = req.format === 'html' ? textFromHtml(req.content) : req.content
    const res = inputFromText(text, req)
    input = res.input
    problems.push(...res.problems)
  }
  if (!input) return { ...empty(), problems }
  const built = buildPolicy(input, laws)
  const { status: _s, ...entry } = built.document
  // The draft must be one the editor could create: a 文号 with 「/」 or 「?」 makes no valid entry id, and a
  // preview that returned such an entry anyway would fail later (or, found by the route fuzz test, in the
  // response schema). Say what is wrong and return no entry.
  const invalid = validateEntry({ ...entry, version: 1, updatedAt: new Date(0).toISOString(), status: 'draft' })
  if (invalid.length > 0) {
    for (const p of invalid)
      problems.push(
        p.path === '/id'
          ? `文号「${input.docNumber.slice(0, 60)}」不能用作条目编号：不能含有 / ? # 或首尾空白，请核对文号`
          : fieldMessage(p, valueAt(entry, p.path), 'jsonl'),
      )
    return { ...empty(), problems }
  }
  return {
    entry,
    clauses: built.clauses.map((c) => ({
      id: c.id,
      label: c.policy?.label ?? '',
      heading: c.policy?.heading ?? null,
      text: c.body,
      effectiveFrom: c.effectiveFrom,
      effectiveTo: c.effectiveTo,
    })),
    problems,
  }
}

function overrides(req: IntakeRequest): Record<string, string> {
  const o: Record<string, string> = {}
  if (req.docNumber) o.docNumber = req.docNumber
  if (req.title) o.title = req.title
  if (req.issuer) o.issuer = req.issuer
  if (req.publishedAt) o.publishedAt = req.publishedAt
  if (req.effectiveFrom) o.effectiveFrom = req.effectiveFrom
  if (req.sourceUrl) o.sourceUrl = req.sourceUrl
  return o
}

function empty(): Omit<IntakeDraft, 'problems'> {
  return { entry: null, clauses: [] }
}
