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

const fmt = (n: number) => n.toLocaleString('en-US').replace(/,/g, '')

export function salaryEstimate(monthly: number, basis: EstimateBasis): string | null {
  const d = basis.deduction && /减除费用六万元/.test(basis.deduction.text) ? basis.deduction.n : null
  if (d === null) return null
  const annual = monthly * 12
  const after = Math.max(0, annual - 60_000)
  let out = `按您说的月薪 ${fmt(monthly)} 元粗略估算：全年工资、薪金收入约 ${fmt(monthly)}×12 = ${fmt(annual)} 元，减除费用六万元后为 ${fmt(after)} 元[${d}]；还要再减除专项扣除（个人缴纳的基本养老、医疗、失业保险和住房公积金）、专项附加扣除（如住房贷款利息、子女教育）和依法确定的其他扣除，余额才是应纳税所得额[${d}]。`
  const r = basis.rates && /百分之三至百分之四十五/.test(basis.rates.text) ? basis.rates.n : null
  if (r !== null) out += `综合所得适用百分之三至百分之四十五的超额累进税率[${r}]。`
  return out
}
