/**
 * Store on Elasticsearch: one index per collection (`<prefix>-store-<name>-v1`, reached through the alias
 * `<prefix>-store-<name>`), created from the versioned template knowledge/store/mappings/store.v1.json.
 *
 * Document shape in ES: `{ id, doc, f }`. `doc` is the document exactly as given, in an object mapping with
 * `enabled: false` (stored in _source, never parsed), so any shape round-trips byte for byte. `f` holds a
 * copy of the top-level scalar fields (strings → keyword, numbers → double, booleans → keyword) for the
 * engine-neutral ListQuery: where → term/terms (null → field missing), range → range, sort → sort with
 * missing values last and the id as tie-breaker, the same order as lowdb's applyListQuery.
 *
 * Writes use refresh=wait_for so a list() after an acknowledged write sees it; get() is realtime anyway.
 * update() is optimistic: read with _seq_no/_primary_term, write with if_seq_no/if_primary_term, retry on
 * 409 with jittered backoff, and give up with AppError CONFLICT. Several API processes can therefore share
 * one cluster for tickets, sessions and counters.
 */
import type { Client } from '@elastic/elasticsearch'
import type { estypes } from '@elastic/elasticsearch'
import { bulkWrite } from '../../services/shared/elasticsearch/bulk.js'
import {
  clusterHealth,
  createEsClient,
  statusOf,
  unavailable,
  type EsConfig,
} from '../../services/shared/elasticsearch/client.js'
import { loadMappingFile } from '../../services/shared/elasticsearch/mapping-file.js'
import { AppError } from '../../services/shared/errors.js'
import {
  COLLECTIONS,
  type Collection,
  type CollectionName,
  type Doc,
  type ListQuery,
  type Scalar,
  type Store,
  type UpdateOptions,
} from './store.js'

export const STORE_MAPPING_VERSION = 1
const PAGE = 1000
const MAX_UPDATE_ATTEMPTS = 40

interface Stored {
  id: string
  doc: Doc
  f: Record<string, Scalar>
}

function toStored(doc: Doc): Stored {
  const f: Record<string, Scalar> = {}
  for (const [k, v] of Object.entries(doc)) {
    if (k.includes('.') || k.length === 0) continue // a dotted key would become a sub-object path
    if (v === null || typeof v === 'string' || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v)))
      f[k] = v
  }
  return { id: doc.id, doc: structuredClone(doc), f }
}

const fieldPath = (field: string) => (field === 'id' ? 'id' : `f.${field}`)

function scalarTerm(v: Scalar): string | number {
  return typeof v === 'boolean' ? String(v) : (v as string | number)
}

function toQuery(q: Pick<ListQuery, 'where' | 'range'> | undefined): estypes.QueryDslQueryContainer {
  const filter: estypes.QueryDslQueryContainer[] = []
  const mustNot: estypes.QueryDslQueryContainer[] = []
  for (const [field, want] of Object.entries(q?.where ?? {})) {
    const path = fieldPath(field)
    const values = Array.isArray(want) ? want : [want]
    const concrete = values.filter((v): v is Exclude<Scalar, null> => v !== null).map(scalarTerm)
    const wantsNull = values.includes(null)
    if (!wantsNull) filter.push({ terms: { [path]: concrete } })
    else if (concrete.length === 0) mustNot.push({ exists: { field: path } })
    else
      filter.push({
        bool: {
          should: [{ terms: { [path]: concrete } }, { bool: { must_not: [{ exists: { field: path } }] } }],
          minimum_should_match: 1,
        },
      })
  }
  if (q?.range) {
    const r: estypes.QueryDslNumberRangeQuery | estypes.QueryDslTermRangeQuery = {}
    if (q.range.gte !== undefined) (r as Record<string, unknown>).gte = q.range.gte
    if (q.range.lt !== undefined) (r as Record<string, unknown>).lt = q.range.lt
    filter.push({ range: { [fieldPath(q.range.field)]: r } })
  }
  if (filter.length === 0 && mustNot.length === 0) return { match_all: {} }
  return { bool: { filter, must_not: mustNot } }
}

async function sleep(ms: number): Promise<void> {
  await new Promise((r) => setTimeout(r, ms))
}

class EsCollection<T extends Doc> implements Collection<T> {
  private ensured: Promise<void> | undefined

  constructor(
    private readonly client: Client,
    readonly alias: string,
    private readonly index: string,
  ) {}

  /** Creates the index and alias on first use (index creation costs ~0.5–1 s, most processes touch few collections). */
  ready(): Promise<void> {
    this.ensured ??= (async () => {
      if (await this.client.indices.existsAlias({ name: this.alias })) return
      try {
        await this.client.indices.create({ index: this.index, aliases: { [this.alias]: {} } })
      } catch (e) {
        // Another process created it between our check and our create.
        if (!(statusOf(e) === 400 && /resource_already_exists/.test(String((e as Error).message)))) throw e
      }
    })().catch((e: unknown) => {
      this.ensured = undefined
      throw unavailable(`create ${this.index}`, e)
    })
    return this.ensured
  }

