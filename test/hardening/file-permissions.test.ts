/**
 * Finding 13: store files (password hashes, sessions, sealed contacts) were world-readable (0644). Every
 * file the service writes in its data directory is now 0600 and every directory 0700 — the SQLite
 * operational store with its WAL and shared-memory files (checked while open), the lowdb knowledge files, keys, the index snapshot, lexicon and calendar overlays — and so are backups; files left
 * 0644 by an older version are tightened at start.
 */
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { build } from '../../services/api/app.js'
import { createContainer } from '../../services/container.js'
import { createBackup, contactKeyId } from '../../services/ops/backup.js'
import { containerWithCorpus, staffAuth, tempDir } from '../helpers/env.js'

function loose(dir: string): string[] {
  const out: string[] = []
  const walk = (d: string) => {
    const mode = fs.statSync(d).mode & 0o777
    if (mode !== 0o700) out.push(`${d} ${mode.toString(8)}`)
    for (const name of fs.readdirSync(d)) {
      const p = path.join(d, name)
      const st = fs.statSync(p)
      if (st.isDirectory()) walk(p)
      else if ((st.mode & 0o077) !== 0) out.push(`${p} ${(st.mode & 0o777).toString(8)}`)
    }
  }
  walk(dir)
  return out
}

describe('file permissions', () => {
  it('every file the running service writes is 0600 in 0700 directories; backups too; old 0644 files fixed', async () => {
    const ctx = await containerWithCorpus(undefined, {}, '2026-11-25T02:00:00Z')
    const app = await build(ctx.config, { container: ctx, logger: false })
    try {
      await ctx.users.add({ username: 'perm-admin', role: 'admin', regionCode: null, password: 'password-123' })
      const chat = await app.inject({
        method: 'POST',
        url: '/api/chat',
        payload: { message: '增值税税率是多少', region: '320100' },
      })
      const url = `/api/chat/${encodeURIComponent(chat.json().sessionId)}/handoff`
      await app.inject({ method: 'POST', url, payload: { consent: true, contact: { phone: '13987654321' } } })
      const admin = await staffAuth(ctx, 'perm-admin', 'admin', null)
      const stop = (await ctx.editorial.lexiconFiles()).find((f) => f.name === 'stopwords.txt')!.text
      const proposal = await app.inject({
        method: 'PUT',
        url: '/api/editor/lexicon/stopwords.txt',
        headers: admin,
        payload: { text: stop },
      })
      expect(proposal.statusCode).toBe(202)
      const reviewer = await staffAuth(ctx, 'perm-reviewer', 'reviewer', null)
      const approve = `/api/editor/lexicon/proposals/${proposal.json().id}/approve`
      expect((await app.inject({ method: 'POST', url: approve, headers: reviewer, payload: {} })).statusCode).toBe(200)
      await ctx.index.persist()
      const file = path.join(tempDir(), 'taxkb.backup')
      const keyId = contactKeyId(ctx.config.encryptionKey, ctx.config.dataDir)
      await createBackup({
        store: ctx.store,
        dataDir: ctx.config.dataDir,
        contactKeyId: keyId,
        file,
        backupKey: 'perm-test-backup-key-000',
      })
      // While the store is open: the SQLite database, its -wal and -shm files.
      expect(loose(ctx.config.dataDir)).toEqual([])
      await ctx.editorial.close()
      await ctx.store.close()
      expect((fs.statSync(file).mode & 0o777).toString(8)).toBe('600')
      expect(fs.readdirSync(ctx.config.dataDir)).toEqual(expect.arrayContaining(['operational.sqlite', 'entries.json']))
      expect(loose(ctx.config.dataDir)).toEqual([])

      // A data dir from an older version: 0644 files, 0755 directory. Opening it tightens them.
      fs.chmodSync(ctx.config.dataDir, 0o755)
      fs.chmodSync(path.join(ctx.config.dataDir, 'operational.sqlite'), 0o644)
      fs.chmodSync(path.join(ctx.config.dataDir, 'entries.json'), 0o644)
      const again = await createContainer(ctx.config, { skipIndexSync: true })
      await again.close()
      expect(loose(ctx.config.dataDir)).toEqual([])
    } finally {
      await app.close()
    }
  })
})
