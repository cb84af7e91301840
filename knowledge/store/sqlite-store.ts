/**
 * Store for operational records on Node's built-in SQLite (`node:sqlite`, no native build): one table per
 * collection, `(id TEXT PRIMARY KEY, doc TEXT)` with the document as JSON, expression indexes for the
 * product's queries. Writes are group-committed (GroupCommit below), acknowledged after COMMIT: WAL with
 * synchronous=FULL, so an acknowledged write survives kill -9 and power loss. Several processes may open
 * the same file: writers take the lock with BEGIN IMMEDIATE, retried on a short timer (WriteLock) up to the
 * busy timeout, sequences are one atomic UPSERT … RETURNING, and readers see committed data only.
 * DatabaseSync is synchronous: a statement runs to completion before the event loop continues, so a
 * read-modify-write cannot interleave with another request of this process either.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { AppError } from '../../services/shared/errors.js'
import { loadSqlite } from './load-sqlite.js'
import { indexStatements } from './sqlite-indexes.js'
import { countSql, selectSql } from './sqlite-query.js'
import type { Collection, CollectionName, Doc, ListQuery, Store, UpdateOptions } from './store.js'

const SQLITE_BUSY = 5
const SQLITE_CONSTRAINT_PRIMARYKEY = 1555

export interface SqliteStoreOptions {
  /** Milliseconds a writer waits for another process's transaction before giving up. */
  busyTimeoutMs?: number
  /**
   * FULL (default): the WAL is fsynced on every commit, an acknowledged write survives power loss.
   * NORMAL: fsync at checkpoints only; acknowledged writes survive a process crash (they are in the OS
   * page cache), the last ones may be lost on power loss / OS crash; the database is never corrupted.
   */
  synchronous?: 'FULL' | 'NORMAL'
}

interface SqliteError extends Error {
  errcode?: number
}

function storeError(e: unknown, what: string): AppError {
  if (e instanceof AppError) return e
  const code = (e as SqliteError).errcode
  if (code !== undefined && (code & 0xff) === SQLITE_BUSY) {
    return new AppError('BACKEND_UNAVAILABLE', `store busy (${what}): another process holds the write lock`, {
      cause: e,
    })
  }
  return new AppError('BACKEND_UNAVAILABLE', `store error (${what}): ${(e as Error).message}`, { cause: e })
}

class Statements {
  private readonly cache = new Map<string, StatementSync>()

  constructor(private readonly db: DatabaseSync) {}

  get(sql: string): StatementSync {
    let s = this.cache.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.cache.set(sql, s)
    }
    return s
  }
}

/** True when `e` is SQLITE_BUSY (any extended code): another connection holds the lock. */
function isBusy(e: unknown): boolean {
  const code = (e as SqliteError).errcode
  return code !== undefined && (code & 0xff) === SQLITE_BUSY
}

/** Milliseconds before the next try for the write lock: short and jittered, so a waiter catches the gaps. */
function retryDelayMs(attempt: number): number {
  return Math.min(1 + attempt, 4) * (0.5 + Math.random())
}

function busyError(): SqliteError {
  return Object.assign(new Error('database is locked'), { errcode: SQLITE_BUSY })
}

const sleeper = new Int32Array(new SharedArrayBuffer(4))

/** Runs `fn`, retrying every 0.5–6 ms while it fails with SQLITE_BUSY, for up to `timeoutMs` (blocking). */
function untilNotBusy(fn: () => void, timeoutMs: number): void {
  const deadline = performance.now() + timeoutMs
  for (let attempt = 0; ; attempt++) {
    try {
      fn()
      return
    } catch (e) {
      if (!isBusy(e) || performance.now() >= deadline) throw e
      Atomics.wait(sleeper, 0, 0, retryDelayMs(attempt))
    }
  }
}

