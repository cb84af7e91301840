/**
 * In-memory BM25F inverted index with top-k retrieval that does not score every posting.
 *
 * - Each posting stores the field-weighted, length-normalised term frequency (BM25F "tf~") computed when the
 *   document is added, so a query only needs idf × tf~ / (k1 + tf~).
 * - Multi-term queries use MaxScore (Turtle & Flood): terms whose best possible contribution cannot lift a
 *   document into the current top k are not iterated, only probed for candidates found by the others.
 * - Single-term queries walk the posting list in impact order and stop after k accepted documents.
 * - Deletions are tombstones; postings are compacted when a quarter of the documents are dead.
 * Pure data structure: no I/O, no analysis. Filters arrive as an `accept(internalId)` predicate.
 */

export const FIELDS = ['title', 'question', 'tags', 'body'] as const
export type Field = (typeof FIELDS)[number]
export type FieldTokens = Partial<Record<Field, readonly string[]>>

export interface Bm25Params {
  k1: number
  b: number
  boosts: Record<Field, number>
}

// b = 0.5 rather than the textbook 0.75: statute articles vary from one line to a page, and the long ones
// are not less relevant for being long (measured on eval/datasets/retrieval.jsonl: recall@5 +0.03).
export const DEFAULT_PARAMS: Bm25Params = { k1: 1.2, b: 0.5, boosts: { title: 3, question: 3, tags: 1.5, body: 1 } }

class PostingList {
  docs: Int32Array
  tfn: Float32Array
  length = 0
  maxTfn = 0
  /** Indices into docs/tfn sorted by tfn descending; rebuilt lazily after changes. */
  private order: Int32Array | null = null

  constructor(capacity = 4) {
    this.docs = new Int32Array(capacity)
    this.tfn = new Float32Array(capacity)
  }

  push(doc: number, tfn: number): void {
    if (this.length === this.docs.length) {
      const cap = this.docs.length * 2
      const d = new Int32Array(cap)
      d.set(this.docs)
      const t = new Float32Array(cap)
      t.set(this.tfn)
      this.docs = d
      this.tfn = t
    }
    this.docs[this.length] = doc
    this.tfn[this.length] = tfn
    this.length++
    if (tfn > this.maxTfn) this.maxTfn = tfn
    this.order = null
  }

  impactOrder(): Int32Array {
    if (this.order === null) {
      const o = new Int32Array(this.length)
      for (let i = 0; i < this.length; i++) o[i] = i
      const tfn = this.tfn
      o.sort((a, b) => tfn[b]! - tfn[a]! || a - b)
      this.order = o
    }
    return this.order
  }

  /** Smallest index ≥ from whose doc ≥ target (galloping then binary search). */
  seek(from: number, target: number): number {
    const docs = this.docs
    const n = this.length
    if (from >= n || docs[from]! >= target) return from
    let step = 1
    let lo = from
    let hi = from + 1
    while (hi < n && docs[hi]! < target) {
      lo = hi
      step *= 2
      hi = from + step
    }
    if (hi > n) hi = n
    while (lo < hi) {
      const mid = (lo + hi) >>> 1
      if (docs[mid]! < target) lo = mid + 1
      else hi = mid
    }
    return lo
  }

  retain(alive: (doc: number) => boolean): void {
    let w = 0
    let max = 0
    for (let r = 0; r < this.length; r++) {
      const d = this.docs[r]!
      if (!alive(d)) continue
      this.docs[w] = d
      this.tfn[w] = this.tfn[r]!
      if (this.tfn[w]! > max) max = this.tfn[w]!
      w++
    }
    this.length = w
    this.maxTfn = max
    this.order = null
  }

  toJSON(): { docs: Int32Array; tfn: Float32Array; maxTfn: number } {
    return { docs: this.docs.slice(0, this.length), tfn: this.tfn.slice(0, this.length), maxTfn: this.maxTfn }
  }

