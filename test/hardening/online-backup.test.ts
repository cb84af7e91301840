/**
 * `taxkb backup` while another process writes: the snapshot is one point in time. The writer adds a session,
 * then (in a later transaction) a ledger row naming it; a backup that read `sessions` and `ledger` at
 * different moments would hold ledger rows whose session is missing. Every backup taken during the storm
 * must be consistent, and restore into a fresh directory must give back exactly its documents.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { createBackup, readBackup, restoreBackup } from '../../services/ops/backup.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { tempDir } from '../helpers/env.js'

const BACKUP_KEY = '33'.repeat(32)
const CHILD = path.join(REPO_ROOT, 'test', 'hardening', 'children', 'write-storm-child.ts')
const kills: (() => void)[] = []
afterAll(() => {
  for (const k of kills) k()
})

describe('online backup of the SQLite store', () => {
  it('is a consistent snapshot while another process writes, and restores exactly', async () => {
    const dataDir = tempDir('taxkb-online-')
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    kills.push(() => child.kill('SIGKILL'))
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve())
      child.on('exit', (code) => reject(new Error(`writer exited ${code}`)))
    })
    const store = await EmbeddedStore.open(dataDir)
    const sizes: number[] = []
    let last = ''
    for (let k = 0; k < 5; k++) {
      await new Promise((r) => setTimeout(r, 150))
      last = path.join(tempDir('taxkb-bk-'), 'b.taxkb')
      await createBackup({ store, dataDir, contactKeyId: null, file: last, backupKey: BACKUP_KEY })
      const b = readBackup(last, BACKUP_KEY)
      const sessions = new Set(b.collections.sessions.map((s) => s.id))
      const orphans = b.collections.ledger.filter(
        (l) => !sessions.has((l as unknown as { sessionId: string }).sessionId),
      )
      expect(orphans).toEqual([])
      // At most the one session whose ledger row had not been written yet.
      expect(b.collections.sessions.length - b.collections.ledger.length).toBeLessThanOrEqual(1)
      sizes.push(b.collections.ledger.length)
    }
    child.kill('SIGKILL')
    // The writer kept writing between backups (otherwise the test proves nothing).
    expect(sizes[4]!).toBeGreaterThan(sizes[0]!)
    await store.close()

    const target = path.join(tempDir('taxkb-restore-'), 'd')
    const fresh = await EmbeddedStore.open(target)
    await restoreBackup({ store: fresh, dataDir: target, contactKeyId: null, file: last, backupKey: BACKUP_KEY })
    const want = readBackup(last, BACKUP_KEY).collections
    expect(await fresh.collection('ledger').count()).toBe(want.ledger.length)
    expect(await fresh.collection('sessions').count()).toBe(want.sessions.length)
    await fresh.close()
  }, 60_000)
})
