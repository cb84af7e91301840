/**
 * Step 5 (no LLM), pure: a grounded extractive answer. The sentences of the top sources are scored by
 * query-term overlap (longer, rarer-looking terms weigh more; numbers, rates and deadlines get a bonus
 * when the question asks for an amount or a date), the best are kept in source order, and each is
 * followed by the number of its source, [n].
 */
import type { Entry } from '../../knowledge/entry.js'
import type { HitSignals } from '../search/hybrid-fusion.js'
import { hasTerm } from './confidence.js'
import { policySourceLabel } from './policy-citation.js'
import { ASKS_FIGURE, STATES_FIGURE as FIGURE } from './question-type.js'

export interface AnswerSource {
  /** 1-based citation number. */
  n: number
  entry: Entry
  /** Relevance prior of the whole source (default 1), e.g. lower for a law about another tax. */
  weight?: number
  /** Text of the passage the retriever matched to the question, when it chose one. */
  passage?: string
  /** The retrievers' ranks of the source (hybrid search), when known. */
  signals?: HitSignals
}

export interface ScoredSentence {
  n: number
  text: string
  score: number
  /** Position inside its source, to keep reading order. */
  at: number
}

/** Sources up to this long are quoted whole once any of their sentences is picked. */
const SHORT_SOURCE_CHARS = 160
// Not at 「；」: statutes chain a rule and its exception with it (「三年内可以追征；有特殊情况的，…五年」).
const SENTENCE_END = /(?<=[。！？!?])|\n+/

/** The text a source contributes (guides add their conditions, steps and time limit). */
export function sourceText(e: Entry): string {
  if (e.guide) return [e.body, ...e.guide.conditions, ...e.guide.steps, `办理时限：${e.guide.timeLimit}`].join('\n')
  return e.body
}

export function splitSentences(text: string): string[] {
  return text
    .split(SENTENCE_END)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => /[\p{L}\p{N}]/u.test(s) && [...s].length >= 2)
}

/** Overlap score of one sentence with weighted query terms. */
export function scoreSentence(sentence: string, terms: ReadonlyMap<string, number>, asksFigure: boolean): number {
  const s = sentence.normalize('NFKC').toLowerCase()
  let score = 0
  for (const [term, w] of terms) {
    if (term.length === 0) continue
    if (hasTerm(s, term)) score += w * Math.min(term.length, 4)
    // colloquial vs statutory wording (退休金 ~ 退休费, 房租 ~ 租金): partial credit for shared character pairs
    else if (term.length >= 3) {
      let pairs = 0
      for (let i = 0; i + 1 < term.length; i++) if (s.includes(term.slice(i, i + 2))) pairs++
      if (pairs > 0) score += w * 0.5 * Math.min(term.length, 4) * (pairs / (term.length - 1))
    }
  }
  if (score > 0 && asksFigure) score *= FIGURE.test(sentence) ? 2 : 0.8
  // very long sentences dilute the answer; prefer tight ones at equal overlap
  return score / (1 + Math.max(0, [...sentence].length - 120) / 240)
}

export interface ExtractOptions {
  /** Most sentences in the whole answer. */
  maxSentences?: number
  /** Most sentences taken from one source. */
  maxPerSource?: number
  maxChars?: number
}

