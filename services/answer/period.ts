/**
 * The period a question asks about, pure: 「2025年的…」, 「2025年度」, 「2025年3月」, 「去年」, 「前年」. A past period
 * is answered with the rules valid then (the retrieval filter's effectiveAt becomes the last day of that
 * period); the current or a future period, or none, means today. The answer says which period it covers.
 */

export interface QuestionPeriod {
  /** ISO date the sources must be in force on. */
  at: string
  /** Chinese name of the period, for the answer: 「2025年」, 「2025年3月」. */
  label: string
}

const YEAR_MONTH = /(20\d\d)\s*年\s*(1[0-2]|0?[1-9])\s*月(?!\s*\d+\s*日)/
const YEAR = /(20\d\d)\s*(?:年度?|年的)/
const RELATIVE: [RegExp, number][] = [
  [/前年/, 2],
  [/去年|上一年度?|上年度/, 1],
]

const NOW = /(今年|本年|现在|目前|当前|如今)/

function lastDayOfMonth(year: number, month: number): string {
  const d = new Date(Date.UTC(year, month, 0))
  return d.toISOString().slice(0, 10)
}

/** `today` is the ISO date in China time. Returns null when the question is about now. */
export function questionPeriod(question: string, today: string): QuestionPeriod | null {
  const q = question.normalize('NFKC')
  // 「去年的费用今年才拿到发票…」「去年不到6万 今年是不是不扣了」: a question that also names now is about now
  if (NOW.test(q)) return null
  const thisYear = Number(today.slice(0, 4))
  const ym = YEAR_MONTH.exec(q)
  let year: number | null = null
  let month: number | null = null
  if (ym) {
    year = Number(ym[1])
    month = Number(ym[2])
  } else {
    const y = YEAR.exec(q)
    if (y) year = Number(y[1])
    else for (const [re, back] of RELATIVE) if (re.test(q)) year ??= thisYear - back
  }
  if (year === null) return null
  const at = month ? lastDayOfMonth(year, month) : `${year}-12-31`
  // the current period (or a later one) is answered with today's rules
  if (at >= today) return null
  return { at, label: month ? `${year}年${month}月` : `${year}年` }
}
