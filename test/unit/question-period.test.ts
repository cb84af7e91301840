import { describe, expect, it } from 'vitest'
import { questionPeriod } from '../../services/answer/period.js'

const today = '2026-12-02'

describe('the period a question asks about', () => {
  it('a past year, year and month, or 去年 / 前年 is answered with the rules valid at its end', () => {
    expect(questionPeriod('2025年的小规模起征点是多少', today)).toEqual({ at: '2025-12-31', label: '2025年' })
    expect(questionPeriod('2025年3月申报期是几号', today)).toEqual({ at: '2025-03-31', label: '2025年3月' })
    expect(questionPeriod('去年的个税汇算什么时候截止', today)).toEqual({ at: '2025-12-31', label: '2025年' })
    expect(questionPeriod('前年的契税还能退吗', today)).toEqual({ at: '2024-12-31', label: '2024年' })
  })

  it('the current or a later period, or none, is about now', () => {
    expect(questionPeriod('2026年小规模起征点是多少', today)).toBeNull()
    expect(questionPeriod('2027年还有这个优惠吗', today)).toBeNull()
    expect(questionPeriod('小规模起征点是多少', today)).toBeNull()
  })

  it('a question that names last year and now is about now (the banner would misread it)', () => {
    expect(questionPeriod('去年每个月都在这家公司 一年不到6万 今年头几个月是不是不扣个税了', today)).toBeNull()
    expect(questionPeriod('去年的费用现在才拿到发票 还能扣吗', today)).toBeNull()
  })
})
