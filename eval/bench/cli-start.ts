/**
 * CLI start-up: wall time from spawn to exit of `taxkb --help` and `taxkb search` as child processes (what a
 * user waits for), p50 / p99 / min / max of N runs, optionally against a baseline checkout in the same run
 * (runs interleaved, so both see the same machine load). A benchmark, not a test: the figure depends on the
 * machine and its load, which is printed before and after.
 *
 *   npm run bench:cli [-- --runs 10] [-- --bin other/bin/taxkb.js] [-- --baseline base/bin/taxkb.js]
 *                     [-- --data-dir DIR] [-- --query 增值税] [-- --json]
 *
 * Without --data-dir a fresh data directory is imported first (and removed after); pass an imported --data-dir
 * to skip that, or to measure a data dir with its own vectors (passages the shipped vectors lack get embedded
 * on the first search, which is not counted).
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { REPO_ROOT } from '../../services/shared/config.js'
import { machineInfo, machineLine } from './machine.js'
import { percentile } from './percentiles.js'

interface Timing {
  p50Ms: number
  p99Ms: number
  minMs: number
  maxMs: number
  runs: number
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}

function runOnce(bin: string, args: string[]): { ms: number; stdout: string } {
  const t0 = performance.now()
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
  const ms = performance.now() - t0
  if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(0, 500)}`)
  return { ms, stdout: r.stdout }
}

function summary(samples: number[]): Timing {
  const round = (n: number) => Math.round(n)
  return {
    p50Ms: round(percentile(samples, 50)),
    p99Ms: round(percentile(samples, 99)),
    minMs: round(Math.min(...samples)),
    maxMs: round(Math.max(...samples)),
    runs: samples.length,
  }
}

const load = () => os.loadavg().map((l) => Math.round(l * 10) / 10)
const runs = Number(arg('--runs') ?? 10)
const query = arg('--query') ?? '增值税'
const bins: Record<string, string> = { current: path.resolve(arg('--bin') ?? path.join(REPO_ROOT, 'bin', 'taxkb.js')) }
const baselineBin = arg('--baseline')
if (baselineBin) bins.baseline = path.resolve(baselineBin)
const given = arg('--data-dir')
const dataDir = given ? path.resolve(given) : fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-cli-bench-'))
try {
  if (!given) runOnce(bins.current!, ['--data-dir', dataDir, 'import'])
  const cases = { help: ['--help'], search: ['--data-dir', dataDir, 'search', query] }
  // A first run of each warms the OS file cache, the compiled-JS and V8 caches; it is not counted. The
  // --json output of both bins is compared: a faster start that changes results would be no improvement.
  const json: Record<string, string> = {}
  for (const [name, bin] of Object.entries(bins)) {
    runOnce(bin, cases.help)
    json[name] = runOnce(bin, [...cases.search, '--json']).stdout
  }
  const before = load()
  const samples: Record<string, Record<keyof typeof cases, number[]>> = {}
  for (const name of Object.keys(bins)) samples[name] = { help: [], search: [] }
  for (let i = 0; i < runs; i++) {
    for (const c of ['help', 'search'] as const) {
      for (const [name, bin] of Object.entries(bins)) samples[name]![c].push(runOnce(bin, cases[c]).ms)
    }
  }
  const result = {
    machine: machineLine(machineInfo()),
    loadAverageBefore: before,
    loadAverageAfter: load(),
    query,
    ...(bins.baseline ? { sameJson: json.current === json.baseline } : {}),
    bins: Object.fromEntries(
      Object.entries(bins).map(([name, bin]) => [
        name,
        { bin, help: summary(samples[name]!.help), search: summary(samples[name]!.search) },
      ]),
    ),
  }
  if (process.argv.includes('--json')) console.log(JSON.stringify(result, null, 2))
  else {
    console.log(`CLI start, ${runs} runs each, interleaved · ${result.machine}`)
    console.log(`load average (1/5/15 min) before ${before.join(' ')}, after ${result.loadAverageAfter.join(' ')}`)
    if (bins.baseline) console.log(`same --json output as the baseline: ${result.sameJson ? 'yes' : 'NO'}`)
    console.log('| bin | command | p50 ms | p99 ms | min | max |\n|---|---|---|---|---|---|')
    for (const [name, r] of Object.entries(result.bins)) {
      for (const [label, t] of [
        ['taxkb --help', r.help],
        [`taxkb search ${query}`, r.search],
      ] as const) {
        console.log(`| ${name} | ${label} | ${t.p50Ms} | ${t.p99Ms} | ${t.minMs} | ${t.maxMs} |`)
      }
    }
  }
} finally {
  if (!given) fs.rmSync(dataDir, { recursive: true, force: true })
}
