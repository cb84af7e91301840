/**
 * The data directory holds password hashes, chat sessions, sealed contacts and keys: only the service's
 * own user may read it. Files are 0600 and directories 0700 — through the process umask for everything
 * written from now on (lowdb/steno, SQLite, index snapshots, overlays and backups do not take a mode), and
 * by tightening what an older version left behind when the service starts.
 */
import fs from 'node:fs'
import path from 'node:path'

const GROUP_AND_OTHER = 0o077

/** Makes the process create private files and directories from now on. */
export function usePrivateUmask(): void {
  process.umask(process.umask() | GROUP_AND_OTHER)
}

/** Creates `dir` (0700) if needed and removes group/other access from everything inside it. */
export function protectDataDir(dir: string): void {
  usePrivateUmask()
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 })
  tighten(dir)
}

function tighten(dir: string): void {
  fs.chmodSync(dir, 0o700)
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, entry.name)
    if (entry.isSymbolicLink()) continue
    if (entry.isDirectory()) tighten(p)
    else if (entry.isFile()) {
      const mode = fs.statSync(p).mode & 0o777
      if (mode & GROUP_AND_OTHER) fs.chmodSync(p, mode & ~GROUP_AND_OTHER)
    }
  }
}
