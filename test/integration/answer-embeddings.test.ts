/**
 * Embeddings in answer retrieval: passage vectors behind the search backend, computed once and persisted,
 * BM25 and dense ranks fused with RRF. Against the mock OpenAI-compatible /v1/embeddings server and the tiny local
 * transformers.js model built by the fixture (random weights: only loading, dimensions and plumbing are
 * meaningful, not similarity).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContainer, type Container } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import type { Entry } from '../../knowledge/entry.js'
import { Retriever } from '../../services/answer/retrieval.js'
import { buildTinyEmbeddingModel } from '../fixtures/build-tiny-embedding-model.js'
import { containerWithCorpus, tempDir } from '../helpers/env.js'
import { startMockOpenAiServer, type MockOpenAiServer } from '../helpers/mock-openai-server.js'

/** A vector space with one meaningful direction: texts about 印花税 point one way, the rest another. */
function embed(text: string): number[] {
  return /印花税|书立应税凭证|ZZTOP/.test(text) ? [1, 0, 0, 0] : [0, 1, 0.1, 0]
}

const vectorFiles = (ctx: Container) =>
  fs.readdirSync(path.join(ctx.config.dataDir, 'index')).filter((f) => /^vectors-.*\.v8$/.test(f))
const embedCalls = (server: MockOpenAiServer) => server.requests.filter((q) => q.path === '/v1/embeddings')

describe('hybrid retrieval behind the search backend with an openai-compatible embedder', () => {
  let server: MockOpenAiServer
  let ctx: Container
  const today = '2026-11-25'
  beforeAll(async () => {
    server = await startMockOpenAiServer({ embed: (t) => embed(t) })
    ctx = await containerWithCorpus(undefined, {
      embedder: 'openai-compatible',
      embeddingBaseUrl: server.baseUrl,
      embeddingModel: 'emb-test',
    })
  }, 60_000)
  afterAll(async () => {
    await ctx.close()
    await server.close()
  })

  it('fuses dense passages into BM25 results (RRF) and exposes per-retriever signals and the passage', async () => {
    expect(ctx.embedder.name).toBe('openai-compatible')
    expect(ctx.index.backend.dense).toBe(true)
    const retriever = new Retriever(ctx.index.backend, ctx.store, ctx.regions, ctx.index.analyzer)
    // BM25 alone: 「ZZTOP 房屋权属」 matches 契税 entries only (no tax is named, so no tax scope applies)
    const q = 'ZZTOP 房屋权属'
    const bm25Only = await retriever.retrieve(q, {
      regionCode: null,
      today,
      synonyms: true,
      limit: 20,
      mode: 'bm25',
    })
    expect(bm25Only.sources.some((s) => s.entry.id.startsWith('印花税法'))).toBe(false)
    expect(bm25Only.dense).toBe(false)
    const fused = await retriever.retrieve(q, { regionCode: null, today, synonyms: true, limit: 20 })
    expect(fused.dense).toBe(true)
    const stamp = fused.sources.find((s) => s.entry.id.startsWith('印花税法'))
    expect(stamp).toBeDefined()
    // the dense side found it, BM25 did not: its BM25 evidence says so
    expect(stamp!.signals?.bm25).toBeNull()
    expect(stamp!.signals?.dense?.score).toBeGreaterThan(0.9)
    expect(stamp!.score).toBe(0)
    expect(stamp!.passage?.id.startsWith(`${stamp!.entry.id}#`)).toBe(true)
    const deed = fused.sources.find((s) => s.entry.id.startsWith('契税法'))
    expect(deed?.signals?.bm25?.rank).toBeGreaterThan(0)
    expect(fused.analysis.plain.original).toContain('权属')
    // naming a tax (契税) scopes the dense side: the 印花税 articles it points at are left to BM25, which has none
    const named = await retriever.retrieve('ZZTOP 契税', { regionCode: null, today, synonyms: true, limit: 20 })
    expect(named.sources.some((s) => s.entry.id.startsWith('印花税法'))).toBe(false)
    expect(named.sources.some((s) => s.entry.id.startsWith('契税法'))).toBe(true)
    expect(vectorFiles(ctx)).toHaveLength(1)
    const r = await ctx.answer.ask({ message: 'ZZTOP 契税税率' })
    expect(r.mode).not.toBe('refused')
  })

  it('a restart reuses persisted vectors, repeated queries hit the LRU, an edit re-embeds only its passages', async () => {
    server.requests.length = 0
    const again = await createContainer(ctx.config, { clock: fixedClock('2026-11-25T02:00:00Z') })
    try {
      expect(embedCalls(server)).toHaveLength(0)
      expect(again.index.backend.dense).toBe(true)
      await again.index.backend.search('印花税', { limit: 3 })
      await again.index.backend.search('印花税', { limit: 3 })
      const calls = embedCalls(server)
      expect(calls).toHaveLength(1)
      expect((calls[0]!.body as { input: unknown }).input).toEqual(['印花税'])
      server.requests.length = 0
      const entry = (await again.store.collection<Entry>('entries').list()).find((e) => e.kind === 'faq')!
      await again.index.backend.upsert([
        { ...entry, body: `${entry.body}\n新增的一段说明。`, version: entry.version + 1 },
      ])
      const inputs = embedCalls(server).flatMap((c) => (c.body as { input: string[] }).input)
      expect(inputs.length).toBeGreaterThan(0)
      expect(inputs.every((t) => t.includes(entry.question ?? entry.title))).toBe(true)
    } finally {
      await again.close()
    }
  })
})

describe('answer retrieval with the tiny local transformers.js model', () => {
  let ctx: Container
  let dims: number
  beforeAll(async () => {
    const model = buildTinyEmbeddingModel(path.join(tempDir('taxkb-tiny-answer-'), 'tiny-bert-zh'))
    dims = model.dimensions
    const base = await containerWithCorpus(undefined, { embedder: 'none' })
    await base.close()
    // a second container over the same data dir, with the embedder, computes vectors at start-up
    ctx = await createContainer(
      { ...base.config, embedder: 'local', embeddingModelDir: model.dir },
      { clock: fixedClock('2026-11-25T02:00:00Z') },
    )
  }, 120_000)
  afterAll(async () => {
    await ctx.close()
  })

  it('loads the model, embeds the entries at start-up and answers with fused retrieval', async () => {
    expect(ctx.embedder.name).toBe('local')
    expect(vectorFiles(ctx)).toHaveLength(1)
    const [v] = await ctx.embedder.embed(['小规模纳税人增值税'])
    expect(v).toHaveLength(dims)
    const norm = Math.sqrt([...v!].reduce((a, x) => a + x * x, 0))
    expect(norm).toBeCloseTo(1, 4)
    const r = await ctx.answer.ask({ message: '契税税率是多少' })
    expect(r.citations.some((c) => c.id === '契税法#第三条')).toBe(true)
    expect(r.answer).toContain('百分之三至百分之五')
  })
})
