/**
 * The dense side of the embedded backend (and the embedding step of the Elasticsearch one): every entry's
 * passages, their vectors (from the VectorCache when the text was embedded before, from the Embedder
 * otherwise), an exact cosine index over them, and an LRU of query vectors. Entries of kinds in
 * DENSE_KINDS get vectors; the others (税案通报 news) stay BM25-only but still have passages.
 */
import type { Entry, EntryKind } from '../../knowledge/entry.js'
import type { Embedder } from './embedder.js'
import { LruCache } from './embedder.js'
import { aggregatePassages, type DenseEntryScore } from './hybrid-fusion.js'
import { splitPassages, type Passage } from './passages.js'
import { VectorIndex } from './rank-fusion.js'
import { textKey, type VectorCache } from './vector-cache.js'

/** Kinds whose passages are embedded. hot-topic (case news, ~1,000 long texts) is left to BM25. */
export const DENSE_KINDS: ReadonlySet<string> = new Set<EntryKind | 'policy'>([
  'law-article',
  'faq',
  'guide',
  'notice',
  'policy',
])
const EMBED_BATCH = 32
/** Passages looked at per query before aggregation to entries. */
const PASSAGE_DEPTH_FACTOR = 4

export interface VectorSyncProgress {
  done: number
  total: number
}

export class PassageTable {
  readonly #byEntry = new Map<string, Passage[]>()

  set(e: Entry): Passage[] {
    const ps = splitPassages(e)
    this.#byEntry.set(e.id, ps)
    return ps
  }

  of(entryId: string): readonly Passage[] {
    return this.#byEntry.get(entryId) ?? []
  }

  delete(entryId: string): void {
    this.#byEntry.delete(entryId)
  }

  get entries(): number {
    return this.#byEntry.size
  }
}

export class PassageVectors {
  readonly index = new VectorIndex()
  readonly stats = { embedded: 0, reused: 0, queryHits: 0, queryMisses: 0 }
  /** passage id → entry id, for filters and aggregation. */
  readonly #entryOf = new Map<string, string>()
  readonly #passagesOf = new Map<string, string[]>()
  /** A number per entry id (the VectorIndex row group of its passages), so the search filter is an array read. */
  readonly #entryNo = new Map<string, number>()
  readonly #entryIds: string[] = []
  readonly #queries: LruCache<string, Float32Array>
  /** Query embeddings under way, so concurrent requests with the same text wait for one model call. */
  readonly #inFlight = new Map<string, Promise<Float32Array>>()

  constructor(
    readonly embedder: Embedder,
    readonly cache: VectorCache,
    queryCacheSize = 1000,
  ) {
    this.#queries = new LruCache(queryCacheSize)
  }

  get size(): number {
    return this.index.size
  }

