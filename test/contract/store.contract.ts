/**
 * The Store contract: every implementation (lowdb, Elasticsearch) must pass these, unchanged.
 * Call `storeContract(name, open)` from a test file; `open` returns a fresh, empty store.
 */
import { describe, expect, it } from 'vitest'
import type { Store } from '../../knowledge/store/store.js'

interface T {
  id: string
  region: string
  n: number
  at: string
  tag?: string | null
}

export function storeContract(name: string, open: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    it('puts, gets, lists with where/range/sort/limit, counts and removes', async () => {
      const store = await open()
      const c = store.collection<T>('tickets')
      await c.putMany([
        { id: 'a', region: '320000', n: 3, at: '2026-01-03' },
        { id: 'b', region: '320100', n: 1, at: '2026-01-01' },
        { id: 'c', region: '320000', n: 2, at: '2026-01-02', tag: 'x' },
      ])
      await c.put({ id: 'd', region: '330000', n: 4, at: '2026-01-04' })
      expect((await c.get('b'))?.n).toBe(1)
      expect(await c.get('zzz')).toBeUndefined()
      expect((await c.getMany(['c', 'nope', 'a'])).map((d) => d.id).sort()).toEqual(['a', 'c'])
      expect(
        (await c.list({ where: { region: '320000' }, sort: { field: 'n', order: 'asc' } })).map((d) => d.id),
      ).toEqual(['c', 'a'])
      expect(
        (await c.list({ where: { region: ['320100', '330000'] }, sort: { field: 'at', order: 'desc' } })).map(
          (d) => d.id,
        ),
      ).toEqual(['d', 'b'])
      expect(
        (
          await c.list({
            range: { field: 'at', gte: '2026-01-02', lt: '2026-01-04' },
            sort: { field: 'at', order: 'asc' },
          })
        ).map((d) => d.id),
      ).toEqual(['c', 'a'])
      expect((await c.list({ sort: { field: 'n', order: 'desc' }, limit: 2, offset: 1 })).map((d) => d.id)).toEqual([
        'a',
        'c',
      ])
      expect((await c.list({ where: { tag: null } })).map((d) => d.id).sort()).toEqual(['a', 'b', 'd'])
      expect(await c.count()).toBe(4)
      expect(await c.count({ where: { region: '320000' } })).toBe(2)
      expect(await c.remove(['a', 'nope'])).toBe(1)
      expect(await c.count()).toBe(3)
      await store.close()
    })

    it('update is read-modify-write: concurrent increments are not lost', async () => {
      const store = await open()
      const c = store.collection<T>('tickets')
      await c.put({ id: 'k', region: '320000', n: 0, at: '2026-01-01' })
      await Promise.all(Array.from({ length: 20 }, () => c.update('k', (cur) => ({ ...cur, n: cur.n + 1 }))))
      expect((await c.get('k'))?.n).toBe(20)
      await expect(c.update('missing', (cur) => cur)).rejects.toMatchObject({ code: 'NOT_FOUND' })
      const created = await c.update('new', (cur) => cur, {
        createIfMissing: { id: 'new', region: '1', n: 9, at: 'x' } as T,
      })
      expect(created.n).toBe(9)
      await store.close()
    })

    it('create inserts once: of 30 concurrent creators of one id exactly one succeeds, the rest get CONFLICT', async () => {
      const store = await open()
      const c = store.collection<T>('seats')
      const results = await Promise.allSettled(
        Array.from({ length: 30 }, (_, i) => c.create({ id: 'seat-1', region: '320100', n: i, at: 'x' })),
      )
      const ok = results.filter((r) => r.status === 'fulfilled')
      expect(ok).toHaveLength(1)
      for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'CONFLICT' })
      const winner = await c.get('seat-1')
      expect(winner).toBeDefined()
      expect(await c.count()).toBe(1)
      await c.create({ id: 'seat-2', region: '320100', n: 0, at: 'x' })
      expect(await c.count()).toBe(2)
      await store.close()
    })

    it('returns copies: mutating a returned document does not change the store', async () => {
      const store = await open()
      const c = store.collection<T>('tickets')
      await c.put({ id: 'm', region: '320000', n: 1, at: '2026-01-01' })
      const got = (await c.get('m'))!
      got.n = 99
      expect((await c.get('m'))?.n).toBe(1)
      await store.close()
    })

    it('hands out unique, increasing sequence numbers under concurrency', async () => {
      const store = await open()
      const seqs = await Promise.all(Array.from({ length: 25 }, () => store.nextSequence('ticket-20261125')))
      expect([...seqs].sort((a, b) => a - b)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1))
      expect(await store.nextSequence('other')).toBe(1)
      await store.close()
    })

    it('snapshot and replaceAll round-trip every collection', async () => {
      const store = await open()
      await store.collection<T>('tickets').put({ id: 't1', region: '320000', n: 1, at: 'x' })
      await store.collection<{ id: string; v: string }>('meta').put({ id: 'k', v: 'v' })
      const snap = await store.snapshot()
      expect(snap.tickets.map((d) => d.id)).toEqual(['t1'])
      await store.collection<T>('tickets').remove(['t1'])
      await store.replaceAll(snap)
      expect((await store.collection<T>('tickets').get('t1'))?.n).toBe(1)
      expect((await store.collection<{ id: string; v: string }>('meta').get('k'))?.v).toBe('v')
      await store.close()
    })
  })
}
