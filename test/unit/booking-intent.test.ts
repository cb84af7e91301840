/** 「我想预约…」 is its own intent (answered with a link to the booking page); 预约定价 stays a tax question. */
import { describe, expect, it } from 'vitest'
import { classifyIntent } from '../../services/answer/intent-rules.js'

describe('booking intent', () => {
  it.each(['我想预约去办税服务厅办理', '怎么预约办税', '网上预约办税怎么操作', '我要预约明天上午去大厅'])(
    '%s → booking',
    (q) => {
      expect(classifyIntent(q).intent).toBe('booking')
    },
  )
  it.each(['预约定价安排是什么', '我想了解预约定价安排的申请条件', '小规模纳税人免征增值税'])('%s → consult', (q) => {
    expect(classifyIntent(q).intent).toBe('consult')
  })
  it('a complaint about the booking stays a complaint', () => {
    expect(classifyIntent('我要投诉，预约了却不给办理').intent).toBe('complaint')
  })
})
