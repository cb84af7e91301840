/**
 * The clause splitter, pure: the full text of a 公告 → clause passages, each with its label and heading.
 *
 * Top-level clauses start a line with 「一、」 or 「第一条」; the text before the first one is the preamble
 * (label `正文`, as in the official library's split). A long top-level clause with several 「（一）」 items is
 * split further into `二（一）`, `二（二）` … passages, each carrying its parent's heading line so it still
 * reads as a rule on its own. The closing lines (「特此公告。」, the issuer, the date) and the attachment list
 * (「附件：1.…」) are not clause text. When numbering restarts (an attached 办法 after the 公告's own clauses),
 * the later series is labelled `附件1第一条`, `附件2一` … so every label is unique.
 */

export interface Clause {
  /** `正文`, `一`, `十二`, `二（一）`, `第三条`, `附件1第一条` … */
  label: string
  /** The clause's first line when it is a heading (「一、增值税起征点标准」), else its parent's. */
  heading?: string
  /** Verbatim clause text, starting with its own label (sub-clauses: parent heading + newline + text). */
  text: string
  /** Chapter heading (「第二章 申报」) the clause sits under, when the document has chapters. */
  chapter?: string
  /** Sub-clause passages: the parent's lead-in repeated at the start of `text` (for context only). */
  lead?: string
}

export interface SplitDocument {
  clauses: Clause[]
  attachments: string[]
}

const NUM = '[一二三四五六七八九十百零〇]+'
const TOP_ENUM = new RegExp(`^(${NUM})、`)
const TOP_ARTICLE = new RegExp(`^(第${NUM}条(?:之${NUM})?)`)
const SUB_ITEM = new RegExp(`^[（(](${NUM})[）)]`)
const CHAPTER = new RegExp(`^第${NUM}章`)
const CLOSING = /^(特此公告|特此通知|此复)[。.]?$/
const SIGNATURE_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/
const ATTACHMENT_HEAD = /^附件[:：]?\s*(.*)$/
/** A top-level clause longer than this with two or more （一） items is split into sub-clause passages. */
export const SPLIT_SUB_CLAUSES_OVER = 600

interface Raw {
  label: string
  lines: string[]
  chapter?: string
}

function numeralValue(s: string): number {
  const digits: Record<string, number> = { 零: 0, 〇: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 }
  let total = 0
  let current = 0
  for (const ch of s) {
    if (ch === '十') {
      total += (current || 1) * 10
      current = 0
    } else if (ch === '百') {
      total += (current || 1) * 100
      current = 0
    } else current = digits[ch] ?? 0
  }
  return total + current
}

function topLabel(line: string): { label: string; value: number; style: 'enum' | 'article' } | null {
  const e = TOP_ENUM.exec(line)
  if (e?.[1]) return { label: e[1], value: numeralValue(e[1]), style: 'enum' }
  const a = TOP_ARTICLE.exec(line)
  if (a?.[1]) return { label: a[1], value: numeralValue(a[1].replace(/^第|条.*$/g, '')), style: 'article' }
  return null
}

/** A first line that names the clause rather than stating a rule: short and without a full stop. */
function isHeadingLine(line: string): boolean {
  return [...line].length <= 60 && !/[。；;]/.test(line)
}

export function splitClauses(fullText: string, signers: readonly string[] = []): SplitDocument {
  const lines = fullText
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  const raws: Raw[] = []
  const attachments: string[] = []
  let current: Raw = { label: '正文', lines: [] }
  let closed = false
  let inAttachments = false
  let series = 0
  let last: { value: number; style: 'enum' | 'article' } | null = null
  let chapter: string | undefined
  const seen = new Set<string>()
  for (const line of lines) {
    const top = topLabel(line)
    if (CHAPTER.test(line) && !top) {
      chapter = line
      continue
    }
    // A line in the other numbering style is text (「第五条修改为…」 inside 「三、」), unless it opens an
    // attached document after the closing formula.
    const opensSeries = top !== null && closed && top.value === 1
    if (top && (last === null || top.style === last.style || opensSeries)) {
      // numbering restarts (or jumps back): a new series, i.e. an attached document
      if (last !== null && (opensSeries || top.value <= last.value)) series++
      inAttachments = false
      closed = false
      if (current.lines.length > 0) raws.push(current)
      let label = series > 0 ? `附件${series}${top.label}` : top.label
      while (seen.has(label)) label = `${label}′`
      seen.add(label)
      current = { label, lines: [line], ...(chapter ? { chapter } : {}) }
      last = top
      continue
    }
    if (CLOSING.test(line) || (closed && (SIGNATURE_DATE.test(line) || signers.includes(line)))) {
      closed = true
      continue
    }
    const att = ATTACHMENT_HEAD.exec(line)
    if (att && (closed || current.label !== '正文')) {
      inAttachments = true
      if (att[1]) attachments.push(att[1].replace(/^\d+[.．、]\s*/, ''))
      continue
    }
    if (inAttachments && /^\d+[.．、]/.test(line)) {
      attachments.push(line.replace(/^\d+[.．、]\s*/, ''))
      continue
    }
    if (closed) {
      // signature lines of several issuers (「财政部 税务总局」) and anything else after the closing formula
      if (/^[\u4e00-\u9fa5 ]{2,40}$/.test(line) && !/[，。：]/.test(line)) continue
    }
    current.lines.push(line)
  }
  if (current.lines.length > 0) raws.push(current)
  const clauses: Clause[] = []
  for (const r of raws) clauses.push(...passagesOf(r))
  return { clauses, attachments }
}

function passagesOf(r: Raw): Clause[] {
  const text = r.lines.join('\n')
  const first = r.lines[0] ?? ''
  const heading = r.label !== '正文' && isHeadingLine(first) ? first : undefined
  const base: Clause = {
    label: r.label,
    text,
    ...(heading ? { heading } : {}),
    ...(r.chapter ? { chapter: r.chapter } : {}),
  }
  const subStarts = r.lines.map((l, i) => (SUB_ITEM.test(l) ? i : -1)).filter((i) => i > 0)
  if ([...text].length <= SPLIT_SUB_CLAUSES_OVER || subStarts.length < 2) return [base]
  const introLines = r.lines.slice(0, subStarts[0])
  const intro = introLines.join('\n')
  // the context a sub-clause needs: the heading, or the whole lead-in when it is short
  const context = [...intro].length <= 200 ? intro : first
  // A lead-in that is only the heading (「二、免征增值税的项目」) is no passage of its own: it rides along.
  const out: Clause[] = introLines.length === 1 && heading ? [] : [{ ...base, text: intro }]
  const usedSub = new Set<string>()
  subStarts.forEach((start, k) => {
    const end = subStarts[k + 1] ?? r.lines.length
    const body = r.lines.slice(start, end).join('\n')
    const num = SUB_ITEM.exec(r.lines[start] ?? '')?.[1] ?? String(k + 1)
    let label = `${r.label}（${num}）`
    while (usedSub.has(label)) label = `${label}′`
    usedSub.add(label)
    const clause: Clause = { label, heading: heading ?? first, text: `${context}\n${body}`, lead: `${context}\n` }
    if (r.chapter) clause.chapter = r.chapter
    out.push(clause)
  })
  return out
}