/** The best sentences of the given sources, in citation-then-reading order. */
export function pickSentences(
  question: string,
  terms: ReadonlyMap<string, number>,
  sources: readonly AnswerSource[],
  options: ExtractOptions = {},
): ScoredSentence[] {
  const maxSentences = options.maxSentences ?? 5
  const maxPerSource = options.maxPerSource ?? 3
  const maxChars = options.maxChars ?? 420
  const asksFigure = ASKS_FIGURE.test(question)
  const all: ScoredSentence[] = []
  const bySource = new Map<number, string[]>()
  for (const src of sources) {
    const sentences = splitSentences(sourceText(src.entry))
    bySource.set(src.n, sentences)
    sentences.forEach((text, at) => {
      // the top source leads: its sentences win ties against later sources
      // better-ranked sources lead: a gentle prior by citation order
      const score =
        (scoreSentence(text, terms, asksFigure) / (1 + 0.06 * (src.n - 1))) *
        (src.n === 1 ? 1.1 : 1) *
        (src.weight ?? 1)
      if (score > 0) all.push({ n: src.n, text, score, at })
    })
  }
  all.sort((a, b) => b.score - a.score || a.n - b.n || a.at - b.at)
  const best = all[0]?.score ?? 0
  const kept: ScoredSentence[] = []
  const perSource = new Map<number, number>()
  let chars = 0
  for (const s of all) {
    if (kept.length >= maxSentences) break
    // weak sentences only add noise next to a strong one
    if (s.score < best * 0.35) break
    if ((perSource.get(s.n) ?? 0) >= maxPerSource) continue
    const len = [...s.text].length
    if (kept.length > 0 && chars + len > maxChars) continue
    kept.push(s)
    perSource.set(s.n, (perSource.get(s.n) ?? 0) + 1)
    chars += len
  }
  // A short article is quoted whole: splitting 「…税率为1.2%；…税率为12%。」 would drop half of the rule.
  for (const n of new Set(kept.map((k) => k.n))) {
    const sentences = bySource.get(n) ?? []
    const len = sentences.reduce((a, x) => a + [...x].length, 0)
    if (len > SHORT_SOURCE_CHARS) continue
    sentences.forEach((text, at) => {
      if (kept.some((x) => x.n === n && x.at === at)) return
      kept.push({ n, text, score: 0, at })
      chars += [...text].length
    })
  }
  // A list header (「税率如下：」) is useless without its items: bring the items along.
  for (const k of [...kept]) {
    if (!/[：:]$/.test(k.text)) continue
    const sentences = bySource.get(k.n) ?? []
    // the items that share words with the question, else the first few
    const items: number[] = []
    for (
      let i = k.at + 1;
      i < sentences.length && /^[（(][一二三四五六七八九十]+[）)]|^\d+[.、]/.test(sentences[i] as string);
      i++
    )
      items.push(i)
    const relevant = items.filter((i) => scoreSentence(sentences[i] as string, terms, asksFigure) > 0)
    const chosen = (relevant.length > 0 ? relevant : items).slice(0, 6)
    if (items.length === 0) for (let i = k.at + 1; i < sentences.length && i <= k.at + 3; i++) chosen.push(i)
    for (const i of chosen) {
      if (kept.some((x) => x.n === k.n && x.at === i)) continue
      const text = sentences[i] as string
      if (chars + [...text].length > maxChars * 1.5) break
      kept.push({ n: k.n, text, score: k.score, at: i })
      chars += [...text].length
    }
  }
  return kept.sort((a, b) => a.n - b.n || a.at - b.at)
}

/** How a source is named in the answer: 《个人所得税法》第六条, 《设立税务登记》办税指南, 12366 问答. */
export function sourceLabel(e: Entry): string {
  // policy clause passages: 《起征点标准》（财政部 税务总局公告2026年第10号 第一条） (h14-policies)
  const policy = policySourceLabel(e)
  if (policy) return `《${clip(e.title, 40)}》（${policy}）`
  if (e.law) return `《${e.law.shortName}》${e.law.article}`
  if (e.kind === 'guide') return `办税指南《${e.title}》`
  if (e.kind === 'faq') return `12366 问答「${clip(e.question ?? e.title, 30)}」`
  return `《${clip(e.title, 40)}》`
}

function clip(s: string, n: number): string {
  const chars = [...s]
  return chars.length <= n ? s : `${chars.slice(0, n).join('')}…`
}

/** Joins picked sentences into paragraphs, one per source: 「依据《…》第六条：句子。[1] 句子。[1]」. */
export function composeExtractive(picked: readonly ScoredSentence[], sources: readonly AnswerSource[]): string {
  const paragraphs: string[] = []
  for (const src of sources) {
    const mine = picked.filter((p) => p.n === src.n)
    if (mine.length === 0) continue
    const body = mine.map((p) => `${endWithStop(p.text)}[${src.n}]`).join('')
    paragraphs.push(`依据${sourceLabel(src.entry)}：${body}`)
  }
  return paragraphs.join('\n')
}

function endWithStop(s: string): string {
  const t = s.replace(/[，,、：:]+$/, '')
  return /[。！？；!?;）)」』]$/.test(t) ? t.replace(/；$/, '。') : `${t}。`
}

/** A FAQ's answer, cut at a sentence boundary, with its citation after each sentence. */
export function composeFaqAnswer(faq: Entry, n: number, maxChars = 500): string {
  const out: string[] = []
  let chars = 0
  for (const s of splitSentences(faq.body)) {
    const len = [...s].length
    if (out.length > 0 && chars + len > maxChars) break
    out.push(`${endWithStop(s)}[${n}]`)
    chars += len
  }
  return out.join('')
}

/**
 * Notes for what the corpus does not contain although a cited source refers to it: the 个税 rate tables
 * (「税率表附后」) and standards the State Council sets (「由国务院确定/规定」). Said plainly, never guessed.
 */
export function missingDetailNotes(texts: readonly string[]): string[] {
  const notes: string[] = []
  const all = texts.join('\n')
  // a rate 「（税率表附后）」 quoted without the annex's rows: the corpus has 个人所得税法#附表 since s5, so the note says
  // where the rows are, not that they are missing
  if (/税率表附后|个人所得税税率表[一二]/.test(all) && !/级数｜|税率表[一二]（[^）]*适用）(：|第\d+级)/.test(all))
    notes.push('各级距的具体税率见《个人所得税法》所附税率表（附表），本回答未列出')
  const delegated = DELEGATED.exec(all)
  if (delegated) {
    // 「前款规定的起征点标准由国务院规定」: the standard is named (起征点); when another cited text states that
    // standard with a figure (a 公告 that sets it: 起征点为月销售额10万元), nothing is missing.
    const named = delegatedStandard(all)
    const stated = named ? texts.some((t) => statesStandard(t, named) && !t.includes(delegated[0])) : false
    if (!stated) notes.push(`具体${named ?? '扣除'}标准由国务院另行规定，以现行公告为准，本回答未列出`)
  }
  return notes
}

