/**
 * Runs the HTTP service: builds the composition root and the app, listens, and shuts down gracefully on
 * SIGINT / SIGTERM (stop accepting, let in-flight requests finish, flush the editorial index sync, close
 * the search backend and the store). `app.ts` only builds; this file is the only one that listens.
 */
import type { FastifyInstance } from 'fastify'
import type { Container } from '../container.js'
import type { Config } from '../shared/config.js'
import { purgeExpiredTranscripts, startRetentionTimer } from '../ops/retention.js'
import { build } from './app.js'

export interface ServerOptions {
  /** Runs after the container is built and before the app listens (the CLI imports the corpus here). */
  prepare?: (container: Container) => Promise<void>
  /** Longest wait for in-flight requests on shutdown before exiting anyway. */
  shutdownTimeoutMs?: number
  /** Which signals stop the server (none in tests). */
  signals?: readonly NodeJS.Signals[]
  /** Called once shutdown finished, with the exit code (default: process.exit). */
  exit?: (code: number) => void
}

export interface RunningServer {
  app: FastifyInstance
  url: string
  /** Graceful shutdown; idempotent. */
  close(): Promise<void>
}

export async function startServer(config: Config, options: ServerOptions = {}): Promise<RunningServer> {
  const { createContainer } = await import('../container.js')
  const container = await createContainer(config, { skipIndexSync: options.prepare !== undefined })
  try {
    if (options.prepare) await options.prepare(container)
  } catch (e) {
    await container.close()
    throw e
  }
  const app = await build(config, { container })
  // Transcript retention: swept at start and hourly (safe with several processes on one data dir).
  const stopRetention = startRetentionTimer(
    () => purgeExpiredTranscripts(container.store, container.clock, config.transcriptRetentionDays),
    (err) => app.log.error({ err }, 'transcript retention sweep failed'),
  )
  // Revoked staff tokens: a record outlives its token for at most an hour.
  const stopRevocationPrune = startRetentionTimer(
    () => container.revocations.prune(),
    (err) => app.log.error({ err }, 'revoked-token prune failed'),
  )
  // Dashboard day aggregates: built in the background at start and hourly, so /admin's first load reads them.
  const stopDashboardWarm = startRetentionTimer(
    (signal) => container.dashboard.prewarm(signal),
    (err) => app.log.error({ err }, 'dashboard warm failed'),
  )
  app.addHook('onClose', async () => {
    await Promise.all([stopRetention(), stopRevocationPrune(), stopDashboardWarm()])
    await container.close()
  })
  let closing: Promise<void> | undefined
  const close = () => (closing ??= app.close())
  const exit = options.exit ?? ((code: number) => process.exit(code))
  const timeoutMs = options.shutdownTimeoutMs ?? 10_000
  for (const sig of options.signals ?? (['SIGINT', 'SIGTERM'] as const)) {
    process.once(sig, () => {
      app.log.info({ signal: sig }, 'shutting down')
      const force = setTimeout(() => exit(1), timeoutMs)
      force.unref()
      void close().then(
        () => exit(0),
        (err: unknown) => {
          app.log.error({ err }, 'shutdown failed')
          exit(1)
        },
      )
    })
  }
  const url = await app.listen({ port: config.port, host: config.host })
  const health = await container.store.health()
  if (health.detail)
    app.log.warn({ detail: health.detail }, '另一个 taxkb 进程持有知识库锁：本服务可咨询、处理工单，但不能修改知识库')
  return { app, url, close }
}