  /** Reads of a collection nobody has written yet answer empty without creating its index. */
  private async exists(): Promise<boolean> {
    if (this.ensured) return this.ensured.then(() => true)
    try {
      if (!(await this.client.indices.existsAlias({ name: this.alias }))) return false
    } catch (e) {
      throw unavailable('exists', e)
    }
    await this.ready()
    return true
  }

  async get(id: string): Promise<T | undefined> {
    if (!(await this.exists())) return undefined
    try {
      const res = await this.client.get<Stored>({ index: this.alias, id })
      return res._source?.doc as T | undefined
    } catch (e) {
      if (statusOf(e) === 404) return undefined
      throw unavailable('get', e)
    }
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    if (!(await this.exists())) return []
    if (ids.length === 0) return []
    try {
      const res = await this.client.mget<Stored>({ index: this.alias, ids: [...ids] })
      const out: T[] = []
      for (const d of res.docs) if ('found' in d && d.found && d._source) out.push(d._source.doc as T)
      return out
    } catch (e) {
      throw unavailable('mget', e)
    }
  }

  async list(query?: ListQuery): Promise<T[]> {
    if (!(await this.exists())) return []
    const sort: estypes.SortCombinations[] = []
    if (query?.sort && query.sort.field !== 'id')
      sort.push({
        [fieldPath(query.sort.field)]: { order: query.sort.order, missing: '_last', unmapped_type: 'keyword' },
      })
    sort.push({ id: { order: query?.sort?.field === 'id' ? query.sort.order : 'asc' } })
    const offset = query?.offset ?? 0
    const want = query?.limit === undefined ? Infinity : offset + query.limit
    const out: T[] = []
    let after: estypes.SortResults | undefined
    try {
      while (out.length < want) {
        const size = Math.min(PAGE, want - out.length)
        const res = await this.client.search<Stored>({
          index: this.alias,
          query: toQuery(query) as never,
          sort,
          size,
          track_total_hits: false,
          ...(after ? { search_after: after } : {}),
        })
        const hits = res.hits.hits
        for (const h of hits) if (h._source) out.push(h._source.doc as T)
        if (hits.length < size) break
        after = hits[hits.length - 1]!.sort
      }
    } catch (e) {
      throw unavailable('search', e)
    }
    return out.slice(offset, want === Infinity ? undefined : want)
  }

  async count(query?: Pick<ListQuery, 'where' | 'range'>): Promise<number> {
    if (!(await this.exists())) return 0
    try {
      return (await this.client.count({ index: this.alias, query: toQuery(query) as never })).count
    } catch (e) {
      throw unavailable('count', e)
    }
  }

  async put(doc: T): Promise<void> {
    await this.ready()
    try {
      await this.client.index({ index: this.alias, id: doc.id, document: toStored(doc), refresh: 'wait_for' })
    } catch (e) {
      throw unavailable('index', e)
    }
  }

  async putMany(docs: readonly T[]): Promise<void> {
    await this.ready()
    if (docs.length === 0) return
    await bulkWrite(
      this.client,
      this.alias,
      docs.map((d) => ({ index: { _id: d.id, doc: toStored(d) } })),
      { refresh: 'wait_for' },
    )
  }

  async create(doc: T): Promise<void> {
    await this.ready()
    try {
      // op_type=create: Elasticsearch refuses a second document with this id (409), whoever writes first.
      await this.client.create({ index: this.alias, id: doc.id, document: toStored(doc), refresh: 'wait_for' })
    } catch (e) {
      if (statusOf(e) === 409) throw new AppError('CONFLICT', `document ${doc.id} exists`)
      throw unavailable('create', e)
    }
  }

