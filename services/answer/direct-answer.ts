/**
 * Pure: a direct answer first. Sources are cut into passages (a law article's 款, a list item together with
 * its lead-in 「有下列情形之一的，免征契税：」, a FAQ answer's sentences, a guide's sections); the passage that
 * covers the question best opens the reply as one or two sentences marked with its citation [n], followed by
 * at most two supporting quotes. Table captions are never used as an answer.
 */
import type { Entry } from '../../knowledge/entry.js'
import { GENERIC_QUESTION_WORDS, hasTerm } from './confidence.js'
import { sourceLabel, type AnswerSource } from './extractive-answer.js'
import {
  ASKS_CONDITION,
  ASKS_FIGURE,
  arisesForPayWhen,
  arisesOnly,
  asksPayWhen,
  COMPARES_AMOUNT,
  otherQuestion,
  questionType,
  STATES_CONDITION,
  STATES_FIGURE as FIGURE,
  statutoryTaxesIn,
  taxesAskedIn,
  typeFitOf,
} from './question-type.js'

export interface Passage {
  /** Index of the source in the candidate list (0 = best retrieved). */
  source: number
  entry: Entry
  /** The passage as quoted: a list item carries its lead-in, a table row its caption and header. */
  text: string
  at: number
  /** A row of a table (its figure depends on the header it was cut from). */
  row?: boolean
}

export interface ScoredPassage extends Passage {
  score: number
  /** Share of the question's content terms the passage (with its source title) covers, 0..1. */
  coverage: number
  figure: boolean
  /** The passage is the one the retriever matched to the question (its dense or lexical best passage). */
  matched: boolean
  /** Cosine of the passage to the question when it was embedded (see Closeness), else null. */
  dense: number | null
  /** Share of the question's content terms the passage text alone covers (no source title), 0..1. */
  own: number
  /** The source's relevance prior the score includes (AnswerSource.weight, default 1). */
  prior: number
  /** The score without the closeness factors (dense cosine, the retriever's own passage). */
  lexical: number
  /** The score's features (LEAD_FEATURES), for fitting the weights. */
  features: Readonly<Record<LeadFeature, number>>
}

/** How strongly passage closeness reorders the lexical ranking: ×e^(gain·(cos − pivot)). Tuned on dev. */
const DENSE_GAIN = 4
const DENSE_PIVOT = 0.6
const RETRIEVER_PASSAGE_BONUS = 1.5
/** A passage saying only when the liability arises, for a question asking when to pay or file (question-type.ts). */
const ARISES_NOT_DEADLINE = 0.4
/** A 公告's transitional clause, for a question that names no year. */
const TRANSITIONAL = 0.5
/** A table's footnote (「注2：…」): it qualifies the table and answers little alone. */
const FOOTNOTE = /^注\s*\d*\s*[:：]/
const FOOTNOTE_WEIGHT = 0.5
/**
 * 「印花税有减免吗」: a passage whose text and source title name none of the taxes the question names is about them at
 * most by implication (「"六税两费"减免政策的适用」 for 印花税), rarely the answer. Tuned on dev.
 */
const TAX_UNNAMED = 0.75
/** 「2026年1月1日前」「2025年及以前」 */
const BEFORE_DATE = /(20\d\d)年(\d{1,2}月(\d{1,2}日)?)?(以前|及以前|之前|前)/g
/** 「2025年四季度」「2025年12月税款所属期」 */
const PERIOD_OF_YEAR = /(20\d\d)年(第?[一二三四1-4]季度|\d{1,2}月[^，。；,]{0,6}税款所属期|[^，。；,]{0,4}税款所属期)/g
/**
 * 「2026年1月1日前按销售额…的纳税人，一般纳税人生效之日为2026年1月1日」, 「纳税人办理2025年四季度…申报」: a clause whose
 * condition is a period before its own 公告 took effect (the year it took effect with 前/以前, or an earlier year's
 * 季度/月/税款所属期) settles the cases left over from the old rule. The general clause (「一般纳税人生效之日为超过规定
 * 标准的当期1日」) answers a question that names no year.
 */
