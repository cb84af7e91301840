/**
 * The Embedder port: dense vectors for the search backends' vector side (fused with BM25 by
 * hybrid-fusion.ts). Implementations: `local` (default: onnxruntime-node over a model directory that
 * `taxkb model fetch` fills — the embedder itself never downloads), `none` and `openai-compatible` (HTTP).
 * createEmbedder is the one place that picks. Every implementation returns L2-normalised vectors, so a
 * dot product is the cosine.
 */
import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../shared/errors.js'
import type { Config } from '../shared/config.js'
import { padBatch, poolBatch, type Pooling } from './bert-batch.js'
import { inThreadSession, type ModelSession, workerSession } from './ort-session.js'
import { l2Normalize } from './rank-fusion.js'

export type { Pooling } from './bert-batch.js'

export interface Embedder {
  readonly name: string
  /** Identifies the vector space (implementation + model): persisted vectors are keyed by it. */
  readonly modelId: string
  /** Vector length; 0 for `none`, and for an HTTP model whose size is not configured until its first answer. */
  readonly dimensions: number
  /** One unit-length vector per text, in input order. */
  embed(texts: string[]): Promise<Float32Array[]>
}

export class NoEmbedder implements Embedder {
  readonly name = 'none'
  readonly modelId = 'none'
  /** Why there are no vectors (shown once in the start-up log); empty when none was asked for. */
  constructor(readonly reason = '') {}
  readonly dimensions = 0
  embed(texts: string[]): Promise<Float32Array[]> {
    if (texts.length === 0) return Promise.resolve([])
    return Promise.reject(
      new Error('No embedder is configured (TAXKB_EMBEDDER=none); check Embedder.name before calling embed'),
    )
  }
}

/** Least-recently-used map: a Map keeps insertion order, so re-inserting on read moves a key to the end. */
export class LruCache<K, V> {
  readonly #map = new Map<K, V>()
  constructor(readonly capacity: number) {}

  get size(): number {
    return this.#map.size
  }

  get(key: K): V | undefined {
    const v = this.#map.get(key)
    if (v !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, v)
    }
    return v
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return
    this.#map.delete(key)
    this.#map.set(key, value)
    if (this.#map.size > this.capacity) this.#map.delete(this.#map.keys().next().value as K)
  }

  clear(): void {
    this.#map.clear()
  }
}

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = []
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size))
  return out
}

// ---------------------------------------------------------------------------------------------- local

/** Model file per transformers.js dtype, in the order LocalEmbedder looks for them. */
const MODEL_FILES = [
  ['fp32', 'model.onnx'],
  ['q8', 'model_quantized.onnx'],
  ['fp16', 'model_fp16.onnx'],
  ['int8', 'model_int8.onnx'],
  ['uint8', 'model_uint8.onnx'],
] as const
export type LocalDtype = (typeof MODEL_FILES)[number][0]

export interface LocalEmbedderOptions {
  /** Directory with config.json, tokenizer.json, tokenizer_config.json and onnx/model.onnx (or a quantized variant). */
  modelDir: string
  /** Which onnx/ file to load; default: the first present of model.onnx, model_quantized.onnx, model_fp16.onnx, … */
  dtype?: LocalDtype
  /** Texts per forward pass (default 16). */
  batchSize?: number
  /** Recent text → vector entries kept (default 2000; 0 disables). Queries repeat a lot on a hotline. */
  cacheSize?: number
  /** onnxruntime intra-op threads (default 0: onnxruntime's own choice, one per core; config default 1). */
  threads?: number
  /** Run the forward pass in a worker thread (ort-session.ts; TAXKB_EMBEDDING_WORKER, default false). */
  worker?: boolean
}

/** sentence-transformers' 1_Pooling/config.json says how a model is meant to be pooled (bge: [CLS]). */
function poolingOf(dir: string): Pooling {
  try {
    const c = JSON.parse(fs.readFileSync(path.join(dir, '1_Pooling', 'config.json'), 'utf8')) as {
      pooling_mode_cls_token?: boolean
    }
    return c.pooling_mode_cls_token ? 'cls' : 'mean'
  } catch {
    return 'mean'
  }
}

