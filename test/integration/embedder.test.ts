/**
 * Both real embedders end to end: the HTTP one against a real local OpenAI-protocol server, the local one
 * through onnxruntime-node + @huggingface/tokenizers over a tiny BERT-style model built at test time
 * (test/fixtures/build-tiny-embedding-model.ts), whose weights are known so pooling is checked by hand.
 */
import path from 'node:path'
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createEmbedder, LocalEmbedder, OpenAiCompatibleEmbedder } from '../../services/search/embedder.js'
import { l2Normalize, VectorIndex } from '../../services/search/rank-fusion.js'
import { AppError } from '../../services/shared/errors.js'
import { loadConfig } from '../../services/shared/config.js'
import { buildTinyEmbeddingModel, type TinyEmbeddingModel } from '../fixtures/build-tiny-embedding-model.js'
import { tempDir } from '../helpers/env.js'
import { hashVector, startMockOpenAiServer, type MockOpenAiServer } from '../helpers/mock-openai-server.js'

const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))

describe('OpenAiCompatibleEmbedder (HTTP)', () => {
  let server: MockOpenAiServer
  beforeAll(async () => {
    server = await startMockOpenAiServer()
  })
  afterAll(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
    server.options = {}
  })

  it('POSTs {model, input} to {baseUrl}/embeddings with the bearer key and returns unit vectors in order', async () => {
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'bge-m3', apiKey: 'sk-emb' })
    expect(e.dimensions).toBe(0) // unknown until the model answers
    const texts = ['增值税', '个人所得税专项附加扣除', '小规模纳税人']
    const vectors = await e.embed(texts)
    expect(e.dimensions).toBe(8)
    expect(vectors).toHaveLength(3)
    vectors.forEach((v, i) => {
      expect(v).toBeInstanceOf(Float32Array)
      expect(v.length).toBe(8)
      expect(norm(v)).toBeCloseTo(1, 5)
      const expected = l2Normalize(hashVector(texts[i] as string, 8))
      v.forEach((x, j) => expect(x).toBeCloseTo(expected[j] as number, 6))
    })
    const req = server.requests[0]
    expect(req?.path).toBe('/v1/embeddings')
    expect(req?.headers.authorization).toBe('Bearer sk-emb')
    expect(req?.headers['content-type']).toBe('application/json')
    expect(req?.body).toEqual({ model: 'bge-m3', input: texts })
  })

  it('sends no authorization header without a key, and `dimensions` only when configured', async () => {
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'm', dimensions: 12 })
    const [v] = await e.embed(['契税'])
    expect(v?.length).toBe(12)
    expect(server.requests[0]?.headers.authorization).toBeUndefined()
    expect(server.requests[0]?.body).toEqual({ model: 'm', input: ['契税'], dimensions: 12 })
  })

  it('batches: 5 texts with batchSize 2 → 3 requests, order kept', async () => {
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'm', batchSize: 2 })
    const texts = ['一', '二', '三', '四', '五']
    const vectors = await e.embed(texts)
    expect(server.requests.map((r) => (r.body as { input: string[] }).input)).toEqual([
      ['一', '二'],
      ['三', '四'],
      ['五'],
    ])
    vectors.forEach((v, i) => expect(v[0]).toBeCloseTo(l2Normalize(hashVector(texts[i] as string))[0] as number, 6))
    await expect(e.embed([])).resolves.toEqual([])
    expect(server.requests).toHaveLength(3)
  })

  it('reorders by `index` when the server answers out of order', async () => {
    const inner = await startMockOpenAiServer()
    // Wrap: answer with the data array reversed (index fields intact).
    const http = await import('node:http')
    const proxy = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (c: Buffer) => chunks.push(c))
      req.on('end', () => {
        void fetch(`${inner.origin}${req.url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: Buffer.concat(chunks),
        })
          .then((r) => r.json())
          .then((json: { data: unknown[] }) => {
            json.data.reverse()
            res.writeHead(200, { 'content-type': 'application/json' })
            res.end(JSON.stringify(json))
          })
      })
    })
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r))
    try {
      const { port } = proxy.address() as { port: number }
      const e = new OpenAiCompatibleEmbedder({ baseUrl: `http://127.0.0.1:${port}/v1`, model: 'm' })
      const [a, b] = await e.embed(['甲', '乙'])
      expect(a?.[0]).toBeCloseTo(l2Normalize(hashVector('甲'))[0] as number, 6)
      expect(b?.[0]).toBeCloseTo(l2Normalize(hashVector('乙'))[0] as number, 6)
    } finally {
      proxy.closeAllConnections()
      await new Promise((r) => proxy.close(r))
      await inner.close()
    }
  })

  it('server 500 → a clear BACKEND_UNAVAILABLE error naming the endpoint, model, status and body', async () => {
    server.failNext(500, { error: { message: 'CUDA out of memory' } })
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'bge-m3' })
    const err = await e.embed(['增值税']).catch((x: unknown) => x)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('BACKEND_UNAVAILABLE')
    expect((err as AppError).message).toContain(
      `embeddings endpoint ${server.baseUrl}/embeddings (model bge-m3) answered HTTP 500`,
    )
    expect((err as AppError).message).toContain('CUDA out of memory')
  })

  it('other failures are clear too: 401, malformed JSON, wrong count, wrong size, timeout, unreachable', async () => {
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'm' })
    server.failNext(401, { error: { message: 'invalid api key' } })
    await expect(e.embed(['a'])).rejects.toThrow(/answered HTTP 401: .*invalid api key/)

    server.failNext(200, 'not json')
    await expect(e.embed(['a'])).rejects.toThrow(/returned malformed JSON: not json/)

    server.failNext(200, { data: [] })
    await expect(e.embed(['a'])).rejects.toThrow(/returned 0 embeddings for 1 inputs/)

    server.failNext(200, { data: [{ index: 0, embedding: 'AAAA' }] })
    await expect(e.embed(['a'])).rejects.toThrow(/non-numeric embedding at index 0/)

    const sized = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'm', dimensions: 4 })
    server.failNext(200, { data: [{ index: 0, embedding: [1, 2, 3] }] })
    await expect(sized.embed(['a'])).rejects.toThrow(/returned 3 dimensions, expected 4/)

    server.options = { delayMs: 1000 }
    const slow = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'm', timeoutMs: 100 })
    await expect(slow.embed(['a'])).rejects.toThrow(/did not answer within 100 ms/)
    server.options = {}

    const gone = await startMockOpenAiServer()
    await gone.close()
    await expect(new OpenAiCompatibleEmbedder({ baseUrl: gone.baseUrl, model: 'm' }).embed(['a'])).rejects.toThrow(
      /is unreachable: .*ECONNREFUSED/,
    )
  })

  it('createEmbedder from the environment talks to the server', async () => {
    const e = createEmbedder(
      loadConfig({
        TAXKB_EMBEDDER: 'openai-compatible',
        TAXKB_EMBEDDING_BASE_URL: server.baseUrl,
        TAXKB_EMBEDDING_MODEL: 'text-embedding-3-small',
        TAXKB_EMBEDDING_API_KEY: 'k2',
        TAXKB_EMBEDDING_DIMENSIONS: '16',
      }),
    )
    const [v] = await e.embed(['社保'])
    expect(v?.length).toBe(16)
    expect(e.dimensions).toBe(16)
    expect(server.requests[0]?.headers.authorization).toBe('Bearer k2')
    expect(server.requests[0]?.body).toEqual({ model: 'text-embedding-3-small', input: ['社保'], dimensions: 16 })
  })

  it('feeds a VectorIndex: the nearest neighbour of a text is itself', async () => {
    const e = new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'm', dimensions: 32 })
    const texts = ['增值税', '个人所得税', '企业所得税', '印花税', '契税']
    const index = new VectorIndex(32)
    ;(await e.embed(texts)).forEach((v, i) => index.upsert(texts[i] as string, v))
    const [q] = await e.embed(['印花税'])
    expect(index.search(q as Float32Array, 1)[0]).toEqual({ id: '印花税', score: expect.closeTo(1, 5) })
  })
})