export function isTransitional(text: string, entry: Pick<Entry, 'effectiveFrom'>): boolean {
  const from = entry.effectiveFrom ? Number(entry.effectiveFrom.slice(0, 4)) : null
  if (from === null) return false
  // a date up to the year it took effect, or a period of an earlier year
  for (const m of text.matchAll(BEFORE_DATE)) if (Number(m[1]) <= from) return true
  for (const m of text.matchAll(PERIOD_OF_YEAR)) if (Number(m[1]) < from) return true
  return /本公告(施行|实施|发布)(之日)?(前|以前)/.test(text)
}
/**
 * A passage whose own window ended before today (「在2024年1月1日至2025年12月31日期间，纳税人出售自有住房…可…申请退还」,
 * 「本公告执行期限为2022年1月1日至2024年12月31日」) states a rule a taxpayer can no longer use: for a question naming
 * no year it weighs ×0.3 (stronger than a transitional clause: the whole rule, not its condition, is out of date).
 */
const EXPIRED_WINDOW = 0.3
/** A 公告 preamble that only introduces its clauses. */
const PREAMBLE = /(公告如下|通知如下|规定如下|现予(以)?发布|现予(以)?公布|现将[^。]*公告)/
const PREAMBLE_WEIGHT = 0.5
/**
 * 「…应当…提出申请，…并应提供下列资料：（四）新购住房为新房的，提供…房屋交易合同」: a list of the papers to hand in
 * answers 「要带啥材料」 or 「怎么办」, not 「卖房交的个税能退吗」 — there it weighs ×0.5.
 */
const MATERIALS_LIST = /(提供|报送|提交|填报|附送)[^。；]{0,30}(下列|以下|如下)[^。；]{0,4}(资料|材料|证件)/
const ASKS_MATERIALS =
  /(材料|资料|证件|证明|带啥|带什么|提供什么|提供啥|准备什么|准备啥|手续|怎么办|咋办|怎么申请|如何申请|咋申请|怎么办理|如何办理|流程|在哪办|去哪办)/
const MATERIALS_WEIGHT = 0.5
/** A FAQ whose question asks for another specific thing (a procedure for 「多少」): its sentences weigh ×0.5. */
const OTHER_FAQ = 0.5
/**
 * 「小规模纳税人季度销售额多少免征增值税」「一个月卖多少以内不用交」 ask for the threshold of a relief: a passage that states
 * no relief at all (「年应征增值税销售额未超过五百万元的纳税人为小规模纳税人」, the definition of the asker's status) is
 * about the question's subject, not its answer, and weighs ×0.6.
 */
const ASKS_RELIEF_THRESHOLD =
  /((多少|几万|多少钱|多少万|啥标准|什么标准)[^。？?，,]{0,6}(免征|免税|免交|免缴|不交|不用交|不缴|不用缴|不征|免)|免征额|免税额度|起征点)/
const STATES_RELIEF = /(免征|免税|免予|免缴|免交|起征点|不征收|未达到|减征|减按|减半|不缴纳|无需缴纳)/
const NO_RELIEF_STATED = 0.6
/**
 * 「应将免税销售额填写在《…申报表》主表第10栏」 tells which box of a return to fill in: it answers a question about filling
 * in a return (填/申报表/栏), not one about the rule it mentions in passing (季度不超过30万元免征), and weighs ×0.5 there.
 */
const FORM_BOX =
  /((填写在|填入|填报在|填写至|填至)[^。；]{0,30}(《[^》]*表[^》]*》|栏)|《[^》]*(申报表|附列资料|明细表|报告表)[^》]*》[^。；]{0,40}(栏|列)|附列资料[^。；]{0,20}(栏|列)|第\d+栏|栏次)/
