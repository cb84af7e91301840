/**
 * Bounded soak on 127.0.0.1: N virtual taxpayers each hold multi-turn chat sessions (POST /api/chat, then
 * follow-ups with the returned sessionId, a new session every few turns) for a fixed time against the real
 * server in a child process. Reports requests, errors, latency percentiles and the server's memory (after a
 * full GC) at 25 % and 100 % of the run.
 *
 * Memory is "flat" when the post-GC heap grows between 25 % and 100 % of the run by no more than
 * heapTolerance(): every turn is stored (sessions and ledger rows live in memory in the embedded store),
 * so some growth is data, not a leak; a leak of even one retained request per turn exceeds it.
 *
 *   npm run soak                      # 100 sessions × 60 s over the bundled corpus
 *   npx tsx eval/soak/soak.ts --sessions 20 --seconds 5
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const HERE = path.dirname(fileURLToPath(import.meta.url))
const REPO = path.resolve(HERE, '..', '..')

/**
 * Allowed growth of the server's post-GC heap between 25 % and 100 % of the run: 25 % plus 8 MB, plus
 * 2 KB per stored chat turn (sessions + ledger rows are kept in memory by the embedded store).
 */
export function heapTolerance(heapAt25: number, turnsStoredAfter25: number): number {
  return heapAt25 * 0.25 + 8 * 1024 * 1024 + turnsStoredAfter25 * 2048
}

export interface SoakResult {
  sessions: number
  seconds: number
  requests: number
  errors: number
  errorSamples: string[]
  turnsAt25: number
  p50Ms: number
  p99Ms: number
  rps: number
  mem25: { rss: number; heapUsed: number }
  mem100: { rss: number; heapUsed: number }
  heapGrowth: number
  heapTolerance: number
  flat: boolean
}

const QUESTIONS = [
  ['小规模纳税人季度销售额多少免征增值税', '那如果超过了怎么办', '需要什么时候申报'],
  ['个税专项附加扣除有哪些', '子女教育每月扣多少', '在哪里填报'],
  ['企业所得税汇算清缴什么时候截止', '逾期会怎样', '可以延期吗'],
  ['新办纳税人怎么领发票', '要带什么材料', '多久能办好'],
  ['房产税怎么计算', '出租的房子呢', '有没有减免'],
]

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return 0
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
}

