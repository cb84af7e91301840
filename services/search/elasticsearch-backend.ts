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
import { JiebaAnalyzer, type Analyzer } from './analyzer.js'
import { DEFAULT_PARAMS, FIELDS } from './bm25-index.js'
import { CitationLinks } from './citation-links.js'
import type { BackendBundle } from './backend-bundle.js'
import { entriesStamp, entryFields } from './entry-fields.js'
import { bulkWrite, type BulkOp } from '../shared/elasticsearch/bulk.js'
import { entryFieldTokens, GroupStats, idf, lengthsOf, saturate, termFrequencies, type FieldLengths } from './es/bm25f-impacts.js'
import { clusterHealth, createEsClient, statusOf, unavailable, type EsConfig } from '../shared/elasticsearch/client.js'
import { loadMappingFile } from '../shared/elasticsearch/mapping-file.js'
import type { RegionLineage, SearchBackend, SearchFilters, SearchHit, SearchOptions } from './search-backend.js'
import { makeSnippet } from './snippet.js'

export const ENTRIES_MAPPING_VERSION = 1
/** Same batch size as the embedded reindexAll, so per-kind average lengths evolve identically. */
const REINDEX_BATCH = 500
/** Extra candidates fetched beyond `limit` before the exact re-score. */
const OVERFETCH = 20

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
  display: { title: string; text: string }
}

export interface EsBackendOptions {
  client: Client
  prefix: string
  analyzer: Analyzer
  lineage: RegionLineage
  linkedText?: (id: string) => string
  /** `bm25f` (default): the embedded formula. `fields`: ES's own per-field BM25 (for comparison). */
  scoring?: EsScoring
}

const asArray = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v])

export class ElasticsearchSearchBackend implements SearchBackend {
  readonly name = 'elasticsearch'
  readonly alias: string
  private ensured: Promise<void> | undefined
  private ordSeq = 0

  constructor(private opts: EsBackendOptions) {
    this.alias = `${opts.prefix}-search-entries`
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
    const body = loadMappingFile<{ settings: Record<string, unknown>; mappings: { _meta?: Record<string, unknown> } & Record<string, unknown> }>(new URL('./es/mappings/entries.v1.json', import.meta.url), this.opts.prefix)
    await this.client.indices.create({ index: name, settings: body.settings as never, mappings: { ...body.mappings, _meta: { ...body.mappings._meta, ...meta } } as never, ...(withAlias ? { aliases: { [this.alias]: {} } } : {}) })
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
    try {
      return Object.keys(await this.client.indices.getAlias({ name: this.alias }))
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
        display: { title: e.title, text: e.kind === 'faq' ? `${e.question ?? ''} ${e.body}` : entryFields(e).body },
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
      for (const f of FIELDS) sum[f] = ((b as unknown as Record<string, { value: number | null }>)[f]?.value ?? 0)
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
      await bulkWrite(this.client, this.alias, docs.map((d) => ({ index: { _id: d.id, doc: d } })), { refresh: 'wait_for' })
    } catch (e) {
      throw unavailable('upsert', e)
    }
  }

  async remove(ids: readonly string[]): Promise<void> {
    if (ids.length === 0) return
    await this.ready()
    await bulkWrite(this.client, this.alias, ids.map((id) => ({ delete: { _id: id } })), { refresh: 'wait_for' })
  }

  private filterClauses(filters: SearchFilters | undefined): estypes.QueryDslQueryContainer[] {
    const out: estypes.QueryDslQueryContainer[] = []
    if (!filters) return out
    if (filters.kind !== undefined) out.push({ terms: { kind: asArray(filters.kind) } })
    if (filters.layer !== undefined) out.push({ terms: { layer: asArray(filters.layer) } })
    if (filters.status !== undefined) out.push({ terms: { status: asArray(filters.status) } })
    if (filters.regionCode) {
      out.push({ bool: { should: [{ bool: { must_not: [{ exists: { field: 'regionCode' } }] } }, { terms: { regionCode: this.opts.lineage(filters.regionCode) } }], minimum_should_match: 1 } })
    }
    if (filters.effectiveAt) {
      const at = filters.effectiveAt
      out.push({ bool: { should: [{ bool: { must_not: [{ exists: { field: 'effectiveFrom' } }] } }, { range: { effectiveFrom: { lte: at } } }], minimum_should_match: 1 } })
      out.push({ bool: { should: [{ bool: { must_not: [{ exists: { field: 'effectiveTo' } }] } }, { range: { effectiveTo: { gt: at } } }], minimum_should_match: 1 } })
    }
    return out
  }