const ASKS_FORM = /(填|申报表|报表|栏|表格|表单)/
const FORM_BOX_WEIGHT = 0.5
const DATE_RANGE = /(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?至(\d{4})年(\d{1,2})月(\d{1,2})日/g
const iso = (y: string, m: string, d: string) => `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`
/** Every date range in the passage ends before `today` (YYYY-MM-DD, China time). */
export function windowEnded(text: string, today: string): boolean {
  let ends = 0
  for (const m of text.matchAll(DATE_RANGE)) {
    if (iso(m[4] as string, m[5] as string, m[6] as string) >= today) return false
    ends++
  }
  return ends > 0
}
/** A passage that refers to another candidate's article (「…低于企业所得税法第四条第一款规定税率…」). Tuned on dev. */
const REFERRING_PASSAGE = 0.85
const LAW_ITEM = /^[一二三四五六七八九十]+、/
const CAPTION = /^(个人所得税税率表|附[:：]|附表|（注|\(注)|税目税(额|率)表$|^[^。；]{0,30}表[一二三四]?（[^）]*适用）$/
const FOLLOWS_PREVIOUS = /(依照|按照|适用)前款(的)?规定/
// the question words coverage ignores, plus two sentence-final particles
const GENERIC = new Set([...GENERIC_QUESTION_WORDS, '啊', '吧'])

/** One source as passages. */
export function passagesOf(entry: Entry, source: number): Passage[] {
  const out: Passage[] = []
  const push = (text: string, row = false) => {
    const t = text.replace(/\s+/g, ' ').trim()
    if (t && /[\p{L}\p{N}]/u.test(t) && (row || !CAPTION.test(t)))
      out.push({ source, entry, text: t, at: out.length, ...(row ? { row } : {}) })
  }
  if (entry.guide) {
    push(entry.body)
    for (const c of entry.guide.conditions) push(`办理条件：${c}`)
    for (const s of entry.guide.steps) push(`办理步骤：${s}`)
    if (entry.guide.timeLimit) push(`办理时限：${entry.guide.timeLimit}`)
    return out
  }
  const lines = entry.body
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
  let leadIn: { text: string; level: number } | null = null
  // the item of a 「1.」/「（1）」 list being read: the paragraphs that explain it and its own sub-items belong to it
  let item: { text: string; level: number } | null = null
  let previous: string | null = null
  // older regulations number a list 「一、…；二、…」 (房产税暂行条例第五条 「下列房产免纳房产税：」); in a 公告 「一、」 opens a section
  const law = entry.kind === 'law-article'
  // a table: 「个人所得税税率表二（经营所得适用）」, 「级数｜全年应纳税所得额｜税率（%）」, then rows 「3｜超过…｜20」
  let caption: string | null = null
  let header: string[] | null = null
  for (const line of lines) {
    if (line.includes('｜')) {
      const cells = line.split('｜').map((c) => c.trim())
      // the first row of a table is its header (a row of figures is not)
      if (!header && !/^\d/.test(line)) header = cells
      else push(header && cells.length === header.length ? tableRow(caption, header, cells) : line, true)
      continue
    }
    header = null
    if (CAPTION.test(line) && !/^([（(]注|附[:：])/.test(line)) caption = line
    const level = markerLevel(line, law)
    // an item of the open list: a marker of a deeper level than the lead-in's own (in a 公告 「一、」 opens a section)
    if (leadIn && level !== null && level > leadIn.level && (law || level > 1)) {
      const text = line.replace(/[；;]$/, '。')
      // 「8.农业生产用地，具体包括：」 then 「（1）将国有农用地出租给农业生产者…」: read under the item and the list's lead-in
      if (item && level > item.level) push(`${leadIn.text}${item.text}${text}`)
      else {
        push(`${leadIn.text}${text}`)
        item = level >= DEEP_ITEM ? { text, level } : null
      }
      continue
    }
    // 「家庭财产分割，包括下列情形：离婚财产分割；…」 explains the 「19.涉及家庭财产分割的个人无偿转让不动产」 above it: it
    // says nothing about 免征 without the item and the list's lead-in
    if (leadIn && item && level === null && entry.kind === 'policy') {
      push(`${leadIn.text}${item.text}${/[。：]$/.test(item.text) ? '' : '。'}${line}`)
      continue
    }
    leadIn = null
    item = null
    // a 款 that ends in a colon introduces the items below it; so does a sentence announcing a list
    // (「（一）自2026年1月1日起，下列项目免征增值税。」 over 「1.」「2.」…, 「除以下两类情形外，应办理一般纳税人登记。」)
    const m = /^(.*[：:])\s*$/.exec(line)
    if (m || LIST_SENTENCE.test(line)) {
      leadIn = { text: m ? (m[1] as string).replace(/:$/, '：') : line.replace(/。$/, '：'), level: level ?? 0 }
      // a sentence lead-in is a rule too (「下列项目免征增值税」): quoted alone as well
      if (!m) push(line)
      continue
    }
    // 「丢失发票或者擅自损毁发票的，依照前款规定处罚。」 says nothing without the 款 before it: read them together
    if (previous && FOLLOWS_PREVIOUS.test(line)) push(`${previous}${line}`)
    // a long 款 is split into sentences; each keeps the 款's first clause when it starts with 其中/但是…
    else for (const s of line.split(/(?<=[。！？])/)) push(s)
    previous = line
  }
  return out
}

/**
 * The level of a line's list marker: 「一、」 1 (a list in a law article; a section in a 公告), 「（一）」 2, 「1.」 3,
 * 「（1）」 4; null for a line without one. A list's items are the lines of a deeper level than its lead-in's own.
 */
function markerLevel(line: string, law: boolean): number | null {
  if (LAW_ITEM.test(line)) return law ? 2 : 1
  if (/^[（(][一二三四五六七八九十]+[）)]/.test(line)) return 2
  if (/^\d+[.、．]/.test(line)) return 3
  if (/^[（(]\d+[）)]/.test(line)) return 4
  return null
}

/** Items of this level or deeper (「1.」, 「（1）」) carry their explanations and sub-items (a 公告's long lists). */
const DEEP_ITEM = 3
/**
 * A sentence that announces the list below it without a colon: 「下列项目免征增值税。」, 「按以下规定执行。」,
 * 「除以下两类情形外，应办理一般纳税人登记。」 (not 「以下简称」, nor 「十万元以下」).
 */
const LIST_SENTENCE =
  /^[^。]{0,80}(下列|以下(规定|情形|条件|方式|几类|两类|三类|几种|两种|事项|项目)|如下(规定|方式))[^。]{0,40}。$/

/**
 * A table row read with its table's caption and header, so it is never quoted as a bare figure:
 * 「个人所得税税率表二（经营所得适用）第3级：全年应纳税所得额超过90000元至300000元的部分，税率20%」.
 */
export function tableRow(caption: string | null, header: readonly string[], cells: readonly string[]): string {
  const fields = header.map((h, i) => {
    const v = cells[i] ?? ''
    const unit = /（(%|％|‰)）$/.exec(h)?.[1]
    return unit ? `${h.replace(/（(%|％|‰)）$/, '')}${v}${unit}` : `${h}${v}`
  })
  const level = /^级数/.test(header[0] ?? '') ? `第${cells[0]}级` : ` ${cells[0]}`
  return `${caption ?? ''}${level}：${fields.slice(1).join('，')}`.trim()
}

/** Content terms of the question, [term, weight, original?]: expansions of the lexicon (weight < 1) count as partial credit. */
function contentTerms(terms: ReadonlyMap<string, number>): [string, number, boolean][] {
  return [...terms]
    .filter(([t]) => t.length > 0 && !GENERIC.has(t))
    .map(([t, w]) => [t, Math.min([...t].length, 4) * Math.min(w, 1), w >= 1])
}

/** How much of the question a text covers (exact terms, partial credit for shared pairs and for expansions). */
export function passageCoverage(terms: readonly [string, number, boolean][], text: string): number {
  return normalizedCoverage(terms, normalizedText(text))
}

/** The form passageCoverage reads a text in. normalizedText(a + ' ' + b) = normalizedText(a) + ' ' + normalizedText(b):
 *  nothing composes with a space under NFKC, and a space ends a word for toLowerCase's final sigma. */
const normalizedText = (text: string) => text.normalize('NFKC').toLowerCase()

/** passageCoverage of a text already in normalizedText form (rankPassages normalises each passage once, not twice). */
function normalizedCoverage(terms: readonly [string, number, boolean][], s: string): number {
  let have = 0
  let total = 0
  let expanded = 0
  for (const [term, w, original] of terms) {
    if (!original) {
      // 老婆 ~ 夫妻, 医院 ~ 医疗机构: an expansion found stands in for part of an original term
      if (hasTerm(s, term)) expanded += w * 0.5
      continue
    }
    total += w
    if (hasTerm(s, term)) have += w
    else if (term.length >= 3 && !/^\d/.test(term)) {
      // (a number shares digit pairs with every other number: 3000 is no part of 30000)
      let pairs = 0
      for (let i = 0; i + 1 < term.length; i++) if (s.includes(term.slice(i, i + 2))) pairs++
      have += w * 0.5 * (pairs / (term.length - 1))
    }
  }
  return total === 0 ? 0 : Math.min(1, (have + Math.min(expanded, (total - have) * 0.6)) / total)
}

/** Every passage of the sources, scored against the question, best first. */
const ASKS: readonly [RegExp, RegExp][] = [
  [/(税率|征收率|几个点|百分之几|比例|按多少)/, /(\d+(\.\d+)?\s*[%％‰]|百分之|千分之|万分之)/],
  [ASKS_CONDITION, STATES_CONDITION],
  [/(多少税|交多少|扣多少|抵多少|多少钱|罚多少)/, /(\d+(\.\d+)?\s*[%％‰]|百分之|千分之|万分之|元)/],
  [
    /(怎么办|怎么(注销|办|弄|申请|领|开|交|缴|报|申报|处理)|如何|流程|手续|步骤|去哪|在哪)/,
    /(办理步骤|办理条件|申报办理|申请|向.{0,16}(税务机关|税务局)|登录|点击|【)/,
  ],
  [
    /(什么时候|几号|哪天|多久|期限|截止|几天|几年|多少天|啥时候|何时)/,
    /(日内|日前|之日起|月\d*日|年内|期限|期满|按年|按月|按季|[一二三四五六七八九十\d]+(个)?(日|月|年)|当日|前)/,
  ],
  [
    /(吗|能不能|可不可以|要不要|是否|算不算|免不免|交不交|用不用)/,
    /(免征|不征收|不得|可以|应当|准予|不属于|属于|必须|不予|有权|不再|减半|减征|减按|暂免|免予)/,
  ],
]

/** 1 when the question asks for a kind of answer (a rate, a date, yes/no) the passage states, 0 when not, ½ unknown. */
export function askFit(question: string, passage: string): number {
  if (arisesForPayWhen(question, passage)) return 0
  for (const [asks, gives] of ASKS) if (asks.test(question)) return gives.test(passage) ? 1 : 0
  return 0.5
}

const squash = (t: string) => t.replace(/[\s，。；：、,.;:（）()「」]/g, '')

/** Whether a passage is the one the retriever matched to the question (dense or lexical best passage). */
function isRetrieverPassage(p: string, src: AnswerSource): boolean {
  const ref = src.passage ? squash(src.passage) : ''
  if (ref.length < 6) return false
  const mine = squash(p)
  const tail = (t: string) => t.slice(-Math.min(24, t.length))
  if (ref.includes(tail(mine)) || mine.includes(tail(ref))) return true
  // The indexed passage starts with its heading (「发票管理办法第三十四条 丢失发票或者…」, search/passages.ts): a 款 shorter
  // than the compared tail, read together with the 款 before it, is found without the heading. (Not a lead-in: every
  // item under it contains it, and a short one matching them all would only tie them.)
  const e = src.entry
  const heading = `${e.law ? `${e.law.shortName}${e.law.article}` : e.title} `
  const body = src.passage?.startsWith(heading) ? src.passage.slice(heading.length) : null
  if (!body || /[：:]\s*$/.test(body)) return false
  const own = squash(body)
  return own.length >= 6 && own.length < 24 && mine.endsWith(own)
}

/**
 * Passage-level dense evidence: cosine of a passage text (as cut here) to the question, for the few best lexical
 * candidates the answer layer embedded. A passage close in meaning wins over one that only shares words.
 */
export type Closeness = ReadonlyMap<string, number>

/** [...text].length without building the array (counted for every candidate passage of every answer). */
export function codePoints(text: string): number {
  let n = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    // a high surrogate followed by a low one is one code point, as string iteration counts it
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) i++
    }
    n++
  }
  return n
}

