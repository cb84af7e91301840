import { Type } from '@sinclair/typebox'
import { routes } from '../plugins/services.js'

const Health = Type.Object({
  status: Type.String(),
  entries: Type.Integer(),
  backend: Type.String(),
  store: Type.String(),
  detail: Type.Optional(Type.String()),
})

const healthRoutes = routes('health-routes', ['health'], async (app) => {
  app.get(
    '/healthz',
    { schema: { tags: ['ops'], summary: 'Liveness and index size', response: { 200: Health, 503: Health } } },
    async (_request, reply) => {
      const { ok, ...live } = await app.health.liveness()
      return reply.status(ok ? 200 : 503).send({ status: ok ? 'ok' : 'degraded', ...live })
    },
  )
})
export default healthRoutes
