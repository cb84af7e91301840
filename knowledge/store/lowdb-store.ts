/**
 * Embedded default Store: one lowdb JSON file per collection under TAXKB_DATA_DIR.
 * lowdb writes through steno (temp file + rename), so a file is either the old or the new version, never
 * half-written; every mutation goes through one promise queue per collection and is acknowledged only
 * after its write has been renamed into place.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Low } from 'lowdb'
import { DataFile } from 'lowdb/node'
import { AppError } from '../../services/shared/errors.js'
import {
  applyListQuery,
  COLLECTIONS,
  matchesQuery,
  type Collection,
  type CollectionName,
  type Doc,
  type ListQuery,
  type Store,
  type UpdateOptions,
} from './store.js'

interface FileShape {
  docs: Record<string, Doc>
}

/** Ids are data: keep them in prototype-less maps so `constructor` or `__proto__` is just another id. */
function idMap<T>(from?: Record<string, T>): Record<string, T> {
  const out = Object.create(null) as Record<string, T>
  if (from) for (const k of Object.keys(from)) out[k] = from[k]!
  return out
}

/** Reads a collection file into `db` (a missing file is an empty collection). */
async function readFile(db: Low<FileShape>, file: string): Promise<void> {
  try {
    await db.read()
  } catch (e) {
    throw new AppError('BACKEND_UNAVAILABLE', `cannot read ${file}: ${(e as Error).message}`, { cause: e })
  }
  if (!db.data || typeof db.data !== 'object' || typeof db.data.docs !== 'object' || db.data.docs === null)
    db.data = { docs: idMap() }
  else db.data.docs = idMap(db.data.docs)
}

class LowCollection<T extends Doc> implements Collection<T> {
  private queue: Promise<unknown> = Promise.resolve()
  /** A lazy collection's file read, started by its first use; null once read (or for an eager one). */
  #unread: (() => Promise<void>) | null
  #reading: Promise<void> | null = null

  constructor(
    private readonly db: Low<FileShape>,
    read?: () => Promise<void>,
  ) {
    this.#unread = read ?? null
  }

  private get docs(): Record<string, T> {
    return this.db.data.docs as Record<string, T>
  }