  async update(id: string, mutate: (current: T) => T, options?: UpdateOptions): Promise<T> {
    await this.ready()
    for (let attempt = 0; attempt < MAX_UPDATE_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(Math.random() * Math.min(250, 5 * 2 ** Math.min(attempt, 6)))
      let current: { doc: T; seqNo: number; primaryTerm: number } | undefined
      try {
        const res = await this.client.get<Stored>({ index: this.alias, id })
        if (res._source) current = { doc: res._source.doc as T, seqNo: res._seq_no!, primaryTerm: res._primary_term! }
      } catch (e) {
        if (statusOf(e) !== 404) throw unavailable('get', e)
      }
      try {
        if (!current) {
          if (!options?.createIfMissing) throw new AppError('NOT_FOUND', `document ${id}`)
          const created = structuredClone(options.createIfMissing) as T
          await this.client.create({ index: this.alias, id, document: toStored(created), refresh: 'wait_for' })
          return created
        }
        const next = mutate(structuredClone(current.doc))
        if (next.id !== id) throw new AppError('VALIDATION_FAILED', 'update must not change the id')
        await this.client.index({
          index: this.alias,
          id,
          document: toStored(next),
          if_seq_no: current.seqNo,
          if_primary_term: current.primaryTerm,
          refresh: 'wait_for',
        })
        return structuredClone(next)
      } catch (e) {
        if (statusOf(e) === 409) continue // someone else wrote first: read again and re-apply
        throw e instanceof AppError ? e : unavailable('update', e)
      }
    }
    throw new AppError(
      'CONFLICT',
      `document ${id} in ${this.alias}: still conflicting after ${MAX_UPDATE_ATTEMPTS} attempts`,
    )
  }

  async remove(ids: readonly string[]): Promise<number> {
    if (!(await this.exists())) return 0
    if (ids.length === 0) return 0
    const { results } = await bulkWrite(
      this.client,
      this.alias,
      ids.map((id) => ({ delete: { _id: id } })),
      { refresh: 'wait_for' },
    )
    return results.filter((r) => r === 'deleted').length
  }

  /** Replace all documents (restore): write the new set, then delete what is not in it. */
  async replace(docs: readonly Doc[]): Promise<void> {
    if (docs.length === 0 && !(await this.exists())) return
    await this.ready()
    const keep = new Set(docs.map((d) => d.id))
    const existing = (await this.list()).map((d) => d.id)
    await bulkWrite(
      this.client,
      this.alias,
      docs.map((d) => ({ index: { _id: d.id, doc: toStored(d) } })),
      { refresh: 'wait_for' },
    )
    const stale = existing.filter((id) => !keep.has(id))
    if (stale.length > 0)
      await bulkWrite(
        this.client,
        this.alias,
        stale.map((id) => ({ delete: { _id: id } })),
        { refresh: 'wait_for' },
      )
  }
}

export class ElasticsearchStore implements Store {
  readonly kind = 'elasticsearch' as const
  private readonly collections = new Map<CollectionName, EsCollection<Doc>>()

  private constructor(
    readonly client: Client,
    readonly prefix: string,
  ) {
    for (const name of COLLECTIONS)
      this.collections.set(
        name,
        new EsCollection(client, `${prefix}-store-${name}`, `${prefix}-store-${name}-v${STORE_MAPPING_VERSION}`),
      )
  }

  /** Opens the store and installs the template; each collection's index and alias is created on first use. Idempotent; safe from several processes. */
  static async open(config: EsConfig, client: Client = createEsClient(config)): Promise<ElasticsearchStore> {
    const prefix = config.esIndexPrefix
    const store = new ElasticsearchStore(client, prefix)
    try {
      const tpl = loadMappingFile<estypes.IndicesPutIndexTemplateRequest>(
        new URL('./mappings/store.v1.json', import.meta.url),
        prefix,
      )
      await client.indices.putIndexTemplate({ ...tpl, name: `${prefix}-store` })
    } catch (e) {
      await client.close()
      throw unavailable('open store', e)
    }
    return store
  }

  collection<T extends Doc>(name: CollectionName): Collection<T> {
    const c = this.collections.get(name)
    if (!c) throw new AppError('INTERNAL', `unknown collection ${name}`)
    return c as unknown as Collection<T>
  }

  async nextSequence(name: string): Promise<number> {
    const c = this.collection<{ id: string; value: number }>('counters')
    const doc = await c.update(name, (cur) => ({ ...cur, value: cur.value + 1 }), {
      createIfMissing: { id: name, value: 1 } as Doc,
    })
    return doc.value
  }

  async snapshot(): Promise<Record<CollectionName, Doc[]>> {
    const out = {} as Record<CollectionName, Doc[]>
    for (const name of COLLECTIONS) out[name] = await this.collection(name).list()
    return out
  }

  async replaceAll(data: Partial<Record<CollectionName, Doc[]>>): Promise<void> {
    for (const name of COLLECTIONS) {
      const docs = data[name]
      if (docs) await this.collections.get(name)!.replace(docs)
    }
  }

  health(): Promise<{ ok: boolean; detail?: string }> {
    return clusterHealth(this.client)
  }

  async close(): Promise<void> {
    await this.client.close()
  }

  /** Deletes every index and alias of this prefix (tests, `taxkb` reset tooling). */
  async destroy(): Promise<void> {
    await this.client.indices.delete({
      index: `${this.prefix}-store-*`,
      ignore_unavailable: true,
      allow_no_indices: true,
    })
    await this.client.indices.deleteIndexTemplate({ name: `${this.prefix}-store` }, { ignore: [404] })
  }
}
