/**
 * Passage-level dense evidence for the opening sentence: the cosine of each candidate passage (as the answer
 * layer cuts it) to the question. The few best lexical candidates are embedded with the question in one batch;
 * every text's vector is kept in an LRU, so a question asked again, or a passage that was a candidate before
 * (the same few articles answer most questions), costs no model call. Without an embedder (BM25 only) or when
 * embedding fails, there is no closeness and the lexical ranking stands alone.
 */
import { LruCache, type Embedder } from '../search/embedder.js'

/** Texts (questions and passages) whose vectors are kept: 512 floats each, ≈ 8 MB at 4,096. */
const CACHE_TEXTS = 4096

export class PassageCloseness {
  readonly #cache = new LruCache<string, Float32Array>(CACHE_TEXTS)
  readonly stats = { embedded: 0, reused: 0 }

  constructor(private readonly embedder: Embedder | undefined) {}

  get enabled(): boolean {
    return this.embedder !== undefined && this.embedder.name !== 'none'
  }

  /** Cosine of each distinct text to the question; undefined when closeness is unavailable. */
  async of(question: string, texts: readonly string[]): Promise<Map<string, number> | undefined> {
    const embedder = this.embedder
    if (!embedder || !this.enabled || texts.length === 0) return undefined
    const wanted = [...new Set([question, ...texts])]
    const missing = wanted.filter((t) => this.#cache.get(t) === undefined)
    try {
      if (missing.length > 0) {
        const vectors = await embedder.embed(missing)
        missing.forEach((t, i) => {
          const v = vectors[i]
          if (v) this.#cache.set(t, v)
        })
      }
    } catch {
      return undefined
    }
    this.stats.embedded += missing.length
    this.stats.reused += wanted.length - missing.length
    const q = this.#cache.get(question)
    if (!q) return undefined
    const out = new Map<string, number>()
    for (const t of texts) {
      const v = this.#cache.get(t)
      if (v) out.set(t, dot(q, v))
    }
    return out
  }
}

/** Cosine of two unit vectors. */
function dot(a: Float32Array, b: Float32Array): number {
  let s = 0
  for (let i = 0; i < a.length; i++) s += (a[i] as number) * (b[i] as number)
  return s
}
