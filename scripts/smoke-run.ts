/**
 * Smoke run of the real server on whichever Node runs this script (CI uses it on the minimum supported Node):
 * `taxkb start` in a throwaway data directory on a free port, one POST /api/chat, one GET /api/search, stop.
 * Fails on a wrong answer shape and on any warning Node itself prints (EOL, deprecation, experimental).
 *
 *   npx tsx scripts/smoke-run.ts
 */
import { spawn } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const READY_TIMEOUT_MS = 180_000
// Node's own warnings about the runtime: "(node:1234) [DEP0040] DeprecationWarning: …", "ExperimentalWarning: …".
// The product's own process warnings (e.g. [TAXKB_CALENDAR_YEAR_NOT_COVERED]) are not the runtime's and pass.
const NODE_WARNING = /\(node:\d+\) (\[DEP\d+\] )?(DeprecationWarning|ExperimentalWarning|\[DEP\d+\])|end[- ]of[- ]life/i

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.once('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address()
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))))
    })
  })
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`smoke: ${what}`)
  console.log(`   ok  ${what}`)
}

async function waitReady(base: string, exited: () => boolean): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS
  while (Date.now() < deadline) {
    if (exited()) throw new Error('smoke: the server exited before it was ready')
    try {
      if ((await fetch(`${base}/readyz`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500))
  }
  throw new Error(`smoke: not ready after ${READY_TIMEOUT_MS / 1000}s`)
}

async function main(): Promise<void> {
  const started = Date.now()
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-smoke-'))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  console.log(`== smoke run on node ${process.version} at ${base}`)
  let stderr = ''
  let exited = false
  const child = spawn(process.execPath, ['--import', 'tsx', 'services/cli/taxkb.ts', 'start', '--port', String(port)], {
    cwd: REPO_ROOT,
    env: { ...process.env, TAXKB_DATA_DIR: dataDir, TAXKB_LOG_LEVEL: 'warn', TAXKB_HOST: '127.0.0.1' },
    stdio: ['ignore', 'inherit', 'pipe'],
  })
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    process.stderr.write(chunk)
  })
  child.once('exit', () => {
    exited = true
  })
  try {
    await waitReady(base, () => exited)
    console.log(`   ready in ${((Date.now() - started) / 1000).toFixed(1)}s`)

    const chat = await fetch(`${base}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message: '小规模纳税人增值税征收率是多少' }),
    })
    const answer = (await chat.json()) as { sessionId?: unknown; answer?: unknown; citations?: unknown }
    check(chat.status === 200, `POST /api/chat → ${chat.status}`)
    check(typeof answer.sessionId === 'string' && answer.sessionId.length > 0, 'chat returns a session id')
    check(typeof answer.answer === 'string' && answer.answer.length > 0, 'chat returns an answer text')
    check(Array.isArray(answer.citations) && answer.citations.length > 0, 'chat answer cites the knowledge base')

    const search = await fetch(`${base}/api/search?q=${encodeURIComponent('增值税 征收率')}`)
    const result = (await search.json()) as { total?: unknown; hits?: Array<{ id?: unknown }> }
    check(search.status === 200, `GET /api/search → ${search.status}`)
    check(
      typeof result.total === 'number' && result.total > 0 && (result.hits?.length ?? 0) > 0,
      'search finds entries',
    )
    check(typeof result.hits?.[0]?.id === 'string', 'search hits carry entry ids')
  } finally {
    if (!exited) {
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }
  const warnings = stderr.split('\n').filter((l) => NODE_WARNING.test(l))
  check(warnings.length === 0, `no Node.js warnings on stderr${warnings.length ? `: ${warnings.join(' | ')}` : ''}`)
  console.log(`== smoke run passed on node ${process.version} in ${((Date.now() - started) / 1000).toFixed(1)}s`)
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err)
  process.exit(1)
})