/**
 * The factors of a passage's lead score, as features of a log-linear model: score = e^(Σ weight[k]·x[k]),
 * 0 when the passage covers none of the question's words. Each feature is 0 when its condition does not hold, so
 * a weight is the log of the factor the passage gets (ln 0.5: the score halves). The first group are the hand-set
 * factors described in rankPassages; the last group are evidence a fitted model may weigh (eval/fit-lead.ts).
 */
export const LEAD_FEATURES = [
  ...['match', 'prior', 'rank', 'figure', 'noFigure', 'askFit', 'retriever', 'dense', 'length', 'tiny'],
  ...['refers', 'arisesOnly', 'transitional', 'windowEnded', 'preamble', 'materials', 'otherFaq', 'noRelief'],
  ...['formBox', 'footnote', 'taxUnnamed'],
  ...['faq', 'guide', 'policy', 'denseRank', 'bm25Rank', 'typeFit', 'ownShare', 'embedded', 'denseScore', 'first'],
] as const
export type LeadFeature = (typeof LEAD_FEATURES)[number]
export type LeadWeights = Readonly<Record<LeadFeature, number>>

/** The hand-set lead score (tuned on dev, one factor at a time). */
export const HAND_SET_LEAD_WEIGHTS: LeadWeights = {
  match: 1,
  prior: 1,
  rank: 1,
  figure: Math.log(1.25),
  noFigure: Math.log(0.85),
  askFit: 1,
  retriever: Math.log(RETRIEVER_PASSAGE_BONUS),
  dense: DENSE_GAIN,
  length: 1,
  tiny: Math.log(0.5),
  refers: Math.log(REFERRING_PASSAGE),
  arisesOnly: Math.log(ARISES_NOT_DEADLINE),
  transitional: Math.log(TRANSITIONAL),
  windowEnded: Math.log(EXPIRED_WINDOW),
  preamble: Math.log(PREAMBLE_WEIGHT),
  materials: Math.log(MATERIALS_WEIGHT),
  otherFaq: Math.log(OTHER_FAQ),
  noRelief: Math.log(NO_RELIEF_STATED),
  formBox: Math.log(FORM_BOX_WEIGHT),
  footnote: Math.log(FOOTNOTE_WEIGHT),
  taxUnnamed: Math.log(TAX_UNNAMED),
  faq: 0,
  guide: 0,
  policy: 0,
  denseRank: 0,
  bm25Rank: 0,
  typeFit: 0,
  ownShare: 0,
  embedded: 0,
  denseScore: 0,
  first: 0,
}

