/**
 * `npm run bench` (full: 10k and 100k) and `npm run bench -- --quick` (10k, ≤ 60 s); `--json` prints the summary.
 * `npm run bench -- --history N [--duration S]`: chat with N ledger rows of history vs a fresh store.
 */
import { benchCli } from './bench.js'

const args = process.argv.slice(2)
const flagValue = (flag: string) => {
  const i = args.indexOf(flag)
  return i >= 0 ? args[i + 1] : undefined
}
const history = flagValue('--history')
if (history !== undefined) {
  const n = Number(history)
  const d = Number(flagValue('--duration') ?? 10)
  if (!Number.isInteger(n) || n < 0 || n > 10_000_000 || !Number.isInteger(d) || d < 1 || d > 600) {
    process.stderr.write('usage: npm run bench -- --history N [--duration SECONDS]  (N 0..10000000, SECONDS 1..600)\n')
    process.exit(2)
  }
  const { historyBench, historyTable } = await import('./history-bench.js')
  console.log(historyTable(await historyBench({ history: n, durationS: d })))
} else {
  const unknown = args.filter((a) => a !== '--quick' && a !== '--json')
  if (unknown.length > 0) {
    process.stderr.write(
      `usage: npm run bench [-- --quick] [-- --json] [-- --history N]  (unknown: ${unknown.join(' ')})\n`,
    )
    process.exit(2)
  }
  await benchCli({ quick: args.includes('--quick'), json: args.includes('--json') })
}