/** The loaded model: the WordPiece tokenizer and the ONNX session, with what padding needs. */
interface LoadedModel {
  tokenizer: import('@huggingface/tokenizers').Tokenizer
  session: ModelSession
  padId: number
  maxLength: number
}

/**
 * Sentence embeddings with onnxruntime-node and the model's own tokenizer.json (@huggingface/tokenizers) from a
 * local directory: the pooling the model's 1_Pooling/config.json names ([CLS] for bge, mean over the attention
 * mask otherwise), then L2 normalisation (how sentence-transformers models such as bge / m3e / text2vec are meant
 * to be used). The same arithmetic as transformers.js' feature-extraction pipeline, which built the shipped corpus
 * vectors (bert-batch.ts; held to its output by test/integration/embedder-reference.test.ts), without loading
 * transformers.js (≈ 130 MB of RSS in the server for code we do not run). Nothing is downloaded; a missing file
 * is an error naming the file.
 */
export class LocalEmbedder implements Embedder {
  readonly name = 'local'
  readonly modelDir: string
  readonly dtype: LocalDtype
  readonly pooling: Pooling
  readonly modelId: string
  /** Counters for tests and metrics: forward passes run and cache behaviour. */
  readonly stats = { modelCalls: 0, textsEmbedded: 0, cacheHits: 0, cacheMisses: 0 }
  readonly #batchSize: number
  readonly #threads: number
  readonly #worker: boolean
  readonly #cache: LruCache<string, Float32Array>
  /** Texts being embedded now: a concurrent call asking for one waits for it instead of running the model. */
  readonly #inFlight = new Map<string, Promise<Float32Array>>()
  readonly #modelFile: string
  #model: Promise<LoadedModel> | undefined
  #dimensions: number

  constructor(options: LocalEmbedderOptions) {
    const dir = path.resolve(options.modelDir)
    this.modelDir = dir
    const missing = ['config.json', 'tokenizer.json', 'tokenizer_config.json'].filter(
      (f) => !fs.existsSync(path.join(dir, f)),
    )
    const dtype = options.dtype ?? MODEL_FILES.find(([, file]) => fs.existsSync(path.join(dir, 'onnx', file)))?.[0]
    const file = MODEL_FILES.find(([d]) => d === dtype)?.[1]
    if (!file || !fs.existsSync(path.join(dir, 'onnx', file)))
      missing.push(file ? `onnx/${file}` : 'onnx/model.onnx (or model_quantized.onnx / model_fp16.onnx)')
    if (missing.length)
      throw new Error(
        `LocalEmbedder: model directory ${dir} lacks ${missing.join(', ')}; nothing is downloaded, put a transformers.js-format (ONNX) model there`,
      )
    this.dtype = dtype as LocalDtype
    this.#modelFile = path.join(dir, 'onnx', file as string)
    const config = JSON.parse(fs.readFileSync(path.join(dir, 'config.json'), 'utf8')) as {
      hidden_size?: number
      d_model?: number
      dim?: number
    }
    this.#dimensions = config.hidden_size ?? config.d_model ?? config.dim ?? 0
    this.pooling = poolingOf(dir)
    // The folder name plus the size of the weights: a different model, or a re-export, is a new vector space.
    this.modelId = `local:${path.basename(dir)}:${this.dtype}:${this.pooling}:${fs.statSync(this.#modelFile).size}`
    this.#batchSize = Math.max(1, options.batchSize ?? 16)
    this.#threads = Math.max(0, Math.floor(options.threads ?? 0))
    this.#worker = options.worker ?? false
    this.#cache = new LruCache(options.cacheSize ?? 2000)
  }

  /** From config.json (hidden_size), corrected by the first forward pass if the graph says otherwise. */
  get dimensions(): number {
    return this.#dimensions
  }

