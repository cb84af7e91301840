/**
 * Keeps the dashboard's stored day aggregates honest: a Store decorator that, after every write to the
 * ledger, ratings or tickets, bumps the generation of every China day the written records count on
 * (daysTouchedBy: a row or rating by `at`, a ticket by `createdAt`, before and after an update, and the
 * days that read them), so a late row or a ticket answered days later makes those closed days stale and
 * they are rebuilt on the next read. A restore without aggregates drops them. One decorator in the
 * composition root, so no write path can forget it. Today is never stored, so today's own writes (every chat
 * turn) bump nothing — except in the last minutes before China midnight, when a rebuild of the day that is
 * about to close could start before the write lands.
 */
import type { Collection, CollectionName, Doc, Store, UpdateOptions } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { DAY_COLLECTION, daysTouchedBy, touchDays } from './dashboard-day-store.js'
import { chinaDay } from './dashboard-report.js'

/** Before China midnight, writes to today bump its generation too (a write in flight longer is implausible). */
const CLOSING_MS = 10 * 60_000

const SUMMARISED = ['ledger', 'ratings', 'tickets'] as const
type Summarised = (typeof SUMMARISED)[number]
const isSummarised = (name: CollectionName): name is Summarised => (SUMMARISED as readonly string[]).includes(name)

class TouchingCollection<T extends Doc> implements Collection<T> {
  constructor(
    private readonly inner: Collection<T>,
    private readonly touch: (docs: readonly Doc[]) => Promise<void>,
  ) {}

  get(id: string) {
    return this.inner.get(id)
  }
  getMany(ids: readonly string[]) {
    return this.inner.getMany(ids)
  }
  list(query?: Parameters<Collection<T>['list']>[0]) {
    return this.inner.list(query)
  }
  count(query?: Parameters<Collection<T>['count']>[0]) {
    return this.inner.count(query)
  }
  async put(doc: T): Promise<void> {
    await this.inner.put(doc)
    await this.touch([doc])
  }
  async putMany(docs: readonly T[]): Promise<void> {
    await this.inner.putMany(docs)
    await this.touch(docs)
  }
  async create(doc: T): Promise<void> {
    await this.inner.create(doc)
    await this.touch([doc])
  }
  async update(id: string, mutate: (current: T) => T, options?: UpdateOptions): Promise<T> {
    let before: T | undefined
    const out = await this.inner.update(
      id,
      (current) => {
        before = current
        return mutate(current)
      },
      options,
    )
    await this.touch(before === undefined ? [out] : [before, out])
    return out
  }
  async remove(ids: readonly string[]): Promise<number> {
    const docs = await this.inner.getMany(ids)
    const n = await this.inner.remove(ids)
    await this.touch(docs)
    return n
  }
}

class DashboardInvalidatingStore implements Store {
  private readonly wrapped = new Map<CollectionName, Collection<Doc>>()

  constructor(
    private readonly inner: Store,
    private readonly clock: Clock,
  ) {}

  /** The days to bump: all but today, unless today is about to close. */
  private worthTouching(days: Iterable<string>): string[] {
    const now = this.clock.now().getTime()
    const today = chinaDay(new Date(now).toISOString())
    const closing = chinaDay(new Date(now + CLOSING_MS).toISOString()) !== today
    return [...days].filter((d) => d !== today || closing)
  }

  get kind() {
    return this.inner.kind
  }
  collection<T extends Doc>(name: CollectionName): Collection<T> {
    if (!isSummarised(name)) return this.inner.collection<T>(name)
    let c = this.wrapped.get(name)
    if (!c) {
      const touch = async (docs: readonly Doc[]) =>
        touchDays(this.inner, this.worthTouching(await daysTouchedBy(this.inner, name, docs)))
      c = new TouchingCollection(this.inner.collection<Doc>(name), touch)
      this.wrapped.set(name, c)
    }
    return c as unknown as Collection<T>
  }
  nextSequence(name: string) {
    return this.inner.nextSequence(name)
  }
  snapshot() {
    return this.inner.snapshot()
  }
  async replaceAll(data: Parameters<Store['replaceAll']>[0]): Promise<void> {
    // A full snapshot carries aggregates consistent with its records; anything else drops them.
    await this.inner.replaceAll({ [DAY_COLLECTION]: [], ...data })
  }
  health() {
    return this.inner.health()
  }
  close() {
    return this.inner.close()
  }
}

export function withDashboardInvalidation(store: Store, clock: Clock): Store {
  const wrapper = new DashboardInvalidatingStore(store, clock)
  // Members outside the port (an implementation's own destroy() used by tests) stay reachable.
  return new Proxy(wrapper, {
    get(target, prop, receiver) {
      if (prop in target) return Reflect.get(target, prop, receiver)
      const v = Reflect.get(store, prop, store) as unknown
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(store) : v
    },
  })
}
