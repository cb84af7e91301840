/**
 * `taxkb bench --history N` / `npm run bench -- --history N`: does chat stay fast after a year of
 * operational history? Two data directories with the bundled corpus — a fresh one (the baseline, same
 * run) and one pre-filled with N ledger rows and N/5 sessions through the Store — each served by the
 * real app in a child process (127.0.0.1), POST /api/chat driven by autocannon at 1, 10 and 50 concurrent
 * clients. Records cold start (container + listen, and spawn to listening), RSS at ready and after load.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { runImport } from '../../indexers/run-import.js'
import { createStore } from '../../knowledge/store/create-store.js'
import { createContainer } from '../../services/container.js'
import { REPO_ROOT, loadConfig, processEnv } from '../../services/shared/config.js'
import { SERVER_ENV, SERVER_NODE_FLAGS } from '../../services/shared/server-node-flags.js'
import { benchQueries, loadBenchInputs } from './bench-inputs.js'
import { fillHistory } from './history-fill.js'
import { machineInfo, machineLine, type MachineInfo } from './machine.js'
import { stopServer } from './measure-chat.js'
import { benchDataDir } from './measure-process.js'
import { summarize, type LatencySummary } from './percentiles.js'
import { chatBodies, chatRequests } from './chat-requests.js'
import { pacedLoad } from './paced-load.js'
import type { BenchQuery } from './query-set.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))
export const HISTORY_TARGETS = {
  chatP99Ms50: 50,
  vsBaseline: 1.5,
  turnsPerSec: 300,
  coldStartMs: 2000,
  rssMb: 400,
} as const

/** Offered rates of the open-loop levels: the throughput target, and twice it. */
export const PACED_PER_SEC = [HISTORY_TARGETS.turnsPerSec, 2 * HISTORY_TARGETS.turnsPerSec] as const
/**
 * Offered rate of new questions (each embedded: ≈ 50 ms of CPU on an AVX2-only core, so the closed loop tops
 * out near 20 turns/s): the latency of a question nobody asked before at half that capacity.
 */
export const NOVEL_PACED_PER_SEC = 10

export interface LoadRun extends LatencySummary {
  connections: number
  /** Questions the server has not seen before (each sent once, so each is embedded), not the 200 that repeat. */
  novel?: boolean
  /**
   * Open loop: this many requests per second offered on a fixed schedule over `connections` connections
   * (paced-load.ts), latency from each request's due time. Absent: closed loop (each client asks again
   * when answered), which measures saturation.
   */
  pacedPerSec?: number
  /** Paced levels: requests still waiting for a connection when the schedule ended (0 = the server kept up). */
  backlogAtEnd?: number
  turnsPerSec: number
  /** The server process's CPU time (all threads) per answered turn during the level: what bounds turns/s per core. */
  cpuMsPerTurn?: number
  non2xx: number
  errors: number
}

export interface ServerReport {
  label: string
  ledgerRows: number
  sessions: number
  dbMb: number
  readyMs: number
  spawnToListenMs: number
  rssReadyMb: number
  rssAfterLoadMb: number
  /** The server's peak RSS over its life (Linux VmHWM: start-up and every load level), when the OS tells. */
  rssPeakMb?: number
  /** Where the RSS after load is: V8 heap used/committed and external buffers (the rest is native). */
  memoryAfterLoad?: { heapUsedMb: number; heapTotalMb: number; externalMb: number }
  runs: LoadRun[]
}

export interface HistoryReport {
  machine: MachineInfo
  history: number
  /** TAXKB_SQLITE_SYNCHRONOUS the servers ran with. */
  synchronous: string
  fill: { ms: number; rowsPerSec: number }
  fresh: ServerReport
  loaded: ServerReport
}

interface Ready {
  port: number
  readyMs: number
  rssMb: number
}

function start(dataDir: string, synchronous: string): Promise<{ child: ChildProcess; ready: Ready; wallMs: number }> {
  const t0 = performance.now()
  const child = spawn(
    process.execPath,
    // The Node flags `taxkb serve` runs with (bin/taxkb.js re-executes itself with them).
    [...SERVER_NODE_FLAGS, '--import', 'tsx', path.join(HERE, 'chat-server.ts'), dataDir, 'info', synchronous],
    // …and the environment it re-executes itself with
    { cwd: REPO_ROOT, env: { ...SERVER_ENV, ...processEnv() }, stdio: ['ignore', 'ignore', 'pipe', 'ipc'] },
  )
  let err = ''
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('chat server did not start within 120 s'))
    }, 120_000)
    child.once('message', (m: Ready) => {
      clearTimeout(timer)
      resolve({ child, ready: m, wallMs: Math.round(performance.now() - t0) })
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`chat server exited ${code}: ${err.slice(-1500)}`))
    })
  })
}

