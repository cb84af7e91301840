/**
 * The server side of the soak: the real app over a corpus in a temp data dir, listening on 127.0.0.1 only,
 * in its own process (run with --expose-gc) so its memory is measured without the load generator's.
 * Prints `port <n>` once listening, then `mem {rss, heapUsed}` after a full GC every 500 ms.
 * argv: corpusDir dataDir
 */
import { build } from '../../services/api/app.js'
import { createContainer } from '../../services/container.js'
import { loadConfig } from '../../services/shared/config.js'
import { runImport } from '../../indexers/run-import.js'

const [corpusDir, dataDir] = process.argv.slice(2)
// The limiter is tested elsewhere; the soak measures the service, so every virtual user shares 127.0.0.1.
const config = loadConfig(
  { TAXKB_LOG_LEVEL: 'silent', TAXKB_RATE_LIMIT_PER_MINUTE: '10000000' },
  { dataDir, host: '127.0.0.1' },
)
const ctx = await createContainer(config, { skipIndexSync: true })
await runImport(ctx, corpusDir!)
const app = await build(config, { container: ctx, logger: false })
await app.listen({ host: '127.0.0.1', port: 0 })
const addr = app.server.address()
process.stdout.write(`port ${typeof addr === 'object' && addr ? addr.port : 0}\n`)
const gc = (globalThis as { gc?: () => void }).gc
setInterval(() => {
  gc?.()
  const m = process.memoryUsage()
  process.stdout.write(`mem ${JSON.stringify({ t: Date.now(), rss: m.rss, heapUsed: m.heapUsed })}\n`)
}, 500)
process.on(
  'SIGTERM',
  () =>
    void app
      .close()
      .then(() => ctx.close())
      .then(() => process.exit(0)),
)
