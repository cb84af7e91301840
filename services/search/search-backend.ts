/**
 * The SearchBackend port. Filters are engine-neutral data, never query DSL. Implementations: embedded
 * (jieba + BM25 + passage vectors, services/search/embedded-backend.ts) and elasticsearch (BM25F +
 * dense_vector kNN). Both are hybrid when an Embedder is configured: BM25 and dense retrieval under the same
 * filters, fused with RRF (hybrid-fusion.ts). Every implementation passes
 * test/contract/search-backend.contract.ts.
 */
import type { Entry, EntryKind, EntryStatus, Layer } from '../../knowledge/entry.js'
import type { QueryTerms } from './analyzer.js'
import type { HitSignals } from './hybrid-fusion.js'

export type { HitSignals, RankSignal } from './hybrid-fusion.js'

export interface SearchFilters {
  kind?: EntryKind | EntryKind[]
  layer?: Layer | Layer[]
  /** A region code: national entries plus the entries of this region's lineage (city → province). */
  regionCode?: string
  status?: EntryStatus | EntryStatus[]
  /** ISO date; only entries in force on that date. */
  effectiveAt?: string
}

export interface SearchOptions {
  filters?: SearchFilters
  limit?: number
  /** Expand synonyms at query time (default true); off for ablation. */
  synonyms?: boolean
  /**
   * Which retrievers rank: `hybrid` (default when the backend has vectors), `bm25` (default otherwise) or
   * `dense`. A backend without vectors answers `hybrid` and `dense` with BM25 alone.
   */
  mode?: SearchMode
  /** The query already analysed (analyzer.query with the same synonyms flag): not tokenised again. */
  analysis?: QueryTerms
  /** Boost BM25 scores by layer (city > province > national) before ranking; default false. */
  layerPrecedence?: boolean
}

export type SearchMode = 'hybrid' | 'bm25' | 'dense'

/** The part of an entry that matched: its closest passage (dense), or the one holding most query terms. */
export interface PassageRef {
  /** `<entryId>#<n>` (see passages.ts). */
  id: string
  /** 「第一款（三）」「办理材料」…; empty for a whole entry. */
  label: string
  text: string
}

export interface SearchHit {
  id: string
  kind: EntryKind
  title: string
  layer: Layer
  regionCode: string | null
  status: EntryStatus
  /** The ranking score: BM25 in `bm25` mode, cosine in `dense`, the RRF score in `hybrid`. Hits are sorted by it. */
  score: number
  /** Plain text with matches wrapped in <mark>…</mark>; the rest is HTML-escaped. */
  snippet: string
  /** The best passage of the entry (absent only for entries indexed without passages). */
  passage?: PassageRef
  /** Per-retriever scores and ranks, fused rank, agreement (every mode fills the retrievers it ran). */
  signals?: HitSignals
}

export interface SearchBackend {
  readonly name: string
  upsert(entries: readonly Entry[]): Promise<void>
  remove(ids: readonly string[]): Promise<void>
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>
  /** Number of indexed entries. */
  count(): Promise<number>
  /** Whether dense retrieval is on (an Embedder is configured and its vectors are indexed). */
  readonly dense: boolean
  health(): Promise<{ ok: boolean; detail?: string }>
  close(): Promise<void>
}

/** Region lineage is resolved outside the backends: city → [city, province]. */
export type RegionLineage = (code: string) => string[]
