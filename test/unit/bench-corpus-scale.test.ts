import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { corpusMix, DEFAULT_MIX, scaleCorpus, type VariantKind } from '../../eval/bench/corpus-scale.js'
import { buildQuerySet } from '../../eval/bench/query-set.js'
import { validateEntry, type Entry } from '../../knowledge/entry.js'
import { RegionTable } from '../../knowledge/regions.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const regions = RegionTable.load(path.join(REPO_ROOT, 'knowledge', 'regions', 'regions.json'))
const groups = [
  ['个人所得税', '个税'],
  ['增值税', 'vat'],
  ['税务登记', '办税登记'],
]
const stamp = { version: 1, updatedAt: '2026-01-01T00:00:00.000Z' }
const base: Entry[] = [
  {
    id: '增值税法#第一条',
    kind: 'law-article',
    title: '增值税法 第一条',
    body: '在中华人民共和国境内销售货物的单位和个人，为增值税的纳税人，应当依照本法规定缴纳增值税。',
    source: { title: '增值税法' },
    layer: 'national',
    regionCode: null,
    effectiveFrom: '2026-01-01',
    effectiveTo: null,
    status: 'published',
    tags: ['法律', '增值税法'],
    citedArticleIds: [],
    law: {
      name: '中华人民共和国增值税法',
      shortName: '增值税法',
      article: '第一条',
      category: '法律',
      lawStatus: 'in-force',
    },
    ...stamp,
  },
  {
    id: '个人所得税法#第二条',
    kind: 'law-article',
    title: '个人所得税法 第二条',
    body: '下列各项个人所得，应当缴纳个人所得税：工资、薪金所得；劳务报酬所得。',
    source: { title: '个人所得税法' },
    layer: 'national',
    regionCode: null,
    effectiveFrom: null,
    effectiveTo: null,
    status: 'published',
    tags: ['法律', '个人所得税法'],
    citedArticleIds: [],
    law: {
      name: '中华人民共和国个人所得税法',
      shortName: '个人所得税法',
      article: '第二条',
      category: '法律',
      lawStatus: 'in-force',
    },
    ...stamp,
  },
  {
    id: 'faq-1',
    kind: 'faq',
    title: '个税专项附加扣除有哪些？',
    question: '个税专项附加扣除有哪些？',
    body: '包括子女教育、继续教育、大病医疗等。',
    source: { title: '12366' },
    layer: 'province',
    regionCode: '320000',
    effectiveFrom: null,
    effectiveTo: null,
    status: 'published',
    tags: ['个人所得税'],
    citedArticleIds: [],
    ...stamp,
  },
  {
    id: 'guide-1',
    kind: 'guide',
    title: '设立税务登记',
    body: '领取营业执照后办理税务登记。',
    source: { title: '办税事项' },
    layer: 'national',
    regionCode: null,
    effectiveFrom: null,
    effectiveTo: null,
    status: 'published',
    tags: ['税务登记'],
    citedArticleIds: [],
    guide: {
      code: 'DJ-001',
      conditions: ['从事生产、经营的纳税人'],
      materials: ['营业执照'],
      steps: ['申报办理税务登记'],
      timeLimit: '30日内',
      fees: '不收费',
      channels: ['电子税务局'],
    },
    ...stamp,
  },
  {
    id: 'case-1',
    kind: 'hot-topic',
    title: '某公司虚开增值税专用发票案',
    body: '税务稽查部门查处一起虚开增值税专用发票案件。',
    source: { title: '税案通报' },
    layer: 'national',
    regionCode: null,
    effectiveFrom: null,
    effectiveTo: null,
    status: 'published',
    tags: ['税案通报'],
    citedArticleIds: [],
    ...stamp,
  },
]
const opts = (size: number, seed = 7) => ({ size, seed, regions: regions.all(), synonymGroups: groups })

describe('scaleCorpus (benchmark corpus generator)', () => {
  it('is deterministic: the same seed gives the same corpus, another seed a different one', () => {
    const a = scaleCorpus(base, opts(500))
    expect(scaleCorpus(base, opts(500))).toEqual(a)
    expect(scaleCorpus(base, opts(500, 8))).not.toEqual(a)
    // A larger corpus extends a smaller one with the same seed.
    expect(scaleCorpus(base, opts(800)).slice(0, 500)).toEqual(a)
  })

  it('has exactly the requested size, starts with the real entries and has unique ids', () => {
    for (const size of [3, 5, 1000]) {
      const c = scaleCorpus(base, opts(size))
      expect(c).toHaveLength(size)
      expect(c.slice(0, Math.min(size, base.length))).toEqual(base.slice(0, size))
      expect(new Set(c.map((e) => e.id)).size).toBe(size)
    }
  })

  it('mixes kinds near DEFAULT_MIX and spreads over province and city layers with real region codes', () => {
    const generated = scaleCorpus(base, opts(4000)).slice(base.length)
    const { kinds, layers, regions: regionCount } = corpusMix(generated)
    for (const k of Object.keys(DEFAULT_MIX) as VariantKind[])
      expect(Math.abs((kinds[k] ?? 0) / generated.length - DEFAULT_MIX[k])).toBeLessThan(0.03)
    expect(layers.province).toBeGreaterThan(generated.length * 0.2)
    expect(layers.city).toBeGreaterThan(generated.length * 0.3)
    expect(regionCount).toBeGreaterThan(200)
    for (const e of generated) {
      if (e.regionCode) expect(regions.has(e.regionCode)).toBe(true)
      expect(validateEntry(e)).toEqual([])
    }
  })
})

describe('buildQuerySet', () => {
  const seeds = [{ q: '个税专项附加扣除有哪些？' }, { q: '增值税小规模纳税人免税标准', region: '320000' }]
  const q = (seed: number) =>
    buildQuerySet(seeds, { n: 300, seed, regions: regions.all(), synonymGroups: groups, guideNames: ['设立税务登记'] })

  it('is deterministic, keeps the seed questions first and filters part of the queries by a known region', () => {
    const a = q(1)
    expect(q(1)).toEqual(a)
    expect(a).toHaveLength(300)
    expect(a.slice(0, 2)).toEqual(seeds.map((s) => expect.objectContaining({ q: s.q })))
    const withRegion = a.filter((x) => x.region)
    expect(withRegion.length).toBeGreaterThan(60)
    expect(withRegion.length).toBeLessThan(270)
    for (const x of withRegion) expect(regions.has(x.region!)).toBe(true)
    for (const x of a) expect(x.q.trim()).not.toBe('')
  })
})