const DELEGATED = /具体范围、标准和实施步骤由国务院确定|标准由国务院(规定|确定)|由国务院(另行)?规定/

/** The standard a statute leaves to the State Council: 「前款规定的起征点标准由国务院规定」 → 起征点; else null. */
export function delegatedStandard(text: string): string | null {
  return /([\p{Script=Han}]{2,6}?)标准由国务院/u.exec(text)?.[1]?.replace(/^.*规定的/, '') ?? null
}

/**
 * Of the 公告 among `entries` that state a delegated standard with a figure (2022年第6号 「月销售额未超过15万元」,
 * 2026年第10号 「起征点为月销售额10万元」), the ids of those in force from earlier than the latest one: the later
 * document is the current figure, the older ones are not the answer (the official library may mark them only 已修改).
 */
export function supersededStandards(
  entries: readonly Pick<Entry, 'id' | 'kind' | 'body' | 'effectiveFrom'>[],
  delegated: readonly string[],
): Set<string> {
  const stating = entries.filter(
    (e) => e.kind === 'policy' && e.effectiveFrom && delegated.some((d) => statesStandard(e.body, d)),
  )
  const latest = stating.reduce((m, e) => ((e.effectiveFrom as string) > m ? (e.effectiveFrom as string) : m), '')
  return new Set(stating.filter((e) => (e.effectiveFrom as string) < latest).map((e) => e.id))
}

/**
 * Law articles whose definition a later 公告 among `entries` restates with its own figures: 企业所得税法实施条例第九十二条
 * 「…所称符合条件的小型微利企业，是指…年度应纳税所得额不超过30万元…」 against 财政部 税务总局公告2023年第12号 第五条
 * 「本公告所称小型微利企业，是指…不超过300万元…」 — the 公告 in force is the figure taxpayers are held to, the
 * article's figures are not the answer.
 */
export function restatedDefinitions(
  entries: readonly Pick<Entry, 'id' | 'kind' | 'body' | 'effectiveFrom'>[],
): Set<string> {
  const defined = (e: Pick<Entry, 'body'>) => {
    const term = DEFINES.exec(e.body)?.[1]?.replace(/^符合条件的/, '')
    return term && term.length >= 4 && FIGURE.test(e.body) ? term : null
  }
  const policies = entries.flatMap((e) => {
    const term = e.kind === 'policy' && e.effectiveFrom ? defined(e) : null
    return term ? [{ term, from: e.effectiveFrom as string }] : []
  })
  const out = new Set<string>()
  for (const e of entries) {
    if (e.kind !== 'law-article') continue
    const term = defined(e)
    if (term && policies.some((p) => p.term === term && (!e.effectiveFrom || p.from > e.effectiveFrom))) out.add(e.id)
  }
  return out
}

const DEFINES = /所称([\p{Script=Han}]{2,14}?)，?是指/u

/** Whether a text states the named standard with a figure (起征点为月销售额10万元). */
export function statesStandard(text: string, standard: string): boolean {
  return text.includes(standard) && FIGURE.test(text)
}

/**
 * The rows of one rate table of an 附表 (「个人所得税税率表二（经营所得适用）」 + 「级数｜全年应纳税所得额｜税率（%）」 +
 * rows), for an article that says 「（税率表附后）」: the table whose caption names `category` (经营所得), read as one
 * line 「个人所得税税率表二（经营所得适用）：不超过30000元的，5%；超过30000元至90000元的部分，10%；…」. Null when the
 * annex has no such table or it has no rows.
 */
export function rateTableFor(annex: string, category: string): string | null {
  const lines = annex.split('\n').map((l) => l.trim())
  const at = lines.findIndex((l) => /表[一二三四五六七八九十]*（[^）]*适用）$/.test(l) && l.includes(category))
  if (at < 0) return null
  const header = lines[at + 1]?.split('｜') ?? []
  const percent = /（(%|％)）$/.test(header[header.length - 1] ?? '')
  const rows: string[] = []
  for (const line of lines.slice(at + 2)) {
    if (!/^\d+｜/.test(line)) break
    const cells = line.split('｜')
    rows.push(`${cells.slice(1, -1).join('，')}，${cells[cells.length - 1]}${percent ? '%' : ''}`)
  }
  return rows.length > 0 ? `${lines[at]}：${rows.join('；')}` : null
}