  static from(data: { docs: Int32Array; tfn: Float32Array; maxTfn: number }): PostingList {
    const p = new PostingList(0)
    p.docs = data.docs
    p.tfn = data.tfn
    p.length = data.docs.length
    p.maxTfn = data.maxTfn
    return p
  }
}

export interface ScoredDoc {
  internal: number
  id: string
  score: number
}

export interface Bm25Snapshot {
  params: Bm25Params
  ids: (string | null)[]
  fieldLenSum: number[]
  fieldLens: (number[] | null)[]
  groups: (string | null)[]
  groupStats: [string, { sum: number[]; count: number }][]
  live: number
  terms: [string, { docs: Int32Array; tfn: Float32Array; maxTfn: number }][]
}

export class Bm25Index {
  private ids: (string | null)[] = []
  private fieldLens: (number[] | null)[] = []
  private readonly idToInternal = new Map<string, number>()
  private readonly postings = new Map<string, PostingList>()
  private fieldLenSum: number[] = FIELDS.map(() => 0)
  /** Group of each internal doc (e.g. its kind) and per-group length sums: a statute article is
   *  length-normalised against other articles, not against 3,000-character case reports. */
  private groups: (string | null)[] = []
  private groupStats = new Map<string, { sum: number[]; count: number }>()
  private live = 0
  private dead = 0

  constructor(readonly params: Bm25Params = DEFAULT_PARAMS) {}

  get size(): number {
    return this.live
  }

  /** Internal ids grow monotonically, so postings stay sorted by doc without re-sorting. */
  get capacity(): number {
    return this.ids.length
  }

  has(id: string): boolean {
    return this.idToInternal.has(id)
  }

  internalOf(id: string): number | undefined {
    return this.idToInternal.get(id)
  }

  idOf(internal: number): string | null {
    return this.ids[internal] ?? null
  }

  docFrequency(term: string): number {
    return this.postings.get(term)?.length ?? 0
  }

  /** Adds or replaces documents. Average field lengths are updated before scoring the batch. */
  addMany(docs: readonly { id: string; fields: FieldTokens; group?: string }[]): number[] {
    for (const d of docs) if (this.idToInternal.has(d.id)) this.remove(d.id)
    const lens = docs.map((d) => FIELDS.map((f) => d.fields[f]?.length ?? 0))
    lens.forEach((l, di) => {
      l.forEach((n, i) => (this.fieldLenSum[i]! += n))
      const g = this.statsOf(docs[di]!.group ?? '')
      l.forEach((n, i) => (g.sum[i]! += n))
      g.count++
    })
    this.live += docs.length
    const { k1: _k1, b, boosts } = this.params
    const internals: number[] = []
    docs.forEach((d, di) => {
      const g = this.statsOf(d.group ?? '')
      const avg = g.sum.map((s) => Math.max(s / Math.max(g.count, 1), 1))
      const internal = this.ids.length
      this.ids.push(d.id)
      this.groups.push(d.group ?? '')
      this.fieldLens.push(lens[di]!)
      this.idToInternal.set(d.id, internal)
      internals.push(internal)
      const tfn = new Map<string, number>()
      FIELDS.forEach((f, fi) => {
        const toks = d.fields[f]
        if (!toks || toks.length === 0) return
        const norm = boosts[f] / (1 - b + (b * toks.length) / avg[fi]!)
        for (const t of toks) tfn.set(t, (tfn.get(t) ?? 0) + norm)
      })
      for (const t of tfn.keys()) {
        let p = this.postings.get(t)
        if (!p) {
          p = new PostingList()
          this.postings.set(t, p)
        }
        p.push(internal, tfn.get(t)!)
      }
    })
    return internals
  }

  remove(id: string): boolean {
    const internal = this.idToInternal.get(id)
    if (internal === undefined) return false
    this.idToInternal.delete(id)
    this.ids[internal] = null
    const lens = this.fieldLens[internal]
    if (lens) {
      lens.forEach((n, i) => (this.fieldLenSum[i]! -= n))
      const g = this.groupStats.get(this.groups[internal] ?? '')
      if (g) {
        lens.forEach((n, i) => (g.sum[i]! -= n))
        g.count--
      }
    }
    this.fieldLens[internal] = null
    this.live--
    this.dead++
    // Postings keep the tombstoned doc until compaction; queries skip it via ids[internal] === null.
    if (this.dead > 64 && this.dead * 4 > this.ids.length) this.compact()
    return true
  }

