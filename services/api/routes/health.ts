import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'

const Health = Type.Object({ status: Type.String(), entries: Type.Integer(), backend: Type.String(), store: Type.String(), detail: Type.Optional(Type.String()) })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/healthz', { schema: { tags: ['ops'], summary: 'Liveness and index size', response: { 200: Health, 503: Health } } }, async (_request, reply) => {
    const [s, b] = await Promise.all([app.ctx.store.health(), app.ctx.index.backend.health()])
    const entries = await app.ctx.index.backend.count()
    const ok = s.ok && b.ok
    const detail = [s.detail, b.detail].filter(Boolean).join('; ')
    return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', entries, backend: app.ctx.index.backend.name, store: app.ctx.store.kind, ...(detail ? { detail } : {}) })
  })
}
export default healthRoutes
