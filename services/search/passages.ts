/**
 * Passages, not documents: the units dense retrieval embeds and answers quote. Pure; no model, no I/O.
 *
 * - law article: one passage per 款 (paragraph); a 款 with items 「（一）…（二）…」 gives one passage per 项,
 *   each carrying its lead-in (「下列各项个人所得，免征个人所得税：」), because an item cut from its lead-in
 *   can reverse its meaning. A multi-part article also keeps a whole-article passage (#0) for questions
 *   about the list as a whole.
 * - FAQ: question + answer (long answers: question + each chunk).
 * - guide: by section (summary, conditions, materials, steps, time limit and fees, channels).
 * - notice / policy clause (and any kind added later): split like a law article, under the title — a 公告
 *   clause entry (`<文号>#<clause label>`) is one 款 or a lead-in with items.
 * Every passage text starts with a short heading (law short name + article, or the title) so a passage
 * read alone still says where it is from. Passage ids are `<entryId>#<n>`; `entryOf` inverts that.
 */
import type { Entry } from '../../knowledge/entry.js'

export interface Passage {
  /** `<entryId>#<n>`, n = 0 for a whole-entry passage, 1… for parts in reading order. */
  id: string
  entryId: string
  n: number
  /** Where in the entry: 「第二款」「第一款（三）」「办理材料」…; empty for a whole entry. */
  label: string
  /** Heading + text: what is embedded and quoted. */
  text: string
}

/** Characters per passage beyond which a FAQ answer or a long 款 is cut into chunks (small model windows). */
export const MAX_PASSAGE_CHARS = 400
const ITEM = /^[（(]([一二三四五六七八九十百]+)[)）]/
const CN_ORDINALS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十']

export function passageId(entryId: string, n: number): string {
  return `${entryId}#${n}`
}

/** The entry a passage id belongs to (entry ids may contain `#` themselves: the last one separates). */
export function entryOf(passageIdValue: string): string {
  const i = passageIdValue.lastIndexOf('#')
  return i < 0 ? passageIdValue : passageIdValue.slice(0, i)
}

function ordinal(i: number): string {
  if (i <= 10) return CN_ORDINALS[i - 1] as string
  if (i < 20) return `十${CN_ORDINALS[i - 11] ?? ''}`
  return String(i)
}

function chunk(text: string, max = MAX_PASSAGE_CHARS): string[] {
  if (text.length <= max) return [text]
  // Cut after a sentence end where possible.
  const out: string[] = []
  let rest = text
  while (rest.length > max) {
    const window = rest.slice(0, max)
    const cut = Math.max(window.lastIndexOf('。'), window.lastIndexOf('；'), window.lastIndexOf('\n'))
    const at = cut > max / 3 ? cut + 1 : max
    out.push(rest.slice(0, at).trim())
    rest = rest.slice(at)
  }
  if (rest.trim()) out.push(rest.trim())
  return out
}

/** Splits 款/项 structure: returns [label, text] parts, items prefixed by their lead-in. Pure. */
export function splitClauses(body: string): { label: string; text: string }[] {
  const paragraphs = body
    .split(/\n+/)
    .map((p) => p.trim())
    .filter(Boolean)
  const parts: { label: string; text: string }[] = []
  let kuan = 0
  let leadIn: string | null = null
  let leadLabel = ''
  for (const p of paragraphs) {
    const item = ITEM.exec(p)
    if (item && leadIn !== null) {
      parts.push({ label: `${leadLabel}（${item[1]}）`, text: `${leadIn}${p}` })
      continue
    }
    kuan++
    const label = `第${ordinal(kuan)}款`
    // A lead-in ends with a colon: the items that follow belong to it.
    if (/[：:]$/.test(p)) {
      leadIn = p
      leadLabel = label
      parts.push({ label, text: p })
      continue
    }
    leadIn = null
    for (const [i, c] of chunk(p).entries()) parts.push({ label: i === 0 ? label : `${label}（续${i}）`, text: c })
  }
  return parts
}

function headingOf(e: Entry): string {
  if (e.law) return `${e.law.shortName}${e.law.article}`
  return e.title
}

function make(e: Entry, parts: { label: string; text: string }[], heading: string, whole: string | null): Passage[] {
  const out: Passage[] = []
  if (parts.length > 1 && whole !== null)
    out.push({ id: passageId(e.id, 0), entryId: e.id, n: 0, label: '', text: `${heading} ${whole}` })
  parts.forEach((p, i) =>
    out.push({ id: passageId(e.id, i + 1), entryId: e.id, n: i + 1, label: p.label, text: `${heading} ${p.text}` }),
  )
  return out
}

/** The passages of an entry, in reading order. Never empty for a valid entry. */
export function splitPassages(e: Entry): Passage[] {
  switch (e.kind) {
    case 'faq': {
      const q = e.question ?? e.title
      const parts = chunk(e.body.replace(/\n+/g, ' '), MAX_PASSAGE_CHARS - Math.min(q.length, 200)).map((text, i) => ({
        label: i === 0 ? '' : `续${i}`,
        text,
      }))
      return parts.map((p, i) => ({
        id: passageId(e.id, i + 1),
        entryId: e.id,
        n: i + 1,
        label: p.label,
        text: `${q} ${p.text}`,
      }))
    }
    case 'guide': {
      const g = e.guide
      const sections: { label: string; text: string }[] = [{ label: '概述', text: e.body }]
      if (g) {
        const list = (items: readonly string[]) => items.map((s, i) => `${i + 1}. ${s}`).join(' ')
        if (g.conditions.length) sections.push({ label: '办理条件', text: list(g.conditions) })
        if (g.materials.length) sections.push({ label: '办理材料', text: list(g.materials) })
        if (g.steps.length) sections.push({ label: '办理流程', text: list(g.steps) })
        const limit = [g.timeLimit, g.fees && `收费标准：${g.fees}`].filter(Boolean).join(' ')
        if (limit) sections.push({ label: '办理时限', text: limit })
        if (g.channels.length) sections.push({ label: '办理渠道', text: `办理渠道：${g.channels.join('、')}` })
      }
      const parts = sections.flatMap((s) =>
        chunk(s.text).map((text) => ({ label: s.label, text: `${s.label}：${text}` })),
      )
      return make(e, parts, e.title, null)
    }
    default: {
      const parts = splitClauses(e.body)
      if (parts.length === 0)
        return [{ id: passageId(e.id, 1), entryId: e.id, n: 1, label: '', text: `${headingOf(e)} ${e.title}` }]
      return make(e, parts, headingOf(e), e.body.replace(/\n+/g, ''))
    }
  }
}
