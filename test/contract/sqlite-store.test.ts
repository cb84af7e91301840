import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmbeddedStore, OPERATIONAL_COLLECTIONS, SQLITE_FILE } from '../../knowledge/store/embedded-store.js'
import { SqliteStore } from '../../knowledge/store/sqlite-store.js'
import { COLLECTIONS } from '../../knowledge/store/store.js'
import { tempDir } from '../helpers/env.js'
import { storeContract } from './store.contract.js'

storeContract('sqlite', () => SqliteStore.open(path.join(tempDir(), 'ops.sqlite'), COLLECTIONS))
storeContract('embedded (sqlite + lowdb knowledge)', () => EmbeddedStore.open(tempDir()))

interface Row {
  id: string
  at?: string | null
  n?: number
  flag?: boolean
  region?: string | null
}

/** Two connections to one file; the first holds the write lock (BEGIN IMMEDIATE) until the test commits it. */
async function lockedByAnother(busyTimeoutMs: number): Promise<{ holder: SqliteStore; store: SqliteStore }> {
  const file = path.join(tempDir(), 'locked.sqlite')
  const holder = await SqliteStore.open(file, ['ratings'])
  const store = await SqliteStore.open(file, ['ratings'], { busyTimeoutMs })
  holder.db.exec('BEGIN IMMEDIATE')
  return { holder, store }
}

