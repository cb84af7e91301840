/** `npm run bench` (full: 10k and 100k) and `npm run bench -- --quick` (10k, ≤ 60 s); `--json` prints the summary. */
import { benchCli } from './bench.js'

const args = process.argv.slice(2)
const unknown = args.filter((a) => a !== '--quick' && a !== '--json')
if (unknown.length > 0) {
  process.stderr.write(`usage: npm run bench [-- --quick] [-- --json]  (unknown: ${unknown.join(' ')})\n`)
  process.exit(2)
}
await benchCli({ quick: args.includes('--quick'), json: args.includes('--json') })
