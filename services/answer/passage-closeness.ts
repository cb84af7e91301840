/**
 * Passage-level dense evidence for the opening sentence: the cosine of each candidate passage (as the answer
 * layer cuts it) to the question. No model call when it can be avoided: the question's vector comes from the
 * search backend's query LRU (the retriever has just embedded the same text), and a candidate inside one of
 * its entry's indexed passages (a 款, a 项 with its lead-in, a FAQ) takes that passage's stored vector. Only
 * texts found neither way (an entry added since, a model mismatch) are embedded, in one batch, and kept in an
 * LRU. Without an embedder (BM25 only), or when embedding fails, there is no closeness and the lexical
 * ranking stands alone.
 */
import type { Entry } from '../../knowledge/entry.js'
import { LruCache, type Embedder } from '../search/embedder.js'
import { splitPassages } from '../search/passages.js'
import { textKey } from '../search/vector-cache.js'

/** Texts (questions and passages) embedded here whose vectors are kept: 512 floats each, ≈ 8 MB at 4,096. */
const CACHE_TEXTS = 4096

/** What the search backend's dense side offers (PassageVectors): its query LRU and its passage vectors. */
export interface DenseLookup {
  queryVector(query: string): Promise<Float32Array>
  readonly cache: { get(key: string): Float32Array | undefined }
}

export interface Candidate {
  text: string
  entry: Entry
}

const squash = (t: string) => t.replace(/[\s，。；：、,.;:（）()「」]/g, '')

export class PassageCloseness {
  readonly #cache = new LruCache<string, Float32Array>(CACHE_TEXTS)
  readonly stats = { embedded: 0, stored: 0 }

  constructor(
    private readonly embedder: Embedder | undefined,
    private readonly index: DenseLookup | null = null,
  ) {}

  get enabled(): boolean {
    return this.embedder !== undefined && this.embedder.name !== 'none'
  }

  /**
   * Cosine of each distinct candidate text to the question; undefined when closeness is unavailable. `stored`:
   * candidates that are scored only when their indexed passage's vector is stored (never embedded here).
   */
  async of(
    question: string,
    candidates: readonly (Candidate | string)[],
    stored: readonly Candidate[] = [],
  ): Promise<Map<string, number> | undefined> {
    const embedder = this.embedder
    if (!embedder || !this.enabled || candidates.length === 0) return undefined
    const vectors = new Map<string, Float32Array>()
    const missing: string[] = []
    // an entry's indexed passages with their stored vectors, read once per call (many candidates share an entry)
    const split: IndexedPassages = new Map()
    const q = await this.#question(question)
    if (q) vectors.set(question, q)
    else missing.push(question)
    for (const c of candidates) {
      const text = typeof c === 'string' ? c : c.text
      if (vectors.has(text) || missing.includes(text)) continue
      const v = (typeof c === 'string' ? undefined : this.#stored(c, split)) ?? this.#cache.get(text)
      if (v) vectors.set(text, v)
      else missing.push(text)
    }
    try {
      if (missing.length > 0) {
        const fresh = await embedder.embed(missing)
        missing.forEach((t, i) => {
          const v = fresh[i]
          if (!v) return
          this.#cache.set(t, v)
          vectors.set(t, v)
        })
      }
    } catch {
      return undefined
    }
    this.stats.embedded += missing.length
    const qv = vectors.get(question)
    if (!qv) return undefined
    const out = new Map<string, number>()
    const asked = new Set(candidates.map((c) => (typeof c === 'string' ? c : c.text)))
    for (const [t, v] of vectors) if (asked.has(t)) out.set(t, dot(qv, v))
    for (const c of stored) {
      if (out.has(c.text)) continue
      const v = this.#stored(c, split)
      if (v) out.set(c.text, dot(qv, v))
    }
    return out
  }

  async #question(question: string): Promise<Float32Array | undefined> {
    if (!this.index) return this.#cache.get(question)
    try {
      return await this.index.queryVector(question)
    } catch {
      return undefined
    }
  }

  /** The stored vector of the smallest indexed passage of the candidate's entry that contains it. */
  #stored(c: Candidate, split: IndexedPassages): Float32Array | undefined {
    const index = this.index
    if (!index) return undefined
    const mine = squash(c.text)
    let passages = split.get(c.entry.id)
    if (!passages) {
      passages = []
      for (const p of splitPassages(c.entry)) {
        const v = index.cache.get(textKey(p.text))
        if (v) passages.push({ squashed: squash(p.text), v })
      }
      split.set(c.entry.id, passages)
    }
    let best: { squashed: string; v: Float32Array } | undefined
    for (const p of passages)
      if (p.squashed.includes(mine) && (!best || p.squashed.length < best.squashed.length)) best = p
    if (best) this.stats.stored++
    return best?.v
  }
}

/** An entry's indexed passages that have a stored vector, their text squashed for containment, by entry id. */
type IndexedPassages = Map<string, { squashed: string; v: Float32Array }[]>

/** Cosine of two unit vectors. */
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}