  /** Resolves once the file is in memory; a failed read is tried again by the next call. */
  private loaded(): Promise<void> | null {
    const read = this.#unread
    if (!read) return null
    this.#reading ??= read().then(
      () => {
        this.#unread = null
        this.#reading = null
      },
      (e: unknown) => {
        this.#reading = null
        throw e
      },
    )
    return this.#reading
  }

  /** Serialises a mutation and its write; resolves after the data is on disk. */
  private enqueue<R>(fn: () => R): Promise<R> {
    const run = this.queue.then(async () => {
      await this.loaded()
      const result = fn()
      await this.db.write()
      return result
    })
    this.queue = run.catch(() => undefined)
    return run
  }

  async get(id: string): Promise<T | undefined> {
    await this.loaded()
    const d = this.docs[id]
    return d === undefined ? undefined : structuredClone(d)
  }

  async getMany(ids: readonly string[]): Promise<T[]> {
    await this.loaded()
    const out: T[] = []
    for (const id of ids) {
      const d = this.docs[id]
      if (d !== undefined) out.push(structuredClone(d))
    }
    return out
  }

  async list(query?: ListQuery): Promise<T[]> {
    await this.loaded()
    return applyListQuery(Object.values(this.docs), query).map((d) => structuredClone(d))
  }

  async count(query?: Pick<ListQuery, 'where' | 'range'>): Promise<number> {
    await this.loaded()
    if (!query) return Object.keys(this.docs).length
    let n = 0
    for (const d of Object.values(this.docs)) if (matchesQuery(d as unknown as Record<string, unknown>, query)) n++
    return n
  }

  put(doc: T): Promise<void> {
    const copy = structuredClone(doc)
    return this.enqueue(() => {
      this.docs[copy.id] = copy
    })
  }

  putMany(docs: readonly T[]): Promise<void> {
    const copies = docs.map((d) => structuredClone(d))
    return this.enqueue(() => {
      for (const d of copies) this.docs[d.id] = d
    })
  }

  create(doc: T): Promise<void> {
    const copy = structuredClone(doc)
    return this.enqueue(() => {
      if (this.docs[copy.id] !== undefined) throw new AppError('CONFLICT', `document ${copy.id} exists`)
      this.docs[copy.id] = copy
    })
  }

  update(id: string, mutate: (current: T) => T, options?: UpdateOptions): Promise<T> {
    return this.enqueue(() => {
      const cur = this.docs[id]
      if (cur === undefined) {
        if (!options?.createIfMissing) throw new AppError('NOT_FOUND', `document ${id}`)
        const created = structuredClone(options.createIfMissing) as T
        this.docs[id] = created
        return structuredClone(created)
      }
      const next = mutate(structuredClone(cur))
      if (next.id !== id) throw new AppError('VALIDATION_FAILED', 'update must not change the id')
      this.docs[id] = next
      return structuredClone(next)
    })
  }

  remove(ids: readonly string[]): Promise<number> {
    return this.enqueue(() => {
      let n = 0
      for (const id of ids) {
        if (this.docs[id] !== undefined) {
          delete this.docs[id]
          n++
        }
      }
      return n
    })
  }

  /** Replace all documents (restore). */
  replace(docs: readonly Doc[]): Promise<void> {
    const copy = idMap<Doc>()
    for (const d of docs) copy[d.id] = structuredClone(d)
    return this.enqueue(() => {
      this.db.data.docs = copy
    })
  }

  async flush(): Promise<void> {
    await this.queue
  }
}

export class LowdbStore implements Store {
  readonly kind = 'lowdb' as const
  private readonly collections = new Map<CollectionName, LowCollection<Doc>>()

  private constructor(
    readonly dir: string,
    private readonly names: readonly CollectionName[],
  ) {}

  /**
   * Opens one file per collection of `names` (default: all; the embedded store keeps only knowledge here). The
   * `lazy` ones are read on their first use, not here (a chat server never reads `versions`, 10 MB of JSON).
   */
  static async open(
    dir: string,
    names: readonly CollectionName[] = COLLECTIONS,
    lazy: readonly CollectionName[] = [],
  ): Promise<LowdbStore> {
    fs.mkdirSync(dir, { recursive: true })
    const store = new LowdbStore(dir, names)
    for (const name of names) {
      const file = path.join(dir, `${name}.json`)
      // Compact JSON: the default pretty printer doubles file size and write time for large collections.
      const adapter = new DataFile<FileShape>(file, { parse: JSON.parse, stringify: (d) => JSON.stringify(d) })
      const db = new Low<FileShape>(adapter, { docs: idMap() })
      const read = () => readFile(db, file)
      if (lazy.includes(name)) store.collections.set(name, new LowCollection(db, read))
      else {
        await read()
        store.collections.set(name, new LowCollection(db))
      }
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
    // Wait for queued writes so the copy matches what has been acknowledged.
    await Promise.all([...this.collections.values()].map((c) => c.flush()))
    const out = {} as Record<CollectionName, Doc[]>
    for (const name of this.names) out[name] = await this.collection(name).list()
    return out
  }

  async replaceAll(data: Partial<Record<CollectionName, Doc[]>>): Promise<void> {
    for (const name of this.names) {
      const docs = data[name]
      if (docs) await this.collections.get(name)!.replace(docs)
    }
  }

  async health(): Promise<{ ok: boolean; detail?: string }> {
    try {
      fs.accessSync(this.dir, fs.constants.W_OK)
      return { ok: true }
    } catch (e) {
      return { ok: false, detail: (e as Error).message }
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.collections.values()].map((c) => c.flush()))
  }
}
