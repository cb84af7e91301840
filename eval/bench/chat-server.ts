/**
 * Child process for the /api/chat load test: the real app (build + listen on 127.0.0.1, random port) over a
 * prepared data directory; reports its port over IPC. The load generator runs in the parent, so the
 * server has its own core on a 2-core machine.
 *   node --import tsx eval/bench/chat-server.ts <dataDir> [logLevel] [full|normal]
 * The third argument is TAXKB_SQLITE_SYNCHRONOUS, so the history bench can compare the durability settings.
 */
import { build } from '../../services/api/app.js'
import { createContainer } from '../../services/container.js'
import { loadConfig, processEnv } from '../../services/shared/config.js'

const [dataDir, logLevel = 'info', sync] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: chat-server.ts <dataDir> [logLevel] [full|normal]')
// The per-IP rate limit stays registered (its cost is measured) but is raised so one load generator on
// 127.0.0.1 is not answered with 429s. The rest of the environment applies (TAXKB_EMBEDDER=none measures BM25 only).
const config = loadConfig(
  {
    ...processEnv(),
    TAXKB_LOG_LEVEL: logLevel,
    TAXKB_RATE_LIMIT_PER_MINUTE: '10000000',
    ...(sync ? { TAXKB_SQLITE_SYNCHRONOUS: sync } : {}),
  },
  { dataDir, host: '127.0.0.1', port: 0 },
)
const t0 = performance.now()
const ctx = await createContainer(config)
const app = await build(config, { container: ctx })
app.addHook('onClose', async () => ctx.close())
await app.listen({ host: '127.0.0.1', port: 0 })
const addr = app.server.address()
// readyMs: store + container + app + listen in this process (module loading excluded); rss at that moment.
const rssMb = () => Math.round(process.memoryUsage().rss / 2 ** 20)
process.send?.({
  port: typeof addr === 'object' && addr ? addr.port : 0,
  readyMs: Math.round(performance.now() - t0),
  rssMb: rssMb(),
})
// 'rss': the RSS now, with where it is (V8 heap, external/array buffers; the rest is native: ORT, SQLite, jieba),
// and the CPU time used so far
process.on('message', (m) => {
  // 'idle': answered once no turn is composing or waiting (a level's last accepted turns outlive its clients)
  if (m === 'idle') return void ctx.chatGate.idle(60_000).then((idle) => process.send?.({ idle }))
  if (m !== 'rss') return
  const u = process.memoryUsage()
  const mb = (n: number) => Math.round(n / 2 ** 20)
  const cpu = process.cpuUsage()
  process.send?.({
    rssMb: mb(u.rss),
    memory: { heapUsedMb: mb(u.heapUsed), heapTotalMb: mb(u.heapTotal), externalMb: mb(u.external) },
    // CPU time of this process so far (all its threads: the event loop, the model's, SQLite's), for CPU per turn
    cpuMs: (cpu.user + cpu.system) / 1000,
  })
})
const stop = () => void app.close().then(() => process.exit(0))
process.on('disconnect', stop)
process.once('SIGTERM', stop)
