/**
 * Finding 7: the backup header was a plain SHA-256, so an edited payload with a new admin user (and a
 * recomputed checksum) was restored. Backups are now authenticated with an HMAC keyed by a secret the
 * operator holds (TAXKB_BACKUP_KEY, else TAXKB_DATA_DIR/backup.key); a forged, re-checksummed or
 * unauthenticated (version 1) backup is refused and changes nothing; the right key restores it on a new
 * machine.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createContainer } from '../../services/container.js'
import { contactKeyId, createBackup, restoreBackup } from '../../services/ops/backup.js'
import { resolveBackupKey } from '../../services/ops/backup-key.js'
import { containerWithCorpus, tempDir, testConfig } from '../helpers/env.js'

const OPERATOR_KEY = 'operator-held-backup-key-0123456789'

describe('authenticated backups', () => {
  it('a payload edited to add an admin, with a recomputed checksum, is refused; the right key restores elsewhere', async () => {
    const ctx = await containerWithCorpus(undefined, { backupKey: OPERATOR_KEY })
    await ctx.users.add({ username: 'real-admin', role: 'admin', regionCode: null, password: 'password-123' })
    const file = path.join(tempDir(), 'taxkb.backup')
    const keyId = contactKeyId(ctx.config.encryptionKey, ctx.config.dataDir)
    const backupKey = resolveBackupKey(OPERATOR_KEY, ctx.config.dataDir, { create: true })
    await createBackup({ store: ctx.store, dataDir: ctx.config.dataDir, contactKeyId: keyId, file, backupKey })

    // The attacker's edit: a new admin with a password hash they know, checksum and size recomputed.
    const raw = fs.readFileSync(file)
    const nl = raw.indexOf(0x0a)
    const header = JSON.parse(raw.subarray(0, nl).toString('utf8')) as Record<string, unknown>
    const payload = JSON.parse(raw.subarray(nl + 1).toString('utf8')) as {
      collections: { users: Record<string, unknown>[] }
    }
    const evil = { ...payload.collections.users[0]!, id: 'evil-admin', name: 'evil-admin', role: 'admin' }
    payload.collections.users.push(evil)
    const body = Buffer.from(JSON.stringify(payload))
    const sha256 = crypto.createHash('sha256').update(body).digest('hex')
    const forged = path.join(tempDir(), 'forged.backup')
    fs.writeFileSync(
      forged,
      Buffer.concat([Buffer.from(`${JSON.stringify({ ...header, sha256, bytes: body.length })}\n`), body]),
    )
    const v1 = path.join(tempDir(), 'v1.backup')
    fs.writeFileSync(
      v1,
      Buffer.concat([
        Buffer.from(`${JSON.stringify({ format: 'taxkb-backup', version: 1, sha256, bytes: body.length })}\n`),
        body,
      ]),
    )

    const target = await createContainer(testConfig({ backupKey: OPERATOR_KEY }), { skipIndexSync: true })
    try {
      const restore = (f: string, key = OPERATOR_KEY) =>
        restoreBackup({
          store: target.store,
          dataDir: target.config.dataDir,
          contactKeyId: keyId,
          file: f,
          backupKey: key,
        })
      await expect(restore(forged)).rejects.toThrow(/not authentic/)
      await expect(restore(v1)).rejects.toThrow(/unsupported backup version 1/)
      await expect(restore(file, 'some-other-operator-key-000000')).rejects.toThrow(/not authentic/)
      expect(await target.users.get('evil-admin')).toBeUndefined()
      expect(await target.users.get('real-admin')).toBeUndefined()
      // The operator's key on a new machine (README "Backups"): the genuine backup restores.
      await restore(file)
      expect(await target.users.get('real-admin')).toBeDefined()
      expect(await target.users.get('evil-admin')).toBeUndefined()
    } finally {
      await target.close()
      await ctx.close()
    }
  })

  it('without TAXKB_BACKUP_KEY the key is generated once into the data dir (0600); restore never invents one', () => {
    const dir = tempDir()
    const key = resolveBackupKey('', dir, { create: true })
    expect(key.length).toBeGreaterThanOrEqual(32)
    expect(resolveBackupKey('', dir, { create: true })).toBe(key)
    expect((fs.statSync(path.join(dir, 'backup.key')).mode & 0o777).toString(8)).toBe('600')
    expect(() => resolveBackupKey('', tempDir(), { create: false })).toThrow(/TAXKB_BACKUP_KEY/)
    expect(() => resolveBackupKey('short', dir, { create: true })).toThrow(/16/)
  })
})