  /** Loads tokenizer and ONNX session (once; embed calls it too). Call at start-up to fail early. */
  async load(): Promise<void> {
    await this.#load()
  }

  #load(): Promise<LoadedModel> {
    this.#model ??= (async () => {
      const { Tokenizer } = await import('@huggingface/tokenizers')
      const json = (f: string) => JSON.parse(fs.readFileSync(path.join(this.modelDir, f), 'utf8')) as unknown
      const tokenizerConfig = json('tokenizer_config.json') as { pad_token?: string; model_max_length?: number }
      const tokenizer = new Tokenizer(json('tokenizer.json') as object, tokenizerConfig)
      const options = {
        executionProviders: ['cpu'],
        // 0 = onnxruntime's default (one per core); TAXKB_EMBEDDING_THREADS (default 1) says why 1 is faster here.
        intraOpNumThreads: this.#threads,
        interOpNumThreads: 1,
        logSeverityLevel: 3 as const,
      }
      const session = await (this.#worker ? workerSession : inThreadSession)(this.#modelFile, options)
      return {
        tokenizer,
        session,
        padId: tokenizer.encode(tokenizerConfig.pad_token ?? '[PAD]', { add_special_tokens: false }).ids[0] ?? 0,
        maxLength: tokenizerConfig.model_max_length ?? Number.POSITIVE_INFINITY,
      }
    })().catch((e: unknown) => {
      this.#model = undefined
      throw new Error(`LocalEmbedder: could not load ${this.modelDir}: ${e instanceof Error ? e.message : String(e)}`, {
        cause: e,
      })
    })
    return this.#model
  }

  /** One forward pass over a batch: tokenize, pad, run, pool. */
  async #forward(m: LoadedModel, texts: readonly string[]): Promise<Float32Array[]> {
    const tokenized = texts.map((t) => {
      const enc = m.tokenizer.encode(t, { return_token_type_ids: true })
      return { ids: enc.ids, typeIds: enc.token_type_ids }
    })
    const batch = padBatch(tokenized, m.padId, m.maxLength)
    const dims = [batch.size, batch.length]
    const all = {
      input_ids: { type: 'int64' as const, data: batch.inputIds, dims },
      attention_mask: { type: 'int64' as const, data: batch.attentionMask, dims },
      token_type_ids: { type: 'int64' as const, data: batch.tokenTypeIds, dims },
    }
    const feeds = Object.fromEntries(Object.entries(all).filter(([k]) => m.session.inputNames.includes(k)))
    // pooling reads the attention mask after the pass, and the worker may take the feeds' buffers
    const pooled = { ...batch, attentionMask: batch.attentionMask.slice() }
    const outputs = await m.session.run(feeds, { firstToken: this.pooling === 'cls' })
    const name = ['last_hidden_state', 'logits', 'token_embeddings'].find((n) => outputs[n]) ?? m.session.outputNames[0]
    const out = outputs[name as string]
    if (out?.dims.length !== 3) throw new Error('LocalEmbedder: the model gave no [batch, tokens, dim] output')
    const dim = out.dims[2] as number
    this.#dimensions = dim
    // a session that sent only token 0 of each text ([CLS] pooling): rows of one token each
    return poolBatch(out.data, out.dims[1] === 1 ? { ...pooled, length: 1 } : pooled, dim, this.pooling)
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out = new Array<Float32Array | undefined>(texts.length)
    const pending = new Set<string>()
    const waiting = new Map<string, Promise<Float32Array>>()
    texts.forEach((t, i) => {
      const hit = this.#cache.get(t)
      if (hit) {
        this.stats.cacheHits++
        out[i] = hit
      } else if (!pending.has(t) && !waiting.has(t)) {
        const flying = this.#inFlight.get(t)
        if (flying) {
          this.stats.cacheHits++
          waiting.set(t, flying)
        } else {
          this.stats.cacheMisses++
          pending.add(t)
        }
      }
    })
    if (pending.size) for (const [t, p] of this.#embedPending([...pending])) waiting.set(t, p)
    if (waiting.size) {
      const fresh = new Map(await Promise.all([...waiting].map(async ([t, p]) => [t, await p] as const)))
      texts.forEach((t, i) => (out[i] ??= fresh.get(t)))
    }
    // Copies, so a caller that mutates a vector cannot corrupt the cache.
    return out.map((v) => Float32Array.from(v as Float32Array))
  }

  /**
   * Runs the model over `todo` in batches; each text's vector is a promise other calls asking for the same
   * text meanwhile share (concurrent requests with the same question or candidate passage: one model call,
   * not one per request).
   */
  #embedPending(todo: readonly string[]): Map<string, Promise<Float32Array>> {
    const deferred = new Map<string, PromiseWithResolvers<Float32Array>>()
    for (const t of todo) {
      const d = Promise.withResolvers<Float32Array>()
      d.promise.catch(() => {}) // the caller awaits it; this only keeps a rejection nobody else awaits quiet
      deferred.set(t, d)
      this.#inFlight.set(t, d.promise)
    }
    const settle = (t: string) => {
      if (this.#inFlight.get(t) === deferred.get(t)?.promise) this.#inFlight.delete(t)
    }
    void (async () => {
      try {
        const model = await this.#load()
        for (const batch of batches(todo, this.#batchSize)) {
          this.stats.modelCalls++
          const vectors = await this.#forward(model, batch)
          batch.forEach((t, b) => {
            const vector = vectors[b] as Float32Array
            this.#cache.set(t, vector)
            settle(t)
            deferred.get(t)?.resolve(vector)
          })
          this.stats.textsEmbedded += batch.length
        }
      } catch (e) {
        for (const [t, d] of deferred) {
          settle(t)
          d.reject(e) // no effect on the texts already resolved
        }
      }
    })()
    return new Map([...deferred].map(([t, d]) => [t, d.promise]))
  }

  async close(): Promise<void> {
    const model = await this.#model?.catch(() => undefined)
    await model?.session.release()
    this.#model = undefined
  }
}