  #numberOf(entryId: string): number {
    let n = this.#entryNo.get(entryId)
    if (n === undefined) {
      n = this.#entryIds.push(entryId) - 1
      this.#entryNo.set(entryId, n)
    }
    return n
  }

  /** Vectors for the passages of these entries: cached ones reused, the rest embedded in batches. */
  async upsert(
    items: readonly { entry: Entry; passages: readonly Passage[] }[],
    onProgress?: (p: VectorSyncProgress) => void,
  ): Promise<void> {
    const todo: { passage: Passage; key: string }[] = []
    for (const { entry, passages } of items) {
      this.remove([entry.id])
      if (!DENSE_KINDS.has(entry.kind)) continue
      this.#passagesOf.set(
        entry.id,
        passages.map((p) => p.id),
      )
      const group = this.#numberOf(entry.id)
      for (const p of passages) {
        this.#entryOf.set(p.id, entry.id)
        const key = textKey(p.text)
        const cached = this.cache.get(key)
        if (cached && (this.index.dimensions === 0 || cached.length === this.index.dimensions)) {
          this.index.upsert(p.id, cached, group)
          this.stats.reused++
        } else todo.push({ passage: p, key })
      }
    }
    for (let i = 0; i < todo.length; i += EMBED_BATCH) {
      const batch = todo.slice(i, i + EMBED_BATCH)
      const vectors = await this.embedder.embed(batch.map((t) => t.passage.text))
      batch.forEach((t, j) => {
        const v = vectors[j] as Float32Array
        // An entry removed while its batch was embedding must not come back.
        const entryId = this.#entryOf.get(t.passage.id)
        if (entryId === undefined) return
        this.index.upsert(t.passage.id, v, this.#numberOf(entryId))
        this.cache.set(t.key, v)
      })
      this.stats.embedded += batch.length
      onProgress?.({ done: Math.min(i + EMBED_BATCH, todo.length), total: todo.length })
    }
  }

  /**
   * Vectors for passages without indexing them here (the Elasticsearch backend stores them in the engine):
   * cached ones reused, the rest embedded and cached.
   */
  async vectorsFor(
    passages: readonly Passage[],
    onProgress?: (p: VectorSyncProgress) => void,
  ): Promise<Float32Array[]> {
    const out = new Array<Float32Array | undefined>(passages.length)
    const todo: number[] = []
    passages.forEach((p, i) => {
      const v = this.cache.get(textKey(p.text))
      if (v) {
        out[i] = v
        this.stats.reused++
      } else todo.push(i)
    })
    for (let i = 0; i < todo.length; i += EMBED_BATCH) {
      const batch = todo.slice(i, i + EMBED_BATCH)
      const vectors = await this.embedder.embed(batch.map((j) => (passages[j] as Passage).text))
      batch.forEach((j, k) => {
        out[j] = vectors[k] as Float32Array
        this.cache.set(textKey((passages[j] as Passage).text), vectors[k] as Float32Array)
      })
      this.stats.embedded += batch.length
      onProgress?.({ done: Math.min(i + EMBED_BATCH, todo.length), total: todo.length })
    }
    return out as Float32Array[]
  }

  clear(): void {
    this.remove([...this.#passagesOf.keys()])
  }

  remove(entryIds: readonly string[]): void {
    for (const id of entryIds) {
      for (const pid of this.#passagesOf.get(id) ?? []) {
        this.index.remove(pid)
        this.#entryOf.delete(pid)
      }
      this.#passagesOf.delete(id)
    }
  }

  /**
   * The query's vector, from the LRU when asked before (a hotline hears the same questions all day). Requests
   * asking the same new question at once share one model call: without that, 50 concurrent clients asking it
   * ran the model 50 times (each a cache miss until the first finished), ~10 % of the chat bench's CPU.
   */
  queryVector(query: string): Promise<Float32Array> {
    const hit = this.#queries.get(query)
    if (hit) {
      this.stats.queryHits++
      return Promise.resolve(hit)
    }
    const flying = this.#inFlight.get(query)
    if (flying) {
      this.stats.queryHits++
      return flying
    }
    this.stats.queryMisses++
    const p = this.#embedQuery(query).finally(() => this.#inFlight.delete(query))
    this.#inFlight.set(query, p)
    return p
  }

  async #embedQuery(query: string): Promise<Float32Array> {
    // No query instruction: bge's 「为这个句子生成表示以用于检索相关文章：」 lowered hybrid hit@5 on dev (0.880 → 0.866).
    const [v] = await this.embedder.embed([query])
    if (!v) throw new Error('embedder returned no vector')
    this.#queries.set(query, v)
    return v
  }

  /** Entries whose closest passage is nearest the query, among entries `accept` lets through. */
  search(query: Float32Array, limit: number, accept: (entryId: string) => boolean): DenseEntryScore[] {
    return this.searchMany([query], limit, accept)[0] as DenseEntryScore[]
  }

  /** search() of each query (the same lists), in one pass over the passage vectors per two queries. */
  searchMany(
    queries: readonly Float32Array[],
    limit: number,
    accept: (entryId: string) => boolean,
  ): DenseEntryScore[][] {
    if (this.index.size === 0 || limit <= 0) return queries.map(() => [])
    // accept() once per entry (for all the queries): 0 not asked yet, 1 accepted, 2 refused
    const verdict = new Uint8Array(this.#entryIds.length)
    const entryIds = this.#entryIds
    const ok = (group: number) => {
      if (group < 0) return false
      let v = verdict[group] as number
      if (v === 0) {
        v = accept(entryIds[group] as string) ? 1 : 2
        verdict[group] = v
      }
      return v === 1
    }
    return this.index.searchMany(queries, limit * PASSAGE_DEPTH_FACTOR, undefined, ok).map((passages) =>
      aggregatePassages(
        passages.map((p) => ({ ...p, entryId: this.#entryOf.get(p.id) as string })),
        limit,
      ),
    )
  }

  /** [text key, vector] of every indexed passage (to ship the bundled corpus's vectors). */
  rows(passages: (entryId: string) => readonly Passage[]): [string, Float32Array][] {
    const out: [string, Float32Array][] = []
    for (const entryId of this.#passagesOf.keys()) {
      for (const p of passages(entryId)) {
        const key = textKey(p.text)
        const v = this.cache.get(key)
        if (v) out.push([key, v])
      }
    }
    return out
  }

  /** Every passage key now indexed (to prune the persisted cache). */
  liveKeys(passages: (entryId: string) => readonly Passage[]): Set<string> {
    const keys = new Set<string>()
    for (const entryId of this.#passagesOf.keys()) for (const p of passages(entryId)) keys.add(textKey(p.text))
    return keys
  }
}