  compact(): void {
    const alive = (d: number) => this.ids[d] !== null
    for (const [t, p] of this.postings) {
      p.retain(alive)
      if (p.length === 0) this.postings.delete(t)
    }
    this.dead = 0
  }

  private statsOf(group: string): { sum: number[]; count: number } {
    let g = this.groupStats.get(group)
    if (!g) {
      g = { sum: FIELDS.map(() => 0), count: 0 }
      this.groupStats.set(group, g)
    }
    return g
  }

  private idf(df: number): number {
    const n = this.live
    return Math.log(1 + (n - df + 0.5) / (df + 0.5))
  }

  /**
   * Top-k documents for weighted query terms. `accept` filters internal ids (kind, region, dates…); it is
   * called only for candidates, never for every document.
   */
  search(weights: ReadonlyMap<string, number>, k: number, accept?: (internal: number) => boolean): ScoredDoc[] {
    if (k <= 0 || this.live === 0) return []
    const k1 = this.params.k1
    const terms: { p: PostingList; w: number; max: number }[] = []
    for (const [t, qw] of weights) {
      const p = this.postings.get(t)
      if (!p || p.length === 0) continue
      const w = qw * this.idf(p.length)
      if (w <= 0) continue
      terms.push({ p, w, max: (w * p.maxTfn) / (k1 + p.maxTfn) })
    }
    if (terms.length === 0) return []
    const ok = (d: number) => this.ids[d] !== null && (accept === undefined || accept(d))
    const heap = new TopK(k)
    if (terms.length === 1) {
      const { p, w } = terms[0]!
      const order = p.impactOrder()
      for (let i = 0; i < order.length && !heap.full(); i++) {
        const idx = order[i]!
        const d = p.docs[idx]!
        if (!ok(d)) continue
        const tf = p.tfn[idx]!
        heap.push(d, (w * tf) / (k1 + tf))
      }
      return this.materialize(heap)
    }
    terms.sort((a, b) => a.max - b.max)
    const n = terms.length
    const prefix = new Float64Array(n)
    let acc = 0
    for (let i = 0; i < n; i++) prefix[i] = acc += terms[i]!.max
    const pos = new Int32Array(n)
    let firstEssential = 0
    for (;;) {
      let cand = 0x7fffffff
      for (let i = firstEssential; i < n; i++) {
        const t = terms[i]!
        if (pos[i]! < t.p.length) {
          const d = t.p.docs[pos[i]!]!
          if (d < cand) cand = d
        }
      }
      if (cand === 0x7fffffff) break
      let score = 0
      for (let i = firstEssential; i < n; i++) {
        const t = terms[i]!
        const at = pos[i]!
        if (at < t.p.length && t.p.docs[at] === cand) {
          const tf = t.p.tfn[at]!
          score += (t.w * tf) / (k1 + tf)
          pos[i] = at + 1
        }
      }
      if (!ok(cand)) continue
      const threshold = heap.threshold()
      for (let i = firstEssential - 1; i >= 0; i--) {
        if (score + prefix[i]! <= threshold) break
        const t = terms[i]!
        const at = t.p.seek(pos[i]!, cand)
        pos[i] = at
        if (at < t.p.length && t.p.docs[at] === cand) {
          const tf = t.p.tfn[at]!
          score += (t.w * tf) / (k1 + tf)
        }
      }
      if (heap.push(cand, score)) {
        const th = heap.threshold()
        while (firstEssential < n && prefix[firstEssential]! <= th) firstEssential++
        if (firstEssential >= n) break
      }
    }
    return this.materialize(heap)
  }

