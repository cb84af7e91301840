/**
 * Two processes writing one data directory back to back through the group-commit path (no pause between
 * rounds: the harshest case, a writer whose lock is free only for microseconds between its commits): neither
 * may starve on the other's write lock. Every write must be acknowledged within the lock timeout, every
 * acknowledged ledger row must be in the database, and the sequence numbers the two processes were given
 * must be distinct and gap-free. With SQLite's own busy handler (sleeps growing to 100 ms) one writer waited
 * 0.9–3.4 s for the other here, so with a 0.75 s timeout its writes failed (the fix: 0.1–0.25 s).
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { tempDir } from '../helpers/env.js'

const CHILD = path.join(REPO_ROOT, 'test', 'hardening', 'children', 'sqlite-writer-child.ts')
const ROUNDS = 6000
const WIDTH = 2
const BUSY_MS = 750
const children: ChildProcess[] = []

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL')
})

interface Outcome {
  acked: string[]
  failed: string[]
  seqs: number[]
  maxMs: number
  exit: Promise<number | null>
}

function startWriter(dataDir: string, name: string): { ready: Promise<void>; go: () => void; outcome: Outcome } {
  const args = [CHILD, dataDir, name, String(ROUNDS), String(WIDTH), String(BUSY_MS)]
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  children.push(child)
  const outcome: Outcome = {
    acked: [],
    failed: [],
    seqs: [],
    maxMs: Number.NaN,
    exit: new Promise((r) => child.on('exit', (code) => r(code))),
  }
  let stderr = ''
  let rest = ''
  let readyResolve: () => void = () => {}
  const ready = new Promise<void>((r) => (readyResolve = r))
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()))
  child.stdout!.on('data', (d: Buffer) => {
    const lines = (rest + d.toString()).split('\n')
    rest = lines.pop() ?? ''
    for (const line of lines) {
      const [kind, id, code] = line.split(' ')
      if (kind === 'ready') readyResolve()
      else if (kind === 'ack') outcome.acked.push(id!)
      else if (kind === 'fail') outcome.failed.push(`${id} ${code}`)
      else if (kind === 'seq') outcome.seqs.push(Number(id))
      else if (kind === 'stat') outcome.maxMs = Number(id)
    }
  })
  void outcome.exit.then((code) => {
    if (code !== 0) outcome.failed.push(`exit ${code}: ${stderr.slice(-600)}`)
    // a child that dies before `ready` (e.g. at open) fails the test at once instead of leaving it waiting
    readyResolve()
  })
  return { ready, go: () => child.stdin!.write('go\n'), outcome }
}

describe('two processes writing one SQLite store', () => {
  it('acknowledges every write of both, none starves, and every acknowledged write is stored', async () => {
    const dataDir = tempDir('taxkb-two-writers-')
    const a = startWriter(dataDir, 'a')
    const b = startWriter(dataDir, 'b')
    await Promise.all([a.ready, b.ready])
    expect([...a.outcome.failed, ...b.outcome.failed]).toEqual([])
    a.go()
    b.go()
    await Promise.all([a.outcome.exit, b.outcome.exit])

    for (const w of [a, b]) {
      expect(w.outcome.failed.slice(0, 5)).toEqual([])
      expect(w.outcome.acked.length).toBe(ROUNDS * (WIDTH + 1))
      expect(w.outcome.maxMs).toBeLessThan(BUSY_MS)
    }
    const store = await EmbeddedStore.open(dataDir)
    try {
      const ledgerIds = [...a.outcome.acked, ...b.outcome.acked].filter((id) => !id.startsWith('seq-'))
      const stored = await store.collection('ledger').getMany(ledgerIds)
      expect(stored.length).toBe(ledgerIds.length)
      expect(await store.collection('ledger').count()).toBe(ledgerIds.length)
      const seqs = [...a.outcome.seqs, ...b.outcome.seqs].sort((x, y) => x - y)
      expect(seqs).toEqual(Array.from({ length: 2 * ROUNDS }, (_, i) => i + 1))
      const sessions = await store.collection<{ id: string; turns: number }>('sessions').list()
      expect(sessions.map((s) => s.turns)).toEqual(Array.from({ length: 2 * WIDTH }, () => ROUNDS))
    } finally {
      await store.close()
    }
  }, 120_000)
})
