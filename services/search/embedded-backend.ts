/**
 * Embedded SearchBackend: jieba + BM25F in process memory, with a persisted snapshot (v8 serialisation of
 * the typed-array postings) so a restart does not re-tokenize the corpus; plus, with an Embedder, passage
 * vectors (passage-vectors.ts) searched under the same filters and fused with BM25 by RRF.
 */
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import type { Entry, EntryKind, EntryStatus, Layer } from '../../knowledge/entry.js'
import { isIndexed } from '../../knowledge/policy-info.js'
import type { Analyzer } from './analyzer.js'
import { Bm25Index, type Bm25Snapshot, type FieldTokens } from './bm25-index.js'
import {
  applyLayerBoost,
  askedScopes,
  bestPassageByTerms,
  denseQueryTexts,
  fuseRankings,
  FUSION_DEPTH,
  mergeDenseLists,
  outOfDenseScope,
  rankFor,
  scoreFor,
  type EntryScore,
  type FuseOptions,
} from './hybrid-fusion.js'
import type { Passage } from './passages.js'
import { PassageTable, type PassageVectors, type VectorSyncProgress } from './passage-vectors.js'
import type {
  PassageRef,
  RegionLineage,
  SearchBackend,
  SearchHit,
  SearchOptions,
  SearchFilters,
} from './search-backend.js'
import { makeSnippet } from './snippet.js'
import { entryFieldTokens, entryOwnText, FIELD_TOKENS_VERSION, scopeTokensOf } from './entry-fields.js'

interface DocMeta {
  kind: EntryKind
  status: EntryStatus
  layer: Layer
  regionCode: string | null
  effectiveFrom: string | null
  effectiveTo: string | null
  title: string
  text: string
  /** The entry's tax scope tokens (entry-fields.ts scopeTokensOf): the dense side's scope rule. */
  scopes: string[]
}

// 5: the BM25 part no longer carries each document's term list (it was never read; 424k strings, 10 MB held).
const SNAPSHOT_FORMAT = 5 + FIELD_TOKENS_VERSION * 100

interface SnapshotFile {
  format: number
  analyzer: string
  lexiconHash: string
  stamp: string
  index: Bm25Snapshot
  meta: (DocMeta | null)[]
}

export interface EmbeddedBackendOptions {
  analyzer: Analyzer
  lineage: RegionLineage
  lexiconHash: string
  snapshotFile?: string
  /** Vocabulary of the entries that cite an article (see citation-links.ts). */
  linkedText?: (id: string) => string
  /** The dense side; null/absent = BM25 only. */
  vectors?: PassageVectors | null
  /** Fusion parameters (RRF k, weights); defaults in hybrid-fusion.ts. */
  fusion?: FuseOptions
}

export class EmbeddedSearchBackend implements SearchBackend {
  readonly name = 'embedded'
  private index = new Bm25Index()
  private meta: (DocMeta | null)[] = []
  /** Passages of every indexed entry (not in the snapshot: rebuilt from the entries, see attachPassages). */
  private readonly passages = new PassageTable()

  constructor(private opts: EmbeddedBackendOptions) {}

  get dense(): boolean {
    return (this.opts.vectors?.size ?? 0) > 0
  }

  get vectors(): PassageVectors | null {
    return this.opts.vectors ?? null
  }

  /** The passages of an indexed entry, in reading order. */
  passagesOf(entryId: string): readonly Passage[] {
    return this.passages.of(entryId)
  }

  /**
   * Passages and vectors for entries whose BM25 side came from the snapshot (vectors from the cache; only
   * passages never embedded before reach the model).
   */
  async attachPassages(entries: readonly Entry[], onProgress?: (p: VectorSyncProgress) => void): Promise<void> {
    // the same entries as upsert() indexes: a whole policy document is searched as its clause entries only,
    // so a start from the snapshot must not give it passages (and embed them) either
    const items = entries.filter(isIndexed).map((entry) => ({ entry, passages: this.passages.set(entry) }))
    await this.opts.vectors?.upsert(items, onProgress)
  }

  get analyzer(): Analyzer {
    return this.opts.analyzer
  }

