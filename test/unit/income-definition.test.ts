import { describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import { definedIncome } from '../../services/answer/answer-service.js'

const article = (id: string, body: string) => ({
  entry: {
    id,
    kind: 'law-article',
    title: id,
    body,
    question: null,
    law: { shortName: id.split('#')[0], article: id.split('#')[1] },
  } as unknown as Entry,
  score: 1,
})
const kinds = article(
  '个人所得税法实施条例#第六条',
  '个人所得税法规定的各项个人所得的范围：\n（一）工资、薪金所得，是指个人因任职或者受雇取得的工资、薪金、奖金、年终加薪、劳动分红、津贴、补贴以及与任职或者受雇有关的其他所得。\n（九）偶然所得，是指个人得奖、中奖、中彩以及其他偶然性质的所得。',
)
const terms = (...t: string[]) => new Map(t.map((x) => [x, 1]))

describe('the income a question is, read from a definition among the sources', () => {
  it('「中奖」 is 偶然所得, 「年终加薪」 is 工资、薪金所得', () => {
    expect(definedIncome(terms('中奖', '交多少'), [kinds])).toBe('偶然所得')
    expect(definedIncome(terms('年终加薪', '扣税'), [kinds])).toBe('工资、薪金所得')
  })

  it('no definition in the words of the question, no income; the category name alone does not count', () => {
    expect(definedIncome(terms('房租', '交多少'), [kinds])).toBeNull()
    expect(definedIncome(terms('偶然所得'), [kinds])).toBeNull()
    const other = article('契税法#第三条', '契税税率为百分之三至百分之五。')
    expect(definedIncome(terms('中奖'), [other])).toBeNull()
  })
})
