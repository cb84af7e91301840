/**
 * The SearchBackend contract: every implementation (embedded, Elasticsearch) passes these unchanged.
 * `open()` returns a fresh, empty backend using the bundled lexicon and region table.
 */
import { describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import type { Embedder } from '../../services/search/embedder.js'
import type { SearchBackend } from '../../services/search/search-backend.js'
import { ConceptEmbedder } from '../helpers/concept-embedder.js'

const base = {
  source: { title: '测试来源' },
  effectiveFrom: null,
  effectiveTo: null,
  status: 'published' as const,
  version: 1,
  tags: [] as string[],
  citedArticleIds: [] as string[],
  updatedAt: '2026-01-01T00:00:00.000Z',
}

export function sampleEntries(): Entry[] {
  return [
    {
      ...base,
      id: 'law-pit-6',
      kind: 'law-article',
      title: '中华人民共和国个人所得税法 第六条',
      body: '居民个人的综合所得，以每一纳税年度的收入额减除费用六万元以及专项扣除、专项附加扣除和依法确定的其他扣除后的余额，为应纳税所得额。',
      layer: 'national',
      regionCode: null,
      law: {
        name: '中华人民共和国个人所得税法',
        shortName: '个人所得税法',
        article: '第六条',
        category: '法律',
        lawStatus: 'in-force',
      },
    },
    {
      ...base,
      id: 'law-vat-old',
      kind: 'law-article',
      title: '中华人民共和国增值税暂行条例 第十二条',
      body: '小规模纳税人增值税征收率为3%，国务院另有规定的除外。',
      layer: 'national',
      regionCode: null,
      status: 'retired',
      effectiveTo: '2026-01-01',
      law: {
        name: '中华人民共和国增值税暂行条例',
        shortName: '增值税暂行条例',
        article: '第十二条',
        category: '行政法规',
        lawStatus: 'repealed',
      },
    },
    {
      ...base,
      id: 'law-vat-new',
      kind: 'law-article',
      title: '中华人民共和国增值税法 第十一条',
      body: '适用简易计税方法计算缴纳增值税的征收率为百分之三。',
      layer: 'national',
      regionCode: null,
      effectiveFrom: '2026-01-01',
      law: {
        name: '中华人民共和国增值税法',
        shortName: '增值税法',
        article: '第十一条',
        category: '法律',
        lawStatus: 'in-force',
      },
    },
    {
      ...base,
      id: 'faq-js',
      kind: 'faq',
      title: '江苏契税申报在哪里办理？',
      question: '江苏契税申报在哪里办理？',
      body: '江苏省纳税人可以通过江苏省电子税务局办理契税申报。',
      layer: 'province',
      regionCode: '320000',
    },
    {
      ...base,
      id: 'faq-nj',
      kind: 'faq',
      title: '南京二手房契税怎么缴纳？',
      question: '南京二手房契税怎么缴纳？',
      body: '南京市的纳税人在不动产登记交易中心的税务窗口缴纳契税。',
      layer: 'city',
      regionCode: '320100',
    },
    {
      ...base,
      id: 'faq-sz',
      kind: 'faq',
      title: '苏州二手房契税怎么缴纳？',
      question: '苏州二手房契税怎么缴纳？',
      body: '苏州市的纳税人在苏州不动产登记中心税务窗口缴纳契税。',
      layer: 'city',
      regionCode: '320500',
    },
    {
      ...base,
      id: 'faq-zj',
      kind: 'faq',
      title: '浙江契税申报在哪里办理？',
      question: '浙江契税申报在哪里办理？',
      body: '浙江省纳税人通过浙江省电子税务局办理契税申报。',
      layer: 'province',
      regionCode: '330000',
    },
    {
      ...base,
      id: 'draft-1',
      kind: 'faq',
      title: '草稿：契税新规',
      question: '契税新规？',
      body: '尚未发布的契税草稿内容。',
      layer: 'national',
      regionCode: null,
      status: 'draft',
    },
    {
      ...base,
      id: 'xss',
      kind: 'notice',
      title: '通知 <script>',
      body: '契税 <img src=x onerror=alert(1)> 通知正文',
      layer: 'national',
      regionCode: null,
    },
  ] as unknown as Entry[]
}

/** Opens a fresh, empty backend; with an embedder, hybrid (BM25 + dense under the same filters). */
export type OpenBackend = (options?: { embedder?: Embedder }) => Promise<SearchBackend>

export function searchBackendContract(name: string, open: OpenBackend): void {
  describe(`SearchBackend contract: ${name}`, () => {
    it('finds entries by Chinese words and returns hit metadata', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      const hits = await b.search('综合所得专项附加扣除', { limit: 5 })
      expect(hits[0]?.id).toBe('law-pit-6')
      expect(hits[0]).toMatchObject({ kind: 'law-article', layer: 'national', regionCode: null, status: 'published' })
      expect(hits[0]!.score).toBeGreaterThan(0)
      expect(hits[0]!.snippet).toContain('<mark>')
      expect(await b.count()).toBe(sampleEntries().length)
      await b.close()
    })

    it('expands synonyms at query time, and can be told not to', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      expect((await b.search('个税 专项附加扣除', { limit: 3 })).map((h) => h.id)).toContain('law-pit-6')
      const withSyn = await b.search('个税', { limit: 3 })
      const without = await b.search('个税', { limit: 3, synonyms: false })
      expect(withSyn.map((h) => h.id)).toContain('law-pit-6')
      expect(without.map((h) => h.id)).not.toContain('law-pit-6')
      await b.close()
    })

    it('region filter sees national + province + own city, never other cities or provinces', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      const ids = (
        await b.search('契税缴纳 契税申报', { filters: { regionCode: '320100', status: 'published' }, limit: 20 })
      ).map((h) => h.id)
      expect(ids).toEqual(expect.arrayContaining(['faq-js', 'faq-nj', 'xss']))
      expect(ids).not.toContain('faq-sz')
      expect(ids).not.toContain('faq-zj')
      const prov = (await b.search('契税', { filters: { regionCode: '330000' }, limit: 20 })).map((h) => h.id)
      expect(prov).toContain('faq-zj')
      expect(prov).not.toContain('faq-js')
      expect(prov).not.toContain('faq-nj')
      await b.close()
    })

    it('filters by kind, layer, status and effective date', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      expect(
        (await b.search('契税', { filters: { kind: 'faq', status: 'published' }, limit: 20 })).every(
          (h) => h.kind === 'faq' && h.status === 'published',
        ),
      ).toBe(true)
      expect((await b.search('契税', { filters: { layer: ['city'] }, limit: 20 })).map((h) => h.id).sort()).toEqual([
        'faq-nj',
        'faq-sz',
      ])
      expect((await b.search('契税', { filters: { status: 'draft' }, limit: 20 })).map((h) => h.id)).toEqual([
        'draft-1',
      ])
      const in2025 = (await b.search('小规模纳税人 征收率', { filters: { effectiveAt: '2025-06-01' }, limit: 5 })).map(
        (h) => h.id,
      )
      expect(in2025).toContain('law-vat-old')
      expect(in2025).not.toContain('law-vat-new')
      const in2026 = (await b.search('征收率 增值税', { filters: { effectiveAt: '2026-11-25' }, limit: 5 })).map(
        (h) => h.id,
      )
      expect(in2026).toContain('law-vat-new')
      expect(in2026).not.toContain('law-vat-old')
      await b.close()
    })

    it('upsert replaces and remove deletes, incrementally', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      const nj = sampleEntries().find((e) => e.id === 'faq-nj')!
      await b.upsert([
        {
          ...nj,
          body: '南京市纳税人可在玄武区办税服务厅办理车船税。',
          title: '南京车船税',
          question: '南京车船税在哪办？',
          version: 2,
        },
      ])
      expect((await b.search('车船税', { limit: 5 })).map((h) => h.id)).toEqual(['faq-nj'])
      expect(await b.count()).toBe(sampleEntries().length)
      await b.remove(['faq-nj', 'not-there'])
      expect((await b.search('车船税', { limit: 5 })).length).toBe(0)
      expect(await b.count()).toBe(sampleEntries().length - 1)
      await b.close()
    })

    it('snippets never carry raw HTML from entries', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      const hit = (await b.search('通知正文', { limit: 1 }))[0]!
      expect(hit.id).toBe('xss')
      expect(hit.snippet).not.toMatch(/<img|<script/)
      expect(hit.snippet).toContain('&lt;img')
      await b.close()
    })

    it('returns nothing for a query with no indexed words', async () => {
      const b = await open()
      await b.upsert(sampleEntries())
      expect(await b.search('量子纠缠望远镜', { limit: 5 })).toEqual([])
      await b.close()
    })

    it('hybrid: dense finds what shares no word with the query, and says which retriever found it', async () => {
      const b = await open({ embedder: new ConceptEmbedder() })
      await b.upsert(sampleEntries())
      expect(b.dense).toBe(true)
      // 「帮人干活挣的钱」 shares no indexed word with 个人所得税法第六条, only its concept
      expect(await b.search('帮人干活挣的钱', { limit: 5, mode: 'bm25' })).toEqual([])
      const hits = await b.search('帮人干活挣的钱', { limit: 5, filters: { status: 'published' } })
      expect(hits[0]?.id).toBe('law-pit-6')
      expect(hits[0]?.signals?.bm25).toBeNull()
      expect(hits[0]?.signals?.dense?.rank).toBe(1)
      expect(hits[0]?.signals?.agree).toBe(false)
      expect(hits[0]?.passage?.id.startsWith('law-pit-6#')).toBe(true)
      expect(hits[0]?.passage?.text).toContain('减除费用六万元')
      // a hit both retrievers rank high is first in hybrid and marked as agreed on
      const both = await b.search('增值税 征收率', {
        limit: 5,
        filters: { effectiveAt: '2026-11-25', status: 'published' },
      })
      expect(both[0]?.id).toBe('law-vat-new')
      expect(both[0]?.signals?.agree).toBe(true)
      expect(both[0]?.signals?.bm25?.rank).toBe(1)
      expect(both[0]!.score).toBeCloseTo(both[0]!.signals!.fused.score, 3)
      await b.close()
    })

    it('hybrid: a query naming a tax keeps dense candidates in its scope; expansion phrases are embedded too', async () => {
      const b = await open({ embedder: new ConceptEmbedder() })
      await b.upsert(sampleEntries())
      const dense = async (q: string) =>
        (await b.search(q, { limit: 20, mode: 'dense', filters: { status: 'published' } })).map((h) => h.id)
      // 个人所得税法第六条 shares the income concept, but it is scoped to 个人所得税 and the question names 增值税
      expect(await dense('打零工挣的钱')).toContain('law-pit-6')
      const vat = await dense('打零工的收入要交增值税吗')
      expect(vat).not.toContain('law-pit-6')
      expect(vat).toContain('law-vat-new')
      expect(vat).toContain('faq-js') // unscoped entries (FAQs) are never left out
      // 「每个月销售额多少」 names no concept of its own; its expansion phrases (起征点 月销售额 小规模纳税人) do
      const exp = await b.search('每个月销售额多少', {
        limit: 3,
        mode: 'dense',
        filters: { status: 'published', effectiveAt: '2026-11-25' },
      })
      expect(exp[0]?.id).toBe('law-vat-new')
      await b.close()
    })

    it("hybrid: one clause per 公告 ahead of other sources; the document's further clauses follow", async () => {
      const b = await open({ embedder: new ConceptEmbedder() })
      const gonggao = '国家税务总局公告2021年第26号'
      const clause = (label: string, body: string) =>
        ({
          ...sampleEntries()[0],
          id: `${gonggao}#${label}`,
          kind: 'policy',
          title: `国家税务总局关于城市维护建设税征收管理有关事项的公告 ${label}`,
          body,
          law: undefined,
          tags: [gonggao],
          policy: {
            docNumber: gonggao,
            issuers: ['国家税务总局'],
            category: '税务规范性文件',
            publishedAt: null,
            ownEnd: null,
            attachments: [],
            relations: [],
            repealedBy: [],
            amendedBy: [],
            part: 'clause',
            documentId: gonggao,
            label,
          },
        }) as unknown as Entry
      await b.upsert([
        ...sampleEntries(),
        clause('一', '城市维护建设税的申报缴纳，城市维护建设税与增值税同时申报。'),
        clause('二', '城市维护建设税的减免，城市维护建设税按规定办理。'),
        clause('三', '城市维护建设税的征收管理，城市维护建设税由税务机关征收。'),
      ])
      const ids = (await b.search('城市维护建设税 增值税', { limit: 20, filters: { status: 'published' } })).map(
        (h) => h.id,
      )
      const clauses = ids.flatMap((id, i) => (id.startsWith(gonggao) ? [i] : []))
      const others = ids.flatMap((id, i) => (id.startsWith(gonggao) ? [] : [i]))
      expect(clauses.length).toBe(3) // the document's clauses are all still retrieved …
      expect(others.length).toBeGreaterThan(2)
      // … its best clause near the top, then every other source, then its further clauses
      expect(clauses[0]).toBeLessThanOrEqual(1)
      expect(clauses[1]!).toBeGreaterThan(Math.max(...others))
      // BM25 alone keeps its own order (the spread is part of the hybrid ranking only)
      const bm25 = (await b.search('城市维护建设税', { limit: 3, mode: 'bm25' })).map((h) => h.id)
      expect(bm25.every((id) => id.startsWith(gonggao))).toBe(true)
      await b.close()
    })

    it('hybrid: the dense side obeys the same region, status, kind, layer and date filters', async () => {
      const b = await open({ embedder: new ConceptEmbedder() })
      await b.upsert(sampleEntries())
      const dense = async (filters: Record<string, unknown>) =>
        (await b.search('买房子', { limit: 20, mode: 'dense', filters })).map((h) => h.id)
      const nanjing = await dense({ regionCode: '320100', status: 'published' })
      expect(nanjing).toEqual(expect.arrayContaining(['faq-js', 'faq-nj']))
      expect(nanjing).not.toContain('faq-sz')
      expect(nanjing).not.toContain('faq-zj')
      expect(nanjing).not.toContain('draft-1')
      expect(await dense({ status: 'draft' })).toEqual(['draft-1'])
      expect((await dense({ layer: 'city' })).sort()).toEqual(['faq-nj', 'faq-sz'])
      expect((await dense({ kind: 'law-article' })).every((id) => id.startsWith('law-'))).toBe(true)
      const vat2025 = (
        await b.search('小规模', { limit: 20, mode: 'dense', filters: { effectiveAt: '2025-06-01' } })
      ).map((h) => h.id)
      expect(vat2025).toContain('law-vat-old')
      expect(vat2025).not.toContain('law-vat-new')
      await b.close()
    })

    it('hybrid: upsert re-embeds only changed passages, remove drops them, repeated queries are cached', async () => {
      const embedder = new ConceptEmbedder()
      const b = await open({ embedder })
      await b.upsert(sampleEntries())
      await b.search('打零工', { limit: 3 })
      const calls = embedder.calls
      await b.search('打零工', { limit: 3 })
      expect(embedder.calls).toBe(calls)
      await b.upsert(sampleEntries().filter((e) => e.id === 'faq-nj'))
      expect(embedder.calls).toBe(calls)
      await b.remove(['law-pit-6'])
      expect((await b.search('打零工挣的钱', { limit: 5, mode: 'dense' })).map((h) => h.id)).not.toContain('law-pit-6')
      await b.close()
    })
  })
}