  /**
   * Swaps the analyzer after a lexicon edit and re-tokenizes the given entries, so new dictionary terms
   * and synonyms apply without a restart. The new index is built aside and swapped in one step.
   */
  async setAnalyzer(analyzer: Analyzer, lexiconHash: string, entries: readonly Entry[]): Promise<void> {
    const prev = { index: this.index, meta: this.meta, analyzer: this.opts.analyzer, hash: this.opts.lexiconHash }
    this.opts = { ...this.opts, analyzer, lexiconHash }
    try {
      // Vectors do not depend on the analyzer: only the BM25 side is rebuilt.
      const fresh = new EmbeddedSearchBackend({ ...this.opts, vectors: null })
      await fresh.upsert(entries)
      this.index = fresh.index
      this.meta = fresh.meta
    } catch (e) {
      this.opts = { ...this.opts, analyzer: prev.analyzer, lexiconHash: prev.hash }
      throw e
    }
  }

  /** Loads the snapshot when it matches `stamp`; returns false when the caller must rebuild. */
  tryLoadSnapshot(stamp: string): boolean {
    const file = this.opts.snapshotFile
    if (!file || !fs.existsSync(file)) return false
    try {
      const snap = v8.deserialize(fs.readFileSync(file)) as SnapshotFile
      if (
        snap.format !== SNAPSHOT_FORMAT ||
        snap.analyzer !== this.opts.analyzer.name ||
        snap.lexiconHash !== this.opts.lexiconHash ||
        snap.stamp !== stamp
      )
        return false
      this.index = Bm25Index.restore(snap.index)
      this.meta = snap.meta
      return true
    } catch {
      return false // a corrupt or foreign snapshot is simply rebuilt
    }
  }

  /** Writes the snapshot atomically (temp file, fsync, rename). */
  saveSnapshot(stamp: string): void {
    const file = this.opts.snapshotFile
    if (!file) return
    fs.mkdirSync(path.dirname(file), { recursive: true })
    const data: SnapshotFile = {
      format: SNAPSHOT_FORMAT,
      analyzer: this.opts.analyzer.name,
      lexiconHash: this.opts.lexiconHash,
      stamp,
      index: this.index.snapshot(),
      meta: this.meta,
    }
    const tmp = `${file}.${process.pid}.tmp`
    const fd = fs.openSync(tmp, 'w')
    try {
      fs.writeSync(fd, v8.serialize(data))
      fs.fsyncSync(fd)
    } finally {
      fs.closeSync(fd)
    }
    fs.renameSync(tmp, file)
  }

  /** Replaces the whole index (bulk build). */
  async rebuild(entries: readonly Entry[]): Promise<void> {
    this.index = new Bm25Index()
    this.meta = []
    this.opts.vectors?.clear()
    await this.upsert(entries)
  }

  private fieldTokens(e: Entry): FieldTokens {
    return entryFieldTokens(e, this.opts.analyzer, this.opts.linkedText?.(e.id) ?? '')
  }

  async upsert(all: readonly Entry[], onProgress?: (p: VectorSyncProgress) => void): Promise<void> {
    // policy documents are indexed as their clause passages only (knowledge/policy-info.ts)
    const entries = all.filter(isIndexed)
    const docs = entries.map((e) => ({ id: e.id, fields: this.fieldTokens(e), group: e.kind }))
    const internals = this.index.addMany(docs)
    entries.forEach((e, i) => {
      this.meta[internals[i]!] = {
        kind: e.kind,
        status: e.status,
        layer: e.layer,
        regionCode: e.regionCode,
        effectiveFrom: e.effectiveFrom,
        effectiveTo: e.effectiveTo,
        title: e.title,
        text: entryOwnText(e),
        scopes: scopeTokensOf(e, this.opts.analyzer),
      }
    })
    await this.attachPassages(entries, onProgress)
  }

  async remove(ids: readonly string[]): Promise<void> {
    this.opts.vectors?.remove(ids)
    for (const id of ids) {
      this.passages.delete(id)
      const internal = this.index.internalOf(id)
      if (internal !== undefined) this.meta[internal] = null
      this.index.remove(id)
    }
  }

  private acceptFor(filters: SearchFilters | undefined): ((internal: number) => boolean) | undefined {
    const accept = this.acceptMeta(filters)
    if (!accept) return undefined
    return (internal) => {
      const m = this.meta[internal]
      return m !== null && m !== undefined && accept(m)
    }
  }

