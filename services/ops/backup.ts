/**
 * `taxkb backup FILE` / `taxkb restore FILE`.
 *
 * A backup is one file: a header line `{"format":"taxkb-backup","version":1,"sha256":…,"bytes":…}` and
 * then the payload JSON: every Store collection (a consistent snapshot: queued writes are flushed first),
 * the editors' lexicon overlay and the admin-edited calendar from the data directory, and a fingerprint of
 * the contact-encryption key. It is written to a temp file, fsynced and renamed, so a crash never leaves a
 * half-written backup under the final name.
 *
 * Restore verifies everything before touching anything (header, size, SHA-256, schema of every
 * collection and file name); only then it replaces the store, the overlay files and the calendar, and
 * the caller rebuilds the index. Sealed contacts can only be opened with the key they were sealed with,
 * so a backup whose key fingerprint differs from this data directory's key is refused.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { COLLECTIONS, type CollectionName, type Doc, type Store } from '../../knowledge/store/store.js'

// Data-directory files next to the store (owners: editorial/lexicon-files.ts, tickets/calendar-store.ts,
// tickets/contact-cipher.ts). Named here, not imported, so backups depend only on the layout on disk.
const overlayDir = (dataDir: string) => path.join(dataDir, 'lexicon')
const calendarOverridePath = (dataDir: string) => path.join(dataDir, 'calendar.json')
const LEXICON_FILE = /^[\w.-]{1,64}\.txt$/

export const BACKUP_FORMAT = 'taxkb-backup'
/** 2: the header carries an HMAC-SHA256 of the payload keyed by the operator's backup key. */
export const BACKUP_VERSION = 2

export class BackupError extends Error {
  /** INVALID_BACKUP: the file is not a sound backup (nothing was changed); BACKUP_WRITE_FAILED: cannot write there. */
  constructor(
    message: string,
    readonly code: 'INVALID_BACKUP' | 'BACKUP_WRITE_FAILED' = 'INVALID_BACKUP',
  ) {
    super(message)
    this.name = 'BackupError'
  }
}

export interface BackupPayload {
  createdAt: string
  collections: Record<CollectionName, Doc[]>
  /** Overlay lexicon files (TAXKB_DATA_DIR/lexicon/*), by file name. */
  lexicon: Record<string, string>
  /** Admin-edited calendar (TAXKB_DATA_DIR/calendar.json) or null. */
  calendar: string | null
  /** HMAC fingerprint of the contact-encryption key (never the key); null when the data dir had none. */
  contactKeyId: string | null
}

export interface BackupSummary {
  file: string
  bytes: number
  sha256: string
  counts: Record<string, number>
  lexiconFiles: string[]
}

export function keyId(key: Buffer): string {
  return crypto.createHmac('sha256', key).update('taxkb contact key id').digest('hex').slice(0, 16)
}

/**
 * Fingerprint of the contact key this data directory uses (TAXKB_ENCRYPTION_KEY, else contact.key), or
 * null when there is none yet. Reads only: a backup or restore never creates a key.
 */
export function contactKeyId(configured: string, dataDir: string): string | null {
  let v = configured.trim()
  if (!v) v = (readOptional(path.join(dataDir, 'contact.key')) ?? '').trim()
  if (!v) return null
  const key = /^[0-9a-fA-F]{64}$/.test(v) ? Buffer.from(v, 'hex') : Buffer.from(v, 'base64url')
  return key.length === 32 ? keyId(key) : null
}

function readOptional(file: string): string | null {
  try {
    return fs.readFileSync(file, 'utf8')
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null
    throw e
  }
}

/**
 * Writes `data` to `file` atomically: temp file in the same directory, fsync, rename, fsync the directory.
 * The directory must exist (no recursive mkdir: on some file systems, e.g. /proc, that never returns).
 * File-system failures are user errors here (a wrong path), reported as BackupError without a stack.
 */
