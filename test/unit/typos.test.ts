import { describe, expect, it } from 'vitest'
import { classifyIntent } from '../../services/answer/intent-rules.js'
import { correctSlips } from '../../services/answer/typos.js'

describe('correctSlips: pinyin-IME homophone slips in tax terms', () => {
  it.each([
    ['工资个税起正点现在是多少', '工资个税起征点现在是多少'],
    ['首违不法是什么条件', '首违不罚是什么条件'],
    ['个税会算什么时候截止', '个税汇算什么时候截止'],
    ['逾期了至纳金怎么算 专漂丢了咋办', '逾期了滞纳金怎么算 专票丢了咋办'],
    ['个体护注消要多久', '个体户注销要多久'],
    ['欠税交不上 会拍买我的房子吗', '欠税交不上 会拍卖我的房子吗'],
  ])('%s → %s', (typed, meant) => {
    expect(correctSlips(typed)).toBe(meant)
  })

  it('leaves correct messages alone, including the words a slip is made of', () => {
    for (const t of [
      '你会算吗 帮我算一下',
      '汇算清缴什么时候',
      '我会算账 但不会申报',
      '发票丢了怎么办',
      '说明书要交印花税吗',
      '申报消费税要什么资料',
      '二手房买卖双方各交什么税',
    ])
      expect(correctSlips(t)).toBe(t)
  })

  it('a corrected slip reaches the intent rules as the word meant', () => {
    expect(classifyIntent(correctSlips('我要举报有人卖专漂')).intent).toBe('report')
  })
})