  /** The filters as a predicate on an entry's metadata (shared by the BM25 and the dense side). */
  private acceptMeta(filters: SearchFilters | undefined): ((m: DocMeta) => boolean) | undefined {
    if (!filters) return undefined
    const asSet = <T>(v: T | T[] | undefined) => (v === undefined ? undefined : new Set(Array.isArray(v) ? v : [v]))
    const kinds = asSet(filters.kind)
    const layers = asSet(filters.layer)
    const statuses = asSet(filters.status)
    const lineage = filters.regionCode ? new Set(this.opts.lineage(filters.regionCode)) : undefined
    const at = filters.effectiveAt
    if (!kinds && !layers && !statuses && !lineage && !at) return undefined
    return (m) => {
      if (kinds && !kinds.has(m.kind)) return false
      if (layers && !layers.has(m.layer)) return false
      if (statuses && !statuses.has(m.status)) return false
      if (lineage && m.regionCode !== null && !lineage.has(m.regionCode)) return false
      if (at && ((m.effectiveFrom && at < m.effectiveFrom) || (m.effectiveTo && at >= m.effectiveTo))) return false
      return true
    }
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limit = options.limit ?? 10
    if (limit <= 0) return []
    const q = options.analysis ?? this.opts.analyzer.query(query, { synonyms: options.synonyms !== false })
    const vectors = this.dense ? this.opts.vectors : null
    const mode = vectors ? (options.mode ?? 'hybrid') : 'bm25'
    const depth = mode === 'hybrid' ? Math.max(limit, FUSION_DEPTH) : limit
    let bm25: EntryScore[] = []
    if (mode !== 'dense') {
      const hits = this.index.search(q.weights, depth, this.acceptFor(options.filters))
      const scored = hits.map((h) => ({ id: h.id, layer: this.meta[h.internal]!.layer, score: h.score }))
      bm25 = options.layerPrecedence ? applyLayerBoost(scored) : scored
    }
    let dense: (EntryScore & { passageId?: string })[] = []
    if (vectors && mode !== 'bm25') {
      const accept = this.acceptMeta(options.filters)
      const asked = askedScopes(q.weights)
      const ok = (entryId: string) => {
        const internal = this.index.internalOf(entryId)
        const m = internal === undefined ? null : this.meta[internal]
        return m !== null && m !== undefined && (!accept || accept(m)) && !outOfDenseScope(m.scopes, asked)
      }
      const qvs = await Promise.all(denseQueryTexts(query, q).map((t) => vectors.queryVector(t)))
      dense = mergeDenseLists(vectors.searchMany(qvs, depth, ok), depth)
    }
    const densePassage = new Map(dense.map((d) => [d.id, d.passageId]))
    const fused = fuseRankings(bm25, dense, this.opts.fusion)
    const kindOf = (id: string) => this.meta[this.index.internalOf(id)!]?.kind ?? 'faq'
    const ranked = rankFor(fused, mode, kindOf)
    const terms = [...q.weights.keys()]
    return ranked.slice(0, limit).map(({ id, signals }) => {
      const m = this.meta[this.index.internalOf(id)!]!
      const score = scoreFor(signals, mode)
      const passage = this.passageFor(id, densePassage.get(id), q.weights)
      let snippet: string | undefined
      const hit: SearchHit = {
        id,
        kind: m.kind,
        title: m.title,
        layer: m.layer,
        regionCode: m.regionCode,
        status: m.status,
        score: round4(score),
        // Made when first read (an enumerable getter: JSON, spread and toEqual see a plain string). The chat path
        // never reads it — it quotes its own — and making it for every hit was ≈ 6 % of a chat turn's CPU.
        get snippet() {
          snippet ??= makeSnippet(m.text, terms)
          return snippet
        },
        signals,
      }
      if (passage) hit.passage = passage
      return hit
    })
  }

  private passageFor(
    entryId: string,
    densePassageId: string | undefined,
    weights: ReadonlyMap<string, number>,
  ): PassageRef | undefined {
    const all = this.passages.of(entryId)
    const p: Passage | undefined =
      (densePassageId ? all.find((x) => x.id === densePassageId) : undefined) ??
      bestPassageByTerms(
        all.filter((x) => x.n > 0 || all.length === 1),
        weights,
      )
    return p ? { id: p.id, label: p.label, text: p.text } : undefined
  }

  /** Naive baseline: scores every posting (benchmarks only). */
  searchExhaustive(query: string, options: SearchOptions = {}): { id: string; score: number }[] {
    const q = this.opts.analyzer.query(query, { synonyms: options.synonyms !== false })
    return this.index.searchExhaustive(q.weights, options.limit ?? 10, this.acceptFor(options.filters))
  }

  async count(): Promise<number> {
    return this.index.size
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    const v = this.opts.vectors
    const dense = v ? `, ${v.size} passage vectors (${v.embedder.modelId})` : ', BM25 only'
    return { ok: true, detail: `${this.index.size} entries indexed${dense}` }
  }

  async close(): Promise<void> {}
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4