/**
 * Takes the write lock of one connection. SQLite's own busy handler is not used for it: it sleeps in steps
 * that grow to 100 ms, so against a process that commits back to back (its lock free for tens of
 * microseconds between transactions) it retries a few dozen times in busy_timeout and can starve — every
 * write of that window then fails. Instead every try is non-blocking (busy_timeout 0 for BEGIN only) and
 * the caller retries every 0.5–6 ms: asynchronously for group commits (the event loop keeps serving),
 * blocking for the rare synchronous bulk paths (open, migration, restore).
 */
class WriteLock {
  /** Transaction control, prepared once: [busy_timeout 0, busy_timeout back, BEGIN IMMEDIATE, COMMIT]. */
  private readonly control: readonly StatementSync[]
  /** Tries that found another connection holding the lock (tests and the bench read it). */
  busyRetries = 0

  constructor(
    private readonly db: DatabaseSync,
    readonly timeoutMs: number,
  ) {
    const wait = `PRAGMA busy_timeout = ${Math.trunc(timeoutMs)}`
    this.control = ['PRAGMA busy_timeout = 0', wait, 'BEGIN IMMEDIATE', 'COMMIT'].map((sql) => db.prepare(sql))
  }

  private run(i: 0 | 1 | 2 | 3): void {
    this.control[i]?.run()
  }

  /** BEGIN IMMEDIATE without waiting: false when another connection holds the write lock. */
  tryBegin(): boolean {
    this.run(0)
    try {
      this.run(2)
      return true
    } catch (e) {
      if (!isBusy(e)) throw e
      this.busyRetries++
      return false
    } finally {
      // reads keep SQLite's busy handler (they meet a lock only during WAL recovery)
      this.run(1)
    }
  }

  /** BEGIN IMMEDIATE, blocking this thread between tries, until `timeoutMs`; throws SQLITE_BUSY after. */
  beginBlocking(): void {
    untilNotBusy(() => {
      if (!this.tryBegin()) throw busyError()
    }, this.timeoutMs)
  }

  /** COMMIT of the transaction begun here; on failure it is rolled back and the error thrown. */
  commit(): void {
    try {
      this.run(3)
    } catch (e) {
      this.rollback()
      throw e
    }
  }

  /** ROLLBACK if a transaction is open. */
  rollback(): void {
    // Not `db.isTransaction`: it is missing before Node 22.16, and SQLite may already have rolled back.
    try {
      this.db.exec('ROLLBACK')
    } catch {
      // no transaction left to roll back
    }
  }

  /** Runs `fn` inside BEGIN IMMEDIATE … COMMIT (ROLLBACK on any throw). */
  inTransaction<R>(fn: () => R): R {
    this.beginBlocking()
    let r: R
    try {
      r = fn()
    } catch (e) {
      this.rollback()
      throw e
    }
    this.commit()
    return r
  }
}

interface PendingWrite {
  fn: () => unknown
  what: string
  queuedAt: number
  resolve: (v: unknown) => void
  reject: (e: unknown) => void
}

/**
 * Group commit: the writes issued while the event loop is busy (one request's session, turn and ledger
 * row; fifty clients' requests) run in ONE write transaction, each in its own SAVEPOINT so a failing write
 * (a CONFLICT) rolls back alone, and are acknowledged together after that COMMIT — one WAL fsync instead
 * of one per write. Durability is unchanged: nothing resolves before the COMMIT that contains it.
 * The flush runs on setImmediate, so a lone write waits one event-loop turn, not a timer. When another
 * process holds the write lock the flush retries on a short timer (WriteLock) while later writes join the
 * queue; a write still queued after the lock timeout fails with BACKEND_UNAVAILABLE, and nothing else
 * does. A read first commits the queue (or, while the lock is taken elsewhere, waits until the queue has
 * committed), so it sees every write issued before it (fire-and-forget audit rows included).
 */
class GroupCommit {
  #pending: PendingWrite[] = []
  #immediate = false
  #retryTimer = false
  #attempt = 0
  #settledWaiters: (() => void)[] = []
  /** Each write's own savepoint: [SAVEPOINT, RELEASE, ROLLBACK TO]. */
  private readonly savepoints: readonly StatementSync[]
  /** Transactions committed (for tests and the bench: fewer than writes under concurrency). */
  commits = 0

