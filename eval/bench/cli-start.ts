/**
 * CLI start-up: wall time of `taxkb --help` and `taxkb search` as child processes (what a user waits for),
 * p50 / min / max of N runs. A benchmark, not a test: the figure depends on the machine and its load.
 *
 *   npm run bench:cli [-- --runs 7] [-- --bin other-checkout/bin/taxkb.js] [-- --json]
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../../services/shared/config.js'
import { percentile } from './percentiles.js'

interface Timing {
  p50Ms: number
  minMs: number
  maxMs: number
  runs: number
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function timeRuns(bin: string, args: string[], runs: number): Timing {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
    samples.push(performance.now() - t0)
    if (r.status !== 0) throw new Error(`taxkb ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`)
  }
  const round = (n: number) => Math.round(n)
  return { p50Ms: round(percentile(samples, 50)), minMs: round(Math.min(...samples)), maxMs: round(Math.max(...samples)), runs }
}

const runs = Number(arg('--runs') ?? 5)
const bin = path.resolve(arg('--bin') ?? path.join(REPO_ROOT, 'bin', 'taxkb.js'))
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-cli-bench-'))
try {
  // One import first, so `search` measures start-up over a ready store and index snapshot.
  const imported = spawnSync(process.execPath, [bin, '--data-dir', dataDir, 'import'], { encoding: 'utf8' })
  if (imported.status !== 0) throw new Error(`import failed: ${imported.stderr.slice(0, 500)}`)
  // A first run of each warms the OS file cache and any transpile cache; it is not counted.
  timeRuns(bin, ['--help'], 1)
  timeRuns(bin, ['--data-dir', dataDir, 'search', '增值税'], 1)
  const result = {
    bin,
    loadAverage: os.loadavg().map((l) => Math.round(l * 10) / 10),
    help: timeRuns(bin, ['--help'], runs),
    search: timeRuns(bin, ['--data-dir', dataDir, 'search', '增值税'], runs),
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
  else {
    console.log(`CLI start (${bin}, ${runs} runs, load average ${result.loadAverage.join(' ')})`)
    for (const [name, t] of [['taxkb --help', result.help], ['taxkb search 增值税', result.search]] as const) {
      console.log(`  ${name.padEnd(20)} p50 ${t.p50Ms} ms  (min ${t.minMs}, max ${t.maxMs})`)
    }
  }
} finally {
  fs.rmSync(dataDir, { recursive: true, force: true })
}
