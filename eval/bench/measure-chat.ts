/**
 * `/api/chat` under 1, 10 and 50 concurrent clients: the real app listening on 127.0.0.1 in a child
 * process, autocannon (bounded duration) in this one. Skipped cleanly while the route does not exist.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { REPO_ROOT } from '../../services/shared/config.js'
import { summarize, type LatencySummary } from './percentiles.js'
import { chatRequests } from './chat-requests.js'
import type { BenchQuery } from './query-set.js'

const HERE = path.dirname(fileURLToPath(import.meta.url))

export interface ChatRun extends LatencySummary {
  connections: number
  durationS: number
  requestsPerSec: number
  non2xx: number
  errors: number
}

export type ChatResult = { skipped: true; reason: string } | { skipped: false; probeStatus: number; runs: ChatRun[] }

function startServer(dataDir: string): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(HERE, 'chat-server.ts'), dataDir, 'info'], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    })
    let err = ''
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()))
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error('chat server did not start within 120 s'))
    }, 120_000)
    child.once('message', (m: { port?: number }) => {
      clearTimeout(timer)
      if (m.port) resolve({ child, port: m.port })
      else reject(new Error('chat server reported no port'))
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`chat server exited ${code}: ${err.slice(-1500)}`))
    })
  })
}

/** SIGTERM, then SIGKILL after 5 s; resolves once the child exited. */
export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve()
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000)
    child.once('exit', () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

export async function measureChat(
  dataDir: string,
  queries: readonly BenchQuery[],
  opts: { concurrency: number[]; durationS: number },
): Promise<ChatResult> {
  let autocannon: typeof import('autocannon')
  try {
    autocannon = (await import('autocannon')).default as unknown as typeof import('autocannon')
  } catch {
    return { skipped: true, reason: 'autocannon not installed (devDependency)' }
  }
  const { child, port } = await startServer(dataDir)
  try {
    const url = `http://127.0.0.1:${port}`
    const first = queries[0] ?? { q: '小规模纳税人季度销售额多少免征增值税', region: '320100' }
    const probe = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: first.q, ...(first.region ? { region: first.region } : {}) }),
    })
    await probe.arrayBuffer()
    if (probe.status === 404) return { skipped: true, reason: 'no /api/chat' }
    const requests = chatRequests(queries.slice(0, 50))
    const runs: ChatRun[] = []
    for (const connections of opts.concurrency) {
      const samples: number[] = []
      const result = await new Promise<import('autocannon').Result>((resolve, reject) => {
        const instance = autocannon({ url, connections, duration: opts.durationS, requests }, (err, res) =>
          err ? reject(err as Error) : resolve(res),
        )
        instance.on('response', (_client, _status, _bytes, responseTime) => samples.push(responseTime))
      })
      runs.push({
        connections,
        durationS: opts.durationS,
        ...summarize(samples),
        requestsPerSec: Math.round(result.requests.average),
        non2xx: result.non2xx,
        errors: result.errors,
      })
    }
    return { skipped: false, probeStatus: probe.status, runs }
  } finally {
    await stopServer(child)
  }
}
