import { describe, expect, it } from 'vitest'
import { matchesOnlyByBorrowedTitle, rankForSearch, type RankingText } from '../../services/search/search-ranking.js'

const DOC = '国家税务总局关于起征点标准等增值税征管事项的公告'
const texts: Record<string, RankingText> = {
  faqLocal: { text: '销售额未达起征点的小规模纳税人，应如何填写申报表？' },
  invoices: { text: '四、小规模纳税人按照1%征收率开具发票。', borrowedTitle: DOC },
  rule: { text: '一、增值税起征点标准：小规模纳税人起征点为月销售额10万元。' },
  sameDoc: { text: '一、小规模纳税人销售额未达到起征点标准的，可以放弃免税。', borrowedTitle: DOC },
  cityRule: { text: '本市小规模纳税人起征点执行国家标准。' },
}
const hits = [
  { id: 'faqLocal', layer: 'province' },
  { id: 'invoices', layer: 'national' },
  { id: 'rule', layer: 'national' },
  { id: 'sameDoc', layer: 'national' },
  { id: 'cityRule', layer: 'city' },
  { id: 'missing', layer: 'national' },
]
const terms = ['小规模纳税人', '起征点']
const ids = (r: { id: string }[]) => r.map((h) => h.id)
const textOf = (id: string) => texts[id]

describe('rankForSearch (the search endpoint ordering)', () => {
  it('without a region: national first; a match only through a borrowed title after its class; stable', () => {
    expect(ids(rankForSearch({ hits, terms, textOf, regional: false }))).toEqual([
      'rule',
      'sameDoc',
      'missing',
      'invoices',
      'faqLocal',
      'cityRule',
    ])
  })

  it('with a region the layer is not a criterion (the lineage filter already chose)', () => {
    expect(ids(rankForSearch({ hits, terms, textOf, regional: true }))).toEqual([
      'faqLocal',
      'rule',
      'sameDoc',
      'cityRule',
      'missing',
      'invoices',
    ])
  })

  it('keeps every hit object as it came (scores untouched)', () => {
    const r = rankForSearch({ hits, terms, textOf, regional: false })
    expect(r).toHaveLength(hits.length)
    expect(new Set(r)).toEqual(new Set(hits))
  })

  it('a borrowed title counts only for words the own text lacks, after the analyzer normalisation', () => {
    expect(matchesOnlyByBorrowedTitle(texts.invoices, terms)).toBe(true)
    expect(matchesOnlyByBorrowedTitle(texts.sameDoc, terms)).toBe(false)
    expect(matchesOnlyByBorrowedTitle({ text: '小规模纳税人' }, terms)).toBe(false) // own title: no borrowing
    expect(matchesOnlyByBorrowedTitle({ text: 'ＶＡＴ 发票', borrowedTitle: 'VAT 公告' }, ['vat'])).toBe(false)
    expect(matchesOnlyByBorrowedTitle({ text: '发票', borrowedTitle: 'VAT 公告' }, ['vat'])).toBe(true)
  })
})
