/**
 * What the embedded store holds on disk, read without the product's code: the stored JSON text of one
 * operational collection (straight from operational.sqlite, read-only), and the raw bytes of every store
 * file (database, WAL, JSON) — for at-rest checks such as "no phone number in clear".
 */
import fs from 'node:fs'
import path from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { SQLITE_FILE } from '../../knowledge/store/embedded-store.js'

/** The stored documents of `name`, one JSON text per line in id order ('' when there is no database yet). */
export function storedDocsText(dataDir: string, name: string): string {
  const file = path.join(dataDir, SQLITE_FILE)
  if (!fs.existsSync(file)) return ''
  const db = new DatabaseSync(file, { readOnly: true })
  try {
    const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name)
    if (!exists) return ''
    return (db.prepare(`SELECT doc FROM "${name}" ORDER BY id`).all() as { doc: string }[]).map((r) => r.doc).join('\n')
  } finally {
    db.close()
  }
}

/** Raw bytes of every store file in the data directory (SQLite database, -wal, -shm, lowdb JSON). */
export function rawStoreFiles(dataDir: string): { file: string; bytes: Buffer }[] {
  return fs
    .readdirSync(dataDir)
    .filter((f) => f.startsWith(SQLITE_FILE) || f.endsWith('.json'))
    .map((f) => ({ file: f, bytes: fs.readFileSync(path.join(dataDir, f)) }))
}
