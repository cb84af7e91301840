/**
 * The vector side of retrieval (only when an Embedder is configured): one vector per published entry an
 * answer can use, computed when the container starts and cached on disk per embedder, keyed by
 * id + version, so a restart or an unchanged entry never re-embeds. Entries changed later are picked up by
 * sync() (called at most once a minute from search).
 */
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import type { Entry } from '../../knowledge/entry.js'
import type { Store } from '../../knowledge/store/store.js'
import type { Embedder } from '../search/embedder.js'
import { VectorIndex, type Scored } from '../search/rank-fusion.js'

const EMBED_KINDS = new Set(['faq', 'law-article', 'guide', 'notice'])
const BATCH = 32
const RESYNC_MS = 60_000
/** Characters of an entry that are embedded (small models have short windows anyway). */
const MAX_CHARS = 512

export function embeddingText(e: Entry): string {
  return `${e.title}\n${e.question ?? ''}\n${e.body}`.slice(0, MAX_CHARS)
}

export class EntryVectors {
  readonly #index = new VectorIndex()
  /** id → `${version}` of the stored vector */
  readonly #versions = new Map<string, number>()
  readonly #meta = new Map<string, Entry>()
  #cache = new Map<string, { version: number; vector: Float32Array }>()
  #syncedAt = 0
  #syncing: Promise<void> | null = null

  constructor(
    private readonly embedder: Embedder,
    private readonly store: Store,
    private readonly cacheFile: string | null,
    private readonly now: () => number = Date.now,
  ) {
    if (cacheFile && fs.existsSync(cacheFile)) {
      try {
        const data = v8.deserialize(fs.readFileSync(cacheFile)) as { embedder: string; rows: [string, number, Float32Array][] }
        for (const [id, version, vector] of data.rows) this.#cache.set(id, { version, vector })
      } catch {
        this.#cache = new Map()
      }
    }
  }

  get size(): number {
    return this.#index.size
  }

  /** Brings vectors in step with the store: embeds new or changed entries, drops removed ones. */
  sync(): Promise<void> {
    this.#syncing ??= this.#sync().finally(() => (this.#syncing = null))
    return this.#syncing
  }

  async #sync(): Promise<void> {
    const entries = (await this.store.collection<Entry>('entries').list()).filter((e) => EMBED_KINDS.has(e.kind) && e.status === 'published')
    const live = new Set(entries.map((e) => e.id))
    for (const id of [...this.#versions.keys()]) if (!live.has(id)) {
      this.#index.remove(id)
      this.#versions.delete(id)
      this.#meta.delete(id)
    }
    const todo: Entry[] = []
    for (const e of entries) {
      this.#meta.set(e.id, e)
      if (this.#versions.get(e.id) === e.version) continue
      const cached = this.#cache.get(e.id)
      if (cached && cached.version === e.version && (this.#index.dimensions === 0 || cached.vector.length === this.#index.dimensions)) {
        this.#index.upsert(e.id, cached.vector)
        this.#versions.set(e.id, e.version)
      } else todo.push(e)
    }
    for (let i = 0; i < todo.length; i += BATCH) {
      const batch = todo.slice(i, i + BATCH)
      const vectors = await this.embedder.embed(batch.map(embeddingText))
      batch.forEach((e, j) => {
        const v = vectors[j] as Float32Array
        this.#index.upsert(e.id, v)
        this.#versions.set(e.id, e.version)
        this.#cache.set(e.id, { version: e.version, vector: v })
      })
    }
    if (todo.length > 0 && this.cacheFile) {
      fs.mkdirSync(path.dirname(this.cacheFile), { recursive: true })
      const rows = [...this.#cache].filter(([id]) => live.has(id)).map(([id, c]) => [id, c.version, c.vector] as const)
      const tmp = `${this.cacheFile}.tmp`
      fs.writeFileSync(tmp, v8.serialize({ embedder: this.embedder.name, rows }))
      fs.renameSync(tmp, this.cacheFile)
    }
    this.#syncedAt = this.now()
  }

  async search(query: string, k: number, accept: (e: Entry) => boolean): Promise<Scored[]> {
    if (this.#syncedAt === 0 || this.now() - this.#syncedAt > RESYNC_MS) await this.sync()
    if (this.#index.size === 0) return []
    const [q] = await this.embedder.embed([query])
    if (!q) return []
    return this.#index.search(q, k, (id) => {
      const e = this.#meta.get(id)
      return e !== undefined && accept(e)
    })
  }
}
