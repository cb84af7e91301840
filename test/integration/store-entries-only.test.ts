import { describe, expect, it } from 'vitest'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { tempDir } from '../helpers/env.js'

// `taxkb search` opens the store with the entries file only (CLI start): it must see the same entries, and a
// collection it did not open must fail loudly rather than look empty.
describe('EmbeddedStore opened for entries only', () => {
  it('reads the entries, skips the versions file, and refuses the versions collection', async () => {
    const dir = tempDir()
    const full = await EmbeddedStore.open(dir)
    const entry = { id: 'e1', title: '起征点' }
    await full.collection('entries').put(entry)
    await full.collection<{ id: string; entryId: string }>('versions').put({ id: 'v1', entryId: 'e1' })
    await full.close()

    const light = await EmbeddedStore.open(dir, { knowledge: ['entries'] })
    try {
      expect(await light.collection('entries').list()).toEqual([entry])
      expect(() => light.collection('versions')).toThrow(/unknown collection versions/)
      // operational collections (SQLite) are unaffected
      expect(await light.collection('tickets').count()).toBe(0)
    } finally {
      await light.close()
    }
  })
})
