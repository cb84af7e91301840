/**
 * Pure: the 滞纳金 a taxpayer asks about (「税晚交了20天，一万块要交多少滞纳金」), computed only from the rule
 * the cited article states: 税收征收管理法第三十二条 「按日加收滞纳税款万分之五的滞纳金」. Without an amount and
 * a number of days in the question, or without that article among the sources, nothing is computed.
 */
import { CN_NUMERAL, parseAmount, parseChineseNumber } from './chinese-numerals.js'

export interface LateFeeAsk {
  amount: number
  days: number
}

const ASKS = /滞纳金/
const AMOUNT = new RegExp(`((?:\\d+(?:\\.\\d+)?\\s*(?:万|千|w|k)?)|${CN_NUMERAL}+)\\s*(?:元|块)`, 'i')
const DAYS = new RegExp(`(\\d+|${CN_NUMERAL}+)\\s*(?:天|日)`)

/** The overdue tax and days a question states, when it asks about 滞纳金. */
export function lateFeeAsk(text: string): LateFeeAsk | null {
  const t = text.normalize('NFKC')
  if (!ASKS.test(t)) return null
  const a = AMOUNT.exec(t)
  const d = DAYS.exec(t)
  if (!a || !d) return null
  const amount = parseAmount((a[1] as string).trim())
  const rawDays = d[1] as string
  const days = /^\d+$/.test(rawDays) ? Number(rawDays) : parseChineseNumber(rawDays)
  if (amount === null || days === null || amount <= 0 || days <= 0 || days > 36_500) return null
  return { amount, days }
}

/** The opening sentence with the arithmetic, citing the article that states the rate as [n]. */
export function lateFeeEstimate(ask: LateFeeAsk, basis: { n: number; text: string }): string | null {
  if (!/按日加收滞纳税款万分之五的滞纳金/.test(basis.text)) return null
  const fee = Math.round(ask.amount * 0.0005 * ask.days * 100) / 100
  return `滞纳金从滞纳税款之日起按日加收滞纳税款的万分之五[${basis.n}]：按您说的 ${fmt(ask.amount)} 元、${ask.days} 天估算，约 ${fmt(ask.amount)}×0.05%×${ask.days} = ${fmt(fee)} 元（起止日期以税务机关核定为准）。`
}

function fmt(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2)
}
