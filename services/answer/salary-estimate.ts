/**
 * Pure: the part of a salary tax estimate the corpus can support. Only figures stated in cited sources are
 * used (减除费用六万元 from 个人所得税法第六条, 百分之三至百分之四十五 from 第三条); the tax itself needs the
 * rate table and the deduction standards, which the corpus lacks, so it is not computed.
 */
export interface EstimateBasis {
  /** Citation number and text of the source that states the annual basic deduction. */
  deduction?: { n: number; text: string }
  /** Citation number and text of the source that states the comprehensive-income rate range. */
  rates?: { n: number; text: string }
}

/** What the sources must state: the annual basic deduction (第六条) and the comprehensive-income rate range (第三条). */
export const DEDUCTION_RULE = /减除费用六万元/
export const RATE_RANGE = /百分之三至百分之四十五/

const fmt = (n: number) => n.toLocaleString('en-US').replace(/,/g, '')

/** The citation numbers of the basis sources that really state the rule (null: not cited, or it does not). */
function cited(basis: EstimateBasis): { d: number | null; r: number | null } {
  const stated = (s: { n: number; text: string } | undefined, rule: RegExp) => (s && rule.test(s.text) ? s.n : null)
  return { d: stated(basis.deduction, DEDUCTION_RULE), r: stated(basis.rates, RATE_RANGE) }
}

export function salaryEstimate(monthly: number, basis: EstimateBasis): string | null {
  const { d, r } = cited(basis)
  if (d === null) return null
  const annual = monthly * 12
  const after = Math.max(0, annual - 60_000)
  let out = `按您说的月薪 ${fmt(monthly)} 元粗略估算：全年工资、薪金收入约 ${fmt(monthly)}×12 = ${fmt(annual)} 元，减除费用六万元后为 ${fmt(after)} 元[${d}]；还要再减除专项扣除（个人缴纳的基本养老、医疗、失业保险和住房公积金）、专项附加扣除（如住房贷款利息、子女教育）和依法确定的其他扣除，余额才是应纳税所得额[${d}]。`
  if (r !== null) out += `综合所得适用百分之三至百分之四十五的超额累进税率[${r}]。`
  return out
}

/**
 * 「个税起征点是多少」「工资多少才开始交个税」「一个月挣多少不用交个税」「个税免征额是5000吗」: the wage level from which
 * 个人所得税 is due. The statute states it per year (减除费用六万元), not per month; a month's share is arithmetic.
 */
export function asksWageThreshold(text: string): boolean {
  const t = text.normalize('NFKC')
  if (!/(个税|个人所得税)/.test(t) && !/(工资|月薪|薪水|薪资).{0,12}(扣税|交税|缴税)/.test(t)) return false
  const other = /(经营所得|个体|劳务|稿酬|稿费|租金|出租|分红|股息|利息|彩票|中奖|偶然所得|财产|转让|卖房|非居民|外籍)/
  if (other.test(t) || /(增值税|小规模|销售额|营业额)/.test(t)) return false
  if (/(起征点|免征额|费用扣除标准|减除费用)/.test(t)) return true
  const wage = /(工资|月薪|薪水|薪资|收入|挣|赚|拿)/.test(t)
  const level = /多少.{0,4}(才|就|开始|以下|以内|之内|不用|不交|不缴|免|需要|要|得)|\d+\s*(元|块)?(以下|以内|之内)/
  return wage && level.test(t)
}

/** The threshold answer built only from the cited rules (the annual deduction and, when cited, the rate range). */
export function wageThresholdAnswer(basis: EstimateBasis): string | null {
  const { d, r } = cited(basis)
  if (d === null) return null
  let out = `居民个人的工资、薪金等综合所得按年计算个人所得税：每一纳税年度的收入额减除费用六万元（平均每月5000元）以及专项扣除（个人缴纳的基本养老、医疗、失业保险和住房公积金）、专项附加扣除和依法确定的其他扣除后，有余额的部分才是应纳税所得额、需要交税[${d}]。`
  if (r !== null) out += `应纳税所得额适用百分之三至百分之四十五的超额累进税率[${r}]。`
  return out
}
