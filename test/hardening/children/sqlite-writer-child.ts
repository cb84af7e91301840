/**
 * Child for the two-writer test: opens the SQLite operational store of DATA_DIR and, after `go` on stdin,
 * writes without pause through the group-commit path — WIDTH writes in flight per round (a ledger row, a
 * session update and a sequence number, as a server under load issues them), ROUNDS rounds. It prints
 * `ack <id>` for each acknowledged ledger row and sequence, `fail <id> <code>` for each rejected one,
 * then `stat <max ms> <p99 ms> <elapsed ms>` and `done`.
 * BUSY_MS is the store's lock timeout (production: 5,000).
 *   node --import tsx sqlite-writer-child.ts DATA_DIR NAME ROUNDS WIDTH BUSY_MS
 */
import path from 'node:path'
import { OPERATIONAL_COLLECTIONS, SQLITE_FILE } from '../../../knowledge/store/embedded-store.js'
import { SqliteStore } from '../../../knowledge/store/sqlite-store.js'
import type { Doc } from '../../../knowledge/store/store.js'

const [dataDir, name, roundsArg, widthArg, busyArg] = process.argv.slice(2)
const rounds = Number(roundsArg)
const width = Number(widthArg)
const store = await SqliteStore.open(path.join(dataDir!, SQLITE_FILE), OPERATIONAL_COLLECTIONS, {
  busyTimeoutMs: Number(busyArg),
})
const ledger = store.collection<{ id: string; at: string; by: string; regionCode: string }>('ledger')
const sessions = store.collection<{ id: string; turns: number }>('sessions')
const fresh = (id: string) => ({ id, turns: 1 }) as Doc
const out: string[] = []
const flushOut = () => {
  if (out.length > 0) process.stdout.write(`${out.splice(0).join('\n')}\n`)
}
const latencies: number[] = []
const settle = (id: string, p: Promise<unknown>) => {
  const t0 = performance.now()
  return p.then(
    () => {
      latencies.push(performance.now() - t0)
      out.push(`ack ${id}`)
    },
    (e: { code?: string }) => out.push(`fail ${id} ${e.code ?? 'ERROR'}`),
  )
}

process.stdout.write('ready\n')
await new Promise((r) => process.stdin.once('data', r))
process.stdin.destroy() // nothing more to read; an open stdin would keep the process alive
const started = performance.now()
for (let round = 0; round < rounds; round++) {
  const work: Promise<unknown>[] = []
  for (let k = 0; k < width; k++) {
    const id = `${name}-${round}-${k}`
    const at = new Date(Date.UTC(2026, 0, 1) + round * 1000 + k).toISOString()
    work.push(settle(id, ledger.put({ id, at, by: name!, regionCode: '320100' })))
    work.push(
      sessions
        .update(`${name}-s${k}`, (s) => ({ ...s, turns: s.turns + 1 }), {
          createIfMissing: fresh(`${name}-s${k}`),
        })
        .catch(() => undefined),
    )
  }
  work.push(
    settle(
      `seq-${name}-${round}`,
      store.nextSequence('two-writers').then((n) => out.push(`seq ${n}`)),
    ),
  )
  await Promise.all(work)
  flushOut()
}
const elapsed = performance.now() - started
await store.close()
latencies.sort((x, y) => x - y)
const p99 = latencies[Math.floor(latencies.length * 0.99)] ?? 0
out.push(`stat ${Math.round(latencies.at(-1) ?? 0)} ${Math.round(p99)} ${Math.round(elapsed)}`)
flushOut()
process.stdout.write('done\n')
