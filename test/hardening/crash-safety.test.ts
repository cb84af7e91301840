/**
 * kill -9 in the middle of an import, a ticket update storm and a publish; then reopen the store:
 * it loads, every acknowledged write is there (SQLite for tickets, lowdb for knowledge), every JSON file
 * parses (nothing half-written), any leftover temp file is one the loader never reads, and the reopened
 * service searches normally.
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { createContainer } from '../../services/container.js'
import { SQLITE_FILE } from '../../knowledge/store/embedded-store.js'
import { COLLECTIONS } from '../../knowledge/store/store.js'
import { REPO_ROOT, loadConfig } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, FIXTURES, tempDir } from '../helpers/env.js'

const CHILD = path.join(REPO_ROOT, 'test', 'hardening', 'children', 'crash-child.ts')

/** Runs the child until `enough(acks)` plus a random delay, then SIGKILLs it; returns the acks seen. */
async function runAndKill(
  mode: string,
  dataDir: string,
  enough: (acks: Record<string, unknown>[]) => boolean,
  extraDelayMs: number,
): Promise<Record<string, unknown>[]> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CHILD, mode, dataDir, path.join(FIXTURES, 'corpus'), BUNDLED_CORPUS],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const acks: Record<string, unknown>[] = []
  let buf = ''
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    let armed = false
    const t = setTimeout(
      () => reject(new Error(`child did not reach the kill point: ${acks.length} acks; ${stderr.slice(-500)}`)),
      90_000,
    )
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString()
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        // An ack is recorded only when its whole line has arrived.
        if (line.startsWith('ack ')) acks.push(JSON.parse(line.slice(4)) as Record<string, unknown>)
      }
      if (!armed && enough(acks)) {
        armed = true
        clearTimeout(t)
        setTimeout(() => {
          child.kill('SIGKILL')
          resolve()
        }, extraDelayMs)
      }
    })
    child.on('exit', (code, sig) => {
      if (!armed) reject(new Error(`child exited early (${code ?? sig}): ${stderr.slice(-800)}`))
    })
  })
  await exited
  return acks
}

/** Every collection file parses; other files are temp files the loader does not read. */
function checkFiles(dataDir: string): { tmp: string[] } {
  const tmp: string[] = []
  for (const f of fs.readdirSync(dataDir)) {
    const p = path.join(dataDir, f)
    if (fs.statSync(p).isDirectory()) continue
    if (f.endsWith('.json')) expect(() => JSON.parse(fs.readFileSync(p, 'utf8')), f).not.toThrow()
    else if (/\.tmp$/.test(f)) tmp.push(f)
  }
  for (const name of COLLECTIONS) for (const t of tmp) expect(t === `${name}.json`).toBe(false)
  return { tmp }
}

async function reopen(dataDir: string) {
  return createContainer(loadConfig({ TAXKB_LOG_LEVEL: 'silent', TAXKB_ENCRYPTION_KEY: '11'.repeat(32) }, { dataDir }))
}

describe('crash safety (SIGKILL, then reopen)', () => {
  it('mid-import: the store loads with the last acknowledged import complete or the next one fully applied, and search works', async () => {
    const dataDir = tempDir()
    // Kill during the big import that follows the first acknowledged one, at three different moments.
    for (const delay of [80, 1500]) {
      const acks = await runAndKill('import', dataDir, (a) => a.length >= 1, delay)
      checkFiles(dataDir)
      const ctx = await reopen(dataDir)
      const count = await ctx.store.collection('entries').count()
      const lastTotal = Number(acks[acks.length - 1]!.total)
      // Imports only add or update: every acknowledged entry must be there.
      expect(count).toBeGreaterThanOrEqual(lastTotal)
      console.log(
        `[crash] import: killed ${delay} ms after ack #${acks.length}; ${count} entries on reopen (last acknowledged import: ${lastTotal})`,
      )
      const hits = await ctx.search.search({ q: '增值税', limit: 5 })
      expect(hits.length).toBeGreaterThan(0)
      await ctx.close()
    }
  }, 240_000)

  it('mid ticket-update storm: every acknowledged create and update is on disk', async () => {
    const dataDir = tempDir()
    const acks = await runAndKill('tickets', dataDir, (a) => a.filter((x) => 'update' in x).length >= 150, 37)
    checkFiles(dataDir)
    const ctx = await reopen(dataDir)
    const tickets = await ctx.store.collection<{ id: string; storm?: number[] }>('tickets').list()
    const byId = new Map(tickets.map((t) => [t.id, new Set(t.storm ?? [])]))
    const creates = acks.filter((a) => 'create' in a)
    const updates = acks.filter((a) => 'update' in a)
    expect(creates).toHaveLength(5)
    for (const c of creates) expect(byId.has(String(c.create))).toBe(true)
    const lost = updates.filter((u) => !byId.get(String(u.update))?.has(Number(u.k)))
    expect(lost).toEqual([])
    // Raw files of the operational engine (database and WAL): the contact is sealed, never in clear.
    const raw = fs.readdirSync(dataDir).filter((f) => f.startsWith(SQLITE_FILE))
    expect(raw).toContain(SQLITE_FILE)
    for (const f of raw) expect(fs.readFileSync(path.join(dataDir, f)).includes('13912345678'), f).toBe(false)
    console.log(
      `[crash] tickets: ${creates.length} creates + ${updates.length} acknowledged updates survived SIGKILL; ${tickets.reduce((n, t) => n + (t.storm?.length ?? 0), 0)} updates on disk`,
    )
    await ctx.close()
  }, 120_000)

  it('mid-publish: every acknowledged publication is published, with its version, after reopening', async () => {
    const dataDir = tempDir()
    const acks = await runAndKill('publish', dataDir, (a) => a.length >= 4, 23)
    checkFiles(dataDir)
    const ctx = await reopen(dataDir)
    const entries = ctx.store.collection<{ id: string; status: string; version: number }>('entries')
    for (const a of acks) {
      const e = await entries.get(String(a.published))
      expect(e, String(a.published)).toMatchObject({ status: 'published', version: Number(a.version) })
    }
    const hits = await ctx.search.search({ q: '崩溃测试问答', limit: 50 })
    for (const a of acks) expect(hits.map((h) => h.id)).toContain(a.published)
    console.log(`[crash] publish: ${acks.length} acknowledged publications survived SIGKILL`)
    await ctx.close()
  }, 120_000)
})
