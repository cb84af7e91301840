/**
 * The embedded Store (TAXKB_BACKEND=embedded): routes each collection to the engine that suits it.
 * - Knowledge (`entries`, `versions`): lowdb JSON files — curated, small, rarely written, worth diffing.
 *   lowdb keeps them in memory and rewrites whole files, so only one process may write them: the
 *   `knowledge.lock` holder. Another process opening the same directory reads them and refuses knowledge
 *   writes with DATA_DIR_LOCKED.
 * - Everything else (sessions, ledger, tickets, ratings, audit, users, counters, meta, bookings, surveys):
 *   SQLite in `operational.sqlite` — per-record transactional writes, indexes, safe for several processes.
 * A data directory from the lowdb-only release is migrated on first open (migrate-lowdb.ts).
 */
import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../services/shared/errors.js'
import { acquireLock, type DataDirLock } from './data-dir-lock.js'
import { LowdbStore } from './lowdb-store.js'
import { migrateLowdbFiles, type MigrationResult } from './migrate-lowdb.js'
import { SqliteStore, type SqliteStoreOptions } from './sqlite-store.js'
import {
  COLLECTIONS,
  type Collection,
  type CollectionName,
  type Doc,
  type ListQuery,
  type Store,
  type UpdateOptions,
} from './store.js'

export const KNOWLEDGE_COLLECTIONS: readonly CollectionName[] = ['entries', 'versions']
export const OPERATIONAL_COLLECTIONS: readonly CollectionName[] = COLLECTIONS.filter(
  (c) => !KNOWLEDGE_COLLECTIONS.includes(c),
)
export const SQLITE_FILE = 'operational.sqlite'
export const KNOWLEDGE_LOCK = 'knowledge.lock'

/** Reads pass through; writes fail with DATA_DIR_LOCKED naming the process that holds the lock. */
class ReadOnlyCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly inner: Collection<T>,
    private readonly refuse: () => AppError,
  ) {}

  get(id: string) {
    return this.inner.get(id)
  }
  getMany(ids: readonly string[]) {
    return this.inner.getMany(ids)
  }
  list(query?: ListQuery) {
    return this.inner.list(query)
  }
  count(query?: Pick<ListQuery, 'where' | 'range'>) {
    return this.inner.count(query)
  }
  put(): Promise<void> {
    return Promise.reject(this.refuse())
  }
  putMany(): Promise<void> {
    return Promise.reject(this.refuse())
  }
  create(): Promise<void> {
    return Promise.reject(this.refuse())
  }
  update(_id: string, _mutate: (current: T) => T, _options?: UpdateOptions): Promise<T> {
    return Promise.reject(this.refuse())
  }
  remove(): Promise<number> {
    return Promise.reject(this.refuse())
  }
}

export class EmbeddedStore implements Store {
  readonly kind = 'embedded' as const

  private constructor(
    readonly dir: string,
    readonly sqlite: SqliteStore,
    private readonly knowledge: LowdbStore,
    readonly knowledgeLock: DataDirLock,
    readonly migration: MigrationResult,
  ) {}

  /**
   * `knowledge` names the knowledge files to read (default both): a one-shot search reads entries only and
   * skips the 10 MB versions file; asking such a store for another knowledge collection is an error.
   */
  static async open(
    dir: string,
    options: SqliteStoreOptions & { knowledge?: readonly CollectionName[] } = {},
  ): Promise<EmbeddedStore> {
    if (!fs.existsSync(dir)) fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
    const sqlite = await SqliteStore.open(path.join(dir, SQLITE_FILE), OPERATIONAL_COLLECTIONS, options)
    let lock: DataDirLock | undefined
    try {
      const migration = migrateLowdbFiles(sqlite, dir, OPERATIONAL_COLLECTIONS)
      lock = acquireLock(path.join(dir, KNOWLEDGE_LOCK))
      const names = options.knowledge?.filter((n) => KNOWLEDGE_COLLECTIONS.includes(n)) ?? KNOWLEDGE_COLLECTIONS
      // versions (every entry's history, as large as the entries) is read when first asked for: chat never does
      const knowledge = await LowdbStore.open(dir, names, ['versions'])
      return new EmbeddedStore(dir, sqlite, knowledge, lock, migration)
    } catch (e) {
      lock?.release()
      await sqlite.close()
      throw e
    }
  }

  /** True when this process may write the knowledge files (and the search snapshot). */
  get knowledgeWritable(): boolean {
    return this.knowledgeLock.held
  }

  private refusal(): AppError {
    const h = this.knowledgeLock.holder
    const who = h ? `进程 ${h.pid}（${h.host}，自 ${h.at}）` : '另一个进程'
    return new AppError(
      'DATA_DIR_LOCKED',
      `knowledge files are written by pid ${h?.pid ?? '?'} (${this.knowledgeLock.file})`,
      {
        userMessage:
          `知识库文件由${who}维护（数据目录中的锁文件 ${KNOWLEDGE_LOCK}）；` +
          '本进程只能读取知识库。请在该进程中修改知识，或先停止它再操作',
      },
    )
  }

  collection<T extends Doc>(name: CollectionName): Collection<T> {
    if (!KNOWLEDGE_COLLECTIONS.includes(name)) return this.sqlite.collection<T>(name)
    const c = this.knowledge.collection<T>(name)
    return this.knowledgeLock.held ? c : new ReadOnlyCollection(c, () => this.refusal())
  }

  nextSequence(name: string): Promise<number> {
    return this.sqlite.nextSequence(name)
  }

  async snapshot(): Promise<Record<CollectionName, Doc[]>> {
    return { ...(await this.knowledge.snapshot()), ...(await this.sqlite.snapshot()) }
  }

  async replaceAll(data: Partial<Record<CollectionName, Doc[]>>): Promise<void> {
    const touchesKnowledge = KNOWLEDGE_COLLECTIONS.some((n) => data[n] !== undefined)
    if (touchesKnowledge && !this.knowledgeLock.held) throw this.refusal()
    await this.sqlite.replaceAll(data)
    if (touchesKnowledge) await this.knowledge.replaceAll(data)
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    const [a, b] = await Promise.all([this.sqlite.health(), this.knowledge.health()])
    if (!a.ok) return a
    if (!b.ok || this.knowledgeLock.held) return b
    return {
      ok: true,
      detail: `knowledge read-only: ${KNOWLEDGE_LOCK} held by pid ${this.knowledgeLock.holder?.pid ?? '?'}`,
    }
  }

  async close(): Promise<void> {
    try {
      await this.knowledge.close()
    } finally {
      this.knowledgeLock.release()
      await this.sqlite.close()
    }
  }
}