// ---------------------------------------------------------------------------------------------- HTTP

export interface OpenAiCompatibleEmbedderOptions {
  /** Base URL up to and including the API version, e.g. http://127.0.0.1:11434/v1; `/embeddings` is appended. */
  baseUrl: string
  model: string
  apiKey?: string
  /** Requested vector size, sent as `dimensions` (0 = the model's own size, field not sent). */
  dimensions?: number
  timeoutMs?: number
  /** Texts per request (default 64). */
  batchSize?: number
}

interface EmbeddingsResponse {
  data?: { embedding?: unknown; index?: unknown }[]
}

/**
 * POST {baseUrl}/embeddings with `{model, input: string[]}` — the OpenAI embeddings protocol that vLLM,
 * Ollama (/v1), LM Studio, llama.cpp server, Xinference and OpenAI itself serve. baseUrl therefore
 * includes the version segment (…/v1), exactly like TAXKB_LLM_BASE_URL.
 */
export class OpenAiCompatibleEmbedder implements Embedder {
  readonly name = 'openai-compatible'
  readonly model: string
  readonly modelId: string
  readonly url: string
  readonly #apiKey: string
  readonly #requested: number
  readonly #timeoutMs: number
  readonly #batchSize: number
  #dimensions: number

  constructor(options: OpenAiCompatibleEmbedderOptions) {
    if (!options.baseUrl) throw new Error('OpenAiCompatibleEmbedder: baseUrl is required')
    if (!options.model) throw new Error('OpenAiCompatibleEmbedder: model is required')
    this.url = `${options.baseUrl.replace(/\/+$/, '')}/embeddings`
    this.model = options.model
    this.#apiKey = options.apiKey ?? ''
    this.#requested = options.dimensions ?? 0
    this.modelId = `openai-compatible:${options.model}:${this.#requested}`
    this.#dimensions = this.#requested
    this.#timeoutMs = options.timeoutMs ?? 20_000
    this.#batchSize = Math.max(1, options.batchSize ?? 64)
  }