  /** Document frequencies of the query terms and the number of indexed documents (for idf). */
  private async termStats(terms: readonly string[]): Promise<{ n: number; df: Map<string, number> }> {
    const res = await this.client.search({ index: this.alias, size: 0, track_total_hits: true, aggs: { df: { terms: { field: 'terms', include: [...terms], size: terms.length } } } })
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
    const q = this.opts.analyzer.query(query, { synonyms: options.synonyms !== false })
    const terms = [...q.weights.keys()]
    if (terms.length === 0) return []
    try {
      const filter = this.filterClauses(options.filters)
      const source = ['id', 'kind', 'status', 'layer', 'regionCode', 'display', 'tfn', 'ord']
      if (this.opts.scoring === 'fields') {
        const should: estypes.QueryDslQueryContainer[] = []
        for (const [t, w] of q.weights) for (const f of FIELDS) should.push({ term: { [f]: { value: t, boost: w * DEFAULT_PARAMS.boosts[f] } } })
        const res = await this.client.search<IndexedDoc>({ index: this.alias, size: limit, _source: source, query: { bool: { should, minimum_should_match: 1, filter } }, sort: [{ _score: { order: 'desc' } }, { ord: { order: 'asc' } }] })
        return res.hits.hits.flatMap((h) => (h._source ? [this.toHit(h._source, h._score ?? 0, terms)] : []))
      }
      const { n, df } = await this.termStats(terms)
      const weights = new Map<string, number>()
      for (const [t, qw] of q.weights) {
        const d = df.get(t) ?? 0
        if (d === 0) continue
        const w = qw * idf(n, d)
        if (w > 0) weights.set(t, w)
      }
      if (weights.size === 0) return []
      const res = await this.client.search<IndexedDoc>({
        index: this.alias,
        size: limit + OVERFETCH,
        _source: source,
        track_total_hits: false,
        query: { bool: { must: [{ sparse_vector: { field: 'impacts', query_vector: Object.fromEntries(weights), prune: false } }], filter } },
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
      return scored.slice(0, limit).map(({ d, score }) => this.toHit(d, score, terms))
    } catch (e) {
      throw unavailable('search', e)
    }
  }

  private toHit(d: IndexedDoc, score: number, terms: string[]): SearchHit {
    return { id: d.id, kind: d.kind, title: d.display.title, layer: d.layer, regionCode: d.regionCode, status: d.status, score: Math.round(score * 1e4) / 1e4, snippet: makeSnippet(d.display.text, terms) }
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
  async rebuildInto(entries: readonly Entry[], meta: Record<string, unknown>, onProgress?: (done: number, total: number) => void): Promise<string> {
    const index = this.newIndexName()
    await this.createIndex(index, meta, false)
    try {
      const stats = new GroupStats()
      const ops: BulkOp[] = []
      for (let i = 0; i < entries.length; i += REINDEX_BATCH) {
        for (const d of this.buildDocs(entries.slice(i, i + REINDEX_BATCH), stats)) ops.push({ index: { _id: d.id, doc: d } })
      }
      await bulkWrite(this.client, index, ops, { batchSize: REINDEX_BATCH, concurrency: 2, ...(onProgress ? { onProgress } : {}) })
      await this.client.indices.refresh({ index })
      const old = await this.aliasTargets()
      await this.client.indices.updateAliases({ actions: [...old.map((o) => ({ remove: { index: o, alias: this.alias } })), { add: { index, alias: this.alias } }] })
      if (old.length > 0) await this.client.indices.delete({ index: old, ignore_unavailable: true })
      this.ensured = Promise.resolve()
      return index
    } catch (e) {
      await this.client.indices.delete({ index }, { ignore: [404] }).catch(() => undefined)
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
    await this.client.indices.delete({ index: `${this.opts.prefix}-search-entries-*`, ignore_unavailable: true, allow_no_indices: true })
  }
}

/** What the index holds: entries, analyzer, lexicon and mapping version. */
function indexStamp(entries: readonly Entry[], analyzer: Analyzer, lexiconHash: string): string {
  return crypto.createHash('sha1').update(`${entriesStamp(entries)}|${analyzer.name}|${lexiconHash}|v${ENTRIES_MAPPING_VERSION}|bm25f`).digest('hex')
}

export interface EsBundleOptions {
  client?: Client
  scoring?: EsScoring
  lexiconHash?: string
}

export async function createElasticsearchBundle(config: Config & EsConfig, store: Store, analyzer: Analyzer, regions: RegionTable, options: EsBundleOptions = {}): Promise<BackendBundle> {
  const client = options.client ?? createEsClient(config)
  let lexiconHash = options.lexiconHash ?? loadLexicon(config.lexiconDir).hash
  let links = new CitationLinks()
  const backend = new ElasticsearchSearchBackend({ client, prefix: config.esIndexPrefix, analyzer, lineage: (c) => regions.lineage(c), linkedText: (id) => links.textFor(id), ...(options.scoring ? { scoring: options.scoring } : {}) })
  const entries = store.collection<Entry>('entries')
  const bundle: BackendBundle = {
    backend,
    analyzer,
    async reindexAll(onProgress) {
      const all = await entries.list()
      links = CitationLinks.build(all)
      const stamp = indexStamp(all, bundle.analyzer, lexiconHash)
      const meta = await backend.currentMeta().catch(() => undefined)
      if (meta?.stamp === stamp) {
        onProgress?.(all.length, all.length)
        return { indexed: all.length, fromSnapshot: true }
      }
      await backend.rebuildInto(all, { stamp }, onProgress)
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
      await backend.rebuildInto(all, { stamp: indexStamp(all, nextAnalyzer, next.hash) })
      return { indexed: all.length }
    },
  }
  return bundle
}