/** The features that come from passage closeness (the dense side), taken out for the lexical score. */
const CLOSENESS_FEATURES: readonly LeadFeature[] = ['dense', 'retriever']
const flag = (b: boolean) => (b ? 1 : 0)
/** 1 / a retriever's rank of the source, 0 when that retriever did not return it. */
const inverseRank = (r: { rank: number } | null | undefined) => (r ? 1 / r.rank : 0)

export function rankPassages(
  question: string,
  terms: ReadonlyMap<string, number>,
  sources: readonly AnswerSource[],
  closeness?: Closeness,
  today?: string,
  weights: LeadWeights = HAND_SET_LEAD_WEIGHTS,
): ScoredPassage[] {
  const content = contentTerms(terms)
  const asksFigure = ASKS_FIGURE.test(question) || COMPARES_AMOUNT.test(question)
  const scored: ScoredPassage[] = []
  // 「实施条例第一百一十八条：…低于企业所得税法第四条第一款规定税率…」 talks about the rule 第四条 states: when the
  // article it refers to is a candidate too, the referring passage weighs less (not for 怎么认定 / 什么是, which the
  // explaining article answers)
  const candidateArticles = sources.flatMap((s) =>
    s.entry.law ? [`${s.entry.law.shortName}${s.entry.law.article}`] : [],
  )
  const definition = questionType(question) === 'definition'
  const payWhen = asksPayWhen(question)
  const namesYear = /20\d\d/.test(question.normalize('NFKC'))
  const asksMaterials = ASKS_MATERIALS.test(question)
  const asksRelief = ASKS_RELIEF_THRESHOLD.test(question.normalize('NFKC'))
  const asksForm = ASKS_FORM.test(question)
  const refers = (text: string) => !definition && candidateArticles.some((a) => text.includes(a))
  const askedTaxes = taxesAskedIn(question)
  const namesAsked = (text: string) => statutoryTaxesIn(text).some((t) => askedTaxes.includes(t))
  const fitsType = typeFitOf(question)
  sources.forEach((src, i) => {
    const context = normalizedText(`${src.entry.title} ${src.entry.question ?? ''}`)
    const otherFaq = src.entry.kind === 'faq' && !!src.entry.question && otherQuestion(question, src.entry.question)
    // 「为贯彻落实…现予以发布」, 「…现就…公告如下：」: a preamble introduces the rules, it states none
    const preamble = src.entry.policy?.label === '正文' && PREAMBLE.test(src.entry.body)
    const titleNamesTax = askedTaxes.length === 0 || namesAsked(`${src.entry.title} ${src.entry.question ?? ''}`)
    const policy = src.entry.kind === 'policy' && !namesYear
    for (const p of passagesOf(src.entry, i)) {
      const text = normalizedText(p.text)
      const coverage = normalizedCoverage(content, `${context} ${text}`)
      const figure = FIGURE.test(p.text)
      const own = normalizedCoverage(content, text)
      const length = codePoints(p.text)
      const match = 0.7 * coverage + 0.3 * own
      // the retriever's own best passage (closest to the question in meaning) is a strong hint
      const matched = isRetrieverPassage(p.text, src)
      const cos = closeness?.get(p.text)
      const x: Record<LeadFeature, number> = {
        match: match > 0 ? Math.log(match) : 0,
        prior: Math.log(src.weight ?? 1),
        rank: -Math.log(1 + 0.08 * i),
        figure: flag(asksFigure && figure),
        noFigure: flag(asksFigure && !figure),
        askFit: Math.log(0.8 + 0.4 * askFit(question, p.text)),
        retriever: flag(matched),
        dense: cos === undefined ? 0 : cos - DENSE_PIVOT,
        // very long passages dilute the answer; tiny ones rarely answer anything
        length: -Math.log(1 + Math.max(0, length - 160) / 320),
        tiny: flag(length < 8),
        refers: flag(refers(p.text)),
        // 「契税什么时候交」: when the liability arises (签订合同的当日) is not when to pay (权属登记手续前申报缴纳)
        arisesOnly: flag(payWhen && arisesOnly(p.text)),
        transitional: flag(policy && isTransitional(p.text, src.entry)),
        windowEnded: flag(policy && !!today && windowEnded(p.text, today)),
        preamble: flag(preamble),
        materials: flag(!asksMaterials && MATERIALS_LIST.test(p.text)),
        otherFaq: flag(otherFaq),
        noRelief: flag(asksRelief && !STATES_RELIEF.test(p.text)),
        formBox: flag(!asksForm && FORM_BOX.test(p.text)),
        // 「注2：非居民个人…依照本表按月换算后计算应纳税额」
        footnote: flag(FOOTNOTE.test(p.text)),
        taxUnnamed: flag(!titleNamesTax && !namesAsked(p.text)),
        faq: flag(src.entry.kind === 'faq'),
        guide: flag(src.entry.kind === 'guide'),
        policy: flag(src.entry.kind === 'policy'),
        denseRank: inverseRank(src.signals?.dense),
        bm25Rank: inverseRank(src.signals?.bm25),
        typeFit: fitsType(p.text),
        ownShare: own,
        embedded: flag(cos !== undefined),
        denseScore: src.signals?.dense?.score ?? 0,
        first: flag(p.at === 0),
      }
      let lexical = 0
      let closer = 0
      for (const k of LEAD_FEATURES) {
        const v = x[k]
        if (v === 0) continue
        if (CLOSENESS_FEATURES.includes(k)) closer += weights[k] * v
        else lexical += weights[k] * v
      }
      const score = match > 0 ? Math.exp(lexical + closer) : 0
      scored.push({
        ...p,
        score,
        lexical: match > 0 ? Math.exp(lexical) : 0,
        coverage,
        figure,
        matched,
        dense: cos ?? null,
        own,
        prior: src.weight ?? 1,
        features: x,
      })
    }
  })
  return scored.sort((a, b) => b.score - a.score || a.source - b.source || a.at - b.at)
}

