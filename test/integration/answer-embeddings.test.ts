/**
 * Optional embeddings in answer retrieval: entry vectors computed once and cached on disk, BM25 and vector
 * ranks fused with RRF. Against the mock OpenAI-compatible /v1/embeddings server and the tiny local
 * transformers.js model built by the fixture (random weights: only loading, dimensions and plumbing are
 * meaningful, not similarity).
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createContainer, type Container } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import { EntryVectors } from '../../services/answer/entry-vectors.js'
import { Retriever } from '../../services/answer/retrieval.js'
import { buildTinyEmbeddingModel } from '../fixtures/build-tiny-embedding-model.js'
import { containerWithCorpus, tempDir } from '../helpers/env.js'
import { startMockOpenAiServer, type MockOpenAiServer } from '../helpers/mock-openai-server.js'

/** A vector space with one meaningful direction: texts about 印花税 point one way, the rest another. */
function embed(text: string): number[] {
  return /印花税|书立应税凭证|ZZTOP/.test(text) ? [1, 0, 0, 0] : [0, 1, 0.1, 0]
}

describe('answer retrieval with an openai-compatible embedder', () => {
  let server: MockOpenAiServer
  let ctx: Container
  beforeAll(async () => {
    server = await startMockOpenAiServer({ embed: (t) => embed(t) })
    ctx = await containerWithCorpus(undefined, { embedder: 'openai-compatible', embeddingBaseUrl: server.baseUrl, embeddingModel: 'emb-test' })
  }, 60_000)
  afterAll(async () => {
    await ctx.close()
    await server.close()
  })

  it('fuses vector neighbours into BM25 results (RRF) and caches entry vectors on disk', async () => {
    expect(ctx.embedder.name).toBe('openai-compatible')
    const today = '2026-11-25'
    // BM25 alone: 「ZZTOP 契税」 matches 契税 entries only
    const bm25Only = await new Retriever(ctx.index.backend, ctx.store, ctx.regions, null).retrieve('ZZTOP 契税', { regionCode: null, today, synonyms: true, limit: 20 })
    expect(bm25Only.sources.some((s) => s.entry.id.startsWith('印花税法'))).toBe(false)
    const r = await ctx.answer.ask({ message: 'ZZTOP 契税税率' })
    expect(r.mode).not.toBe('refused')
    const embedCalls = server.requests.filter((q) => q.path === '/v1/embeddings')
    expect(embedCalls.length).toBeGreaterThan(0)
    const cache = path.join(ctx.config.dataDir, 'index', 'vectors-openai-compatible.v8')
    expect(fs.existsSync(cache)).toBe(true)
    // the vector side brings the 印花税 article in
    const vectors = new EntryVectors(ctx.embedder, ctx.store, cache)
    const fused = await new Retriever(ctx.index.backend, ctx.store, ctx.regions, vectors).retrieve('ZZTOP 契税', { regionCode: null, today, synonyms: true, limit: 20 })
    expect(fused.sources.some((s) => s.entry.id.startsWith('印花税法'))).toBe(true)
    expect(fused.sources.some((s) => s.entry.id.startsWith('契税法'))).toBe(true)
  })

  it('a restart reuses cached vectors: only the query is embedded', async () => {
    const cache = path.join(ctx.config.dataDir, 'index', 'vectors-openai-compatible.v8')
    server.requests.length = 0
    const vectors = new EntryVectors(ctx.embedder, ctx.store, cache)
    await vectors.sync()
    expect(server.requests.filter((q) => q.path === '/v1/embeddings')).toHaveLength(0)
    expect(vectors.size).toBeGreaterThan(10)
    await vectors.search('印花税', 3, () => true)
    const calls = server.requests.filter((q) => q.path === '/v1/embeddings')
    expect(calls).toHaveLength(1)
    expect((calls[0]!.body as { input: unknown }).input).toEqual(['印花税'])
  })
})

describe('answer retrieval with the tiny local transformers.js model', () => {
  let ctx: Container
  let dims: number
  beforeAll(async () => {
    const model = buildTinyEmbeddingModel(path.join(tempDir('taxkb-tiny-answer-'), 'tiny-bert-zh'))
    dims = model.dimensions
    const base = await containerWithCorpus(undefined, {})
    await base.close()
    // a second container over the same data dir, with the embedder, computes vectors at start-up
    ctx = await createContainer({ ...base.config, embedder: 'local', embeddingModelDir: model.dir }, { clock: fixedClock('2026-11-25T02:00:00Z') })
  }, 120_000)
  afterAll(async () => {
    await ctx.close()
  })

  it('loads the model, embeds the entries at start-up and answers with fused retrieval', async () => {
    expect(ctx.embedder.name).toBe('local')
    const cache = path.join(ctx.config.dataDir, 'index', 'vectors-local.v8')
    expect(fs.existsSync(cache)).toBe(true)
    const [v] = await ctx.embedder.embed(['小规模纳税人增值税'])
    expect(v).toHaveLength(dims)
    const norm = Math.sqrt([...v!].reduce((a, x) => a + x * x, 0))
    expect(norm).toBeCloseTo(1, 4)
    const r = await ctx.answer.ask({ message: '契税税率是多少' })
    expect(r.citations.some((c) => c.id === '契税法#第三条')).toBe(true)
    expect(r.answer).toContain('百分之三至百分之五')
  })
})
