/**
 * The reply cache on its own: a hit returns the stored value without composing, a change to the knowledge while a
 * reply is being composed keeps that reply out of the cache, entries expire, a stored value is a frozen copy, and
 * capacity 0 turns the cache off.
 */
import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { DraftCache } from '../../services/answer/draft-cache.js'
import { fixedClock } from '../../services/shared/clock.js'

interface Reply {
  answer: string
  citations: { id: string }[]
}

function counting(answer: string) {
  let calls = 0
  const compose = async (): Promise<Reply> => {
    calls++
    return { answer: `${answer}#${calls}`, citations: [{ id: 'faq-1' }] }
  }
  return { compose, calls: () => calls }
}

describe('DraftCache', () => {
  it('composes once per key and serves the stored reply after that', async () => {
    const cache = new DraftCache<Reply>(10, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    const a = counting('起征点')
    const first = await cache.through('k1', a.compose)
    const second = await cache.through('k1', a.compose)
    expect(a.calls()).toBe(1)
    expect(second).toEqual(first)
    await cache.through('k2', a.compose)
    expect(a.calls()).toBe(2)
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2, size: 2 })
  })

  it('does not store a reply whose composition overlapped an invalidation', async () => {
    const cache = new DraftCache<Reply>(10, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    let release!: () => void
    const gate = new Promise<void>((r) => (release = r))
    const slow = cache.through('k', async () => {
      await gate
      return { answer: '旧口径', citations: [] }
    })
    cache.invalidate() // an entry was published while the old reply was being composed
    release()
    expect((await slow).answer).toBe('旧口径')
    const fresh = await cache.through('k', async () => ({ answer: '新口径', citations: [] }))
    expect(fresh.answer).toBe('新口径')
  })

  it('invalidate() empties what was stored', async () => {
    const cache = new DraftCache<Reply>(10, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    const a = counting('税率')
    await cache.through('k', a.compose)
    cache.invalidate()
    expect(cache.stats().size).toBe(0)
    expect((await cache.through('k', a.compose)).answer).toBe('税率#2')
  })

  it('expires an entry after its time to live', async () => {
    const clock = fixedClock('2026-12-03T02:00:00Z')
    const cache = new DraftCache<Reply>(10, 60_000, clock)
    const a = counting('期限')
    await cache.through('k', a.compose)
    clock.set('2026-12-03T02:00:59Z')
    await cache.through('k', a.compose)
    expect(a.calls()).toBe(1)
    clock.set('2026-12-03T02:01:00Z')
    expect((await cache.through('k', a.compose)).answer).toBe('期限#2')
  })

  it('stores a frozen copy: changing what one caller got does not change what the next one gets', async () => {
    const cache = new DraftCache<Reply>(10, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    const composed = await cache.through('k', async () => ({ answer: '原文', citations: [{ id: 'a' }] }))
    composed.citations.push({ id: 'injected' }) // the first caller holds its own object
    const hit = await cache.through('k', async () => ({ answer: '不应调用', citations: [] }))
    expect(hit).toEqual({ answer: '原文', citations: [{ id: 'a' }] })
    expect(() => hit.citations.push({ id: 'x' })).toThrow(TypeError)
    expect(() => {
      ;(hit.citations[0] as { id: string }).id = 'y'
    }).toThrow(TypeError)
  })

  it('capacity 0 turns it off; the LRU bound holds', async () => {
    const off = new DraftCache<Reply>(0, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    const a = counting('x')
    await off.through('k', a.compose)
    await off.through('k', a.compose)
    expect(a.calls()).toBe(2)
    expect(off.enabled).toBe(false)

    const small = new DraftCache<Reply>(2, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    const b = counting('y')
    for (const k of ['k1', 'k2', 'k3']) await small.through(k, b.compose)
    expect(small.stats().size).toBe(2)
    await small.through('k1', b.compose) // the oldest went
    expect(b.calls()).toBe(4)
  })

  it('reports hits, misses and size as counts in /metrics', async () => {
    const cache = new DraftCache<Reply>(10, 60_000, fixedClock('2026-12-03T02:00:00Z'))
    const registry = new Registry()
    cache.register(registry)
    const a = counting('个税')
    await cache.through('我月薪一万五个税怎么算', a.compose)
    await cache.through('我月薪一万五个税怎么算', a.compose)
    const text = await registry.metrics()
    expect(text).toContain('taxkb_answer_cache_lookups{result="hit"} 1')
    expect(text).toContain('taxkb_answer_cache_lookups{result="miss"} 1')
    expect(text).toContain('taxkb_answer_cache_entries 1')
    expect(text).not.toContain('月薪')
  })
})