function ask<T>(child: ChildProcess, msg: string): Promise<T> {
  return new Promise((resolve) => {
    child.once('message', (m: T) => resolve(m))
    child.send(msg)
  })
}

/** VmHWM of a process (its peak resident set so far), in MB; undefined where /proc is not there. */
export function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const kb = /VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]
    return kb === undefined ? undefined : Math.round(Number(kb) / 1024)
  } catch {
    return undefined
  }
}

const dbMb = (dir: string) =>
  Math.round(
    fs
      .readdirSync(dir)
      .filter((f) => f.startsWith('operational.sqlite'))
      .reduce((n, f) => n + fs.statSync(path.join(dir, f)).size, 0) /
      2 ** 20,
  )

async function measure(
  label: string,
  dataDir: string,
  counts: { ledgerRows: number; sessions: number },
  queries: readonly BenchQuery[],
  novel: readonly BenchQuery[],
  durationS: number,
  synchronous: string,
): Promise<ServerReport> {
  const autocannon = (await import('autocannon')).default as unknown as typeof import('autocannon')
  const { child, ready, wallMs } = await start(dataDir, synchronous)
  try {
    const url = `http://127.0.0.1:${ready.port}`
    const requests = chatRequests(queries)
    // Warm-up (JIT, caches): each of the questions once, so the 1-client figure is not the first request's.
    await new Promise((resolve, reject) =>
      autocannon({ url, connections: 4, amount: queries.length, requests }, (e, r) =>
        e ? reject(e as Error) : resolve(r),
      ),
    )
    const runs: LoadRun[] = []
    // The 200 questions at 1, 10 and 50 closed-loop clients (they repeat, so after the first round their vectors
    // are cached); the same 200 offered at fixed rates by 50 clients (open loop: the latency a taxpayer sees at
    // that load, not at saturation); 50 closed-loop clients over questions never sent before (each at most once:
    // each turn embeds its question, as most real turns do); last, new questions offered at NOVEL_PACED_PER_SEC,
    // from the far end of that list (none sent before).
    const bodies = chatBodies(queries)
    const levels: {
      connections: number
      requests: typeof requests
      novel?: true
      paced?: number
      bodies?: string[]
    }[] = [
      { connections: 1, requests },
      { connections: 10, requests },
      { connections: 50, requests },
      ...PACED_PER_SEC.map((paced) => ({ connections: 50, requests, paced, bodies })),
      { connections: 50, requests: chatRequests(novel), novel: true },
      {
        connections: 50,
        requests,
        novel: true,
        paced: NOVEL_PACED_PER_SEC,
        bodies: chatBodies(novel.slice(-NOVEL_PACED_PER_SEC * durationS)),
      },
    ]
    for (const { connections, requests: reqs, novel: isNovel, paced, bodies: pacedBodies = bodies } of levels) {
      let samples: number[] = []
      // the turns the last level's clients left in the gate finish first (50 new questions are seconds of work)
      await ask<{ idle: boolean }>(child, 'idle')
      const cpuBefore = (await ask<{ cpuMs?: number }>(child, 'rss')).cpuMs
      let result: { requests: { average: number }; non2xx: number; errors: number }
      let backlogAtEnd: number | undefined
      if (paced !== undefined) {
        let cursor = 0
        const r = await pacedLoad({
          url,
          connections,
          rate: paced,
          durationS,
          next: () => ({ path: '/api/chat', body: pacedBodies[cursor++ % pacedBodies.length]! }),
        })
        samples = r.samples
        backlogAtEnd = r.backlogAtEnd
        result = { requests: { average: r.achievedPerSec }, non2xx: r.non2xx, errors: r.errors }
      } else {
        result = await new Promise<import('autocannon').Result>((resolve, reject) => {
          const inst = autocannon({ url, connections, duration: durationS, requests: reqs }, (e, r) =>
            e ? reject(e as Error) : resolve(r),
          )
          inst.on('response', (_c, _s, _b, t) => samples.push(t))
        })
      }
      const cpuAfter = (await ask<{ cpuMs?: number }>(child, 'rss')).cpuMs
      const cpuMsPerTurn =
        cpuBefore !== undefined && cpuAfter !== undefined && samples.length > 0
          ? Math.round(((cpuAfter - cpuBefore) / samples.length) * 10) / 10
          : undefined
      runs.push({
        connections,
        ...(isNovel ? { novel: true } : {}),
        ...(paced !== undefined ? { pacedPerSec: paced, backlogAtEnd: backlogAtEnd ?? 0 } : {}),
        ...summarize(samples),
        turnsPerSec: Math.round(result.requests.average),
        ...(cpuMsPerTurn !== undefined ? { cpuMsPerTurn } : {}),
        non2xx: result.non2xx,
        errors: result.errors,
      })
    }
    const after = await ask<{ rssMb: number; memory?: ServerReport['memoryAfterLoad'] }>(child, 'rss')
    const peak = peakRssMb(child.pid)
    return {
      label,
      ...counts,
      dbMb: dbMb(dataDir),
      readyMs: ready.readyMs,
      spawnToListenMs: wallMs,
      rssReadyMb: ready.rssMb,
      rssAfterLoadMb: after.rssMb,
      ...(peak !== undefined ? { rssPeakMb: peak } : {}),
      ...(after.memory ? { memoryAfterLoad: after.memory } : {}),
      runs,
    }
  } finally {
    await stopServer(child)
  }
}

