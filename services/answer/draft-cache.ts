/**
 * Composed consultation replies for repeated questions. 12366 traffic repeats itself (起征点, 个税 rates, how to
 * 注销 — the same words from many taxpayers within minutes), and composing one reply is most of a turn's CPU:
 * retrieval, passage ranking, the abstention model. A reply is a pure function of what the key holds — the question
 * as retrieved (after follow-up resolution), the region, the China date, the synonym switch — and of the knowledge
 * behind the index, so it is reused only while all of those are the same:
 * - the key holds the resolved question, the region code and today's China date;
 * - every change to the index (publish, retire, rollback, import, lexicon reload) calls `invalidate()` before and
 *   after it (services/answer/invalidating-index.ts), which empties the cache and bumps a generation; a reply
 *   whose composition started under an older generation is returned but never stored, so a reply built from the
 *   old index cannot outlive the change;
 * - entries expire after `ttlMs` anyway: several servers on one Elasticsearch index do not see each other's
 *   publishes, and this bounds how long one of them may serve the replaced text.
 * Only what the taxpayer reads is cached: sessions, turns and the ledger row are still written on every turn, and
 * tickets, greetings and LLM replies never pass through here. A stored draft is a frozen copy (it shares nothing
 * with the store's or the index's objects), so no caller can change what the next taxpayer receives.
 */
import { Gauge, type Registry } from 'prom-client'
import { LruCache } from '../search/embedder.js'
import type { Clock } from '../shared/clock.js'

interface Held<T> {
  value: T
  at: number
}

export interface DraftCacheStats {
  hits: number
  misses: number
  size: number
  generation: number
}

/** Recursively frozen: an object graph no caller can change (arrays, plain objects). */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value)
    for (const v of Object.values(value as object)) deepFreeze(v)
  }
  return value
}

export class DraftCache<T extends object> {
  readonly #lru: LruCache<string, Held<T>>
  #generation = 0
  #hits = 0
  #misses = 0

  constructor(
    readonly capacity: number,
    readonly ttlMs: number,
    private readonly clock: Clock,
  ) {
    this.#lru = new LruCache(capacity)
  }

  get enabled(): boolean {
    return this.capacity > 0 && this.ttlMs > 0
  }

  /** The cached value for `key`, or `compute()`'s (stored when nothing changed the knowledge meanwhile). */
  async through(key: string, compute: () => Promise<T>): Promise<T> {
    if (!this.enabled) return compute()
    const now = this.clock.now().getTime()
    const held = this.#lru.get(key)
    if (held && now - held.at < this.ttlMs) {
      this.#hits++
      return held.value
    }
    this.#misses++
    const generation = this.#generation
    const value = await compute()
    if (generation === this.#generation) this.#lru.set(key, { value: deepFreeze(structuredClone(value)), at: now })
    return value
  }

  /** The knowledge changed (or is about to): nothing cached so far may be served again. */
  invalidate(): void {
    this.#generation++
    this.#lru.clear()
  }

  stats(): DraftCacheStats {
    return { hits: this.#hits, misses: this.#misses, size: this.#lru.size, generation: this.#generation }
  }

  /** Hits, misses and size in /metrics (counts only: never a question or a key). */
  register(registry: Registry): void {
    const cache = this
    new Gauge({
      name: 'taxkb_answer_cache_lookups',
      help: 'Replies looked up in the answer cache since start, by result (hit: served without composing)',
      labelNames: ['result'],
      registers: [registry],
      collect() {
        this.set({ result: 'hit' }, cache.#hits)
        this.set({ result: 'miss' }, cache.#misses)
      },
    })
    new Gauge({
      name: 'taxkb_answer_cache_entries',
      help: 'Replies held in the answer cache',
      registers: [registry],
      collect() {
        this.set(cache.#lru.size)
      },
    })
  }
}
