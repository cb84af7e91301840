/**
 * One-time migration of a data directory written by the lowdb-only release: every operational
 * collection's `<name>.json` is read and checked first, then inserted in ONE SQLite transaction together
 * with a marker, so the move is all or nothing; only after the commit are the JSON files moved aside into
 * `pre-sqlite-backup/` (kept, never deleted). Re-running is a no-op: the marker says the import happened,
 * and JSON files found after it are moved aside (kept) without being imported again. Two processes
 * starting together are serialised by the write transaction and the marker.
 */
import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../../services/shared/errors.js'
import type { SqliteStore } from './sqlite-store.js'
import type { CollectionName, Doc } from './store.js'

export const MIGRATION_MARKER = 'lowdb-migration'
export const LEGACY_BACKUP_DIR = 'pre-sqlite-backup'

export interface MigrationResult {
  /** Documents imported per collection (empty when there was nothing to migrate or it ran before). */
  imported: Partial<Record<CollectionName, number>>
  /** Files moved aside into LEGACY_BACKUP_DIR. */
  movedAside: string[]
}

function readLegacyFile(file: string): Doc[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(fs.readFileSync(file, 'utf8'))
  } catch (e) {
    throw new AppError('BACKEND_UNAVAILABLE', `cannot migrate ${file}: ${(e as Error).message}; nothing was changed`, {
      cause: e,
    })
  }
  const docs = (parsed as { docs?: unknown } | null)?.docs
  if (!docs || typeof docs !== 'object' || Array.isArray(docs)) {
    throw new AppError(
      'BACKEND_UNAVAILABLE',
      `cannot migrate ${file}: not a lowdb collection file; nothing was changed`,
    )
  }
  const out: Doc[] = []
  for (const [id, d] of Object.entries(docs as Record<string, unknown>)) {
    if (!d || typeof d !== 'object') continue
    out.push({ ...(d as Doc), id: typeof (d as Doc).id === 'string' ? (d as Doc).id : id })
  }
  return out
}

function moveAside(dataDir: string, files: readonly string[], stamp: string): string[] {
  if (files.length === 0) return []
  const dir = path.join(dataDir, LEGACY_BACKUP_DIR)
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  const moved: string[] = []
  for (const f of files) {
    let target = path.join(dir, path.basename(f))
    if (fs.existsSync(target)) target = path.join(dir, `${path.basename(f, '.json')}.${stamp}.json`)
    try {
      fs.renameSync(f, target)
      moved.push(target)
    } catch (e) {
      // Another process starting at the same moment moved it first.
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e
    }
  }
  return moved
}

export function migrateLowdbFiles(
  store: SqliteStore,
  dataDir: string,
  names: readonly CollectionName[],
  now = new Date(),
): MigrationResult {
  const present = () =>
    names.map((n) => [n, path.join(dataDir, `${n}.json`)] as const).filter(([, f]) => fs.existsSync(f))
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  const imported: Partial<Record<CollectionName, number>> = {}
  store.writeTransaction(() => {
    if (store.getMarker(MIGRATION_MARKER) !== undefined) return
    const found = present()
    // Parse everything before writing anything: a bad file leaves the directory as it was.
    const data = found.map(([name, file]) => [name, readLegacyFile(file)] as const)
    for (const [name, docs] of data) {
      store.insertMany(name, docs)
      imported[name] = docs.length
    }
    store.setMarker(MIGRATION_MARKER, JSON.stringify({ at: now.toISOString(), imported }))
  })
  return {
    imported,
    movedAside: moveAside(
      dataDir,
      present().map(([, f]) => f),
      stamp,
    ),
  }
}