export function historyTable(r: HistoryReport): string {
  const row = (s: ServerReport) =>
    s.runs
      .map(
        (x) =>
          `| ${s.label}${x.novel ? ' · new questions' : ''}${x.pacedPerSec ? ` · paced ${x.pacedPerSec}/s` : ''} | ${x.connections} | ${x.p50Ms.toFixed(1)} | ${x.p99Ms.toFixed(1)} | ${x.turnsPerSec} | ${x.cpuMsPerTurn ?? '–'} | ${x.non2xx + x.errors} |`,
      )
      .join('\n')
  const c50 = (s: ServerReport) => s.runs.find((x) => x.connections === 50 && !x.novel && !x.pacedPerSec)!
  const paced = (s: ServerReport) => s.runs.filter((x) => x.pacedPerSec)
  const ratio = c50(r.loaded).p99Ms / c50(r.fresh).p99Ms
  return [
    `Machine: ${machineLine(r.machine)}`,
    `SQLite synchronous=${r.synchronous.toUpperCase()}; pre-fill: ${r.history} ledger rows + ` +
      `${Math.floor(r.history / 5)} sessions in ${(r.fill.ms / 1000).toFixed(1)} s (${r.fill.rowsPerSec} rows/s); ` +
      `database ${r.loaded.dbMb} MB`,
    '',
    '| store | clients | p50 ms | p99 ms | turns/s | server CPU ms/turn | non-2xx+errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: |',
    row(r.fresh),
    row(r.loaded),
    '',
    '| store | cold start (container+listen) ms | spawn→listening ms | RSS ready MB | RSS after load MB | RSS peak MB |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...[r.fresh, r.loaded].map(
      (s) =>
        `| ${s.label} | ${s.readyMs} | ${s.spawnToListenMs} | ${s.rssReadyMb} | ${s.rssAfterLoadMb} | ` +
        `${s.rssPeakMb ?? '–'} |`,
    ),
    ...[r.fresh, r.loaded].flatMap((s) => {
      const m = s.memoryAfterLoad
      if (!m) return []
      const native = s.rssAfterLoadMb - m.heapTotalMb - m.externalMb
      return [
        `${s.label} after load: V8 heap ${m.heapUsedMb} MB used / ${m.heapTotalMb} MB committed, ` +
          `external ${m.externalMb} MB, native and code ≈ ${native} MB`,
      ]
    }),
    '',
    ...paced(r.loaded).map((x) => {
      const f = paced(r.fresh).find((y) => y.pacedPerSec === x.pacedPerSec && y.novel === x.novel)
      return (
        `p99 at 50 clients offered ${x.pacedPerSec} turns/s${x.novel ? ' of new questions' : ''} (open loop): ` +
        `${x.p99Ms.toFixed(1)} ms with history` +
        (f ? ` vs ${f.p99Ms.toFixed(1)} ms fresh (×${(x.p99Ms / f.p99Ms).toFixed(2)})` : '') +
        `; ${x.turnsPerSec} answered/s, backlog at the end ${x.backlogAtEnd ?? 0}`
      )
    }),
    `p99 at 50 closed-loop clients (saturation): ${c50(r.loaded).p99Ms.toFixed(1)} ms with history vs ${c50(r.fresh).p99Ms.toFixed(1)} ms ` +
      `fresh (×${ratio.toFixed(2)}) at ${c50(r.loaded).turnsPerSec} turns/s (Little's law: mean = 50 ÷ throughput = ` +
      `${(50_000 / Math.max(1, c50(r.loaded).turnsPerSec)).toFixed(0)} ms)`,
    `targets (issue 17): p99 ≤ ${HISTORY_TARGETS.chatP99Ms50} ms at 50 clients offered ${HISTORY_TARGETS.turnsPerSec} turns/s, ≤ ×${HISTORY_TARGETS.vsBaseline} of fresh, ` +
      `≥ ${HISTORY_TARGETS.turnsPerSec} turns/s, cold start ≤ ${HISTORY_TARGETS.coldStartMs} ms, ` +
      `RSS ≤ ${HISTORY_TARGETS.rssMb} MB` +
      // turns/s on one event loop is bounded by 1000 / (CPU ms per turn): the target needs ≤ 1000 / 300 ms
      (c50(r.loaded).cpuMsPerTurn !== undefined
        ? `; server CPU ${c50(r.loaded).cpuMsPerTurn} ms/turn at 50 clients with history (${HISTORY_TARGETS.turnsPerSec} turns/s on one core needs ≤ ${(1000 / HISTORY_TARGETS.turnsPerSec).toFixed(1)})`
        : ''),
  ].join('\n')
}

