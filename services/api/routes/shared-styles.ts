/**
 * The base stylesheet the booking and 征纳互动 pages share (services/web/shared/base.css), served once so
 * both pages' own stylesheets only carry what differs. Public, like the pages; not an API operation.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { REPO_ROOT } from '../../shared/config.js'

const BASE_CSS = path.join(REPO_ROOT, 'services', 'web', 'shared', 'base.css')

export default async function sharedStyles(app: FastifyInstance): Promise<void> {
  const css = fs.readFileSync(BASE_CSS)
  app.get('/shared/base.css', { schema: { hide: true } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css),
  )
}
