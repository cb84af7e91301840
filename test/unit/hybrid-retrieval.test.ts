/** Pure pieces of hybrid retrieval: passage splitting, fusion signals, passage choice, int8 vectors. */
import { describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import {
  aggregatePassages,
  applyLayerBoost,
  askedScopes,
  bestPassageByTerms,
  expandedDenseText,
  fuseRankings,
  mergeDenseLists,
  orderFor,
  outOfDenseScope,
  policyDocumentOf,
  rankFor,
  spreadDocuments,
  scoreFor,
} from '../../services/search/hybrid-fusion.js'
import { entryOf, splitClauses, splitPassages } from '../../services/search/passages.js'
import { l2Normalize } from '../../services/search/rank-fusion.js'
import { dequantize, quantize } from '../../services/search/vector-cache.js'

const base = {
  source: { title: 't' },
  layer: 'national',
  regionCode: null,
  effectiveFrom: null,
  effectiveTo: null,
  status: 'published',
  version: 1,
  tags: [],
  citedArticleIds: [],
  updatedAt: '2026-01-01T00:00:00.000Z',
}
const article = (id: string, body: string) =>
  ({
    ...base,
    id,
    kind: 'law-article',
    title: id,
    body,
    law: {
      name: '中华人民共和国个人所得税法',
      shortName: '个人所得税法',
      article: '第四条',
      category: '法律',
      lawStatus: 'in-force',
    },
  }) as unknown as Entry

describe('passages', () => {
  it('keeps the lead-in in every item of a list, and numbers 款 in reading order', () => {
    const e = article(
      '个人所得税法#第四条',
      '下列各项个人所得，免征个人所得税：\n（一）省级人民政府颁发的科学奖金；\n（二）国债和国家发行的金融债券利息；\n（三）按照国家统一规定发给的补贴、津贴；\n前款第十项免税规定，由国务院报全国人民代表大会常务委员会备案。',
    )
    const ps = splitPassages(e)
    expect(ps[0]).toMatchObject({ id: '个人所得税法#第四条#0', n: 0, label: '' })
    const third = ps.find((p) => p.label === '第一款（三）')!
    expect(third.text).toBe(
      '个人所得税法第四条 下列各项个人所得，免征个人所得税：（三）按照国家统一规定发给的补贴、津贴；',
    )
    expect(ps.filter((p) => /（[一二三]）$/.test(p.label)).every((p) => p.text.includes('免征个人所得税：'))).toBe(true)
    expect(ps.at(-1)!.label).toBe('第二款')
    expect(ps.at(-1)!.text).not.toContain('免征个人所得税：')
    expect(new Set(ps.map((p) => p.id)).size).toBe(ps.length)
    expect(ps.every((p) => entryOf(p.id) === e.id)).toBe(true)
  })

  it('an item without a lead-in colon is a 款 of its own; a one-paragraph article is one passage', () => {
    expect(splitClauses('第一段。\n（一）不是列表项的开头').map((p) => p.label)).toEqual(['第一款', '第二款'])
    const one = splitPassages(article('税法#第一条', '为了规范税收征收，制定本法。'))
    expect(one).toHaveLength(1)
    expect(one[0]).toMatchObject({ id: '税法#第一条#1', n: 1 })
  })

  it('FAQ = question + answer; guides by section; long text cut at sentence ends', () => {
    const faq = {
      ...base,
      id: 'faq-1',
      kind: 'faq',
      title: '问',
      question: '个体户怎么交税？',
      body: '按月申报。'.repeat(120),
    } as unknown as Entry
    const fp = splitPassages(faq)
    expect(fp.length).toBeGreaterThan(1)
    expect(fp.every((p) => p.text.startsWith('个体户怎么交税？ ') && p.text.length <= 420)).toBe(true)
    expect(fp.every((p) => p.text.endsWith('。'))).toBe(true)
    const guide = {
      ...base,
      id: 'g-1',
      kind: 'guide',
      title: '注销税务登记',
      body: '概述',
      guide: {
        code: 'DJ-3',
        conditions: ['已结清税款'],
        materials: ['注销申请表'],
        steps: ['提交申请'],
        timeLimit: '即时办结',
        fees: '不收费',
        channels: ['电子税务局'],
      },
    } as unknown as Entry
    expect(splitPassages(guide).map((p) => p.label)).toEqual([
      '概述',
      '办理条件',
      '办理材料',
      '办理流程',
      '办理时限',
      '办理渠道',
    ])
    expect(splitPassages(guide).find((p) => p.label === '办理材料')!.text).toBe('注销税务登记 办理材料：1. 注销申请表')
  })
})

describe('fusion', () => {
  it('RRF over both rankings, with each retriever’s own evidence and agreement', () => {
    const fused = fuseRankings(
      [
        { id: 'a', score: 9 },
        { id: 'b', score: 5 },
      ],
      [
        { id: 'b', score: 0.8 },
        { id: 'c', score: 0.7 },
      ],
    )
    expect(fused.map((f) => f.id)).toEqual(['b', 'a', 'c'])
    const b = fused[0]!.signals
    expect(b).toMatchObject({
      bm25: { score: 5, rank: 2 },
      dense: { score: 0.8, rank: 1 },
      fused: { rank: 1 },
      agree: true,
    })
    expect(b.fused.score).toBeCloseTo(1 / 62 + 1 / 61, 10)
    expect(fused[1]!.signals).toMatchObject({ dense: null, agree: false })
    expect(fused[2]!.signals.bm25).toBeNull()
    // agreement needs both ranks within 10
    const deep = fuseRankings(
      Array.from({ length: 12 }, (_, i) => ({ id: `x${i}`, score: 12 - i })),
      [{ id: 'x11', score: 1 }],
    )
    expect(deep.find((f) => f.id === 'x11')!.signals.agree).toBe(false)
  })

  it('weights shift the fusion; order and score follow the asked ranker', () => {
    const b = [{ id: 'a', score: 9 }]
    const d = [{ id: 'c', score: 0.9 }]
    expect(fuseRankings(b, d, { weights: { bm25: 1, dense: 2 } })[0]!.id).toBe('c')
    expect(fuseRankings(b, d, { weights: { bm25: 2, dense: 1 } })[0]!.id).toBe('a')
    const fused = fuseRankings(b, d)
    expect(orderFor(fused, 'dense').map((f) => f.id)).toEqual(['c', 'a'])
    expect(orderFor(fused, 'bm25').map((f) => f.id)).toEqual(['a', 'c'])
    expect(scoreFor(orderFor(fused, 'dense')[0]!.signals, 'dense')).toBe(0.9)
  })

  it('an entry scores as its closest passage; layer precedence boosts BM25 scores', () => {
    const agg = aggregatePassages(
      [
        { id: 'e1#2', entryId: 'e1', score: 0.9 },
        { id: 'e2#1', entryId: 'e2', score: 0.8 },
        { id: 'e1#1', entryId: 'e1', score: 0.5 },
      ],
      5,
    )
    expect(agg).toEqual([
      { id: 'e1', score: 0.9, passageId: 'e1#2' },
      { id: 'e2', score: 0.8, passageId: 'e2#1' },
    ])
    expect(
      applyLayerBoost([
        { id: 'n', layer: 'national' as const, score: 10 },
        { id: 'c', layer: 'city' as const, score: 9 },
      ]).map((h) => h.id),
    ).toEqual(['c', 'n'])
  })

  it('a BM25-only hit quotes the passage holding most of the question', () => {
    const ps = [{ text: '第一款 纳税人应当办理登记' }, { text: '第二款 个体工商户 定期定额 征收' }]
    expect(
      bestPassageByTerms(
        ps,
        new Map([
          ['定期定额', 1],
          ['个体工商户', 1],
        ]),
      ),
    ).toBe(ps[1])
    expect(bestPassageByTerms(ps, new Map([['scope:个人所得税', 1]]))).toBe(ps[0])
  })
})

describe('int8 vectors', () => {
  it('round-trip within quantisation error, as unit vectors', () => {
    const vs = [
      l2Normalize(Array.from({ length: 64 }, (_, i) => Math.sin(i + 1))),
      l2Normalize(Array.from({ length: 64 }, (_, i) => (i % 7) - 3)),
    ]
    const { codes, scales } = quantize(vs, 64)
    for (let r = 0; r < vs.length; r++) {
      const back = dequantize(codes, scales, 64, r)
      let dot = 0
      for (let i = 0; i < 64; i++) dot += back[i]! * vs[r]![i]!
      expect(dot).toBeGreaterThan(0.9999)
    }
    expect(Math.max(...codes.map(Math.abs))).toBe(127)
  })
})

describe('one region check, one analysis per question', () => {
  it('RegionTable.require accepts known codes and throws UNKNOWN_REGION (Chinese, truncated) otherwise', async () => {
    const { RegionTable } = await import('../../knowledge/regions.js')
    const { REPO_ROOT } = await import('../../services/shared/config.js')
    const regions = RegionTable.load(`${REPO_ROOT}/knowledge/regions/regions.json`)
    expect(regions.require('320100').code).toBe('320100')
    for (const bad of ['999999', '32010', 'x'.repeat(50)]) {
      try {
        regions.require(bad)
        expect.unreachable()
      } catch (e) {
        expect(e).toMatchObject({ code: 'UNKNOWN_REGION', status: 400 })
        expect((e as Error).message).not.toContain('x'.repeat(21))
      }
    }
  })

  it('the analyzer answers a repeated query from its memo, per synonyms flag', async () => {
    const { JiebaAnalyzer } = await import('../../services/search/analyzer.js')
    const { loadLexicon } = await import('../../knowledge/lexicon.js')
    const { REPO_ROOT } = await import('../../services/shared/config.js')
    const a = new JiebaAnalyzer(loadLexicon(`${REPO_ROOT}/knowledge/lexicon`))
    const first = a.query('个税专项附加扣除')
    expect(a.query('个税专项附加扣除')).toBe(first)
    const plain = a.query('个税专项附加扣除', { synonyms: false })
    expect(plain).not.toBe(first)
    expect(plain.weights.size).toBeLessThan(first.weights.size)
  })
})

describe('dense query: expansion text, merged lists, tax scope', () => {
  it('embeds the question plus its expansion phrases only when some fired', () => {
    expect(expandedDenseText('每月卖多少不交税', { expansions: ['起征点', '小规模纳税人'] })).toBe(
      '每月卖多少不交税 起征点 小规模纳税人',
    )
    expect(expandedDenseText('契税税率', {})).toBeNull()
    expect(expandedDenseText('契税税率', { expansions: [] })).toBeNull()
  })

  it('merges dense lists by each entry’s best score, so an expansion adds candidates and never drops one', () => {
    const plain = [
      { id: 'a', score: 0.8, passageId: 'a#1' },
      { id: 'b', score: 0.7, passageId: 'b#0' },
    ]
    const expanded = [
      { id: 'c', score: 0.9, passageId: 'c#2' },
      { id: 'a', score: 0.6, passageId: 'a#3' },
    ]
    const merged = mergeDenseLists([plain, expanded], 10)
    expect(merged.map((d) => [d.id, d.score, d.passageId])).toEqual([
      ['c', 0.9, 'c#2'],
      ['a', 0.8, 'a#1'],
      ['b', 0.7, 'b#0'],
    ])
    expect(mergeDenseLists([plain, expanded], 2).map((d) => d.id)).toEqual(['c', 'a'])
  })

  it('a question naming a tax leaves out entries scoped only to other taxes, never unscoped ones', () => {
    const asked = askedScopes(
      new Map([
        ['增值税', 1],
        ['scope:增值税', 1],
      ]),
    )
    expect(asked).toEqual(['scope:增值税'])
    expect(outOfDenseScope(['scope:个人所得税'], asked)).toBe(true)
    expect(outOfDenseScope(['scope:个人所得税', 'scope:增值税'], asked)).toBe(false)
    expect(outOfDenseScope([], asked)).toBe(false)
    expect(outOfDenseScope(['scope:个人所得税'], [])).toBe(false)
  })
})

describe('spreadDocuments', () => {
  it('keeps one clause per 公告 ahead of other sources and moves the rest after them, in order', () => {
    const kind = (id: string) => (id.startsWith('公告A') || id.startsWith('公告B') ? 'policy' : 'law-article')
    const doc = (id: string) => policyDocumentOf(id, kind(id))
    const ranked = ['公告A#一', '公告A#二', '法#第一条', '公告B#一', '公告A#三', '法#第二条', '公告B#二']
    expect(spreadDocuments(ranked, doc, 1)).toEqual([
      '公告A#一',
      '法#第一条',
      '公告B#一',
      '法#第二条',
      '公告A#二',
      '公告A#三',
      '公告B#二',
    ])
    expect(spreadDocuments(ranked, doc, 2).slice(0, 4)).toEqual(['公告A#一', '公告A#二', '法#第一条', '公告B#一'])
    // articles of one law are never grouped
    expect(doc('法#第一条')).toBeNull()
    expect(spreadDocuments(['法#第一条', '法#第二条'], doc, 1)).toEqual(['法#第一条', '法#第二条'])
  })
})

describe('rankFor', () => {
  it('spreads a 公告 over the hybrid order only, and groups policy clauses only', () => {
    // both retrievers rank 公告A#一, 公告A#二, 法#一
    const fused = fuseRankings(
      [
        { id: '公告A#一', score: 3 },
        { id: '公告A#二', score: 2 },
        { id: '法#一', score: 1 },
      ],
      [
        { id: '公告A#一', score: 0.9 },
        { id: '公告A#二', score: 0.8 },
        { id: '法#一', score: 0.7 },
      ],
    )
    const policy = (id: string) => (id.startsWith('公告') ? 'policy' : 'law-article')
    expect(orderFor(fused, 'hybrid').map((f) => f.id)).toEqual(['公告A#一', '公告A#二', '法#一'])
    expect(rankFor(fused, 'hybrid', policy).map((f) => f.id)).toEqual(['公告A#一', '法#一', '公告A#二'])
    // '#' in an FAQ id is not a 公告 clause: nothing moves
    expect(rankFor(fused, 'hybrid', () => 'faq').map((f) => f.id)).toEqual(['公告A#一', '公告A#二', '法#一'])
    // bm25 / dense keep their retriever's own order, clauses of one 公告 together
    expect(rankFor(fused, 'bm25', policy).map((f) => f.id)).toEqual(['公告A#一', '公告A#二', '法#一'])
    expect(rankFor(fused, 'dense', policy)).toEqual(orderFor(fused, 'dense'))
  })
})
