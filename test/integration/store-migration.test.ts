/**
 * A data directory written by the lowdb-only release (one JSON file per collection, written here by that
 * release's LowdbStore, which this build still ships for knowledge) opens in the embedded store: every
 * document of every collection is there, the JSON files are kept aside, re-opening is a no-op, sequences
 * continue, and a corrupt file stops the migration before anything changes.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmbeddedStore, KNOWLEDGE_COLLECTIONS, OPERATIONAL_COLLECTIONS } from '../../knowledge/store/embedded-store.js'
import { LowdbStore } from '../../knowledge/store/lowdb-store.js'
import { LEGACY_BACKUP_DIR } from '../../knowledge/store/migrate-lowdb.js'
import { COLLECTIONS, type CollectionName, type Doc } from '../../knowledge/store/store.js'
import { tempDir } from '../helpers/env.js'

/** Writes a legacy data dir: a few realistic documents in every collection, a ticket counter at 41. */
async function legacyDataDir(): Promise<{ dir: string; written: Record<CollectionName, Doc[]> }> {
  const dir = tempDir('taxkb-legacy-')
  const legacy = await LowdbStore.open(dir)
  const written = {} as Record<CollectionName, Doc[]>
  for (const name of COLLECTIONS) {
    const docs = Array.from({ length: 3 }, (_, i) => ({
      id: `${name}-${i}`,
      at: `2026-0${i + 1}-15T02:00:00.000Z`,
      regionCode: i === 0 ? null : '320100',
      text: `第${i}条 ${name} 记录：小规模纳税人增值税`,
      nested: { turns: [{ role: 'user', text: '怎么申报' }], n: i },
      flag: i % 2 === 0,
    }))
    await legacy.collection(name).putMany(docs)
    written[name] = docs
  }
  for (let i = 0; i < 41; i++) await legacy.nextSequence('ticket-20261125')
  written.counters = (await legacy.snapshot()).counters
  await legacy.close()
  return { dir, written }
}

describe('migration of a lowdb-era data directory', () => {
  it('moves every operational document into SQLite atomically, keeps the old files aside, and is a no-op the second time', async () => {
    const { dir, written } = await legacyDataDir()
    const store = await EmbeddedStore.open(dir)
    const byId = (docs: Doc[]) => [...docs].sort((a, b) => a.id.localeCompare(b.id))
    const snap = await store.snapshot()
    for (const name of COLLECTIONS) expect(byId(snap[name]), name).toEqual(byId(written[name]))
    for (const name of OPERATIONAL_COLLECTIONS) {
      expect(fs.existsSync(path.join(dir, `${name}.json`)), name).toBe(false)
      expect(fs.existsSync(path.join(dir, LEGACY_BACKUP_DIR, `${name}.json`)), name).toBe(true)
      expect(store.migration.imported[name], name).toBe(written[name].length)
    }
    for (const name of KNOWLEDGE_COLLECTIONS) expect(fs.existsSync(path.join(dir, `${name}.json`)), name).toBe(true)
    expect(await store.nextSequence('ticket-20261125')).toBe(42)
    await store.collection('sessions').put({ id: 'after-migration' })
    await store.close()

    const again = await EmbeddedStore.open(dir)
    expect(again.migration).toEqual({ imported: {}, movedAside: [] })
    expect(await again.collection('sessions').count()).toBe(4)
    expect(await again.nextSequence('ticket-20261125')).toBe(43)
    await again.close()
  })

  it('a corrupt legacy file stops the migration with a clear error and changes nothing', async () => {
    const { dir } = await legacyDataDir()
    fs.writeFileSync(path.join(dir, 'tickets.json'), '{"docs": {"x": ')
    const before = fs.readdirSync(dir).sort()
    await expect(EmbeddedStore.open(dir)).rejects.toMatchObject({
      code: 'BACKEND_UNAVAILABLE',
      message: expect.stringContaining('nothing was changed'),
    })
    for (const name of OPERATIONAL_COLLECTIONS) expect(fs.existsSync(path.join(dir, `${name}.json`)), name).toBe(true)
    expect(fs.existsSync(path.join(dir, LEGACY_BACKUP_DIR))).toBe(false)
    expect(fs.readdirSync(dir).filter((f) => !before.includes(f) && !f.startsWith('operational.sqlite'))).toEqual([])
    // Fixed file: the next open migrates everything.
    fs.writeFileSync(path.join(dir, 'tickets.json'), JSON.stringify({ docs: { x: { id: 'x', n: 1 } } }))
    const store = await EmbeddedStore.open(dir)
    expect((await store.collection<{ id: string; n: number }>('tickets').get('x'))?.n).toBe(1)
    expect(await store.collection('ledger').count()).toBe(3)
    await store.close()
  })
})
