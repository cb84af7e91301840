/**
 * Pure pieces of hybrid retrieval: Reciprocal Rank Fusion of several ranked lists (BM25 + vectors) and an
 * in-memory cosine top-k index for the embedded backend's optional vector side. No I/O, no model.
 */
import { WasmRows } from './wasm/wasm-rows.js'

export interface Ranked {
  id: string
}

export interface Scored {
  id: string
  score: number
}

/**
 * Reciprocal Rank Fusion (Cormack, Clarke & Büttcher 2009): score(d) = Σ over lists of 1 / (k + rank),
 * rank 1-based. Only ranks matter, so BM25 scores and cosine similarities need no common scale.
 * An id repeated inside one list counts once, at its best rank. Ties keep the order in which ids were
 * first seen (earlier lists first), so the result is deterministic.
 */
export function rrf(lists: readonly (readonly Ranked[])[], k = 60): Scored[] {
  if (!(k >= 0) || !Number.isFinite(k)) throw new RangeError(`rrf: k must be a finite number ≥ 0, got ${k}`)
  const scores = new Map<string, number>()
  for (const list of lists) {
    const seen = new Set<string>()
    list.forEach((item, i) => {
      if (seen.has(item.id)) return
      seen.add(item.id)
      scores.set(item.id, (scores.get(item.id) ?? 0) + 1 / (k + i + 1))
    })
  }
  // Array.prototype.sort is stable: equal scores stay in first-seen order.
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score)
}

/** Returns a unit-length copy (all zeros stays all zeros, so cosine with it is 0, never NaN). */
export function l2Normalize(vector: ArrayLike<number>): Float32Array {
  let sum = 0
  for (let i = 0; i < vector.length; i++) sum += (vector[i] as number) ** 2
  const out = new Float32Array(vector.length)
  if (sum === 0) return out
  const inv = 1 / Math.sqrt(sum)
  for (let i = 0; i < vector.length; i++) out[i] = (vector[i] as number) * inv
  return out
}

/**
 * l2Normalize of a Float32Array written into `out` at `offset`: the same arithmetic without allocating, and
 * monomorphic (start-up normalises every passage vector; the allocating, polymorphic form cost ~0.3 s there).
 */
export function l2NormalizeInto(vector: Float32Array, out: Float32Array, offset = 0): void {
  const n = vector.length
  let sum = 0
  // x * x, not x ** 2: the same double (V8's pow returns x * x for y = 2) without a call per element.
  for (let i = 0; i < n; i++) {
    const x = vector[i] as number
    sum += x * x
  }
  if (sum === 0) {
    out.fill(0, offset, offset + n)
    return
  }
  const inv = 1 / Math.sqrt(sum)
  for (let i = 0; i < n; i++) out[offset + i] = (vector[i] as number) * inv
}

/**
 * Exact cosine top-k over Float32Array vectors. Vectors are stored normalised in one flat buffer
 * (removal swaps the last row in), so a search is one pass of dot products plus a size-k min-heap.
 * Exact scan is the right size for a knowledge base of a few thousand entries; it needs no tuning and
 * never misses a neighbour.
 */
export class VectorIndex {
  #dimensions: number
  /** The rows in WebAssembly memory with the SIMD scan, when the size allows it (a multiple of 4: every real model). */
  #rows: WasmRows | null = null
  /** Rows in a plain buffer otherwise (tiny test models). */
  #plain = new Float32Array(0)
  #ids: string[] = []
  /** A small integer per row chosen by the caller (PassageVectors: its entry), -1 when none; see search(). */
  #groups: number[] = []
  #slot = new Map<string, number>()

  /** `dimensions` 0 = taken from the first upserted vector. */
  constructor(dimensions = 0) {
    if (!Number.isInteger(dimensions) || dimensions < 0)
      throw new RangeError(`VectorIndex: dimensions must be an integer ≥ 0, got ${dimensions}`)
    this.#dimensions = dimensions
  }

  get dimensions(): number {
    return this.#dimensions
  }

