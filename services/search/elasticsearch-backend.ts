/**
 * SearchBackend on Elasticsearch, at parity with the embedded backend: the same analyzer output (jieba
 * tokens, synonyms, expansions, scope tokens) and the same BM25F formula with per-kind length
 * normalisation (see es/bm25f-impacts.ts for why the impacts are computed in Node). Filters are the
 * engine-neutral SearchFilters turned into term/terms/range filters; snippets come from snippet.ts over the
 * stored display text, so they are identical to the embedded ones.
 *
 * Index lifecycle: the alias `<prefix>-search-entries` points at one concrete index
 * `<prefix>-search-entries-v1-<ts>` (the store's own `entries` collection lives in `<prefix>-store-entries`).
 * reindexAll() builds a new concrete index from the store (bulk, bounded concurrency, progress callback),
 * then moves the alias in one atomic `_aliases` call and deletes the old index — searches never see a
 * half-built index. A stamp of the entries and the lexicon in the index `_meta` lets a restart skip the
 * rebuild when nothing changed (the counterpart of the embedded snapshot).
 */
import crypto from 'node:crypto'
import type { Client, estypes } from '@elastic/elasticsearch'
import type { Entry } from '../../knowledge/entry.js'
import { isIndexed } from '../../knowledge/policy-info.js'
import { loadLexicon, type Lexicon } from '../../knowledge/lexicon.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import type { Config } from '../shared/config.js'
import { JiebaAnalyzer, type Analyzer, type QueryTerms } from './analyzer.js'
import { DEFAULT_PARAMS, FIELDS } from './bm25-index.js'
import { CitationLinks } from './citation-links.js'
import type { BackendBundle } from './backend-bundle.js'
import { entriesStamp, entryFields, FIELD_TOKENS_VERSION, scopeTokensOf } from './entry-fields.js'
import { NoEmbedder, type Embedder } from './embedder.js'
import {
  aggregatePassages,
  applyLayerBoost,
  askedScopes,
  bestPassageByTerms,
  denseQueryTexts,
  fuseRankings,
  FUSION_DEPTH,
  mergeDenseLists,
  rankFor,
  scoreFor,
  type DenseEntryScore,
} from './hybrid-fusion.js'
import { DENSE_KINDS, type PassageVectors, type VectorSyncProgress } from './passage-vectors.js'
import { splitPassages } from './passages.js'
import { bulkWrite, type BulkOp } from '../shared/elasticsearch/bulk.js'
import {
  entryFieldTokens,
  GroupStats,
  idf,
  lengthsOf,
  saturate,
  termFrequencies,
  type FieldLengths,
} from './es/bm25f-impacts.js'
import { clusterHealth, createEsClient, statusOf, unavailable, type EsConfig } from '../shared/elasticsearch/client.js'
import { loadMappingFile } from '../shared/elasticsearch/mapping-file.js'
import type { RegionLineage, SearchBackend, SearchFilters, SearchHit, SearchOptions } from './search-backend.js'
import { makeSnippet } from './snippet.js'

export const ENTRIES_MAPPING_VERSION = 1
/** Same batch size as the embedded reindexAll, so per-kind average lengths evolve identically. */
const REINDEX_BATCH = 500
/** Extra candidates fetched beyond `limit` before the exact re-score. */
const OVERFETCH = 20
const SOURCE_FIELDS = ['id', 'kind', 'status', 'layer', 'regionCode', 'display', 'tfn', 'ord']

export type EsScoring = 'bm25f' | 'fields'

interface IndexedDoc {
  id: string
  kind: Entry['kind']
  status: Entry['status']
  layer: Entry['layer']
  regionCode: string | null
  effectiveFrom: string | null
  effectiveTo: string | null
  title: string
  question: string
  tags: string
  body: string
  terms: string[]
  impacts: Record<string, number>
  tfn: Record<string, number>
  len: FieldLengths
  ord: number
  display: { title: string; text: string; passages?: { id: string; n: number; label: string; text: string }[] }
}

