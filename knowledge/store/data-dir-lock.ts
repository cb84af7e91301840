/**
 * A lock file naming the process that may write a part of the data directory that cannot be shared
 * between processes (the lowdb knowledge files, the search snapshot). Created with O_EXCL, holding
 * `{pid, host, at}`; a lock whose process is gone (kill -9, reboot) is taken over. A process that finds the
 * lock held by a live process works read-only on that part and says so with DATA_DIR_LOCKED.
 */
import fs from 'node:fs'
import os from 'node:os'

export interface LockInfo {
  pid: number
  host: string
  at: string
}

export interface DataDirLock {
  readonly file: string
  /** True when this process holds the lock. */
  readonly held: boolean
  /** The holder when another live process has it. */
  readonly holder: LockInfo | null
  release(): void
}

function readLock(file: string): LockInfo | null {
  try {
    const v = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LockInfo>
    return typeof v.pid === 'number' ? { pid: v.pid, host: String(v.host ?? ''), at: String(v.at ?? '') } : null
  } catch {
    return null
  }
}

/** Whether the holder still runs. A lock from another host cannot be checked and counts as live. */
export function isLive(info: LockInfo): boolean {
  if (info.host !== os.hostname()) return true
  if (info.pid === process.pid) return false
  try {
    process.kill(info.pid, 0)
    return true
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** The live process other than this one that holds `file`, if any. */
export function lockHolder(file: string): LockInfo | null {
  const info = readLock(file)
  if (!info || info.pid === process.pid) return null
  return isLive(info) ? info : null
}

const releasers = new Set<() => void>()
let exitHookInstalled = false

export function acquireLock(file: string): DataDirLock {
  const mine: LockInfo = { pid: process.pid, host: os.hostname(), at: new Date().toISOString() }
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(mine), { flag: 'wx', mode: 0o600 })
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e
      const info = readLock(file)
      if (info && info.pid !== process.pid && isLive(info))
        return { file, held: false, holder: info, release: () => {} }
      // Stale (holder gone) or unreadable (a crash while writing it): take it over.
      fs.rmSync(file, { force: true })
      continue
    }
    // Two processes taking over one stale lock at once: the one whose content survived holds it.
    if (readLock(file)?.pid !== process.pid) continue
    let released = false
    const release = () => {
      if (released) return
      released = true
      releasers.delete(release)
      if (readLock(file)?.pid === process.pid) fs.rmSync(file, { force: true })
    }
    releasers.add(release)
    if (!exitHookInstalled) {
      exitHookInstalled = true
      process.once('exit', () => {
        for (const r of [...releasers]) r()
      })
    }
    return { file, held: true, holder: null, release }
  }
  const info = readLock(file)
  return { file, held: false, holder: info, release: () => {} }
}