  get size(): number {
    return this.#ids.length
  }

  has(id: string): boolean {
    return this.#slot.has(id)
  }

  upsert(id: string, vector: Float32Array, group = -1): void {
    if (this.#dimensions === 0) {
      if (vector.length === 0) throw new RangeError('VectorIndex: empty vector')
      this.#dimensions = vector.length
    }
    const dim = this.#dimensions
    if (vector.length !== dim)
      throw new RangeError(`VectorIndex: vector for "${id}" has ${vector.length} dimensions, index has ${dim}`)
    let slot = this.#slot.get(id)
    if (slot === undefined) {
      slot = this.#ids.length
      if (WasmRows.supports(dim)) {
        this.#rows ??= new WasmRows(dim)
        this.#rows.ensure(slot + 1)
      } else if ((slot + 1) * dim > this.#plain.length) {
        const grown = new Float32Array(Math.max(dim * 16, this.#plain.length * 2))
        grown.set(this.#plain)
        this.#plain = grown
      }
      this.#ids.push(id)
      this.#groups.push(group)
      this.#slot.set(id, slot)
    } else this.#groups[slot] = group
    l2NormalizeInto(vector, this.#data, slot * dim)
  }

  get #data(): Float32Array {
    return this.#rows ? this.#rows.data : this.#plain
  }

  remove(id: string): boolean {
    const slot = this.#slot.get(id)
    if (slot === undefined) return false
    const dim = this.#dimensions
    const last = this.#ids.length - 1
    if (slot !== last) {
      const lastId = this.#ids[last] as string
      this.#data.copyWithin(slot * dim, last * dim, (last + 1) * dim)
      this.#ids[slot] = lastId
      this.#groups[slot] = this.#groups[last] as number
      this.#slot.set(lastId, slot)
    }
    this.#ids.pop()
    this.#groups.pop()
    this.#slot.delete(id)
    return true
  }

  /**
   * The k stored vectors most similar to `query` (cosine, highest first; ties by id). `accept` filters
   * ids before they compete for the top k, so a filter never leaves the result short while other
   * vectors qualify. `acceptGroup`, when given, filters by the rows' groups instead (an array read per
   * candidate instead of a look-up by id: with a selective filter most rows are candidates).
   */
  search(
    query: Float32Array,
    k: number,
    accept?: (id: string) => boolean,
    acceptGroup?: (group: number) => boolean,
  ): Scored[] {
    return this.searchMany([query], k, accept, acceptGroup)[0] as Scored[]
  }

  /**
   * search() of each query, the same results; with WebAssembly rows two queries share one pass over the rows (the
   * scan reads every stored vector, so a question searched with its expanded form costs one read, not two).
   */
  searchMany(
    queries: readonly Float32Array[],
    k: number,
    accept?: (id: string) => boolean,
    acceptGroup?: (group: number) => boolean,
  ): Scored[][] {
    if (k <= 0 || this.#ids.length === 0) return queries.map(() => [])
    const dim = this.#dimensions
    for (const query of queries)
      if (query.length !== dim)
        throw new RangeError(`VectorIndex: query has ${query.length} dimensions, index has ${dim}`)
    const qs = queries.map((query) => l2Normalize(query))
    const n = this.#ids.length
    const out: Scored[][] = []
    for (let i = 0; i < qs.length; i++) {
      const q = qs[i] as Float32Array
      const q2 = qs[i + 1]
      if (this.#rows && q2) {
        const [a, b] = this.#rows.scores2(q, q2, n)
        out.push(this.#top(a, k, accept, acceptGroup), this.#top(b, k, accept, acceptGroup))
        i++
      } else {
        const scores = this.#rows ? this.#rows.scores(q, n) : dotProducts(q, this.#plain, n, this.#dimensions)
        out.push(this.#top(scores, k, accept, acceptGroup))
      }
    }
    return out
  }

  #top(
    scores: Float64Array,
    k: number,
    accept?: (id: string) => boolean,
    acceptGroup?: (group: number) => boolean,
  ): Scored[] {
    const heap = new MinHeap(k)
    const ids = this.#ids
    const groups = this.#groups
    const n = ids.length
    // The filter runs only for a vector that would enter the top k, so a selective filter costs no lookup per vector.
    // `floor`: below the worst kept score nothing can enter (a tie still can, by id), so most rows are one comparison.
    let floor = Number.NEGATIVE_INFINITY
    for (let s = 0; s < n; s++) {
      const dot = scores[s] as number
      if (dot < floor) continue
      const id = ids[s] as string
      if (!heap.wouldKeep(id, dot)) continue
      if (acceptGroup ? !acceptGroup(groups[s] as number) : accept && !accept(id)) continue
      heap.offer(id, dot)
      floor = heap.floor
    }
    return heap.sortedDescending()
  }
}

/**
 * `q` · each of the first `n` rows of `data`, in double. The reference arithmetic: four accumulators by index mod 4
 * (they let V8 pipeline the multiply-adds), summed as d0 + d1 + d2 + d3; wasm/dot-scan.wat computes exactly this.
 */
export function dotProducts(q: Float32Array, data: Float32Array, n: number, dim: number): Float64Array {
  const out = new Float64Array(n)
  const tail = dim - (dim % 4)
  for (let s = 0; s < n; s++) {
    const base = s * dim
    let d0 = 0
    let d1 = 0
    let d2 = 0
    let d3 = 0
    let i = 0
    for (; i < tail; i += 4) {
      d0 += (q[i] as number) * (data[base + i] as number)
      d1 += (q[i + 1] as number) * (data[base + i + 1] as number)
      d2 += (q[i + 2] as number) * (data[base + i + 2] as number)
      d3 += (q[i + 3] as number) * (data[base + i + 3] as number)
    }
    for (; i < dim; i++) d0 += (q[i] as number) * (data[base + i] as number)
    out[s] = d0 + d1 + d2 + d3
  }
  return out
}

/** Keeps the k best (score, id) pairs; the root is the worst kept one. Lower id wins ties. */
class MinHeap {
  readonly #items: Scored[] = []
  constructor(readonly capacity: number) {}

  /** a is worse than b */
  static #worse(a: Scored, b: Scored): boolean {
    return a.score < b.score || (a.score === b.score && a.id > b.id)
  }

  /** The worst kept score once full (a lower one cannot enter), -Infinity before. */
  get floor(): number {
    return this.#items.length < this.capacity ? Number.NEGATIVE_INFINITY : (this.#items[0] as Scored).score
  }

  /** Whether offer(id, score) would change the kept set (cheap: one comparison with the worst kept). */
  wouldKeep(id: string, score: number): boolean {
    const items = this.#items
    if (items.length < this.capacity) return true
    const root = items[0] as Scored
    return score > root.score || (score === root.score && id < root.id)
  }

  offer(id: string, score: number): void {
    const items = this.#items
    if (items.length < this.capacity) {
      items.push({ id, score })
      let i = items.length - 1
      while (i > 0) {
        const p = (i - 1) >> 1
        if (!MinHeap.#worse(items[i] as Scored, items[p] as Scored)) break
        ;[items[i], items[p]] = [items[p] as Scored, items[i] as Scored]
        i = p
      }
      return
    }
    const root = items[0] as Scored
    if (!MinHeap.#worse(root, { id, score })) return
    items[0] = { id, score }
    let i = 0
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < items.length && MinHeap.#worse(items[l] as Scored, items[m] as Scored)) m = l
      if (r < items.length && MinHeap.#worse(items[r] as Scored, items[m] as Scored)) m = r
      if (m === i) break
      ;[items[i], items[m]] = [items[m] as Scored, items[i] as Scored]
      i = m
    }
  }

  sortedDescending(): Scored[] {
    return [...this.#items].sort((a, b) => (MinHeap.#worse(a, b) ? 1 : MinHeap.#worse(b, a) ? -1 : 0))
  }
}
