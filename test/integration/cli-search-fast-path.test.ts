/**
 * `taxkb search` builds only the knowledge-and-search half of the composition root (CLI start). Its JSON must
 * be exactly what the full container's SearchService returns, over the bundled corpus (公告 included), and the
 * endpoint's ordering rule must put the rule that answers a query before FAQs and title-only matches.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { searchJsonRows } from '../../services/cli/search-command.js'
import { createContainer, type Container } from '../../services/container.js'
import { borrowedTitle } from '../../services/search/entry-fields.js'
import type { Entry } from '../../knowledge/entry.js'
import { chinaDate } from '../../services/shared/clock.js'
import { loadConfig } from '../../services/shared/config.js'
import { runCli } from '../helpers/cli.js'
import { tempDir } from '../helpers/env.js'

const dataDir = tempDir()
// BM25 only: the real model is covered by hybrid-real-model.test.ts (and embedding the 公告 passages the
// shipped vectors lack takes minutes here).
const env = { TAXKB_DATA_DIR: dataDir, TAXKB_LOG_LEVEL: 'silent', TAXKB_EMBEDDER: 'none' }
let ctx: Container

beforeAll(async () => {
  const r = await runCli(['import'], env)
  expect(r.code, r.stderr).toBe(0)
  ctx = await createContainer(loadConfig(env))
}, 120_000)

afterAll(async () => {
  await ctx?.close()
})

const cases: [string, { region?: string; kind?: string; limit?: number }][] = [
  ['小规模纳税人 起征点', {}],
  ['个人所得税专项附加扣除', { limit: 20 }],
  ['发票丢失怎么办', { region: '320100' }],
  ['增值税', { kind: 'faq,policy', limit: 5 }],
]

describe('taxkb search fast path', () => {
  it.each(cases)('%s %j: the same JSON as the full container in process', async (q, o) => {
    const args = ['search', q, '--json']
    if (o.region) args.push('--region', o.region)
    if (o.kind) args.push('--kind', o.kind)
    if (o.limit) args.push('--limit', String(o.limit))
    const r = await runCli(args, env)
    expect(r.code, r.stderr).toBe(0)
    const full = await ctx.search.search({ q, region: o.region, kind: o.kind, limit: o.limit ?? 10 })
    expect(full.length).toBeGreaterThan(0)
    expect(r.stdout).toBe(`${JSON.stringify(searchJsonRows(full), null, 2)}\n`)
  })

  it('小规模纳税人 起征点: national 公告 clauses first, borrowed-title matches after them, FAQs of 江苏/浙江 last', async () => {
    const q = '小规模纳税人 起征点'
    const hits = await ctx.search.search({ q })
    expect(hits[0]).toMatchObject({ kind: 'policy', layer: 'national' })
    const at = (id: string) => hits.findIndex((h) => h.id === id)
    const rule = at('财政部 税务总局公告2026年第10号#一')
    expect(rule).toBeGreaterThanOrEqual(0)
    const firstLocal = hits.findIndex((h) => h.layer !== 'national')
    expect(hits.slice(firstLocal).every((h) => h.layer !== 'national')).toBe(true)
    expect(firstLocal).toBeGreaterThan(rule)
    // 「…关于起征点标准等…的公告」 四 is about invoices: it matched 起征点 only through its document's title.
    const invoices = await ctx.store.collection<Entry>('entries').get('国家税务总局公告2026年第4号#四')
    expect(borrowedTitle(invoices!)).toBe('国家税务总局关于起征点标准等增值税征管事项的公告')
    if (at(invoices!.id) >= 0) expect(at(invoices!.id)).toBeGreaterThan(rule)
    const raw = await ctx.index.backend.search(q, {
      filters: { status: ['published'], effectiveAt: chinaDate(new Date()) },
      limit: 10,
    })
    // The same hits as the retrievers returned, only reordered (the answer path keeps the retrievers' order).
    expect(new Set(hits.map((h) => h.id))).toEqual(new Set(raw.map((h) => h.id)))
    expect(raw[0]!.kind).toBe('faq') // what the retrievers alone put first today: the rule made the difference
  })

  it('a missing model: BM25 alone, the same JSON, and one log line saying why', async () => {
    const missing = { ...env, TAXKB_EMBEDDER: 'local', TAXKB_EMBEDDING_MODEL_DIR: tempDir('taxkb-no-model-') }
    const r = await runCli(['search', '小规模纳税人 起征点', '--json'], missing)
    expect(r.code).toBe(0)
    const lines = r.stderr.trim().split('\n')
    expect(lines).toHaveLength(1)
    expect(lines[0]).toMatch(/^语义检索未启用，仅使用 BM25/)
    const bm25 = await runCli(['search', '小规模纳税人 起征点', '--json'], env)
    expect(r.stdout).toBe(bm25.stdout)
    expect(bm25.stderr).toBe('')
  })
})

describe('taxkb search on a data directory never imported', () => {
  it('says the knowledge base is empty and how to fill it (stderr), and still prints valid JSON', async () => {
    const empty = { ...env, TAXKB_DATA_DIR: tempDir() }
    const r = await runCli(['search', '契税', '--json'], empty)
    expect(r.code, r.stderr).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual([])
    expect(r.stderr).toContain('知识库为空')
    expect(r.stderr).toContain('npm start')
    // a filled knowledge base with no hit for the query says nothing of the kind
    const none = await runCli(['search', 'zzzzqqqq', '--json'], env)
    expect(none.stderr).not.toContain('知识库为空')
  })
})
