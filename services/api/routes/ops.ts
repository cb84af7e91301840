/**
 * Operations: GET /readyz (ready to answer: store, index with entries) and GET /metrics (Prometheus text).
 * /metrics is for staff with `ledger:read`, or a scraper with HTTP Basic credentials metrics:<TAXKB_METRICS_TOKEN>.
 */
import { Type } from '@sinclair/typebox'
import crypto from 'node:crypto'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors.js'
import { errorResponses } from '../schemas.js'
import { declareAuth, STAFF_SCHEMES } from '../auth-declaration.js'
import { routes } from '../plugins/services.js'

const Check = Type.Object({ ok: Type.Boolean(), detail: Type.Optional(Type.String()) })
const Ready = Type.Object({
  status: Type.Union([Type.Literal('ready'), Type.Literal('not-ready')]),
  checks: Type.Object({ store: Check, index: Check, entries: Type.Integer() }),
  answering: Type.Object({ chatModel: Type.String(), embedder: Type.String(), confidenceThreshold: Type.Number() }),
})

function scraperAllowed(request: FastifyRequest, token: string): boolean {
  const h = request.headers.authorization
  if (!token || typeof h !== 'string' || !h.startsWith('Basic ')) return false
  const want = Buffer.from(`metrics:${token}`)
  const got = Buffer.from(Buffer.from(h.slice(6).trim(), 'base64').toString('utf8'))
  return got.length === want.length && crypto.timingSafeEqual(got, want)
}

const opsRoutes = routes('ops-routes', ['health', 'config', 'metrics'], async (app) => {
  app.get(
    '/readyz',
    {
      schema: {
        tags: ['ops'],
        summary: 'Readiness: store and index up, corpus loaded',
        response: { 200: Ready, 503: Ready },
      },
    },
    async (_request, reply) => {
      const { ok, ...ready } = await app.health.readiness()
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ready' : 'not-ready', ...ready })
    },
  )

  app.get(
    '/metrics',
    {
      preHandler: declareAuth(
        async (request: FastifyRequest) => {
          if (scraperAllowed(request, app.config.metricsToken)) return
          if (!request.user) throw new AppError('UNAUTHENTICATED')
          if (!request.user.permissions.has('ledger:read'))
            throw new AppError('FORBIDDEN', 'missing permission ledger:read')
        },
        { anonymous: false, schemes: ['metricsBasic', ...STAFF_SCHEMES], permissions: ['ledger:read'] },
      ),
      schema: {
        tags: ['ops'],
        summary: 'Prometheus metrics (text exposition format)',
        response: { 200: Type.String(), 401: errorResponses[400], 403: errorResponses[400] },
      },
    },
    async (_request, reply) => {
      reply.header('content-type', app.metrics.registry.contentType)
      return app.metrics.registry.metrics()
    },
  )
})
export default opsRoutes
