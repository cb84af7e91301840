import { describe, expect, it } from 'vitest'
import { asksLocalFigure, statesRange } from '../../services/answer/local-standard.js'

describe("a place's figure against the statute's national range", () => {
  it.each([
    ['南京城镇土地使用税每平米多少钱 一级土地', false],
    ['我们这边契税税率是多少', false],
    ['江苏的契税税率是多少', true],
    ['苏州车船税1.6排量一年交多少', true],
  ])('%s asks for a local figure', (q, namesPlace) => {
    expect(asksLocalFigure(q, namesPlace)).toBe(true)
  })
  it.each([
    ['契税税率是多少', false],
    ['城镇土地使用税大城市每平方米多少', false],
    ['南京的办税服务厅在哪', true],
    ['我们这边怎么申报契税', false],
  ])('%s does not', (q, namesPlace) => {
    expect(asksLocalFigure(q, namesPlace)).toBe(false)
  })
  it('a range is a rule stated as 元至元, 百分之…至百分之…, x%-y% or 幅度', () => {
    expect(statesRange('(一)大城市1.5元至30元；(二)中等城市1.2元至24元')).toBe(true)
    expect(statesRange('契税税率为百分之三至百分之五。')).toBe(true)
    expect(statesRange('适用3%-5%的税率')).toBe(true)
    expect(statesRange('在规定税额幅度内确定')).toBe(true)
    expect(statesRange('小规模纳税人增值税征收率为百分之三。')).toBe(false)
    expect(statesRange('2023年1月1日至2027年12月31日')).toBe(false)
  })
})
