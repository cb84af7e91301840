import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { tempDir } from '../helpers/env.js'

// The embedded store reads versions.json (every entry's history, as large as the entries) when the collection is
// first used, not at open: a chat server never reads it and should not hold it in memory.
describe('EmbeddedStore reads the versions file on first use', () => {
  const version = (i: number) => ({ id: `v${i}`, entryId: 'e1', n: i })

  it('does not read versions.json at open, then reads it before the first read or write', async () => {
    const dir = tempDir()
    const first = await EmbeddedStore.open(dir)
    await first.collection<{ id: string; title: string }>('entries').put({ id: 'e1', title: '起征点' })
    await first.collection('versions').putMany([version(1), version(2)])
    await first.close()

    // A broken versions file does not stop the store from opening or serving entries…
    const file = path.join(dir, 'versions.json')
    const good = fs.readFileSync(file, 'utf8')
    fs.writeFileSync(file, '{"docs": {')
    const broken = await EmbeddedStore.open(dir)
    try {
      expect(await broken.collection('entries').get('e1')).toEqual({ id: 'e1', title: '起征点' })
      // …but the versions collection fails loudly (never looks empty), and is read again on the next call
      await expect(broken.collection('versions').list()).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' })
      await expect(broken.collection('versions').put(version(3))).rejects.toMatchObject({ code: 'BACKEND_UNAVAILABLE' })
      fs.writeFileSync(file, good)
      expect((await broken.collection('versions').list()).map((v) => v.id)).toEqual(['v1', 'v2'])
    } finally {
      await broken.close()
    }

    // A write as the first use keeps what the file held (the file is read before the write, not replaced).
    const writer = await EmbeddedStore.open(dir)
    await writer.collection('versions').put(version(3))
    await writer.close()
    const after = JSON.parse(fs.readFileSync(file, 'utf8')) as { docs: Record<string, unknown> }
    expect(Object.keys(after.docs).sort()).toEqual(['v1', 'v2', 'v3'])
  })

  it('concurrent first uses all wait for the one read and see the same documents', async () => {
    const dir = tempDir()
    const first = await EmbeddedStore.open(dir)
    await first.collection('versions').putMany([version(1), version(2)])
    await first.close()
    const store = await EmbeddedStore.open(dir)
    try {
      const versions = store.collection('versions')
      const [count, one, all] = await Promise.all([versions.count(), versions.get('v2'), versions.list()])
      expect(count).toBe(2)
      expect(one).toEqual(version(2))
      expect(all.map((v) => v.id)).toEqual(['v1', 'v2'])
    } finally {
      await store.close()
    }
  })
})