export interface EsBackendOptions {
  client: Client
  prefix: string
  analyzer: Analyzer
  lineage: RegionLineage
  linkedText?: (id: string) => string
  /** `bm25f` (default): the embedded formula. `fields`: ES's own per-field BM25 (for comparison). */
  scoring?: EsScoring
  /** The dense side (embedding + vector cache; the vectors themselves live in the passages index). */
  vectors?: PassageVectors | null
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

export class ElasticsearchSearchBackend implements SearchBackend {
  readonly name = 'elasticsearch'
  readonly alias: string
  /** `<prefix>-search-passages-v2-<model hash>`: kNN over passage vectors (absent without an embedder). */
  readonly passageIndex: string | null
  private passagesReady: Promise<void> | undefined
  private ensured: Promise<void> | undefined
  private ordSeq = 0

  constructor(private opts: EsBackendOptions) {
    this.alias = `${opts.prefix}-search-entries`
    const v = opts.vectors
    this.passageIndex = v
      ? `${opts.prefix}-search-passages-v2-${crypto.createHash('sha1').update(v.embedder.modelId).digest('hex').slice(0, 10)}`
      : null
  }

  get dense(): boolean {
    return this.passageIndex !== null
  }

  /**
   * Makes sure the passage alias exists on first use: a concrete index with the embedder's vector size
   * behind it. (Before full rebuilds were exact the passage index was a concrete index under the alias
   * name; that one is used as it is until the next rebuild replaces it.)
   */
  private async readyPassages(dims: number): Promise<string> {
    const alias = this.passageIndex as string
    this.passagesReady ??= (async () => {
      if (await this.client.indices.exists({ index: alias })) return
      const index = this.newPassageIndexName()
      try {
        await this.createPassageIndex(index, dims, true)
      } catch (e) {
        if (!(await this.client.indices.exists({ index: alias }))) throw e // else another process created it
        await this.client.indices.delete({ index }, { ignore: [404] }).catch(() => undefined)
      }
    })().catch((e: unknown) => {
      this.passagesReady = undefined
      throw unavailable('create passages index', e)
    })
    await this.passagesReady
    return alias
  }

  private newPassageIndexName(): string {
    return `${this.passageIndex as string}-${Date.now()}-${crypto.randomBytes(2).toString('hex')}`
  }

  private async createPassageIndex(index: string, dims: number, withAlias: boolean): Promise<void> {
    type PassageMapping = {
      settings: Record<string, unknown>
      mappings: { properties: Record<string, Record<string, unknown>> } & Record<string, unknown>
    }
    const url = new URL('./es/mappings/passages.v2.json', import.meta.url)
    const body = loadMappingFile<PassageMapping>(url, this.opts.prefix)
    body.mappings.properties.vector = { ...body.mappings.properties.vector, dims }
    await this.client.indices.create({
      index,
      settings: body.settings as never,
      mappings: body.mappings as never,
      ...(withAlias ? { aliases: { [this.passageIndex as string]: {} } } : {}),
    })
  }

  /** The bulk operations writing the passages of these entries (cached vectors reused, new ones embedded). */
  private async passageOps(
    v: PassageVectors,
    entries: readonly Entry[],
    onEmbed?: (p: VectorSyncProgress) => void,
  ): Promise<{ ops: BulkOp[]; dims: number }> {
    const dense = entries.filter((e) => DENSE_KINDS.has(e.kind))
    const passages = dense.flatMap((e) => splitPassages(e).map((p) => ({ e, p })))
    const vectors = await v.vectorsFor(
      passages.map((x) => x.p),
      onEmbed,
    )
    const ops: BulkOp[] = passages.map(({ e, p }, i) => {
      const { id: entryId, kind, status, layer, regionCode, effectiveFrom, effectiveTo } = e
      const vector = Array.from(vectors[i] as Float32Array)
      const scopes = scopeTokensOf(e, this.opts.analyzer)
      const doc = { entryId, kind, status, layer, regionCode, effectiveFrom, effectiveTo, scopes, vector }
      return { index: { _id: p.id, doc } }
    })
    return { ops, dims: vectors[0]?.length ?? v.embedder.dimensions }
  }

