import { describe, expect, it } from 'vitest'
import { coversAll, rankForSearch } from '../../services/search/search-ranking.js'

const texts: Record<string, string> = {
  faqLocal: '销售额未达起征点的小规模纳税人，应如何填写申报表？',
  titleOnly: '四、小规模纳税人按照1%征收率开具发票。',
  rule: '一、增值税起征点标准：小规模纳税人起征点为月销售额10万元。',
  lawLocal: '本省小规模纳税人起征点执行国家标准。',
}
const hits = [
  { id: 'faqLocal', layer: 'province' },
  { id: 'titleOnly', layer: 'national' },
  { id: 'rule', layer: 'national' },
  { id: 'lawLocal', layer: 'city' },
  { id: 'missing', layer: 'national' },
]
const terms = ['小规模纳税人', '起征点']
const ids = (r: { id: string }[]) => r.map((h) => h.id)

describe('rankForSearch (the search endpoint ordering)', () => {
  it('without a region: full coverage before partial, national before local inside each, stable', () => {
    const r = rankForSearch({ hits, terms, textOf: (id) => texts[id], regional: false })
    expect(ids(r)).toEqual(['rule', 'faqLocal', 'lawLocal', 'titleOnly', 'missing'])
  })

  it('with a region the layer is not a criterion (the lineage filter already chose)', () => {
    const r = rankForSearch({ hits, terms, textOf: (id) => texts[id], regional: true })
    expect(ids(r)).toEqual(['faqLocal', 'rule', 'lawLocal', 'titleOnly', 'missing'])
  })

  it('keeps every hit and each hit object as it came (scores untouched)', () => {
    const r = rankForSearch({ hits, terms, textOf: (id) => texts[id], regional: false })
    expect(new Set(r)).toEqual(new Set(hits))
  })

  it('no terms: only the national-first rule applies', () => {
    expect(ids(rankForSearch({ hits, terms: [], textOf: () => undefined, regional: false }))).toEqual([
      'titleOnly',
      'rule',
      'missing',
      'faqLocal',
      'lawLocal',
    ])
  })

  it('coverage uses the analyzer normalisation (full-width, case)', () => {
    expect(coversAll('ＶＡＴ 小规模纳税人', ['vat', '小规模纳税人'])).toBe(true)
    expect(coversAll('小规模纳税人', ['小规模纳税人', '起征点'])).toBe(false)
  })
})
