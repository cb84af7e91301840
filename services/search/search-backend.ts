/**
 * The SearchBackend port. Filters are engine-neutral data, never query DSL. Implementations: embedded
 * (jieba + BM25, services/search/embedded-backend.ts) and elasticsearch. Every implementation passes
 * test/contract/search-backend.contract.ts.
 */
import type { Entry, EntryKind, EntryStatus, Layer } from '../../knowledge/entry.js'

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
}

export interface SearchHit {
  id: string
  kind: EntryKind
  title: string
  layer: Layer
  regionCode: string | null
  status: EntryStatus
  score: number
  /** Plain text with matches wrapped in <mark>…</mark>; the rest is HTML-escaped. */
  snippet: string
}

export interface SearchBackend {
  readonly name: string
  upsert(entries: readonly Entry[]): Promise<void>
  remove(ids: readonly string[]): Promise<void>
  search(query: string, options?: SearchOptions): Promise<SearchHit[]>
  /** Number of indexed entries. */
  count(): Promise<number>
  health(): Promise<{ ok: boolean; detail?: string }>
  close(): Promise<void>
}

/** Region lineage is resolved outside the backends: city → [city, province]. */
export type RegionLineage = (code: string) => string[]