  /** Replaces the passage vectors of these entries in the live passage index (upserts). */
  private async writePassages(
    entries: readonly Entry[],
    refresh: boolean,
    onEmbed?: (p: VectorSyncProgress) => void,
  ): Promise<void> {
    const v = this.opts.vectors
    if (!v || entries.length === 0) return
    const { ops, dims } = await this.passageOps(v, entries, onEmbed)
    const index = await this.readyPassages(dims)
    await this.deletePassagesOf(
      index,
      entries.map((e) => e.id),
    )
    await bulkWrite(this.client, index, ops, {
      batchSize: 200,
      concurrency: 2,
      ...(refresh ? { refresh: 'wait_for' as const } : {}),
    })
    if (!refresh) await this.client.indices.refresh({ index })
    v.cache.persist()
  }

  /**
   * A full rebuild's passages go into a new concrete index (swapped in with the entries): exactly the
   * passages of `entries`, nothing left over from entries deleted or re-split since. Null without vectors.
   */
  private async buildPassageIndex(
    entries: readonly Entry[],
    onEmbed?: (p: VectorSyncProgress) => void,
  ): Promise<string | null> {
    const v = this.opts.vectors
    if (!v) return null
    const { ops, dims } = await this.passageOps(v, entries, onEmbed)
    const index = this.newPassageIndexName()
    await this.createPassageIndex(index, dims, false)
    await bulkWrite(this.client, index, ops, { batchSize: 200, concurrency: 2 })
    await this.client.indices.refresh({ index })
    v.cache.persist()
    return index
  }

  /** The alias actions that put `next` behind the passage alias, and the indices to delete afterwards. */
  private async passageSwap(next: string): Promise<{ actions: estypes.IndicesUpdateAliasesAction[]; old: string[] }> {
    const alias = this.passageIndex as string
    const targets = await this.targetsOf(alias)
    if (targets.length === 0 && (await this.client.indices.exists({ index: alias }))) {
      // The old layout: a concrete index under the alias name, removed in the same atomic call.
      return { actions: [{ remove_index: { index: alias } }, { add: { index: next, alias } }], old: [] }
    }
    const remove = targets.map((o) => ({ remove: { index: o, alias } }))
    return { actions: [...remove, { add: { index: next, alias } }], old: targets }
  }

  /**
   * Deletes the passage documents of these entries. Looked up then deleted by id, not _delete_by_query:
   * that needs the reindex module, which a minimal node may lack.
   */
  private async deletePassagesOf(index: string, entryIds: readonly string[]): Promise<void> {
    const ids: string[] = []
    for (let i = 0; i < entryIds.length; i += 1000) {
      const res = await this.client.search({
        index,
        size: 10_000,
        _source: false,
        query: { terms: { entryId: entryIds.slice(i, i + 1000) } },
      })
      for (const h of res.hits.hits) if (h._id) ids.push(h._id)
    }
    if (ids.length > 0)
      await bulkWrite(
        this.client,
        index,
        ids.map((id) => ({ delete: { _id: id } })),
        { refresh: 'wait_for' },
      )
  }

