import { describe, expect, it } from 'vitest'
import { asksWageThreshold, wageThresholdAnswer } from '../../services/answer/salary-estimate.js'

const article6 = '应纳税所得额的计算：（一）居民个人的综合所得，以每一纳税年度的收入额减除费用六万元以及专项扣除…'
const article3 = '个人所得税的税率：（一）综合所得，适用百分之三至百分之四十五的超额累进税率（税率表附后）'

describe('the wage level from which 个人所得税 is due', () => {
  it('is asked in many words, about wages only', () => {
    for (const q of [
      '个税起征点是多少',
      '工资多少才开始交个税啊',
      '一个月挣多少不用交个税',
      '个税免征额是5000吗',
      '工资5000以下要扣税吗',
    ])
      expect(asksWageThreshold(q), q).toBe(true)
    for (const q of [
      '个体户经营所得减除费用是多少', // 经营所得 has its own rule
      '房子租出去每个月3000租金个税咋算',
      '小规模纳税人起征点是多少', // 增值税, not 个税
      '个税汇算什么时候截止',
      '劳务报酬多少钱以下不用交个税',
    ])
      expect(asksWageThreshold(q), q).toBe(false)
  })

  it('is answered from the cited annual deduction, with the month only as arithmetic', () => {
    const text = wageThresholdAnswer({ deduction: { n: 1, text: article6 }, rates: { n: 2, text: article3 } })
    expect(text).toMatch(/^居民个人的工资、薪金等综合所得按年计算个人所得税/)
    expect(text).toContain('减除费用六万元（平均每月5000元）')
    expect(text).toContain('[1]')
    expect(text).toContain('百分之三至百分之四十五的超额累进税率[2]')
    // no rate range cited: it is not stated
    expect(wageThresholdAnswer({ deduction: { n: 1, text: article6 } })).not.toContain('百分之三')
    // without a source that states 减除费用六万元 there is no answer to build
    expect(wageThresholdAnswer({ deduction: { n: 1, text: '个人所得税法规定的各项个人所得的范围' } })).toBeNull()
  })
})
