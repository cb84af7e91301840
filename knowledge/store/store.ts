/**
 * The Store port: named document collections with engine-neutral queries. Implementations: lowdb
 * (embedded default) and Elasticsearch. Every implementation passes test/contract/store.contract.ts.
 */
export interface Doc {
  id: string
}

export type Scalar = string | number | boolean | null

export interface ListQuery {
  /** Field equals value (or is one of the values when an array is given). Dotted paths are not supported. */
  where?: Record<string, Scalar | Scalar[]>
  /** Inclusive lower / exclusive upper bound on one field (ISO strings or numbers). */
  range?: { field: string; gte?: string | number; lt?: string | number }
  sort?: { field: string; order: 'asc' | 'desc' }
  limit?: number
  offset?: number
}

export interface UpdateOptions {
  /** Create the document with this value when it does not exist (the mutator is not called). */
  createIfMissing?: Doc
}

export interface Collection<T extends Doc> {
  get(id: string): Promise<T | undefined>
  getMany(ids: readonly string[]): Promise<T[]>
  list(query?: ListQuery): Promise<T[]>
  count(query?: Pick<ListQuery, 'where' | 'range'>): Promise<number>
  put(doc: T): Promise<void>
  putMany(docs: readonly T[]): Promise<void>
  /**
   * Inserts a document only if no document has its id; throws AppError CONFLICT otherwise. The store
   * decides (unique key / conditional write), so two concurrent creators of one id never both succeed:
   * the primitive behind claims such as one booking per seat.
   */
  create(doc: T): Promise<void>
  /**
   * Read-modify-write of one document. Serialised per collection on lowdb; optimistic concurrency with
   * retries on Elasticsearch. Throws AppError NOT_FOUND when missing (unless createIfMissing), CONFLICT
   * when concurrent writers keep winning.
   */
  update(id: string, mutate: (current: T) => T, options?: UpdateOptions): Promise<T>
  remove(ids: readonly string[]): Promise<number>
}

export const COLLECTIONS = [
  'entries',
  'versions',
  'tickets',
  'sessions',
  'ledger',
  'users',
  'audit',
  'ratings',
  'meta',
  'counters',
  // 网上预约办税 (booking)
  'halls',
  'appointments',
  'seats',
  'phone_codes',
  'person_locks',
  'queue_status',
  // 征纳互动 (feedback and surveys)
  'feedback',
  'surveys',
  'survey_responses',
  'survey_claims',
  'followups',
  // operations dashboard: per-day pre-aggregated figures (services/ops/dashboard-day-store.ts)
  'dashboard_days',
] as const
export type CollectionName = (typeof COLLECTIONS)[number]

export interface Store {
  readonly kind: 'lowdb' | 'elasticsearch' | 'sqlite' | 'embedded'
  collection<T extends Doc>(name: CollectionName): Collection<T>
  /** Atomically increments a named counter and returns the new value (ticket numbers). */
  nextSequence(name: string): Promise<number>
  /** Consistent copy of every collection (for backups). */
  snapshot(): Promise<Record<CollectionName, Doc[]>>
  /** Replaces every collection with the given data (restore). */
  replaceAll(data: Partial<Record<CollectionName, Doc[]>>): Promise<void>
  health(): Promise<{ ok: boolean; detail?: string }>
  close(): Promise<void>
}

/** Pure helpers shared by implementations that evaluate queries in memory. */
export function matchesQuery(doc: Record<string, unknown>, q: Pick<ListQuery, 'where' | 'range'> | undefined): boolean {
  if (!q) return true
  if (q.where) {
    for (const [field, want] of Object.entries(q.where)) {
      const have = doc[field] === undefined ? null : doc[field]
      if (Array.isArray(want) ? !want.includes(have as Scalar) : have !== want) return false
    }
  }
  if (q.range) {
    const v = doc[q.range.field] as string | number | undefined
    if (v === undefined || v === null) return false
    if (q.range.gte !== undefined && v < q.range.gte) return false
    if (q.range.lt !== undefined && v >= q.range.lt) return false
  }
  return true
}

export function applyListQuery<T extends Doc>(docs: Iterable<T>, q: ListQuery | undefined): T[] {
  let out: T[] = []
  for (const d of docs) if (matchesQuery(d as unknown as Record<string, unknown>, q)) out.push(d)
  if (q?.sort) {
    const { field, order } = q.sort
    const dir = order === 'asc' ? 1 : -1
    out.sort((a, b) => {
      const av = (a as unknown as Record<string, string | number>)[field]
      const bv = (b as unknown as Record<string, string | number>)[field]
      if (av === bv) return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
      if (av === undefined || av === null) return 1
      if (bv === undefined || bv === null) return -1
      return av < bv ? -dir : dir
    })
  }
  const offset = q?.offset ?? 0
  if (offset > 0 || q?.limit !== undefined)
    out = out.slice(offset, q?.limit === undefined ? undefined : offset + q.limit)
  return out
}