describe('SQLite store specifics', () => {
  it('group-commits concurrent writes: one transaction, a failing write rolls back alone, all durable', async () => {
    const file = path.join(tempDir(), 'group.sqlite')
    const store = await SqliteStore.open(file, ['ratings', 'counters'])
    const c = store.collection<Row>('ratings')
    await c.put({ id: 'taken', n: 0 })
    const before = store.group.commits
    // issued in one event-loop turn, as fifty concurrent requests would
    const writes = [
      ...Array.from({ length: 50 }, (_, i) => c.put({ id: `r${i}`, n: i })),
      c.update('taken', (d) => ({ ...d, n: (d.n ?? 0) + 1 })),
      c.update('taken', (d) => ({ ...d, n: (d.n ?? 0) + 1 })),
    ]
    const conflict = c.create({ id: 'taken', n: 99 })
    const results = await Promise.allSettled([...writes, conflict])
    expect(results.slice(0, -1).every((r) => r.status === 'fulfilled')).toBe(true)
    const last = results.at(-1) as PromiseRejectedResult
    expect(last.status).toBe('rejected')
    expect(last.reason.code).toBe('CONFLICT')
    expect(store.group.commits - before).toBe(1)
    // the two updates saw each other (read-modify-write inside the batch), the failed create left no trace
    expect((await c.get('taken'))?.n).toBe(2)
    // acknowledged = committed: another connection sees every write
    const other = await SqliteStore.open(file, ['ratings', 'counters'])
    expect(await other.collection('ratings').count()).toBe(51)
    await other.close()
    await store.close()
  })

  it("waits for another connection's write lock without blocking the event loop; a read sees the write", async () => {
    const { holder, store } = await lockedByAnother(2000)
    let ticks = 0
    const timer = setInterval(() => ticks++, 1)
    const write = store.collection<Row>('ratings').put({ id: 'w', n: 1 })
    const read = store.collection<Row>('ratings').get('w') // issued after the write: must see it
    await new Promise((r) => setTimeout(r, 60))
    expect(ticks).toBeGreaterThan(5) // the loop kept running while the write waited
    expect(store.lock.busyRetries).toBeGreaterThan(3)
    holder.db.exec('COMMIT')
    await write
    expect((await read)?.n).toBe(1)
    clearInterval(timer)
    expect((await holder.collection<Row>('ratings').get('w'))?.n).toBe(1)
    await store.close()
    await holder.close()
  })

  it('fails a write that could not get the lock in time, and that write never lands', async () => {
    const { holder, store } = await lockedByAnother(80)
    const started = performance.now()
    const late = store.collection<Row>('ratings').put({ id: 'late', n: 1 })
    await expect(late).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' })
    expect(performance.now() - started).toBeGreaterThanOrEqual(75)
    holder.db.exec('COMMIT')
    expect(await holder.collection('ratings').get('late')).toBeUndefined()
    // the lock is free again: the next write is acknowledged and stored
    await store.collection<Row>('ratings').put({ id: 'next', n: 2 })
    expect((await holder.collection<Row>('ratings').get('next'))?.n).toBe(2)
    await store.close()
    await holder.close()
  })

  it('commits writes still queued when the store closes', async () => {
    const file = path.join(tempDir(), 'close.sqlite')
    const store = await SqliteStore.open(file, ['ratings'])
    const pending = store.collection<Row>('ratings').put({ id: 'late', n: 1 })
    await store.close()
    await pending
    const again = await SqliteStore.open(file, ['ratings'])
    expect((await again.collection<Row>('ratings').get('late'))?.n).toBe(1)
    await again.close()
  })

  it('queries by JSON type: a boolean is not the number 1, a missing field is null, ranges skip nulls', async () => {
    const store = await SqliteStore.open(path.join(tempDir(), 'q.sqlite'), ['ratings'])
    const c = store.collection<Row>('ratings')
    await c.putMany([
      { id: 'a', flag: true, n: 1, at: '2026-01-01' },
      { id: 'b', flag: false, n: 0, at: null },
      { id: 'c', n: 1 },
    ])
    expect((await c.list({ where: { flag: true } })).map((d) => d.id)).toEqual(['a'])
    expect((await c.list({ where: { flag: false } })).map((d) => d.id)).toEqual(['b'])
    expect((await c.list({ where: { n: 1 }, sort: { field: 'id', order: 'asc' } })).map((d) => d.id)).toEqual([
      'a',
      'c',
    ])
    expect((await c.list({ where: { at: null }, sort: { field: 'id', order: 'desc' } })).map((d) => d.id)).toEqual([
      'c',
      'b',
    ])
    expect(
      (await c.list({ where: { flag: [true, null] }, sort: { field: 'id', order: 'asc' } })).map((d) => d.id),
    ).toEqual(['a', 'c'])
    expect(await c.count({ range: { field: 'at', gte: '' } })).toBe(1)
    // Nulls sort last in both directions, ties by id.
    expect((await c.list({ sort: { field: 'at', order: 'asc' } })).map((d) => d.id)).toEqual(['a', 'b', 'c'])
    expect((await c.list({ sort: { field: 'at', order: 'desc' } })).map((d) => d.id)).toEqual(['a', 'b', 'c'])
    await expect(c.list({ where: { "x') OR 1=1 --": 1 } })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    await store.close()
  })

  it('a mutator that throws rolls its transaction back: nothing changes and the next write works', async () => {
    const store = await SqliteStore.open(path.join(tempDir(), 'r.sqlite'), ['tickets'])
    const c = store.collection<Row>('tickets')
    await c.put({ id: 't', n: 1 })
    await expect(
      c.update('t', () => {
        throw new Error('boom')
      }),
    ).rejects.toThrow()
    await expect(c.update('t', (cur) => ({ ...cur, id: 'other' }))).rejects.toMatchObject({ code: 'VALIDATION_FAILED' })
    expect(store.db.isTransaction).toBe(false)
    await c.update('t', (cur) => ({ ...cur, n: (cur.n ?? 0) + 1 }))
    expect((await c.get('t'))?.n).toBe(2)
    await store.close()
  })

  it('uses the expression indexes for the hot queries (ledger by time, tickets by deadline)', async () => {
    const store = await SqliteStore.open(path.join(tempDir(), 'i.sqlite'), ['ledger', 'tickets'])
    const plan = (sql: string) =>
      (store.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ')
    expect(
      plan(
        `SELECT doc FROM "ledger" WHERE json_extract(doc, '$.at') >= '2026' ORDER BY json_extract(doc, '$.at') DESC`,
      ),
    ).toContain('ledger__at')
    expect(plan(`SELECT doc FROM "ledger" WHERE json_extract(doc, '$.sessionId') = 'x'`)).toContain(
      'ledger__sessionId_at',
    )
    expect(plan(`SELECT doc FROM "tickets" ORDER BY json_extract(doc, '$.dueAt') ASC`)).toContain('tickets__dueAt')
    await store.close()
  })

  it('creates the database 0600 in a 0700 directory and keeps documents across reopen', async () => {
    const dir = path.join(tempDir(), 'data')
    const store = await EmbeddedStore.open(dir)
    await store.collection<Row>('sessions').put({ id: 's1', n: 3 })
    await store.close()
    expect(fs.statSync(dir).mode & 0o777).toBe(0o700)
    expect(fs.statSync(path.join(dir, SQLITE_FILE)).mode & 0o777).toBe(0o600)
    for (const name of OPERATIONAL_COLLECTIONS) expect(fs.existsSync(path.join(dir, `${name}.json`))).toBe(false)
    const again = await EmbeddedStore.open(dir)
    expect((await again.collection<Row>('sessions').get('s1'))?.n).toBe(3)
    await again.close()
  })
})
