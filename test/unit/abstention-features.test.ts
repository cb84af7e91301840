import { describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import {
  abstentionScore,
  answerFeatures,
  FEATURE_NAMES,
  modelFor,
  noFeatures,
} from '../../services/answer/abstention.js'
import { isTimeSensitive, timeCovered } from '../../services/answer/confidence.js'
import { composeDirect } from '../../services/answer/direct-answer.js'
import type { Retrieval } from '../../services/answer/retrieval.js'

const entry = (id: string, kind: Entry['kind'], title: string, body: string) =>
  ({
    id,
    kind,
    title,
    body,
    question: null,
    ...(kind === 'law-article' ? { law: { shortName: id, article: '' } } : {}),
  }) as unknown as Entry
const qishui3 = entry('契税法#第三条', 'law-article', '契税法 第三条', '契税税率为百分之三至百分之五。')
const guide = entry('guide-x', 'guide', '契税申报', '纳税人应当在依法办理土地、房屋权属登记手续前申报缴纳契税。')
const table = entry('个人所得税法#附表', 'law-article', '个人所得税法 附表', '3｜超过90000元至300000元的部分｜20')
const terms = new Map([
  ['契税', 1],
  ['税率', 1],
])
const retrievalOf = (entries: Entry[]): Retrieval => ({
  sources: entries.map((e, i) => ({
    entry: e,
    score: 10 - i,
    signals: {
      bm25: { score: 10 - i, rank: i + 1 },
      dense: i === 0 ? { score: 0.7, rank: 2 } : { score: 0.6, rank: 1 },
      fused: { score: 0.03, rank: i + 1 },
      agree: true,
    },
  })),
  topScore: 10,
  retired: null,
  analysis: { text: '', plain: { weights: new Map(), original: [] }, terms: { weights: new Map(), original: [] } },
  dense: true,
})

describe('abstention features', () => {
  it('dense margin: the lead passage cosine over the best passage of another source', () => {
    const q = '契税税率是多少'
    const sources = [
      { n: 1, entry: qishui3 },
      { n: 2, entry: guide },
    ]
    const closeness = new Map([
      ['契税税率为百分之三至百分之五。', 0.82],
      ['纳税人应当在依法办理土地、房屋权属登记手续前申报缴纳契税。', 0.64],
    ])
    const direct = composeDirect(q, terms, sources, undefined, [], closeness)
    expect(direct.lead?.entry.id).toBe('契税法#第三条')
    expect(direct.denseRunnerUp).toBe(0.64)
    const f = answerFeatures(q, terms, retrievalOf([qishui3, guide]), direct)
    expect(f.denseMargin).toBeCloseTo(0.18, 3)
    expect(f.typeFit).toBe(1)
    expect(f.leadOwn).toBe(1)
    expect(f.leadBm25Rank).toBe(1)
    expect(f.leadDenseRank).toBe(0.5)
    expect([f.leadFaq, f.leadGuide, f.leadPolicy, f.leadTableRow]).toEqual([0, 0, 0, 0])
    // without closeness there is no margin, not a negative one
    const lexical = answerFeatures(q, terms, retrievalOf([qishui3, guide]), composeDirect(q, terms, sources))
    expect(lexical.denseMargin).toBe(0)
  })

  it('flags a lead of the wrong kind of answer, a table row, and the lead source kind', () => {
    const q = '契税什么时候交'
    const sources = [{ n: 1, entry: qishui3 }]
    const f = answerFeatures(q, terms, retrievalOf([qishui3]), composeDirect(q, terms, sources))
    expect(f.typeFit).toBe(0)
    const g = answerFeatures(q, terms, retrievalOf([guide]), composeDirect(q, terms, [{ n: 1, entry: guide }]))
    expect(g.typeFit).toBe(1)
    expect(g.leadGuide).toBe(1)
    const t = answerFeatures(
      '税率多少',
      new Map([['税率', 1]]),
      retrievalOf([table]),
      composeDirect('税率多少', new Map([['部分', 1]]), [{ n: 1, entry: table }]),
    )
    expect(t.leadTableRow).toBe(1)
  })

  it('no evidence: every feature defined (no NaN score), and the models refuse', () => {
    const none = noFeatures(5)
    for (const k of FEATURE_NAMES) expect(Number.isFinite(none[k])).toBe(true)
    expect(abstentionScore(none, modelFor(true))).toBeLessThan(0.5)
    expect(abstentionScore(none, modelFor(false))).toBeLessThan(0.5)
    // a model fitted before a feature existed scores it as weight 0, not NaN
    expect(Number.isFinite(abstentionScore(none, { weights: {} as never, bias: 0, threshold: 0.5 }))).toBe(true)
  })

  it('time coverage: every named year in a source title, or a dated notice', () => {
    const notice = { kind: 'notice', title: '关于延续优惠政策的公告' }
    expect(timeCovered('2026年还能享受吗', [{ kind: 'faq', title: '2026年度汇算', question: null }])).toBe(true)
    expect(timeCovered('2026年还能享受吗', [notice])).toBe(false)
    expect(timeCovered('现在还有吗', [notice])).toBe(true)
    expect(timeCovered('现在还有吗', [{ kind: 'law-article', title: '契税法 第六条' }])).toBe(false)
    // a 公告 clause that opens the reply is dated: it speaks to now, and to the years its document is in force
    const clause = { kind: 'policy', title: '增值税起征点标准', effectiveFrom: '2026-01-01', effectiveTo: '2028-01-01' }
    const today = '2026-12-02'
    expect(timeCovered('现在还能减半吗', [clause], clause, today)).toBe(true)
    expect(timeCovered('现在还能减半吗', [clause], null, today)).toBe(false)
    expect(timeCovered('2027年还有吗', [clause], clause, today)).toBe(true)
    expect(timeCovered('2028年以后还有1%吗', [clause], clause, today)).toBe(false)
    expect(timeCovered('现在还有吗', [clause], { ...clause, effectiveFrom: null }, today)).toBe(false)
    // without an end date a document speaks to the years up to now, not to a later one
    const open = { ...clause, effectiveTo: null }
    expect(timeCovered('2026年还有吗', [open], open, today)).toBe(true)
    expect(timeCovered('2028年还有吗', [open], open, today)).toBe(false)
    // a lead about another year states that year's figures, whatever else names the year asked
    const base2025 = {
      kind: 'faq',
      title: '2025年度社保费缴费基数上下限是多少？',
      question: '2025年度社保费缴费基数上下限是多少？',
    }
    const other2026 = { kind: 'guide', title: '2026年社会保险费申报指引' }
    expect(timeCovered('2026年度社保缴费基数上下限是多少', [base2025, other2026], base2025, today)).toBe(false)
    expect(timeCovered('2025年度社保缴费基数上下限是多少', [base2025, other2026], base2025, today)).toBe(true)
    // a lead without a year in its title keeps the old rule: another source naming the year covers it
    const statute = { kind: 'law-article', title: '社会保险法 第十二条' }
    expect(timeCovered('2026年度社保缴费基数上下限是多少', [statute, other2026], statute, today)).toBe(true)
    // a 公告 published in 2023 and in force through 2027 still covers 2026
    const y2023 = {
      kind: 'policy',
      title: '国家税务总局公告2023年第12号 第一条',
      effectiveFrom: '2023-01-01',
      effectiveTo: '2028-01-01',
    }
    expect(timeCovered('2026年小微企业还能减半吗', [y2023], y2023, today)).toBe(true)
  })

  it('「今年」「现在」 are background unless a rule that changes over time is asked', () => {
    expect(isTimeSensitive('公司今年亏钱了 企业所得税还用申报吗')).toBe(false)
    expect(isTimeSensitive('加油站现在加完油能当场开数电票吗')).toBe(false)
    expect(isTimeSensitive('现在小规模的征收率是多少')).toBe(true)
    expect(isTimeSensitive('首套房契税1%还有吗')).toBe(true)
    expect(isTimeSensitive('2026年起征点是多少')).toBe(true)
    expect(isTimeSensitive('职工教育经费现在是不是能扣8%')).toBe(true)
    expect(isTimeSensitive('饭店给的那种定额发票现在还能用吗')).toBe(true)
    expect(isTimeSensitive('去年的费用今年才拿到发票 还能在去年的企业所得税里扣吗')).toBe(false)
  })
})