export interface DirectAnswer {
  text: string
  /** The sources used, in citation order ([1], [2], …). */
  used: Entry[]
  lead: ScoredPassage | null
  /** Best score of a passage from a different source than the lead (for the margin feature). */
  runnerUp: number
  /** Best cosine of an embedded passage from a different source than the lead (null: none was embedded). */
  denseRunnerUp: number | null
  /** Every candidate passage, best first (for fitting the lead weights, eval/fit-lead.ts). */
  ranked: readonly ScoredPassage[]
}

const MAX_SUPPORT = 2
const MAX_CHARS = 360

/**
 * The reply: the best passage as the opening sentence(s) with [1]; then at most two supporting quotes from
 * passages nearly as good (another 款 of the same article, or the next source), each with its citation.
 */
export function composeDirect(
  question: string,
  terms: ReadonlyMap<string, number>,
  sources: readonly AnswerSource[],
  lead?: string,
  preset: readonly Entry[] = [],
  closeness?: Closeness,
  today?: string,
): DirectAnswer {
  const ranked = rankPassages(question, terms, sources, closeness, today)
  const best = ranked[0]
  if (!best || best.score <= 0) return { text: '', used: [], lead: null, runnerUp: 0, denseRunnerUp: null, ranked }
  const runnerUp = ranked.find((p) => p.source !== best.source)?.score ?? 0
  const others = ranked.filter((p) => p.source !== best.source && p.dense !== null).map((p) => p.dense as number)
  const denseRunnerUp = others.length > 0 ? Math.max(...others) : null
  // a lead (a calculator's estimate) has already cited `preset` as [1], [2], …
  const used: Entry[] = [...preset]
  const cite = (e: Entry) => citeIn(used, e)
  // a calculator's estimate is the whole answer: it states and cites the rules it uses
  if (lead) return { text: lead, used, lead: best, runnerUp, denseRunnerUp, ranked }
  // Items of the lead's list that the question's words cannot tell apart (only the dense closeness does)
  // are read together under their lead-in: 「起征点标准如下：（一）按月…（二）按次…」, not one tier alone.
  // (the retriever's own passage bonus is a closeness signal too, so it is taken out with the dense factor)
  const tied = ranked.filter((p) => p !== best && sameLeadIn(p, best) && p.lexical >= best.lexical * 0.95)
  const leadIn = best.text.slice(0, best.text.indexOf('：') + 1)
  // an item and the same item read with its explanation (「19.涉及家庭财产分割…」, 「19.…。家庭财产分割，包括…」): the longer one
  const list = [best, ...tied]
    .filter((p, _, all) => !all.some((q) => q !== p && q.text.length > p.text.length && q.text.includes(p.text)))
    .sort((a, b) => a.at - b.at)
  const whole = `${leadIn}${list.map((p) => p.text.slice(leadIn.length).replace(/。$/, '；')).join('')}`.replace(
    /；$/,
    '。',
  )
  const merged = list.length > 1 && [...whole].length <= MAX_CHARS
  const opening = merged ? whole : list.length === 1 ? (list[0] as ScoredPassage).text : best.text
  const parts = [`${stop(opening)}[${cite(best.entry)}]`]
  let chars = [...opening].length
  const support = ranked
    .filter((p) => p !== best)
    .filter((p) => !((merged || list[0] !== best) && list.includes(p)))
    .filter(
      (p) =>
        p.score >= best.score * 0.6 &&
        p.coverage >= best.coverage * 0.6 &&
        !(p.entry.id === best.entry.id && p.at === best.at),
    )
    .filter((p) => !sameLeadIn(p, best) || p.score >= best.score * 0.9)
  const quotes: string[] = []
  for (const p of support) {
    if (quotes.length >= MAX_SUPPORT) break
    const len = codePoints(p.text)
    if (chars + len > MAX_CHARS) continue
    if (quotes.some((q) => q.includes(p.text))) continue
    chars += len
    const n = cite(p.entry)
    quotes.push(
      p.entry.id === best.entry.id
        ? `${p.entry.kind === 'law-article' ? '同条还规定' : '其中还说明'}：「${stop(p.text)}」[${n}]`
        : `${sourceLabel(p.entry)}：「${stop(p.text)}」[${n}]`,
    )
  }
  return { text: [parts.join(''), ...quotes].join('\n'), used, lead: best, runnerUp, denseRunnerUp, ranked }
}

/** The citation number of an entry among a reply's sources (1-based), appending it when it is new. */
export function citeIn(used: Entry[], e: Entry): number {
  const i = used.findIndex((u) => u.id === e.id)
  return i >= 0 ? i + 1 : used.push(e)
}

/** Two items of one list under the same lead-in answer different questions; quote a sibling only when it is as good. */
function sameLeadIn(a: Passage, b: Passage): boolean {
  return a.entry.id === b.entry.id && a.text.split('：')[0] === b.text.split('：')[0] && a.text.includes('：')
}

function stop(s: string): string {
  const t = s.replace(/[，,、：:；;]+$/, '')
  return /[。！？!?）)」』]$/.test(t) ? t : `${t}。`
}