export async function runSoak(opts: {
  sessions: number
  seconds: number
  corpusDir?: string
  log?: (s: string) => void
}): Promise<SoakResult> {
  const log = opts.log ?? (() => {})
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-soak-'))
  const corpus = opts.corpusDir ?? path.join(REPO, 'knowledge', 'corpus')
  const child = spawn(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', path.join(HERE, 'soak-server.ts'), corpus, dataDir],
    { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const mem: { t: number; rss: number; heapUsed: number }[] = []
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const port = await new Promise<number>((resolve, reject) => {
    let buf = ''
    const timer = setTimeout(() => reject(new Error(`soak server did not start: ${stderr.slice(-500)}`)), 120_000)
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString()
      let nl
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl)
        buf = buf.slice(nl + 1)
        if (line.startsWith('port ')) {
          clearTimeout(timer)
          resolve(Number(line.slice(5)))
        } else if (line.startsWith('mem '))
          mem.push(JSON.parse(line.slice(4)) as { t: number; rss: number; heapUsed: number })
      }
    })
    child.on('exit', (c) => reject(new Error(`soak server exited (${c}): ${stderr.slice(-500)}`)))
  })
  const base = `http://127.0.0.1:${port}`
  log(`soak: ${opts.sessions} sessions × ${opts.seconds} s against ${base}`)

  const latencies: number[] = []
  const errorSamples: string[] = []
  let errors = 0
  let turns = 0
  let turnsAt25 = 0
  const start = Date.now()
  const end = start + opts.seconds * 1000
  const at25 = start + opts.seconds * 250
  const user = async (u: number) => {
    let round = 0
    while (Date.now() < end) {
      const convo = QUESTIONS[(u + round++) % QUESTIONS.length]!
      let sessionId: string | undefined
      for (const message of convo) {
        if (Date.now() >= end) break
        const t0 = performance.now()
        try {
          const res = await fetch(`${base}/api/chat`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', accept: 'application/json' },
            body: JSON.stringify({ message, region: '320100', ...(sessionId ? { sessionId } : {}) }),
          })
          const text = await res.text()
          if (res.status !== 200) {
            errors++
            if (errorSamples.length < 5) errorSamples.push(`${res.status} ${text.slice(0, 200)}`)
            continue
          }
          const body = JSON.parse(text) as { sessionId?: string; answer?: string }
          if (!body.sessionId || typeof body.answer !== 'string') {
            errors++
            if (errorSamples.length < 5) errorSamples.push(`bad body ${text.slice(0, 200)}`)
          }
          sessionId = body.sessionId
          turns++
          if (Date.now() < at25) turnsAt25 = turns
        } catch (e) {
          errors++
          if (errorSamples.length < 5) errorSamples.push(String(e))
        }
        latencies.push(performance.now() - t0)
      }
    }
  }
  await Promise.all(Array.from({ length: opts.sessions }, (_v, i) => user(i)))
  // Let the server settle and report one more post-GC sample.
  const last = mem.length
  await new Promise<void>((resolve) => {
    const i = setInterval(() => {
      if (mem.length >= last + 2) {
        clearInterval(i)
        resolve()
      }
    }, 100)
  })
  child.kill('SIGTERM')
  await new Promise((r) => child.once('exit', r))
  fs.rmSync(dataDir, { recursive: true, force: true })

  const during = mem.filter((m) => m.t >= start)
  const near = (t: number) =>
    during.reduce((best, m) => (Math.abs(m.t - t) < Math.abs(best.t - t) ? m : best), during[0]!)
  const m25 = near(at25)
  const m100 = during[during.length - 1]!
  const sorted = [...latencies].sort((a, b) => a - b)
  const growth = m100.heapUsed - m25.heapUsed
  const tol = heapTolerance(m25.heapUsed, turns - turnsAt25)
  return {
    sessions: opts.sessions,
    seconds: opts.seconds,
    requests: latencies.length,
    errors,
    errorSamples,
    turnsAt25,
    p50Ms: Math.round(pct(sorted, 50)),
    p99Ms: Math.round(pct(sorted, 99)),
    rps: Math.round(latencies.length / opts.seconds),
    mem25: { rss: m25.rss, heapUsed: m25.heapUsed },
    mem100: { rss: m100.rss, heapUsed: m100.heapUsed },
    heapGrowth: growth,
    heapTolerance: Math.round(tol),
    flat: growth <= tol,
  }
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
if (isMain) {
  const arg = (name: string, d: number) => {
    const i = process.argv.indexOf(`--${name}`)
    return i >= 0 ? Number(process.argv[i + 1]) : d
  }
  const r = await runSoak({ sessions: arg('sessions', 100), seconds: arg('seconds', 60), log: console.log })
  const mb = (n: number) => `${(n / 1048576).toFixed(1)} MB`
  console.log(JSON.stringify(r, null, 2))
  console.log(
    `${r.requests} chat turns in ${r.seconds} s (${r.rps}/s), ${r.errors} errors, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms; heap ${mb(r.mem25.heapUsed)} → ${mb(r.mem100.heapUsed)} (growth ${mb(r.heapGrowth)}, tolerance ${mb(r.heapTolerance)}), rss ${mb(r.mem25.rss)} → ${mb(r.mem100.rss)}: ${r.errors === 0 && r.flat ? 'PASS' : 'FAIL'}`,
  )
  process.exitCode = r.errors === 0 && r.flat ? 0 : 1
}