  /**
   * Entries nearest the query by their closest passage, under the same filters as BM25. `kinds` receives each
   * dense hit's kind (passage documents carry it), so the caller can rank before fetching the entries.
   */
  private async denseEntries(
    query: string,
    terms: QueryTerms,
    entryFilter: estypes.QueryDslQueryContainer[],
    depth: number,
    kinds: Map<string, string>,
  ): Promise<DenseEntryScore[]> {
    const v = this.opts.vectors
    if (!v || !this.passageIndex) return []
    const index = this.passageIndex
    if (!(await this.client.indices.exists({ index }))) return []
    // the scope rule of hybrid-fusion.ts outOfDenseScope: in one of the asked scopes, or without any
    const asked = askedScopes(terms.weights)
    const filter =
      asked.length === 0
        ? entryFilter
        : [
            ...entryFilter,
            {
              bool: {
                should: [{ terms: { scopes: asked } }, { bool: { must_not: { exists: { field: 'scopes' } } } }],
                minimum_should_match: 1,
              },
            },
          ]
    const k = depth * 4
    // one kNN search per text the dense side embeds (denseQueryTexts), merged by each entry's best score
    const knn = async (text: string): Promise<DenseEntryScore[]> => {
      const qv = await v.queryVector(text)
      const res = await this.client.search<{ entryId: string; kind: string }>({
        index,
        size: k,
        _source: ['entryId', 'kind'],
        knn: {
          field: 'vector',
          query_vector: Array.from(qv),
          k,
          num_candidates: Math.max(100, k * 2),
          filter: { bool: { filter } },
        },
      })
      // dot_product on unit vectors: ES reports (1 + cosine) / 2.
      const hits = res.hits.hits.flatMap((h) =>
        h._source ? [{ id: h._id as string, entryId: h._source.entryId, score: 2 * (h._score ?? 0) - 1 }] : [],
      )
      for (const h of res.hits.hits) if (h._source) kinds.set(h._source.entryId, h._source.kind)
      return aggregatePassages(hits, depth)
    }
    return mergeDenseLists(await Promise.all(denseQueryTexts(query, terms).map(knn)), depth)
  }

  get client(): Client {
    return this.opts.client
  }

  setAnalyzer(analyzer: Analyzer): void {
    this.opts = { ...this.opts, analyzer }
  }

  setLinkedText(linkedText: (id: string) => string): void {
    this.opts = { ...this.opts, linkedText }
  }

  newIndexName(): string {
    return `${this.opts.prefix}-search-entries-v${ENTRIES_MAPPING_VERSION}-${Date.now()}-${crypto.randomBytes(2).toString('hex')}`
  }

  async createIndex(name: string, meta: Record<string, unknown>, withAlias: boolean): Promise<void> {
    const body = loadMappingFile<{
      settings: Record<string, unknown>
      mappings: { _meta?: Record<string, unknown> } & Record<string, unknown>
    }>(new URL('./es/mappings/entries.v1.json', import.meta.url), this.opts.prefix)
    await this.client.indices.create({
      index: name,
      settings: body.settings as never,
      mappings: { ...body.mappings, _meta: { ...body.mappings._meta, ...meta } } as never,
      ...(withAlias ? { aliases: { [this.alias]: {} } } : {}),
    })
  }

  /** Makes sure the alias exists (an empty index on first use). */
  ready(): Promise<void> {
    this.ensured ??= (async () => {
      if (await this.client.indices.existsAlias({ name: this.alias })) return
      try {
        await this.createIndex(this.newIndexName(), {}, true)
      } catch (e) {
        if (await this.client.indices.existsAlias({ name: this.alias })) return // another process won the race
        throw e
      }
      // Two processes may both have created one; keep whichever the alias points at first.
    })().catch((e: unknown) => {
      this.ensured = undefined
      throw unavailable('create entries index', e)
    })
    return this.ensured
  }

  /** Concrete indices the alias points at now. */
  async aliasTargets(): Promise<string[]> {
    return this.targetsOf(this.alias)
  }

  private async targetsOf(alias: string): Promise<string[]> {
    try {
      return Object.keys(await this.client.indices.getAlias({ name: alias }))
    } catch (e) {
      if (statusOf(e) === 404) return []
      throw e
    }
  }

  /** Builds the documents for a batch given the group statistics in force (mutated: the batch is added first, as in Bm25Index.addMany). */
  buildDocs(entries: readonly Entry[], stats: GroupStats): IndexedDoc[] {
    const prepared = entries.map((e) => {
      const fields = entryFieldTokens(e, this.opts.analyzer, this.opts.linkedText?.(e.id) ?? '')
      return { e, fields, lens: lengthsOf(fields) }
    })
    for (const p of prepared) stats.add(p.e.kind, p.lens)
    const base = Date.now() * 1000
    return prepared.map(({ e, fields, lens }) => {
      const tfn = termFrequencies(fields, stats.avg(e.kind))
      const impacts: Record<string, number> = {}
      const exact: Record<string, number> = {}
      for (const [t, v] of tfn) {
        impacts[t] = saturate(v)
        exact[t] = v
      }
      return {
        id: e.id,
        kind: e.kind,
        status: e.status,
        layer: e.layer,
        regionCode: e.regionCode,
        effectiveFrom: e.effectiveFrom,
        effectiveTo: e.effectiveTo,
        title: fields.title.join(' '),
        question: fields.question.join(' '),
        tags: fields.tags.join(' '),
        body: fields.body.join(' '),
        terms: [...tfn.keys()],
        impacts,
        tfn: exact,
        len: lens,
        ord: base + this.ordSeq++,
        display: {
          title: e.title,
          text: e.kind === 'faq' ? `${e.question ?? ''} ${e.body}` : entryFields(e).body,
          passages: splitPassages(e).map((p) => ({ id: p.id, n: p.n, label: p.label, text: p.text })),
        },
      }
    })
  }

