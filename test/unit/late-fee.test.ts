import { describe, expect, it } from 'vitest'
import { lateFeeAsk, lateFeeEstimate } from '../../services/answer/late-fee.js'

const art32 =
  '纳税人未按照规定期限缴纳税款的，扣缴义务人未按照规定期限解缴税款的，税务机关除责令限期缴纳外，从滞纳税款之日起，按日加收滞纳税款万分之五的滞纳金。'

describe('滞纳金 estimate', () => {
  it('reads the amount and days as taxpayers type them', () => {
    expect(lateFeeAsk('税晚交了20天 一万块要交多少滞纳金')).toEqual({ amount: 10_000, days: 20 })
    expect(lateFeeAsk('欠了5000元税，逾期十天，滞纳金多少')).toEqual({ amount: 5000, days: 10 })
    expect(lateFeeAsk('滞纳金怎么算')).toBeNull()
    expect(lateFeeAsk('晚交了20天 一万块')).toBeNull()
  })
  it('computes 万分之五 per day only from the article that states it', () => {
    const s = lateFeeEstimate({ amount: 10_000, days: 20 }, { n: 1, text: art32 })
    expect(s).toContain('= 100 元')
    expect(s).toContain('[1]')
    expect(lateFeeEstimate({ amount: 10_000, days: 20 }, { n: 1, text: '纳税人应当按期缴纳税款。' })).toBeNull()
    expect(lateFeeEstimate({ amount: 3333, days: 7 }, { n: 2, text: art32 })).toContain('= 11.67 元')
  })
})
