/** Step 4 of answering: retrieval (see the Retriever class). */
import type { Entry, EntryKind } from '../../knowledge/entry.js'
import { isEffectiveOn } from '../../knowledge/entry.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import { type Analyzer, isScopeToken, type QueryTerms } from '../search/analyzer.js'
import { scopeTokensOf } from '../search/entry-fields.js'
import { LAYER_BOOST } from '../search/hybrid-fusion.js'
import type {
  HitSignals,
  PassageRef,
  SearchBackend,
  SearchFilters,
  SearchHit,
  SearchMode,
} from '../search/search-backend.js'

/** Kinds an answer is composed from. 税案通报 (hot-topic) are news about cases, not rules. */
export const ANSWER_KINDS: readonly EntryKind[] = ['faq', 'law-article', 'guide', 'notice', 'policy']

export interface RetrievedSource {
  entry: Entry
  /** BM25 score after layer precedence (0 for a hit only the dense retriever found). */
  score: number
  /** The entry's best passage: the one closest to the question, or holding most of its words. */
  passage?: PassageRef
  /**
   * Per-retriever evidence for calibration: BM25 score/rank, dense cosine/rank, fused RRF score/rank and
   * whether both retrievers ranked it in their top 10. Absent only for sources added by the answer layer.
   */
  signals?: HitSignals
}

export interface RetiredMatch {
  entry: Entry
  /** In-force entries named in its replacedBy. */
  replacements: Entry[]
}

/** The question analysed once: what the backend searched with, and the plain terms (no synonyms). */
export interface QueryAnalysis {
  text: string
  /** Terms the backend searched with (synonyms and expansions as asked). */
  terms: QueryTerms
  /** The question's own terms, without synonyms (coverage, highlighting). */
  plain: QueryTerms
}

export interface Retrieval {
  sources: RetrievedSource[]
  /** Best BM25 score in force (after layer precedence); 0 when only the dense retriever found anything. */
  topScore: number
  retired: RetiredMatch | null
  analysis: QueryAnalysis
  /** Whether dense retrieval took part (false: BM25 only — no model, or `mode: 'bm25'`). */
  dense: boolean
}

export interface RetrieveOptions {
  regionCode: string | null
  today: string
  synonyms: boolean
  limit?: number
  /** National layer only (a redirect answers with nationwide rules only). */
  nationalOnly?: boolean
  /** Default hybrid (BM25 alone when the backend has no vectors). */
  mode?: SearchMode
  /** Reuse an analysis of the same text (follow-up lookups, evaluation). */
  analysis?: QueryAnalysis
}

/** Pure: reorders hits by layer precedence (city > province > national at comparable BM25 scores). */
export function applyLayerPrecedence<T extends Pick<SearchHit, 'id' | 'layer' | 'score'>>(
  hits: readonly T[],
): (T & { adjusted: number })[] {
  return hits
    .map((h) => ({ ...h, adjusted: h.score * LAYER_BOOST[h.layer] }))
    .sort((a, b) => b.adjusted - a.adjusted || a.id.localeCompare(b.id))
}

/** Pure: whether the top retired hit is a better match than anything in force. */
export function retiredWins(retired: Pick<SearchHit, 'score'> | undefined, bestInForce: number): boolean {
  return retired !== undefined && retired.score >= bestInForce * 0.95
}

/**
 * Step 4: the answer layer's view of search. Published entries in force today only, from the asker's
 * region lineage (national only when no region is known); the backend ranks them hybrid (BM25 with layer
 * precedence + dense passages, RRF) and returns each entry's best passage and per-retriever signals.
 * A separate BM25 look at retired law tells whether the best match is a repealed article, so the answer
 * can say it was replaced and by what instead of presenting it as current.
 */
export class Retriever {
  constructor(
    private readonly backend: SearchBackend,
    private readonly store: Store,
    private readonly regions: RegionTable,
    private readonly analyzer:
      | ({ query(text: string, options?: { synonyms?: boolean }): QueryTerms } & Partial<
          Pick<Analyzer, 'scopeTokens' | 'taxScopeTokensIn'>
        >)
      | null = null,
  ) {}

  filters(options: RetrieveOptions): SearchFilters {
    const f: SearchFilters = { kind: [...ANSWER_KINDS], status: 'published', effectiveAt: options.today }
    if (options.regionCode && !options.nationalOnly) f.regionCode = options.regionCode
    else f.layer = 'national'
    return f
  }

