/**
 * Pure: how sure the answer is, from retrieval and term coverage, in 0..1.
 * - coverage: share of the question's content terms (weighted by length, a cheap proxy for specificity)
 *   found in the top source, and in the answer's sentences;
 * - strength: the top BM25 score on a saturating scale (BM25 scores are unbounded and grow with query
 *   length, so it only contributes a little);
 * - time-sensitive questions ("2026年…", "现在…", "还有吗") that no dated source covers are capped below the
 *   threshold: the corpus lacks most 公告, and the statute alone may not be the current rule.
 */
export interface ConfidenceInput {
  /** The question's original terms (no synonyms) with weights. */
  terms: ReadonlyMap<string, number>
  /** Text of the top source (title + body). */
  topText: string
  /** The answer's own sentences. */
  answerText: string
  topScore: number
  /** The question asks about a specific year or the current state of a policy. */
  timeSensitive: boolean
  /** A source states the year or is a dated notice/FAQ that covers it. */
  timeCovered: boolean
}

/** Question words that say nothing about the topic (coverage ignores them). */
export const GENERIC_QUESTION_WORDS: ReadonlySet<string> = new Set([
  '多少',
  '什么',
  '怎么',
  '如何',
  '是否',
  '可以',
  '需要',
  '哪些',
  '规定',
  '问题',
  '请问',
  '一下',
  '这个',
  '那个',
  '现在',
  '要交',
  '交',
  '吗',
  '呢',
  '的',
  '了',
  '是',
  '我',
  '有',
  '要',
  '能',
  '会',
  // 「怎么算」「咋算」「啥时候」: the question's form, not what it is about (any passage that says 计算 covered it)
  '算',
  '咋',
  '啥',
])

/** Longer tax names that contain a shorter one: 「增值税」 inside 「土地增值税」 is not about 增值税. */
const CONTAINING: Record<string, RegExp> = { 增值税: /(?<!土地)增值税/, 所得税: /所得税/, 使用税: /使用税/ }

/** Whether normalised text mentions a term in its own right. */
export function hasTerm(text: string, term: string): boolean {
  // Own keys only: a question mentioning "constructor" must not find Object's constructor (500 before).
  const re = Object.hasOwn(CONTAINING, term) ? CONTAINING[term] : undefined
  if (re) return re.test(text)
  return isDigit(term, 0) ? hasNumber(text, term) : text.includes(term)
}

const isDigit = (text: string, i: number) => {
  const c = text.charCodeAt(i)
  return c >= 48 && c <= 57
}

/** 「3000」 is in 「租金3000元」 but not in 「不超过30000元」: a number matches only as a whole number. */
function hasNumber(text: string, term: string): boolean {
  for (let i = text.indexOf(term); i >= 0; i = text.indexOf(term, i + 1))
    if (!isDigit(text, i - 1) && !isDigit(text, i + term.length)) return true
  return false
}

export function coverage(terms: ReadonlyMap<string, number>, text: string): number {
  const t = text.normalize('NFKC').toLowerCase()
  let have = 0
  let total = 0
  for (const [term, w] of terms) {
    if (GENERIC_QUESTION_WORDS.has(term) || w < 1) continue
    const weight = Math.min([...term].length, 4)
    total += weight
    if (hasTerm(t, term)) have += weight
  }
  return total === 0 ? 0 : have / total
}

export function computeConfidence(input: ConfidenceInput, threshold: number): number {
  const top = coverage(input.terms, input.topText)
  const ans = coverage(input.terms, input.answerText)
  const strength = 1 - Math.exp(-input.topScore / 12)
  let c = 0.5 * top + 0.3 * ans + 0.2 * strength
  if (input.timeSensitive && !input.timeCovered) c = Math.min(c, threshold * 0.8)
  return Math.round(Math.max(0, Math.min(1, c)) * 1000) / 1000
}

const TIME_SENSITIVE =
  /(20\d\d|(现在|目前|如今|今年)还(能|可以|有|是|用)|最新|现行的?优惠|还有吗|还能享受吗|还有没有|延续到|延长到|到期|截止到哪一年|哪一年)/
/** 「今年」「现在」 are background (「公司今年亏钱了还用申报吗」) unless what is asked is a rule that changes over time. */
const NOW_WORDS = /(今年|明年|去年|本年度|现在|目前|当前)/
const CHANGING_RULE = /(优惠|减免|减半|减征|免征|免税|政策|税率|征收率|标准|起征点|扣除比例|加计|\d+(\.\d+)?\s*[%％])/

export function isTimeSensitive(question: string): boolean {
  return TIME_SENSITIVE.test(question) || (NOW_WORDS.test(question) && CHANGING_RULE.test(question))
}

/** The years a question names (2026年 → '2026'). */
export function yearsIn(text: string): string[] {
  return [...text.normalize('NFKC').matchAll(/(20\d\d)\s*年?/g)].map((m) => m[1] as string)
}

interface DatedSource {
  kind: string
  title: string
  question?: string | null | undefined
  effectiveFrom?: string | null | undefined
  effectiveTo?: string | null | undefined
}

/**
 * A 公告 clause in force during `year` (effectiveFrom ≤ year-end, effectiveTo after the year starts). A document
 * without an end date speaks to the years up to `thisYear`, not to a later one (「2028年以后还有吗」).
 */
function inForceDuring(e: DatedSource, year: string, thisYear: string): boolean {
  if (e.kind !== 'policy' || !e.effectiveFrom) return false
  if (!e.effectiveTo) return e.effectiveFrom <= `${year}-12-31` && year <= thisYear
  return e.effectiveFrom <= `${year}-12-31` && e.effectiveTo > `${year}-01-01`
}

/**
 * Whether the sources speak to the period a time-sensitive question asks about: each year it names appears in a
 * source's title (or FAQ question) or the lead source is a 公告 clause in force during that year — but not when the
 * lead's own title names only other years (its figures are that year's); without a year,
 * a dated notice is among the sources or the lead is a 公告 clause in force today (the retrieval keeps only those).
 * `lead` is the source that opens the reply; `today` the ISO date in China time.
 */
export function timeCovered(
  query: string,
  entries: readonly DatedSource[],
  lead: DatedSource | null = null,
  today = '',
): boolean {
  const years = yearsIn(query)
  const thisYear = today.slice(0, 4)
  if (years.length === 0)
    return entries.some((e) => e.kind === 'notice') || (lead?.kind === 'policy' && Boolean(lead.effectiveFrom))
  // A lead whose title or FAQ question is about other years (「2025年度社保费缴费基数上下限是多少？」 for a question
  // about 2026年度) states that year's figures: another source naming the asked year does not make them current.
  const leadYears = lead ? yearsIn(`${lead.title}${lead.question ?? ''}`) : []
  return years.every((y) => {
    if (lead !== null && inForceDuring(lead, y, thisYear)) return true
    if (leadYears.length > 0 && !leadYears.includes(y)) return false
    return entries.some((e) => `${e.title}${e.question ?? ''}`.includes(y))
  })
}