  get dimensions(): number {
    return this.#dimensions
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    const out: Float32Array[] = []
    for (const batch of batches(texts, this.#batchSize)) out.push(...(await this.#request(batch)))
    return out
  }

  #fail(detail: string, cause?: unknown): AppError {
    return new AppError(
      'BACKEND_UNAVAILABLE',
      `embeddings endpoint ${this.url} (model ${this.model}) ${detail}`,
      cause === undefined ? {} : { cause },
    )
  }

  async #request(input: string[]): Promise<Float32Array[]> {
    const body: Record<string, unknown> = { model: this.model, input }
    if (this.#requested > 0) body.dimensions = this.#requested
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' }
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`
    let res: Response
    try {
      res = await fetch(this.url, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.#timeoutMs),
      })
    } catch (e) {
      if (e instanceof Error && (e.name === 'TimeoutError' || e.name === 'AbortError'))
        throw this.#fail(`did not answer within ${this.#timeoutMs} ms`, e)
      const reason = e instanceof Error ? ((e.cause as Error | undefined)?.message ?? e.message) : String(e)
      throw this.#fail(`is unreachable: ${reason}`, e)
    }
    const text = await res.text().catch(() => '')
    if (!res.ok) throw this.#fail(`answered HTTP ${res.status}: ${text.slice(0, 300)}`)
    let json: EmbeddingsResponse
    try {
      json = JSON.parse(text) as EmbeddingsResponse
    } catch (e) {
      throw this.#fail(`returned malformed JSON: ${text.slice(0, 120)}`, e)
    }
    const data = json.data
    if (!Array.isArray(data) || data.length !== input.length)
      throw this.#fail(`returned ${Array.isArray(data) ? data.length : 'no'} embeddings for ${input.length} inputs`)
    // The protocol does not promise order; `index` does.
    const ordered = data.every((d) => typeof d.index === 'number')
      ? [...data].sort((a, b) => (a.index as number) - (b.index as number))
      : data
    return ordered.map((d, i) => {
      const e = d.embedding
      if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === 'number' && Number.isFinite(x)))
        throw this.#fail(`returned a non-numeric embedding at index ${i} (is encoding_format float?)`)
      if (this.#dimensions === 0) this.#dimensions = e.length
      else if (e.length !== this.#dimensions)
        throw this.#fail(`returned ${e.length} dimensions, expected ${this.#dimensions}`)
      return l2Normalize(e as number[])
    })
  }
}

/** The one place that picks the Embedder from config. */
export function createEmbedder(
  config: Pick<
    Config,
    | 'embedder'
    | 'embeddingModelDir'
    | 'embeddingBaseUrl'
    | 'embeddingModel'
    | 'embeddingApiKey'
    | 'embeddingDimensions'
    | 'embeddingThreads'
    | 'embeddingWorker'
  >,
): Embedder {
  switch (config.embedder) {
    case 'none':
      return new NoEmbedder()
    case 'local':
      // A missing model is not fatal: search runs on BM25 alone and says so once at start-up.
      try {
        return new LocalEmbedder({
          modelDir: config.embeddingModelDir,
          threads: config.embeddingThreads,
          worker: config.embeddingWorker,
        })
      } catch (e) {
        return new NoEmbedder(`${(e as Error).message}; run \`taxkb model fetch\``)
      }
    case 'openai-compatible':
      return new OpenAiCompatibleEmbedder({
        baseUrl: config.embeddingBaseUrl,
        model: config.embeddingModel,
        apiKey: config.embeddingApiKey,
        dimensions: config.embeddingDimensions,
      })
    default:
      throw new Error(`unknown embedder ${String(config.embedder)}`)
  }
}