  private materialize(heap: TopK): ScoredDoc[] {
    return heap.sorted().map(([internal, score]) => ({ internal, id: this.ids[internal]!, score }))
  }

  /** Exhaustive scoring of every posting: the naive baseline for benchmarks and for testing MaxScore. */
  searchExhaustive(
    weights: ReadonlyMap<string, number>,
    k: number,
    accept?: (internal: number) => boolean,
  ): ScoredDoc[] {
    const k1 = this.params.k1
    const scores = new Map<number, number>()
    for (const [t, qw] of weights) {
      const p = this.postings.get(t)
      if (!p) continue
      const w = qw * this.idf(p.length)
      if (w <= 0) continue
      for (let i = 0; i < p.length; i++) {
        const d = p.docs[i]!
        if (this.ids[d] === null) continue
        const tf = p.tfn[i]!
        scores.set(d, (scores.get(d) ?? 0) + (w * tf) / (k1 + tf))
      }
    }
    const heap = new TopK(k)
    for (const [d, s] of scores) if (accept === undefined || accept(d)) heap.push(d, s)
    return this.materialize(heap)
  }

  snapshot(): Bm25Snapshot {
    this.compact()
    return {
      params: this.params,
      ids: this.ids,
      fieldLenSum: this.fieldLenSum,
      fieldLens: this.fieldLens,
      groups: this.groups,
      groupStats: [...this.groupStats],
      live: this.live,
      terms: [...this.postings].map(([t, p]) => [t, p.toJSON()]),
    }
  }

  static restore(s: Bm25Snapshot): Bm25Index {
    const idx = new Bm25Index(s.params)
    idx.ids = s.ids
    idx.fieldLens = s.fieldLens
    idx.fieldLenSum = s.fieldLenSum
    idx.groups = s.groups
    idx.groupStats = new Map(s.groupStats)
    idx.live = s.live
    s.ids.forEach((id, i) => {
      if (id !== null) idx.idToInternal.set(id, i)
    })
    for (const [t, p] of s.terms) idx.postings.set(t, PostingList.from(p))
    return idx
  }
}

/** Bounded min-heap of (doc, score); ties keep the lower internal id (earlier document) first. */
class TopK {
  private readonly docs: number[] = []
  private readonly scores: number[] = []

  constructor(private readonly k: number) {}

  full(): boolean {
    return this.docs.length >= this.k
  }

  threshold(): number {
    return this.docs.length < this.k ? 0 : this.scores[0]!
  }

  /** Returns true when the document entered the top k. */
  push(doc: number, score: number): boolean {
    if (this.docs.length < this.k) {
      this.docs.push(doc)
      this.scores.push(score)
      this.up(this.docs.length - 1)
      return true
    }
    if (!this.better(doc, score, 0)) return false
    this.docs[0] = doc
    this.scores[0] = score
    this.down(0)
    return true
  }

  /** Whether (doc, score) ranks above the heap entry at i. */
  private better(doc: number, score: number, i: number): boolean {
    const s = this.scores[i]!
    return score > s || (score === s && doc < this.docs[i]!)
  }

  private swap(i: number, j: number): void {
    ;[this.docs[i], this.docs[j]] = [this.docs[j]!, this.docs[i]!]
    ;[this.scores[i], this.scores[j]] = [this.scores[j]!, this.scores[i]!]
  }

  private up(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!this.better(this.docs[parent]!, this.scores[parent]!, i)) break
      this.swap(i, parent)
      i = parent
    }
  }

  private down(i: number): void {
    const n = this.docs.length
    for (;;) {
      const l = 2 * i + 1
      const r = l + 1
      let m = i
      if (l < n && this.better(this.docs[m]!, this.scores[m]!, l)) m = l
      if (r < n && this.better(this.docs[m]!, this.scores[m]!, r)) m = r
      if (m === i) break
      this.swap(i, m)
      i = m
    }
  }

  sorted(): [number, number][] {
    return this.docs.map((d, i) => [d, this.scores[i]!] as [number, number]).sort((a, b) => b[1] - a[1] || a[0] - b[0])
  }
}
