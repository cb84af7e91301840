/** Prepared data directories and child processes for cold start and resident memory. */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Entry } from '../../knowledge/entry.js'
import { createStore } from '../../knowledge/store/create-store.js'
import { REPO_ROOT, loadConfig } from '../../services/shared/config.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export function benchDataDir(label: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `taxkb-bench-${label}-`))
}

export function snapshotPath(dataDir: string): string {
  return path.join(dataDir, 'index', 'embedded.v8')
}

/** Writes the entries into the lowdb store of `dataDir` (the snapshot is saved by the caller's backend). */
export async function fillStore(dataDir: string, entries: readonly Entry[]): Promise<void> {
  const store = await createStore(loadConfig({ TAXKB_LOG_LEVEL: 'silent' }, { dataDir }))
  try {
    if (entries.length > 0) await store.collection<Entry>('entries').putMany(entries)
  } finally {
    await store.close()
  }
}

/** Runs a TypeScript file of this folder in a fresh Node process (tsx loader) and parses its last JSON line. */
export function runChild<T>(file: string, args: string[], timeoutMs = 300_000): Promise<T & { wallMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now()
    const child = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', path.join(HERE, file), ...args], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
    child.on('error', reject)
    child.on('close', (code) => {
      clearTimeout(timer)
      const wallMs = performance.now() - t0
      const line = out
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .pop()
      if (code !== 0 || !line) return reject(new Error(`${file} exited ${code}: ${err.slice(-2000)}`))
      resolve({ ...(JSON.parse(line) as T), wallMs })
    })
  })
}

export interface ContainerLoad {
  entries: number
  loadMs: number
  processReadyMs: number
  fromSnapshot: boolean
  rssBeforeMb: number
  rssAfterMb: number
  heapUsedAfterMb: number
  externalAfterMb: number
  wallMs: number
}

export interface LoadSteps {
  entries: number
  fromSnapshot: boolean
  snapshotMb: number
  steps: Record<string, number>
}

export const loadContainer = (dataDir: string) => runChild<ContainerLoad>('child-load.ts', [dataDir, 'container'])
export const loadSteps = (dataDir: string) => runChild<LoadSteps>('child-load.ts', [dataDir, 'steps'])

export const loadIndexOnly = (dataDir: string, stamp: string) =>
  runChild<{ entries: number; fromSnapshot: boolean; rssAfterMb: number; heapUsedAfterMb: number }>('child-load.ts', [
    dataDir,
    'index',
    stamp,
  ])