export function writeFileAtomic(file: string, data: string | Buffer, opts: { mkdir?: boolean } = {}): void {
  const target = path.resolve(file)
  const dir = path.dirname(target)
  const io = <T>(what: string, fn: () => T): T => {
    try {
      return fn()
    } catch (e) {
      throw new BackupError(
        `cannot ${what} ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        'BACKUP_WRITE_FAILED',
      )
    }
  }
  if (opts.mkdir) io('create the directory of', () => fs.mkdirSync(dir, { recursive: true }))
  if (fs.existsSync(target) && fs.statSync(target).isDirectory())
    throw new BackupError(`cannot write ${target}: it is a directory`, 'BACKUP_WRITE_FAILED')
  const tmp = path.join(dir, `.${path.basename(target)}.${process.pid}.${crypto.randomBytes(4).toString('hex')}.tmp`)
  const fd = io('write', () => fs.openSync(tmp, 'w', 0o600))
  try {
    io('write', () => fs.writeFileSync(fd, data))
    io('write', () => fs.fsyncSync(fd))
  } finally {
    fs.closeSync(fd)
  }
  try {
    fs.renameSync(tmp, target)
  } catch (e) {
    fs.rmSync(tmp, { force: true })
    throw new BackupError(
      `cannot write ${target}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
      'BACKUP_WRITE_FAILED',
    )
  }
  try {
    const dfd = fs.openSync(dir, 'r')
    fs.fsyncSync(dfd)
    fs.closeSync(dfd)
  } catch {
    // Directory fsync is not supported everywhere (e.g. some network file systems); the rename is done.
  }
}

/** HMAC-SHA256 of a backup payload under the operator's key (see backup-key.ts). */
export function backupMac(backupKey: string, body: Buffer): string {
  return crypto.createHmac('sha256', backupKey).update('taxkb backup v2\u0000').update(body).digest('hex')
}

export async function createBackup(opts: {
  store: Store
  dataDir: string
  contactKeyId: string | null
  file: string
  backupKey: string
  now?: Date
}): Promise<BackupSummary> {
  const collections = await opts.store.snapshot()
  const lexicon: Record<string, string> = {}
  const lexDir = overlayDir(opts.dataDir)
  for (const name of fs.existsSync(lexDir) ? fs.readdirSync(lexDir).sort() : []) {
    if (LEXICON_FILE.test(name)) lexicon[name] = fs.readFileSync(path.join(lexDir, name), 'utf8')
  }
  const payload: BackupPayload = {
    createdAt: (opts.now ?? new Date()).toISOString(),
    collections,
    lexicon,
    calendar: readOptional(calendarOverridePath(opts.dataDir)),
    contactKeyId: opts.contactKeyId,
  }
  const body = Buffer.from(JSON.stringify(payload), 'utf8')
  const sha256 = crypto.createHash('sha256').update(body).digest('hex')
  const hmac = backupMac(opts.backupKey, body)
  const header = JSON.stringify({ format: BACKUP_FORMAT, version: BACKUP_VERSION, sha256, hmac, bytes: body.length })
  writeFileAtomic(opts.file, Buffer.concat([Buffer.from(`${header}\n`, 'utf8'), body]))
  return {
    file: opts.file,
    bytes: body.length,
    sha256,
    counts: Object.fromEntries(COLLECTIONS.map((c) => [c, collections[c].length])),
    lexiconFiles: Object.keys(lexicon),
  }
}

/** Reads and fully verifies a backup file; throws BackupError with a precise reason. Touches nothing. */
export function readBackup(file: string, backupKey: string): BackupPayload & { sha256: string } {
  let raw: Buffer
  try {
    raw = fs.readFileSync(file)
  } catch (e) {
    throw new BackupError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`)
  }
  const nl = raw.indexOf(0x0a)
  if (nl < 0) throw new BackupError('not a taxkb backup (no header line)')
  let header: { format?: unknown; version?: unknown; sha256?: unknown; hmac?: unknown; bytes?: unknown }
  try {
    header = JSON.parse(raw.subarray(0, nl).toString('utf8')) as typeof header
  } catch {
    throw new BackupError('not a taxkb backup (header is not JSON)')
  }
  if (!header || header.format !== BACKUP_FORMAT) throw new BackupError('not a taxkb backup (wrong format marker)')
  if (header.version !== BACKUP_VERSION)
    throw new BackupError(`unsupported backup version ${String(header.version)} (this build reads ${BACKUP_VERSION})`)
  if (typeof header.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(header.sha256) || typeof header.bytes !== 'number')
    throw new BackupError('backup header lacks checksum or size')
  const body = raw.subarray(nl + 1)
  if (body.length !== header.bytes)
    throw new BackupError(`backup is truncated or padded: ${body.length} bytes, header says ${header.bytes}`)
  const sum = crypto.createHash('sha256').update(body).digest('hex')
  if (sum !== header.sha256)
    throw new BackupError(
      `checksum mismatch: the backup is corrupt (sha256 ${sum.slice(0, 12)}…, expected ${header.sha256.slice(0, 12)}…)`,
    )
  // The checksum catches corruption; only the HMAC proves the operator's key made this payload.
  const want = Buffer.from(backupMac(backupKey, body), 'hex')
  const got =
    typeof header.hmac === 'string' && /^[0-9a-f]{64}$/.test(header.hmac)
      ? Buffer.from(header.hmac, 'hex')
      : Buffer.alloc(0)
  if (got.length !== want.length || !crypto.timingSafeEqual(got, want)) {
    throw new BackupError(
      'backup is not authentic: its HMAC does not match this backup key (edited, or made with another TAXKB_BACKUP_KEY / backup.key)',
    )
  }
  let payload: unknown
  try {
    payload = JSON.parse(body.toString('utf8'))
  } catch {
    throw new BackupError('backup payload is not JSON')
  }
  return { ...validatePayload(payload), sha256: sum }
}

function validatePayload(p: unknown): BackupPayload {
  const fail = (why: string): never => {
    throw new BackupError(`backup schema: ${why}`)
  }
  if (!p || typeof p !== 'object' || Array.isArray(p)) fail('payload is not an object')
  const o = p as Record<string, unknown>
  if (typeof o.createdAt !== 'string') fail('createdAt missing')
  if (o.contactKeyId !== null && typeof o.contactKeyId !== 'string') fail('contactKeyId missing')
  const cols = o.collections
  if (!cols || typeof cols !== 'object' || Array.isArray(cols)) fail('collections missing')
  const collections = {} as Record<CollectionName, Doc[]>
  for (const name of Object.keys(cols as object))
    if (!(COLLECTIONS as readonly string[]).includes(name)) fail(`unknown collection ${name}`)
  for (const name of COLLECTIONS) {
    const docs = (cols as Record<string, unknown>)[name]
    if (!Array.isArray(docs)) fail(`collection ${name} is not an array`)
    const ids = new Set<string>()
    for (const d of docs as unknown[]) {
      if (!d || typeof d !== 'object' || Array.isArray(d) || typeof (d as Doc).id !== 'string' || (d as Doc).id === '')
        fail(`collection ${name} has a document without a string id`)
      if (ids.has((d as Doc).id)) fail(`collection ${name} has the id ${(d as Doc).id} twice`)
      ids.add((d as Doc).id)
    }
    collections[name] = docs as Doc[]
  }
  const lex = o.lexicon
  if (!lex || typeof lex !== 'object' || Array.isArray(lex)) fail('lexicon missing')
  for (const [k, v] of Object.entries(lex as object)) {
    if (!LEXICON_FILE.test(k)) fail(`bad lexicon file name ${k}`)
    if (typeof v !== 'string') fail(`lexicon file ${k} is not text`)
  }
  if (o.calendar !== null && typeof o.calendar !== 'string') fail('calendar is neither null nor text')
  if (typeof o.calendar === 'string') {
    try {
      JSON.parse(o.calendar)
    } catch {
      fail('calendar is not JSON')
    }
  }
  return {
    createdAt: o.createdAt as string,
    collections,
    lexicon: lex as Record<string, string>,
    calendar: o.calendar as string | null,
    contactKeyId: o.contactKeyId as string | null,
  }
}

/**
 * Replaces the store and the data-directory files with a verified backup. The caller rebuilds the index
 * (and reloads the lexicon) afterwards.
 */
export async function restoreBackup(opts: {
  store: Store
  dataDir: string
  contactKeyId: string | null
  file: string
  backupKey: string
}): Promise<{ counts: Record<string, number>; sha256: string }> {
  const b = readBackup(opts.file, opts.backupKey)
  const hasContacts = b.collections.tickets.some(
    (t) =>
      typeof (t as { contactSealed?: unknown }).contactSealed === 'string' ||
      typeof (t as { transcriptSealed?: unknown }).transcriptSealed === 'string',
  )
  if (hasContacts && b.contactKeyId !== opts.contactKeyId) {
    throw new BackupError(
      "the backup was made with a different contact-encryption key (TAXKB_ENCRYPTION_KEY / contact.key); restore with that key, or reporters' contacts could not be read",
    )
  }
  await opts.store.replaceAll(b.collections)
  const dir = overlayDir(opts.dataDir)
  for (const name of fs.existsSync(dir) ? fs.readdirSync(dir) : [])
    if (LEXICON_FILE.test(name) && !(name in b.lexicon)) fs.rmSync(path.join(dir, name), { force: true })
  for (const [name, text] of Object.entries(b.lexicon)) writeFileAtomic(path.join(dir, name), text, { mkdir: true })
  if (b.calendar === null) fs.rmSync(calendarOverridePath(opts.dataDir), { force: true })
  else writeFileAtomic(calendarOverridePath(opts.dataDir), b.calendar, { mkdir: true })
  return { counts: Object.fromEntries(COLLECTIONS.map((c) => [c, b.collections[c].length])), sha256: b.sha256 }
}
