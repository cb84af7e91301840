/**
 * Step 4: retrieve the sources an answer may use. Published entries in force today only, from the asker's
 * region lineage (national only when no region is known), with layer precedence city > province >
 * national. With an embedder configured, BM25 and vector ranks are fused with RRF. A separate look at
 * retired law tells whether the best match is a repealed article, so the answer can say it was replaced
 * and by what instead of presenting it as current.
 */
import type { Entry, EntryKind } from '../../knowledge/entry.js'
import { isEffectiveOn } from '../../knowledge/entry.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import type { SearchBackend, SearchFilters, SearchHit } from '../search/search-backend.js'
import { rrf } from '../search/rank-fusion.js'
import type { EntryVectors } from './entry-vectors.js'

/** Kinds an answer is composed from. 税案通报 (hot-topic) are news about cases, not rules. */
export const ANSWER_KINDS: readonly EntryKind[] = ['faq', 'law-article', 'guide', 'notice', 'policy']

const LAYER_BOOST = { city: 1.25, province: 1.12, national: 1 } as const

export interface RetrievedSource {
  entry: Entry
  /** BM25 score after layer precedence (0 for a vector-only hit). */
  score: number
}

export interface RetiredMatch {
  entry: Entry
  /** In-force entries named in its replacedBy. */
  replacements: Entry[]
}

export interface Retrieval {
  sources: RetrievedSource[]
  topScore: number
  retired: RetiredMatch | null
}

export interface RetrieveOptions {
  regionCode: string | null
  today: string
  synonyms: boolean
  limit?: number
  /** National layer only (a redirect answers with nationwide rules only). */
  nationalOnly?: boolean
}

/** Pure: reorders hits by layer precedence (city > province > national at comparable BM25 scores). */
export function applyLayerPrecedence<T extends Pick<SearchHit, 'id' | 'layer' | 'score'>>(hits: readonly T[]): (T & { adjusted: number })[] {
  return hits.map((h) => ({ ...h, adjusted: h.score * LAYER_BOOST[h.layer] })).sort((a, b) => b.adjusted - a.adjusted || a.id.localeCompare(b.id))
}

/** Pure: whether the top retired hit is a better match than anything in force. */
export function retiredWins(retired: Pick<SearchHit, 'score'> | undefined, bestInForce: number): boolean {
  return retired !== undefined && retired.score >= bestInForce * 0.95
}

export class Retriever {
  constructor(
    private readonly backend: SearchBackend,
    private readonly store: Store,
    private readonly regions: RegionTable,
    private readonly vectors: EntryVectors | null,
  ) {}

  filters(options: RetrieveOptions): SearchFilters {
    const f: SearchFilters = { kind: [...ANSWER_KINDS], status: 'published', effectiveAt: options.today }
    if (options.regionCode && !options.nationalOnly) f.regionCode = options.regionCode
    else f.layer = 'national'
    return f
  }

  async retrieve(query: string, options: RetrieveOptions): Promise<Retrieval> {
    const limit = options.limit ?? 8
    const filters = this.filters(options)
    const hits = applyLayerPrecedence(await this.backend.search(query, { filters, limit: 30, synonyms: options.synonyms }))
    let order = hits.map((h) => h.id)
    const bm25 = new Map(hits.map((h) => [h.id, h.adjusted]))
    if (this.vectors) {
      const lineage = options.regionCode && !options.nationalOnly ? new Set(this.regions.lineage(options.regionCode)) : null
      const near = await this.vectors.search(query, 30, (e) => e.status === 'published' && ANSWER_KINDS.includes(e.kind) && isEffectiveOn(e, options.today) && (e.regionCode === null || (lineage !== null && lineage.has(e.regionCode))))
      order = rrf([order.map((id) => ({ id })), near]).map((s) => s.id)
    }
    const ids = order.slice(0, limit)
    const byId = new Map((await this.store.collection<Entry>('entries').getMany(ids)).map((e) => [e.id, e]))
    const sources = ids.flatMap((id) => {
      const entry = byId.get(id)
      return entry ? [{ entry, score: bm25.get(id) ?? 0 }] : []
    })
    const topScore = hits[0]?.adjusted ?? 0
    return { sources, topScore, retired: await this.#retired(query, options, hits) }
  }

  async #retired(query: string, options: RetrieveOptions, inForce: readonly SearchHit[]): Promise<RetiredMatch | null> {
    const filters: SearchFilters = { kind: 'law-article', status: ['published', 'retired'] }
    if (options.regionCode && !options.nationalOnly) filters.regionCode = options.regionCode
    else filters.layer = 'national'
    const top = (await this.backend.search(query, { filters, limit: 3, synonyms: options.synonyms }))[0]
    if (!top) return null
    const bestLaw = inForce.find((h) => h.kind === 'law-article')?.score ?? 0
    if (!retiredWins(top, bestLaw)) return null
    const entry = await this.store.collection<Entry>('entries').get(top.id)
    if (!entry) return null
    const retired = entry.status === 'retired' || (entry.effectiveTo !== null && entry.effectiveTo <= options.today) || entry.law?.lawStatus === 'repealed'
    if (!retired) return null
    const replacements = (await this.store.collection<Entry>('entries').getMany(entry.replacedBy ?? [])).filter((e) => e.status === 'published' && isEffectiveOn(e, options.today))
    return { entry, replacements }
  }
}