  /** Per-kind length sums of what is indexed now, excluding `exclude` (documents about to be replaced). */
  private async currentStats(exclude: readonly string[]): Promise<GroupStats> {
    const sums = Object.fromEntries(FIELDS.map((f) => [f, { sum: { field: `len.${f}` } }]))
    const res = await this.client.search({
      index: this.alias,
      size: 0,
      query: { bool: { must_not: [{ ids: { values: [...exclude] } }] } },
      aggs: { kinds: { terms: { field: 'kind', size: 100 }, aggs: sums } },
    })
    const stats = new GroupStats()
    const buckets = (res.aggregations?.kinds as estypes.AggregationsStringTermsAggregate | undefined)?.buckets
    for (const b of Array.isArray(buckets) ? buckets : []) {
      const sum = { title: 0, question: 0, tags: 0, body: 0 }
      for (const f of FIELDS) sum[f] = (b as unknown as Record<string, { value: number | null }>)[f]?.value ?? 0
      stats.setGroup(String(b.key), sum, b.doc_count)
    }
    return stats
  }

  async upsert(all: readonly Entry[]): Promise<void> {
    // policy documents are indexed as their clause passages only (knowledge/policy-info.ts)
    const entries = all.filter(isIndexed)
    if (entries.length === 0) return
    await this.ready()
    try {
      const stats = await this.currentStats(entries.map((e) => e.id))
      const docs = this.buildDocs(entries, stats)
      await bulkWrite(
        this.client,
        this.alias,
        docs.map((d) => ({ index: { _id: d.id, doc: d } })),
        { refresh: 'wait_for' },
      )
      await this.writePassages(entries, true)
    } catch (e) {
      throw unavailable('upsert', e)
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.ready()
    await bulkWrite(
      this.client,
      this.alias,
      ids.map((id) => ({ delete: { _id: id } })),
      { refresh: 'wait_for' },
    )
    if (this.passageIndex && (await this.client.indices.exists({ index: this.passageIndex })))
      await this.deletePassagesOf(this.passageIndex, ids)
  }

  private filterClauses(filters: SearchFilters | undefined): estypes.QueryDslQueryContainer[] {
    const out: estypes.QueryDslQueryContainer[] = []
    if (!filters) return out
    if (filters.kind !== undefined) out.push({ terms: { kind: asArray(filters.kind) } })
    if (filters.layer !== undefined) out.push({ terms: { layer: asArray(filters.layer) } })
    if (filters.status !== undefined) out.push({ terms: { status: asArray(filters.status) } })
    if (filters.regionCode) {
      out.push({
        bool: {
          should: [
            { bool: { must_not: [{ exists: { field: 'regionCode' } }] } },
            { terms: { regionCode: this.opts.lineage(filters.regionCode) } },
          ],
          minimum_should_match: 1,
        },
      })
    }
    if (filters.effectiveAt) {
      const at = filters.effectiveAt
      out.push({
        bool: {
          should: [
            { bool: { must_not: [{ exists: { field: 'effectiveFrom' } }] } },
            { range: { effectiveFrom: { lte: at } } },
          ],
          minimum_should_match: 1,
        },
      })
      out.push({
        bool: {
          should: [
            { bool: { must_not: [{ exists: { field: 'effectiveTo' } }] } },
            { range: { effectiveTo: { gt: at } } },
          ],
          minimum_should_match: 1,
        },
      })
    }
    return out
  }

  /** Document frequencies of the query terms and the number of indexed documents (for idf). */
  private async termStats(terms: readonly string[]): Promise<{ n: number; df: Map<string, number> }> {
    const res = await this.client.search({
      index: this.alias,
      size: 0,
      track_total_hits: true,
      aggs: { df: { terms: { field: 'terms', include: [...terms], size: terms.length } } },
    })
    const total = res.hits.total
    const n = typeof total === 'number' ? total : (total?.value ?? 0)
    const df = new Map<string, number>()
    const buckets = (res.aggregations?.df as estypes.AggregationsStringTermsAggregate | undefined)?.buckets
    for (const b of Array.isArray(buckets) ? buckets : []) df.set(String(b.key), b.doc_count)
    return { n, df }
  }

  async search(query: string, options: SearchOptions = {}): Promise<SearchHit[]> {
    const limit = options.limit ?? 10
    if (limit <= 0) return []
    await this.ready()
    const q = options.analysis ?? this.opts.analyzer.query(query, { synonyms: options.synonyms !== false })
    const terms = [...q.weights.keys()]
    const mode = this.dense ? (options.mode ?? 'hybrid') : 'bm25'
    const depth = mode === 'hybrid' ? Math.max(limit, FUSION_DEPTH) : limit
    try {
      const filter = this.filterClauses(options.filters)
      const denseKinds = new Map<string, string>()
      const [bm25Docs, dense] = await Promise.all([
        mode === 'dense' ? Promise.resolve([]) : this.bm25Docs(q.weights, filter, depth),
        mode === 'bm25' ? Promise.resolve([]) : this.denseEntries(query, q, filter, depth, denseKinds),
      ])
      const docs = new Map(bm25Docs.map((x) => [x.d.id, x.d]))
      const scored = bm25Docs.map(({ d, score }) => ({ id: d.id, layer: d.layer, score }))
      const bm25 = options.layerPrecedence ? applyLayerBoost(scored) : scored
      const fused = fuseRankings(bm25, dense)
      const kindOf = (id: string) => docs.get(id)?.kind ?? denseKinds.get(id) ?? 'faq'
      const ranked = rankFor(fused, mode, kindOf).slice(0, limit)
      const missing = ranked.map((r) => r.id).filter((id) => !docs.has(id))
      if (missing.length > 0) {
        const got = await this.client.mget<IndexedDoc>({ index: this.alias, ids: missing, _source: SOURCE_FIELDS })
        for (const d of got.docs) if ('found' in d && d.found && d._source) docs.set(d._source.id, d._source)
      }
      const densePassage = new Map(dense.map((d) => [d.id, d.passageId]))
      return ranked.flatMap(({ id, signals }) => {
        const d = docs.get(id)
        if (!d) return []
        const score = scoreFor(signals, mode)
        const hit = { ...this.toHit(d, score, terms), signals }
        const all = d.display.passages ?? []
        const dp = densePassage.get(id)
        const p =
          (dp ? all.find((x) => x.id === dp) : undefined) ??
          bestPassageByTerms(
            all.filter((x) => x.n > 0 || all.length === 1),
            q.weights,
          )
        return [p ? { ...hit, passage: { id: p.id, label: p.label, text: p.text } } : hit]
      })
    } catch (e) {
      throw unavailable('search', e)
    }
  }

  /** BM25F (or per-field BM25) candidates with their exact scores, best first. */
  private async bm25Docs(
    queryWeights: ReadonlyMap<string, number>,
    filter: estypes.QueryDslQueryContainer[],
    limit: number,
  ): Promise<{ d: IndexedDoc; score: number }[]> {
    const terms = [...queryWeights.keys()]
    if (terms.length === 0) return []
    if (this.opts.scoring === 'fields') {
      const should: estypes.QueryDslQueryContainer[] = []
      for (const [t, w] of queryWeights)
        for (const f of FIELDS) should.push({ term: { [f]: { value: t, boost: w * DEFAULT_PARAMS.boosts[f] } } })
      const res = await this.client.search<IndexedDoc>({
        index: this.alias,
        size: limit,
        _source: SOURCE_FIELDS,
        query: { bool: { should, minimum_should_match: 1, filter } },
        sort: [{ _score: { order: 'desc' } }, { ord: { order: 'asc' } }],
      })
      return res.hits.hits.flatMap((h) => (h._source ? [{ d: h._source, score: h._score ?? 0 }] : []))
    }
    const { n, df } = await this.termStats(terms)
    const weights = new Map<string, number>()
    for (const [t, qw] of queryWeights) {
      const dfT = df.get(t) ?? 0
      if (dfT === 0) continue
      const w = qw * idf(n, dfT)
      if (w > 0) weights.set(t, w)
    }
    if (weights.size === 0) return []
    const res = await this.client.search<IndexedDoc>({
      index: this.alias,
      size: limit + OVERFETCH,
      _source: SOURCE_FIELDS,
      track_total_hits: false,
      query: {
        bool: {
          must: [{ sparse_vector: { field: 'impacts', query_vector: Object.fromEntries(weights), prune: false } }],
          filter,
        },
      },
    })
    // Exact re-score from the float32 tf~ (ES keeps ~9 bits of each feature value); ties → earlier document.
    const k1 = DEFAULT_PARAMS.k1
    const scored = res.hits.hits.flatMap((h) => {
      const d = h._source
      if (!d) return []
      let score = 0
      for (const [t, w] of weights) {
        const tf = d.tfn[t]
        if (tf !== undefined) score += (w * tf) / (k1 + tf)
      }
      return [{ d, score }]
    })
    scored.sort((a, b) => b.score - a.score || a.d.ord - b.d.ord)
    return scored.slice(0, limit)
  }

  private toHit(d: IndexedDoc, score: number, terms: string[]): SearchHit {
    return {
      id: d.id,
      kind: d.kind,
      title: d.display.title,
      layer: d.layer,
      regionCode: d.regionCode,
      status: d.status,
      score: Math.round(score * 1e4) / 1e4,
      snippet: makeSnippet(d.display.text, terms),
    }
  }

  async count(): Promise<number> {
    await this.ready()
    try {
      return (await this.client.count({ index: this.alias })).count
    } catch (e) {
      throw unavailable('count', e)
    }
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return clusterHealth(this.client)
  }

  async close(): Promise<void> {
    await this.client.close()
  }

  /**
   * Zero-downtime rebuild: a new concrete index is filled from `entries` (batches of 500 with running
   * per-kind statistics, exactly like the embedded reindex), refreshed, and the alias is moved to it in one
   * atomic call; the old index is deleted afterwards. Searches keep using the old index until the swap.
   */
  async rebuildInto(
    entries: readonly Entry[],
    meta: Record<string, unknown>,
    onProgress?: (done: number, total: number) => void,
    onEmbed?: (p: VectorSyncProgress) => void,
  ): Promise<string> {
    const index = this.newIndexName()
    let passages: string | null = null
    await this.createIndex(index, meta, false)
    try {
      const stats = new GroupStats()
      const ops: BulkOp[] = []
      for (let i = 0; i < entries.length; i += REINDEX_BATCH) {
        for (const d of this.buildDocs(entries.slice(i, i + REINDEX_BATCH), stats))
          ops.push({ index: { _id: d.id, doc: d } })
      }
      await bulkWrite(this.client, index, ops, {
        batchSize: REINDEX_BATCH,
        concurrency: 2,
        ...(onProgress ? { onProgress } : {}),
      })
      await this.client.indices.refresh({ index })
      passages = await this.buildPassageIndex(entries, onEmbed)
      const old = await this.aliasTargets()
      const swap = passages ? await this.passageSwap(passages) : { actions: [], old: [] }
      const entriesSwap = [
        ...old.map((o) => ({ remove: { index: o, alias: this.alias } })),
        { add: { index, alias: this.alias } },
      ]
      // One atomic call: searches see the old entries and passages, or the new ones, never a mix.
      await this.client.indices.updateAliases({ actions: [...entriesSwap, ...swap.actions] })
      const gone = [...old, ...swap.old]
      if (gone.length > 0) await this.client.indices.delete({ index: gone, ignore_unavailable: true })
      this.ensured = Promise.resolve()
      if (passages) this.passagesReady = Promise.resolve()
      return index
    } catch (e) {
      const built = passages ? [index, passages] : [index]
      await this.client.indices.delete({ index: built, ignore_unavailable: true }).catch(() => undefined)
      throw unavailable('reindex', e)
    }
  }

  /** The `_meta` of the index behind the alias (stamp of what it holds). */
  async currentMeta(): Promise<Record<string, unknown> | undefined> {
    const [target] = await this.aliasTargets()
    if (!target) return undefined
    const m = await this.client.indices.getMapping({ index: target })
    return m[target]?.mappings._meta as Record<string, unknown> | undefined
  }

  /** Deletes every entries index of this prefix (tests). */
  async destroy(): Promise<void> {
    await this.client.indices.delete({
      index: `${this.opts.prefix}-search-entries-*,${this.opts.prefix}-search-passages-*`,
      ignore_unavailable: true,
      allow_no_indices: true,
    })
  }
}

/** What the index holds: entries, analyzer, lexicon and mapping version. */
function indexStamp(entries: readonly Entry[], analyzer: Analyzer, lexiconHash: string, modelId = 'bm25'): string {
  return crypto
    .createHash('sha1')
    .update(
      `${entriesStamp(entries)}|${analyzer.name}|${lexiconHash}|v${ENTRIES_MAPPING_VERSION}|bm25f|${modelId}|passages-v2|fields-v${FIELD_TOKENS_VERSION}`,
    )
    .digest('hex')
}

export interface EsBundleOptions {
  /** The dense side's model (`none`: BM25 only). */
  embedder?: Embedder
  vectors?: PassageVectors | null
  client?: Client
  scoring?: EsScoring
  lexiconHash?: string
}

export async function createElasticsearchBundle(
  config: Config & EsConfig,
  store: Store,
  analyzer: Analyzer,
  regions: RegionTable,
  options: EsBundleOptions = {},
): Promise<BackendBundle> {
  const vectors = options.vectors ?? null
  const client = options.client ?? createEsClient(config)
  let lexiconHash = options.lexiconHash ?? loadLexicon(config.lexiconDir).hash
  let links = new CitationLinks()
  const backend = new ElasticsearchSearchBackend({
    client,
    prefix: config.esIndexPrefix,
    analyzer,
    lineage: (c) => regions.lineage(c),
    linkedText: (id) => links.textFor(id),
    vectors,
    ...(options.scoring ? { scoring: options.scoring } : {}),
  })
  const entries = store.collection<Entry>('entries')
  const bundle: BackendBundle = {
    backend,
    analyzer,
    embedder: vectors?.embedder ?? options.embedder ?? new NoEmbedder(),
    vectors: vectors ?? null,
    async reindexAll(onProgress, onEmbed) {
      const all = await entries.list()
      links = CitationLinks.build(all)
      const stamp = indexStamp(all, bundle.analyzer, lexiconHash, vectors?.embedder.modelId)
      const meta = await backend.currentMeta().catch(() => undefined)
      if (meta?.stamp === stamp) {
        onProgress?.(all.length, all.length)
        return { indexed: all.length, fromSnapshot: true }
      }
      await backend.rebuildInto(all, { stamp }, onProgress, onEmbed)
      return { indexed: all.length, fromSnapshot: false }
    },
    async persist() {
      // Nothing to do: Elasticsearch persists every acknowledged write (translog).
    },
    async reloadLexicon(next: Lexicon) {
      const nextAnalyzer = new JiebaAnalyzer(next)
      const all = await entries.list()
      links = CitationLinks.build(all)
      backend.setAnalyzer(nextAnalyzer)
      bundle.analyzer = nextAnalyzer
      lexiconHash = next.hash
      await backend.rebuildInto(all, { stamp: indexStamp(all, nextAnalyzer, next.hash, vectors?.embedder.modelId) })
      return { indexed: all.length }
    },
  }
  return bundle
}
