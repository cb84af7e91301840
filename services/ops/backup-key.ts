/**
 * The secret that authenticates backups (HMAC-SHA256 over the payload): TAXKB_BACKUP_KEY, else a key
 * generated once into TAXKB_DATA_DIR/backup.key (0600). The operator keeps it apart from the backups —
 * whoever can edit a backup file must not be able to re-sign it. Restoring onto a new machine needs the
 * same key there (set TAXKB_BACKUP_KEY, or copy backup.key); restore never generates one.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { BackupError } from './backup.js'

export const BACKUP_KEY_FILE = 'backup.key'

export function resolveBackupKey(configured: string, dataDir: string, options: { create: boolean }): string {
  const given = configured.trim()
  if (given) {
    if (given.length < 16) throw new BackupError('TAXKB_BACKUP_KEY must be at least 16 characters')
    return given
  }
  const file = path.join(dataDir, BACKUP_KEY_FILE)
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim()
  if (!options.create) {
    throw new BackupError(
      `no backup key: set TAXKB_BACKUP_KEY (or copy ${BACKUP_KEY_FILE}) from the machine that made the backup`,
    )
  }
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const key = crypto.randomBytes(32).toString('base64url')
  try {
    // wx: never overwrite a key another process created meanwhile.
    fs.writeFileSync(file, key, { mode: 0o600, flag: 'wx' })
    return key
  } catch {
    return fs.readFileSync(file, 'utf8').trim()
  }
}