  constructor(
    db: DatabaseSync,
    readonly lock: WriteLock,
  ) {
    this.savepoints = ['SAVEPOINT', 'RELEASE', 'ROLLBACK TO'].map((verb) => db.prepare(`${verb} taxkb_write`))
  }

  private savepoint(step: 0 | 1 | 2): void {
    this.savepoints[step]?.run()
  }

  get pending(): number {
    return this.#pending.length
  }

  run<R>(what: string, fn: () => R): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#pending.push({ fn, what, queuedAt: performance.now(), resolve: resolve as (v: unknown) => void, reject })
      if (this.#immediate || this.#retryTimer) return
      this.#immediate = true
      setImmediate(() => {
        this.#immediate = false
        this.tryFlush()
      })
    })
  }

  #scheduleRetry(): void {
    if (this.#retryTimer) return
    this.#retryTimer = true
    setTimeout(
      () => {
        this.#retryTimer = false
        this.tryFlush()
      },
      retryDelayMs(this.#attempt++),
    )
  }

  /**
   * Commits every queued write now if the write lock is free; true when the queue is empty afterwards.
   * While another process holds the lock, writes older than the lock timeout fail and a retry is scheduled.
   */
  tryFlush(): boolean {
    if (this.#pending.length === 0) return true
    let began: boolean
    try {
      began = this.lock.tryBegin()
    } catch (e) {
      this.#failAll(e)
      return true
    }
    if (!began) {
      this.#expire()
      if (this.#pending.length === 0) return true
      this.#scheduleRetry()
      return false
    }
    this.#attempt = 0
    this.#commitBatch(this.#pending.splice(0))
    return true
  }

  /** Commits every queued write now, blocking up to the lock timeout (close, snapshot, bulk transactions). */
  flushBlocking(): void {
    if (this.#pending.length === 0) return
    try {
      this.lock.beginBlocking()
    } catch (e) {
      this.#failAll(e)
      return
    }
    this.#commitBatch(this.#pending.splice(0))
  }

  /** Resolves once every write queued before the call is settled (acknowledged or failed). */
  settled(): Promise<void> {
    if (this.#pending.length === 0) return Promise.resolve()
    return new Promise((resolve) => this.#settledWaiters.push(resolve))
  }

  #wakeWaiters(): void {
    // every write queued before a waiter registered was in the batch just settled (the queue is taken whole)
    for (const w of this.#settledWaiters.splice(0)) w()
  }

  #expire(): void {
    const now = performance.now()
    const expired = this.#pending.filter((b) => now - b.queuedAt >= this.lock.timeoutMs)
    if (expired.length === 0) return
    this.#pending = this.#pending.filter((b) => now - b.queuedAt < this.lock.timeoutMs)
    for (const b of expired) b.reject(storeError(busyError(), b.what))
    if (this.#pending.length === 0) this.#wakeWaiters()
  }

  #failAll(e: unknown): void {
    for (const b of this.#pending.splice(0)) b.reject(storeError(e, b.what))
    this.#wakeWaiters()
  }

  /** Runs `batch` inside the write transaction just begun, commits, then settles every write. */
  #commitBatch(batch: PendingWrite[]): void {
    const results: { ok: boolean; value: unknown }[] = []
    for (const b of batch) {
      this.savepoint(0)
      try {
        const value = b.fn()
        this.savepoint(1)
        results.push({ ok: true, value })
      } catch (e) {
        try {
          this.savepoint(2)
          this.savepoint(1)
        } catch {
          // SQLite may have rolled back the whole transaction (e.g. SQLITE_FULL): COMMIT below fails too
        }
        results.push({ ok: false, value: storeError(e, b.what) })
      }
    }
    try {
      this.lock.commit()
      this.commits++
    } catch (e) {
      for (const b of batch) b.reject(storeError(e, b.what))
      this.#wakeWaiters()
      return
    }
    batch.forEach((b, i) => {
      const r = results[i] as { ok: boolean; value: unknown }
      if (r.ok) b.resolve(r.value)
      else b.reject(r.value)
    })
    this.#wakeWaiters()
  }
}

class SqliteCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly db: DatabaseSync,
    private readonly sql: Statements,
    private readonly table: CollectionName,
    private readonly group: GroupCommit,
  ) {}

  /** A write: queued for the next group commit, acknowledged after its COMMIT. */
  private write<R>(what: string, fn: () => R): Promise<R> {
    return this.group.run(`${this.table}.${what}`, fn)
  }

  private run<R>(what: string, fn: () => R): Promise<R> {
    // A read sees every write issued before it in this process (as without batching): it commits the queue
    // first, or, while another process holds the write lock, runs once the queue has committed.
    if (this.group.tryFlush()) return this.read(what, fn)
    return this.group.settled().then(() => this.read(what, fn))
  }

  private read<R>(what: string, fn: () => R): Promise<R> {
    try {
      return Promise.resolve(fn())
    } catch (e) {
      return Promise.reject(storeError(e, `${this.table}.${what}`))
    }
  }

  private readOne(id: string): T | undefined {
    const row = this.sql.get(`SELECT doc FROM "${this.table}" WHERE id = ?`).get(id) as { doc: string } | undefined
    return row ? (JSON.parse(row.doc) as T) : undefined
  }

  private upsert(doc: T): void {
    this.sql
      .get(`INSERT INTO "${this.table}" (id, doc) VALUES (?, ?) ON CONFLICT(id) DO UPDATE SET doc = excluded.doc`)
      .run(doc.id, JSON.stringify(doc))
  }

  get(id: string): Promise<T | undefined> {
    return this.run('get', () => this.readOne(id))
  }

  getMany(ids: readonly string[]): Promise<T[]> {
    return this.run('getMany', () => {
      const out: T[] = []
      // json_each keeps the statement text fixed whatever the number of ids; order follows `ids`.
      const rows = this.sql
        .get(`SELECT t.doc FROM json_each(?) AS j JOIN "${this.table}" AS t ON t.id = j.value ORDER BY j.key`)
        .all(JSON.stringify(ids)) as { doc: string }[]
      for (const r of rows) out.push(JSON.parse(r.doc) as T)
      return out
    })
  }

  list(query?: ListQuery): Promise<T[]> {
    return this.run('list', () => {
      const { sql, params } = selectSql(this.table, query)
      return (this.sql.get(sql).all(...params) as { doc: string }[]).map((r) => JSON.parse(r.doc) as T)
    })
  }

  count(query?: Pick<ListQuery, 'where' | 'range'>): Promise<number> {
    return this.run('count', () => {
      const { sql, params } = countSql(this.table, query)
      return Number((this.sql.get(sql).get(...params) as { n: number }).n)
    })
  }

  put(doc: T): Promise<void> {
    return this.write('put', () => this.upsert(doc))
  }

  putMany(docs: readonly T[]): Promise<void> {
    // all or nothing: the batch's SAVEPOINT rolls every row back if one fails
    return this.write('putMany', () => {
      for (const d of docs) this.upsert(d)
    })
  }

  create(doc: T): Promise<void> {
    return this.write('create', () => {
      try {
        this.sql.get(`INSERT INTO "${this.table}" (id, doc) VALUES (?, ?)`).run(doc.id, JSON.stringify(doc))
      } catch (e) {
        if ((e as SqliteError).errcode === SQLITE_CONSTRAINT_PRIMARYKEY)
          throw new AppError('CONFLICT', `document ${doc.id} exists`)
        throw e
      }
    })
  }

  update(id: string, mutate: (current: T) => T, options?: UpdateOptions): Promise<T> {
    // inside the group's transaction: the read, the mutation and the write are one atomic step
    return this.write('update', () => {
      const cur = this.readOne(id)
      if (cur === undefined) {
        if (!options?.createIfMissing) throw new AppError('NOT_FOUND', `document ${id}`)
        const created = structuredClone(options.createIfMissing) as T
        this.upsert(created)
        return created
      }
      const next = mutate(cur)
      if (next.id !== id) throw new AppError('VALIDATION_FAILED', 'update must not change the id')
      this.upsert(next)
      return JSON.parse(JSON.stringify(next)) as T
    })
  }

  remove(ids: readonly string[]): Promise<number> {
    return this.write('remove', () => {
      const r = this.sql
        .get(`DELETE FROM "${this.table}" WHERE id IN (SELECT value FROM json_each(?))`)
        .run(JSON.stringify(ids))
      return Number(r.changes)
    })
  }

  /** Every document (snapshot/backup); callers hold a read transaction for consistency. */
  all(): T[] {
    return (this.sql.get(`SELECT doc FROM "${this.table}" ORDER BY id`).all() as { doc: string }[]).map(
      (r) => JSON.parse(r.doc) as T,
    )
  }

  /** Replaces every document; the caller holds the write transaction. */
  replaceInTransaction(docs: readonly Doc[]): void {
    this.db.exec(`DELETE FROM "${this.table}"`)
    for (const d of docs) this.upsert(d as T)
  }

  /** Bulk insert inside the caller's transaction (migration, bench pre-fill). */
  insertInTransaction(docs: readonly Doc[]): void {
    for (const d of docs) this.upsert(d as T)
  }
}

export class SqliteStore implements Store {
  readonly kind = 'sqlite' as const
  private readonly collections = new Map<CollectionName, SqliteCollection<Doc>>()
  private readonly sql: Statements
  private closed = false
  /** This connection's way to the write lock, shared with other processes. */
  readonly lock: WriteLock
  /** One group commit per connection: every collection's writes share its transactions. */
  readonly group: GroupCommit

  private constructor(
    readonly db: DatabaseSync,
    readonly file: string,
    names: readonly CollectionName[],
    busyTimeoutMs: number,
  ) {
    this.sql = new Statements(db)
    this.lock = new WriteLock(db, busyTimeoutMs)
    this.group = new GroupCommit(db, this.lock)
    for (const name of names) this.collections.set(name, new SqliteCollection(db, this.sql, name, this.group))
  }

  /** Opens (creating when absent) the database file with the tables of `names`. */
  static async open(
    file: string,
    names: readonly CollectionName[],
    options: SqliteStoreOptions = {},
  ): Promise<SqliteStore> {
    const { DatabaseSync } = await loadSqlite()
    const dir = path.dirname(file)
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    // SQLite gives its -wal and -shm files the mode of the database file: create that one 0600 first.
    fs.closeSync(fs.openSync(file, 'a', 0o600))
    fs.chmodSync(file, 0o600)
    const busyTimeoutMs = options.busyTimeoutMs ?? 5000
    let store: SqliteStore
    try {
      const db = new DatabaseSync(file, { timeout: busyTimeoutMs })
      // WAL lets readers run beside the one writer; FULL syncs the WAL on every commit, so an
      // acknowledged write is on disk (0.15 ms per commit on this machine when idle, 1.5–2 ms under load).
      // Also as a pragma: the `timeout` option only exists from Node 22.16 (engines allow 22.13).
      db.exec(`PRAGMA busy_timeout = ${Math.trunc(busyTimeoutMs)}`)
      // Switching a new file to WAL takes an exclusive lock, and SQLite answers SQLITE_BUSY at once (no busy
      // handler) when another process opens the same new file at that moment: retried like the write lock.
      untilNotBusy(() => db.exec('PRAGMA journal_mode = WAL'), busyTimeoutMs)
      db.exec(`PRAGMA synchronous = ${options.synchronous === 'NORMAL' ? 'NORMAL' : 'FULL'}`)
      db.exec('PRAGMA foreign_keys = OFF')
      // 8 MB page cache (default 2 MB): far more than the interior pages of the ledger's indexes at 1M rows, so
      // they stay in memory; the leaves a write touches at random (sessions by id) come from the OS page cache.
      // 32 MB filled up under load with history and was 7–25 MB of RSS after load, for no throughput measured.
      db.exec('PRAGMA cache_size = -8192')
      store = new SqliteStore(db, file, names, busyTimeoutMs)
      store.lock.inTransaction(() => {
        for (const name of names) {
          db.exec(`CREATE TABLE IF NOT EXISTS "${name}" (id TEXT PRIMARY KEY NOT NULL, doc TEXT NOT NULL)`)
          for (const stmt of indexStatements(name)) db.exec(stmt)
        }
        db.exec('CREATE TABLE IF NOT EXISTS "_taxkb" (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL)')
      })
    } catch (e) {
      throw storeError(e, `open ${file}`)
    }
    return store
  }

  has(name: CollectionName): boolean {
    return this.collections.has(name)
  }

  collection<T extends Doc>(name: CollectionName): Collection<T> {
    const c = this.collections.get(name)
    if (!c) throw new AppError('INTERNAL', `collection ${name} is not in the SQLite store`)
    return c as unknown as Collection<T>
  }

  async nextSequence(name: string): Promise<number> {
    if (!this.collections.has('counters')) throw new AppError('INTERNAL', 'counters are not in the SQLite store')
    // A write like any other: inside the group's transaction (which holds the write lock, so it is atomic
    // across processes), acknowledged after its COMMIT. Same {id, value} shape as lowdb.
    return this.group.run('counters.nextSequence', () => {
      const row = this.sql
        .get(
          `INSERT INTO "counters" (id, doc) VALUES (?, json_object('id', ?, 'value', 1))
         ON CONFLICT(id) DO UPDATE SET doc = json_set(doc, '$.value', coalesce(json_extract(doc, '$.value'), 0) + 1)
         RETURNING json_extract(doc, '$.value') AS value`,
        )
        .get(name, name) as { value: number }
      return Number(row.value)
    })
  }

  /** A read transaction over every collection: one consistent point in time, while writers go on. */
  readConsistent<R>(fn: () => R): R {
    this.group.flushBlocking() // writes issued before the snapshot are in it
    this.db.exec('BEGIN')
    try {
      return fn()
    } finally {
      this.db.exec('COMMIT')
    }
  }

  /** Runs `fn` in one write transaction (bulk loads: migration, bench pre-fill, restore). */
  writeTransaction<R>(fn: () => R): R {
    this.group.flushBlocking() // keep the order in which writes were issued
    return this.lock.inTransaction(fn)
  }

  /** Bulk insert into `name` inside writeTransaction(). */
  insertMany(name: CollectionName, docs: readonly Doc[]): void {
    this.collections.get(name)!.insertInTransaction(docs)
  }

  getMarker(key: string): string | undefined {
    return (this.sql.get('SELECT value FROM "_taxkb" WHERE key = ?').get(key) as { value: string } | undefined)?.value
  }

  setMarker(key: string, value: string): void {
    this.sql
      .get('INSERT INTO "_taxkb" (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value')
      .run(key, value)
  }

  async snapshot(): Promise<Record<CollectionName, Doc[]>> {
    const out = {} as Record<CollectionName, Doc[]>
    this.readConsistent(() => {
      for (const [name, c] of this.collections) out[name] = c.all()
    })
    return out
  }

  async replaceAll(data: Partial<Record<CollectionName, Doc[]>>): Promise<void> {
    try {
      this.group.flushBlocking()
      this.lock.inTransaction(() => {
        for (const [name, c] of this.collections) {
          const docs = data[name]
          if (docs) c.replaceInTransaction(docs)
        }
      })
    } catch (e) {
      throw storeError(e, 'replaceAll')
    }
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      this.sql.get('SELECT 1').get()
      return { ok: true }
    } catch (e) {
      return { ok: false, detail: (e as Error).message }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.group.flushBlocking() // queued writes are committed (and acknowledged) before the connection goes
    this.db.close()
  }
}
