/**
 * Builds the Fastify app (plugins, routes) from a config and the composition root (services/container.ts).
 * `server.ts` listens and shuts down; tests call build() and app.inject(). Routes receive services through
 * typed decorators (plugins/services.ts), never the container itself.
 */
import Fastify, { type FastifyInstance } from 'fastify'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import crypto from 'node:crypto'
import { createContainer, type Container } from '../container.js'
import type { Config } from '../shared/config.js'
import { loggerOptions } from '../shared/logger.js'
import rateLimit from '@fastify/rate-limit'
import authPlugin from './plugins/auth.js'
import { registerOpenApi } from './openapi.js'
import { registerServices } from './plugins/services.js'
import errorsPlugin, { clientErrors, frameworkErrors } from './plugins/errors.js'
import securityPlugin from './plugins/security.js'
import httpMetrics from './plugins/http-metrics.js'
import authRoutes from './routes/auth.js'
import entryRoutes from './routes/entries.js'
import healthRoutes from './routes/health.js'
import searchRoutes from './routes/search.js'
import chatRoutes from './routes/chat.js'
import opsRoutes from './routes/ops.js'
import editorRoutes, { editorAssets } from './routes/editor.js'
import editorPolicyRoutes from './routes/editor-policies.js'
import hotTopicRoutes from './routes/hot-topics.js'
import ticketRoutes from './routes/tickets.js'
import adminRoutes from './routes/admin.js'
import dashboardRoutes from './routes/dashboard.js'
import fastifyStatic from '@fastify/static'
import path from 'node:path'
import { REPO_ROOT } from '../shared/config.js'
import widgetRoutes, { widgetCors } from './routes/widget.js'
import consoleScriptRoutes, { notTypeScript } from './routes/console-scripts.js'
import feedbackRoutes from './routes/feedback.js'
import surveyRoutes from './routes/surveys.js'
import feedbackPages from './routes/feedback-pages.js'
import bookingPlugin from './plugins/booking.js'
import bookingRoutes from './routes/booking.js'
import bookingPages from './routes/booking-pages.js'
import sharedStyles from './routes/shared-styles.js'
import { lazySchemas, type LazySchemas } from './lazy-schemas.js'

export interface BuildOptions {
  container?: Container
  logger?: boolean
  /** Where pino writes (tests capture logs to check masking); default stdout. */
  logStream?: { write(line: string): void }
}

/** The lazily built schema functions of each app (lazy-schemas.ts), for tests and the start-up pass. */
const schemasOf = new WeakMap<object, LazySchemas>()

/** Builds every schema function of `app` not built yet and returns how many; throws the first that does not compile. */
export function compilePendingSchemas(app: FastifyInstance): number {
  return schemasOf.get(app)?.compilePending() ?? 0
}

export async function build(config: Config, options: BuildOptions = {}): Promise<FastifyInstance> {
  const ctx = options.container ?? (await createContainer(config))
  // Route schemas compile on first use, not at listen (0.6–1.2 s of cold start); see lazy-schemas.ts.
  const schemas = lazySchemas()
  const app = Fastify({
    schemaController: { compilersFactory: schemas.compilersFactory },
    logger:
      options.logger === false
        ? false
        : { ...loggerOptions(config.logLevel), ...(options.logStream ? { stream: options.logStream } : {}) },
    bodyLimit: 256 * 1024,
    // Chat session ids are signed tokens (~200 chars) carried in the path; the router's default cap is 100.
    routerOptions: { maxParamLength: 1024 },
    genReqId: (req) => {
      const given = req.headers['x-request-id']
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : crypto.randomUUID()
    },
    frameworkErrors,
    clientErrorHandler: clientErrors,
    // Behind a TLS-terminating proxy: believe X-Forwarded-* (Secure cookies, per-client rate limits).
    trustProxy: config.trustProxy,
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>()
  await app.register(errorsPlugin)
  // One plugin per service a route may use (typed decorators); the store and index stay out of reach.
  await registerServices(app, { ...ctx, config })
  // Security headers + CSP on every response, and the audit trail of staff writes (plugins/security.ts).
  await app.register(securityPlugin, { audit: ctx.audit })
  // Request rate and latency per route for Prometheus / Grafana (ops/grafana/taxkb.json).
  await app.register(httpMetrics, { registry: ctx.metrics.registry })
  // Before everything else so CORS preflights and headers apply to every route (and to 429s).
  await app.register(widgetCors, { corsOrigins: config.corsOrigins })
  await app.register(rateLimit, { max: config.rateLimitPerMinute, timeWindow: 60_000, keyGenerator: (req) => req.ip })
  await app.register(authPlugin, {
    tokens: ctx.tokens,
    users: ctx.users,
    clock: ctx.clock,
    revocations: ctx.revocations,
  })
  // OpenAPI at /docs (services/api/openapi.ts): before the routes, so every route lands in the document.
  await registerOpenApi(app, '0.1.0')
  await app.register(healthRoutes)
  await app.register(searchRoutes)
  await app.register(entryRoutes)
  await app.register(authRoutes)
  await app.register(chatRoutes)
  await app.register(opsRoutes)
  await app.register(ticketRoutes)
  await app.register(adminRoutes)
  await app.register(feedbackRoutes)
  await app.register(surveyRoutes)
  await app.register(feedbackPages)
  await app.register(dashboardRoutes)
  // Agent console: console.js bundled from TypeScript, the rest static; decorateReply:false so other static mounts coexist.
  await app.register(consoleScriptRoutes)
  await app.register(fastifyStatic, {
    root: path.join(REPO_ROOT, 'services', 'web', 'console'),
    prefix: '/console/',
    decorateReply: false,
    index: ['index.html'],
    allowedPath: notTypeScript,
  })
  app.get('/console', { schema: { hide: true } }, (_request, reply) => reply.redirect('/console/'))
  await app.register(widgetRoutes)
  await app.register(editorRoutes)
  await app.register(editorPolicyRoutes)
  await app.register(hotTopicRoutes)
  // Editor console (plain static assets under /editor/).
  await app.register(editorAssets)
  // 网上预约办税: the booking service decorator, its API and its pages (/booking/, /hall/).
  await app.register(bookingPlugin)
  await app.register(bookingRoutes)
  await app.register(bookingPages)
  // Base stylesheet of the booking and 征纳互动 pages, served once.
  await app.register(sharedStyles)
  if (!options.container) app.addHook('onClose', async () => ctx.close())
  schemasOf.set(app, schemas)
  // Once listening, build the rest a few at a time between requests, so a broken schema is logged at start-up.
  app.addHook('onListen', async () => {
    const step = () => {
      try {
        schemas.compilePending(8)
      } catch (err) {
        app.log.error({ err }, 'a route schema does not compile')
        return
      }
      if (schemas.pending > 0) setImmediate(step).unref()
    }
    setImmediate(step).unref()
  })
  return app
}
