/**
 * Finding (fuzz-routes): ids like `constructor` and `__proto__` reached the lowdb store, whose collections
 * were plain objects, so `get('constructor')` returned Object's constructor (structuredClone threw → 500 on
 * GET /api/entries/constructor, /api/tickets/constructor, …) and `put({id:'__proto__'})` replaced the
 * collection's prototype instead of storing a document (a silently lost write). Ids are data, never keys
 * into Object.prototype.
 */
import { describe, expect, it } from 'vitest'
import { LowdbStore } from '../../knowledge/store/lowdb-store.js'
import { tempDir } from '../helpers/env.js'

const KEYS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__', 'prototype']

describe('lowdb store with prototype-named ids', () => {
  it('finds nothing for prototype names in an empty collection', async () => {
    const store = await LowdbStore.open(tempDir())
    const c = store.collection<{ id: string; n: number }>('entries')
    for (const k of KEYS) expect(await c.get(k)).toBeUndefined()
    expect(await c.getMany(KEYS)).toEqual([])
    await expect(c.update('constructor', (d) => d)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await c.remove(KEYS)).toBe(0)
    await store.close()
  })

  it('stores, lists, updates and persists documents whose ids are prototype names', async () => {
    const dir = tempDir()
    const store = await LowdbStore.open(dir)
    const c = store.collection<{ id: string; n: number }>('tickets')
    for (const [i, k] of KEYS.entries()) await c.put({ id: k, n: i })
    await c.put({ id: 'plain', n: 99 })
    expect((await c.list()).map((d) => d.id).sort()).toEqual([...KEYS, 'plain'].sort())
    expect(await c.count()).toBe(KEYS.length + 1)
    expect(await c.update('__proto__', (d) => ({ ...d, n: 100 }))).toEqual({ id: '__proto__', n: 100 })
    expect(({} as Record<string, unknown>).n).toBeUndefined()
    await store.close()
    const again = await LowdbStore.open(dir)
    const c2 = again.collection<{ id: string; n: number }>('tickets')
    expect(await c2.get('__proto__')).toEqual({ id: '__proto__', n: 100 })
    expect(await c2.get('constructor')).toEqual({ id: 'constructor', n: 1 })
    expect(await c2.count()).toBe(KEYS.length + 1)
    await again.replaceAll({ tickets: [{ id: '__proto__', n: 1 } as { id: string }] })
    expect(await c2.list()).toEqual([{ id: '__proto__', n: 1 }])
    await again.close()
  })
})