describe('LocalEmbedder (onnxruntime-node + tokenizers, tiny model built here)', () => {
  let model: TinyEmbeddingModel
  let embedder: LocalEmbedder

  /** Σ over [CLS] + one token per known char ([UNK] otherwise) + [SEP] (+ `pads` × [PAD]) of word + type embedding. */
  function expectedSum(text: string, pads = 0): Float64Array {
    const d = model.dimensions
    const ids = [
      model.vocab['[CLS]'],
      ...[...text].map((ch) => model.vocab[ch] ?? model.vocab['[UNK]']),
      model.vocab['[SEP]'],
      ...Array<number>(pads).fill(model.vocab['[PAD]'] as number),
    ] as number[]
    const sum = new Float64Array(d)
    for (const id of ids)
      for (let j = 0; j < d; j++)
        sum[j] = (sum[j] as number) + (model.wordEmbeddings[id * d + j] as number) + (model.typeEmbeddings[j] as number)
    return sum
  }

  /** Expected vector by hand: mean over the real tokens only, then L2. */
  function expected(text: string): Float32Array {
    const tokens = [...text].length + 2
    return l2Normalize(Array.from(expectedSum(text), (x) => x / tokens))
  }

  beforeAll(async () => {
    model = buildTinyEmbeddingModel(path.join(tempDir('taxkb-tiny-model-'), 'tiny-bert-zh'))
    embedder = new LocalEmbedder({ modelDir: model.dir, batchSize: 2 })
    await embedder.load()
  })
  afterAll(() => embedder.close())

  it('loads the directory: fp32 model, dimensions from config.json', () => {
    expect(embedder.name).toBe('local')
    expect(embedder.dtype).toBe('fp32')
    expect(embedder.dimensions).toBe(16)
  })

  it('mean-pools over the attention mask and L2-normalises (checked against the known weights)', async () => {
    // Different lengths in one batch: the short one is padded with [PAD], whose row is all 10s, so
    // pooling that ignored the mask would be far off.
    const texts = ['增值税', '小规模纳税人季度销售额']
    const vectors = await embedder.embed(texts)
    vectors.forEach((v, i) => {
      expect(v.length).toBe(16)
      expect(norm(v)).toBeCloseTo(1, 5)
      const want = expected(texts[i] as string)
      v.forEach((x, j) => expect(x).toBeCloseTo(want[j] as number, 5))
    })
    // The check has teeth: the same mean taken over the padded length (5 real tokens + 8 [PAD]) is far off.
    const padded = Array.from(expectedSum('增值税', 8), (x) => x / 13)
    const naive = l2Normalize(padded)
    const short = vectors[0] as Float32Array
    expect(short.reduce((s, x, j) => s + x * (naive[j] as number), 0)).toBeLessThan(0.9)
  })

  it('maps unknown characters to [UNK] like the tokenizer (and lower-cases Latin)', async () => {
    const [v] = await embedder.embed(['哈税'])
    const want = expected('哈税')
    v?.forEach((x, j) => expect(x).toBeCloseTo(want[j] as number, 5))
  })

  it('identical input → identical output; batching does not change vectors', async () => {
    const one = await embedder.embed(['个人所得税'])
    const fresh = new LocalEmbedder({ modelDir: model.dir, batchSize: 1, cacheSize: 0 })
    const again = await fresh.embed(['专项附加扣除', '个人所得税', '个人所得税'])
    expect(Array.from(again[1] as Float32Array)).toEqual(Array.from(one[0] as Float32Array))
    expect(Array.from(again[2] as Float32Array)).toEqual(Array.from(one[0] as Float32Array))
    // duplicates within one call are embedded once
    expect(fresh.stats.modelCalls).toBe(2)
    await fresh.close()
  })

  it('serves repeated texts from the LRU cache without calling the model again', async () => {
    const e = new LocalEmbedder({ modelDir: model.dir, batchSize: 8 })
    const first = await e.embed(['退税', '发票'])
    expect(e.stats).toMatchObject({ modelCalls: 1, cacheMisses: 2, cacheHits: 0, textsEmbedded: 2 })
    const second = await e.embed(['发票', '退税'])
    expect(e.stats).toMatchObject({ modelCalls: 1, cacheHits: 2 })
    expect(Array.from(second[0] as Float32Array)).toEqual(Array.from(first[1] as Float32Array))
    // a caller mutating a returned vector does not poison the cache
    ;(second[0] as Float32Array).fill(0)
    const third = await e.embed(['发票', '社保'])
    expect(Array.from(third[0] as Float32Array)).toEqual(Array.from(first[1] as Float32Array))
    expect(e.stats).toMatchObject({ modelCalls: 2, cacheHits: 3, cacheMisses: 3 })
    await e.close()
  })

  it('concurrent calls for the same new text share one forward pass and get the same vector', async () => {
    const e = new LocalEmbedder({ modelDir: model.dir, batchSize: 8 })
    const calls = await Promise.all([
      ...Array.from({ length: 10 }, () => e.embed(['车辆购置税'])),
      e.embed(['车船税', '车辆购置税']),
    ])
    expect(e.stats.modelCalls).toBe(2) // 车辆购置税 once, then 车船税 alone
    expect(e.stats.textsEmbedded).toBe(2)
    const want = expected('车辆购置税')
    for (const [v] of calls.slice(0, 10)) v?.forEach((x, j) => expect(x).toBeCloseTo(want[j] as number, 5))
    expect(Array.from(calls[10]?.[1] as Float32Array)).toEqual(Array.from(calls[0]?.[0] as Float32Array))
    await e.close()
  })

  it('batches: 5 new texts with batchSize 2 → 3 forward passes', async () => {
    const e = new LocalEmbedder({ modelDir: model.dir, batchSize: 2 })
    const vectors = await e.embed(['一', '二', '三', '四', '五'])
    expect(vectors).toHaveLength(5)
    expect(e.stats.modelCalls).toBe(3)
    await e.close()
  })

  it('createEmbedder picks it from TAXKB_EMBEDDER=local', async () => {
    const e = createEmbedder(loadConfig({ TAXKB_EMBEDDER: 'local', TAXKB_EMBEDDING_MODEL_DIR: model.dir }))
    expect(e).toBeInstanceOf(LocalEmbedder)
    const [v] = await e.embed(['增值税'])
    const want = expected('增值税')
    v?.forEach((x, j) => expect(x).toBeCloseTo(want[j] as number, 5))
    await (e as LocalEmbedder).close()
  })

  it('a corrupt model file is a clear load error, not a download attempt', async () => {
    const broken = buildTinyEmbeddingModel(path.join(tempDir('taxkb-broken-model-'), 'broken'))
    const fs = await import('node:fs')
    fs.writeFileSync(path.join(broken.dir, 'onnx', 'model.onnx'), 'not an onnx file')
    const e = new LocalEmbedder({ modelDir: broken.dir })
    await expect(e.embed(['增值税'])).rejects.toThrow(/LocalEmbedder: could not load .*broken/)
  })
})