  /** Tokenises once; a caller may pass the result back in (RetrieveOptions.analysis). */
  analyse(text: string, synonyms: boolean): QueryAnalysis | undefined {
    if (!this.analyzer) return undefined
    const plain = this.analyzer.query(text, { synonyms: false })
    return { text, plain, terms: synonyms ? this.analyzer.query(text, { synonyms: true }) : plain }
  }

  async retrieve(query: string, options: RetrieveOptions): Promise<Retrieval> {
    const limit = options.limit ?? 8
    const filters = this.filters(options)
    const analysis = options.analysis?.text === query ? options.analysis : this.analyse(query, options.synonyms)
    const common = {
      synonyms: options.synonyms,
      layerPrecedence: true,
      ...(analysis ? { analysis: analysis.terms } : {}),
    }
    const hits = await this.backend.search(query, {
      ...common,
      filters,
      limit,
      ...(options.mode ? { mode: options.mode } : {}),
    })
    const byId = new Map(
      (await this.store.collection<Entry>('entries').getMany(hits.map((h) => h.id))).map((e) => [e.id, e]),
    )
    const sources = hits.flatMap((h): RetrievedSource[] => {
      const entry = byId.get(h.id)
      if (!entry) return []
      const bm25 = h.signals ? (h.signals.bm25?.score ?? 0) : h.score
      return [
        {
          entry,
          score: bm25,
          ...(h.passage ? { passage: h.passage } : {}),
          ...(h.signals ? { signals: h.signals } : {}),
        },
      ]
    })
    this.#outOfScopeLast(sources, analysis)
    const topScore = Math.max(0, ...sources.map((s) => s.score))
    const retired = await this.#retired(query, options, sources, common)
    const plain = analysis ?? {
      text: query,
      plain: { weights: new Map(), original: [] },
      terms: { weights: new Map(), original: [] },
    }
    return { sources, topScore, retired, analysis: plain, dense: this.backend.dense && options.mode !== 'bm25' }
  }

  /**
   * A question that names a tax in the taxpayer's own words (「…免增值税」) is about that tax: a law article or
   * 公告 whose scope is only other taxes (an income-tax 公告 on 个体工商户) moves after the sources in scope or
   * without one (FAQ, guides), keeping the retriever's order within each group. In place.
   */
  #outOfScopeLast(sources: RetrievedSource[], analysis: QueryAnalysis | undefined): void {
    const a = this.analyzer
    if (!analysis || !a?.scopeTokens || !a.taxScopeTokensIn) return
    const asked = new Set([...analysis.plain.weights.keys()].filter(isScopeToken))
    if (asked.size === 0) return
    const scoped = a as Pick<Analyzer, 'scopeTokens' | 'taxScopeTokensIn'>
    const off = (e: Entry) => {
      const scopes = scopeTokensOf(e, scoped)
      return scopes.length > 0 && !scopes.some((t) => asked.has(t))
    }
    const inScope = sources.filter((x) => !off(x.entry))
    if (inScope.length === sources.length || inScope.length === 0) return
    const rest = sources.filter((x) => off(x.entry))
    sources.splice(0, sources.length, ...inScope, ...rest)
  }

  async #retired(
    query: string,
    options: RetrieveOptions,
    inForce: readonly RetrievedSource[],
    common: { synonyms: boolean; analysis?: QueryTerms },
  ): Promise<RetiredMatch | null> {
    const filters: SearchFilters = { kind: 'law-article', status: ['published', 'retired'] }
    if (options.regionCode && !options.nationalOnly) filters.regionCode = options.regionCode
    else filters.layer = 'national'
    // BM25 on purpose: "is the best lexical match a repealed article" is what the notice is about.
    const top = (await this.backend.search(query, { ...common, filters, limit: 3, mode: 'bm25' }))[0]
    if (!top) return null
    const bestLaw = Math.max(0, ...inForce.filter((s) => s.entry.kind === 'law-article').map((s) => s.score))
    if (!retiredWins(top, bestLaw)) return null
    const entry = await this.store.collection<Entry>('entries').get(top.id)
    if (!entry) return null
    const retired =
      entry.status === 'retired' ||
      (entry.effectiveTo !== null && entry.effectiveTo <= options.today) ||
      entry.law?.lawStatus === 'repealed'
    if (!retired) return null
    const replacements = (await this.store.collection<Entry>('entries').getMany(entry.replacedBy ?? [])).filter(
      (e) => e.status === 'published' && isEffectiveOn(e, options.today),
    )
    return { entry, replacements }
  }
}