export async function historyBench(opts: {
  history: number
  durationS?: number
  log?: (m: string) => void
}): Promise<HistoryReport> {
  const log = opts.log ?? ((m: string) => process.stderr.write(`${m}\n`))
  const durationS = opts.durationS ?? 10
  const machine = machineInfo()
  const template = benchDataDir('history-template')
  const config = loadConfig({ TAXKB_LOG_LEVEL: 'silent' }, { dataDir: template })
  // The durability setting of this environment (TAXKB_SQLITE_SYNCHRONOUS) is what the servers run with.
  const { sqliteSynchronous: synchronous } = loadConfig(processEnv(), { dataDir: template })
  log('importing the bundled corpus…')
  const ctx = await createContainer(config, { skipIndexSync: true })
  await runImport(ctx, config.corpusDir)
  await ctx.close()
  const inputs = loadBenchInputs(config)
  const queries = benchQueries(inputs, 200)
  // distinct questions neither server has seen (the warm-up and the three levels send only the 200)
  const seen = new Set(queries.map((q) => q.q))
  const novel = [...new Map(benchQueries(inputs, 8000).map((q) => [q.q, q])).values()].filter((q) => !seen.has(q.q))
  const fresh = benchDataDir('history-fresh')
  const loaded = benchDataDir(`history-${opts.history}`)
  fs.cpSync(template, fresh, { recursive: true })
  fs.cpSync(template, loaded, { recursive: true })
  log(`pre-filling ${opts.history} ledger rows and ${Math.floor(opts.history / 5)} sessions…`)
  const store = await createStore(
    loadConfig({ TAXKB_LOG_LEVEL: 'silent', TAXKB_SQLITE_SYNCHRONOUS: synchronous }, { dataDir: loaded }),
  )
  const fill = await fillHistory(store, opts.history, Date.now(), (n) => n % 100_000 === 0 && log(`  ${n} ledger rows`))
  await store.close()
  log(`  done in ${(fill.ms / 1000).toFixed(1)} s; measuring the fresh store…`)
  const freshReport = await measure(
    'fresh',
    fresh,
    { ledgerRows: 0, sessions: 0 },
    queries,
    novel,
    durationS,
    synchronous,
  )
  log(`measuring the store with ${opts.history} rows of history…`)
  const loadedReport = await measure(
    `history ${opts.history}`,
    loaded,
    { ledgerRows: fill.ledger, sessions: fill.sessions },
    queries,
    novel,
    durationS,
    synchronous,
  )
  const report: HistoryReport = {
    machine,
    history: opts.history,
    synchronous,
    fill: { ms: fill.ms, rowsPerSec: Math.round(((fill.ledger + fill.sessions) / fill.ms) * 1000) },
    fresh: freshReport,
    loaded: loadedReport,
  }
  const resultsDir = path.join(REPO_ROOT, 'eval', 'results')
  fs.mkdirSync(resultsDir, { recursive: true })
  fs.writeFileSync(
    path.join(resultsDir, `bench-history-${opts.history}-${synchronous}.json`),
    `${JSON.stringify(report, null, 2)}\n`,
  )
  for (const d of [template, fresh, loaded]) fs.rmSync(d, { recursive: true, force: true })
  return report
}
