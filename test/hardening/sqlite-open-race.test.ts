/**
 * Several processes opening one NEW operational store at the same moment (two servers, or a server and a CLI
 * command, started together on an empty data dir). Switching the new file to WAL takes an exclusive lock, and
 * SQLite answers SQLITE_BUSY at once to the others — without its busy handler — so one of them used to fail at
 * open with BACKEND_UNAVAILABLE (seen in about one start in ten of two processes). Every one must open and write.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { tempDir } from '../helpers/env.js'

const CHILD = path.join(REPO_ROOT, 'test', 'hardening', 'children', 'sqlite-writer-child.ts')
const PROCESSES = 4
const TRIES = 5

function openAndWrite(dataDir: string, name: string): Promise<{ code: number | null; out: string; err: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dataDir, name, '1', '1', '5000'], {
    cwd: REPO_ROOT,
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout.on('data', (d: Buffer) => {
    out += d.toString()
    if (out.includes('ready\n') && child.stdin.writable) child.stdin.write('go\n')
  })
  child.stderr.on('data', (d: Buffer) => (err += d.toString()))
  child.stdin.on('error', () => {}) // a child that died at open closed its stdin: its exit code tells
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, out, err })))
}

describe('processes opening one new SQLite store together', () => {
  it(`${PROCESSES} processes × ${TRIES} new data dirs: every one opens and its write is stored`, async () => {
    for (let t = 0; t < TRIES; t++) {
      const dataDir = tempDir('taxkb-open-race-')
      const names = Array.from({ length: PROCESSES }, (_, i) => `p${i}`)
      const results = await Promise.all(names.map((n) => openAndWrite(dataDir, n)))
      for (const r of results) {
        expect(r.err.slice(-400)).toBe('')
        expect(r.code).toBe(0)
        expect(r.out).toContain('done')
      }
      const store = await EmbeddedStore.open(dataDir)
      try {
        expect(await store.collection('ledger').count()).toBe(PROCESSES)
      } finally {
        await store.close()
      }
    }
  }, 90_000)
})
