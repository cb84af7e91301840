/** The 征纳互动 pages: /feedback/ for taxpayers, /feedback/admin.html for survey managers, and their assets. */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { FEEDBACK_DIR, feedbackBundle, type FeedbackScript } from '../../web/feedback/bundle.js'

const PAGES = { '/feedback/': 'index.html', '/feedback/admin.html': 'admin.html' } as const

export default async function feedbackPages(app: FastifyInstance): Promise<void> {
  for (const [url, file] of Object.entries(PAGES)) {
    const html = fs.readFileSync(path.join(FEEDBACK_DIR, file))
    app.get(
      url,
      {
        // HTML pages, not API operations: kept out of the OpenAPI contract like the booking pages.
        schema: { hide: true },
      },
      async (_req, reply) => reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(html),
    )
  }
  const css = fs.readFileSync(path.join(FEEDBACK_DIR, 'page.css'))
  app.get('/feedback/page.css', { schema: { tags: ['feedback'], summary: '征纳互动页面样式' } }, async (_req, reply) =>
    reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css),
  )
  for (const name of ['feedback.js', 'admin.js'] as const satisfies readonly FeedbackScript[]) {
    app.get(
      `/feedback/${name}`,
      { schema: { tags: ['feedback'], summary: '征纳互动页面脚本' } },
      async (req, reply) => {
        const bundle = await feedbackBundle(name)
        reply
          .type('application/javascript; charset=utf-8')
          .header('cache-control', 'no-cache')
          .header('etag', bundle.etag)
        if (req.headers['if-none-match'] === bundle.etag) return reply.code(304).send()
        return reply.send(bundle.code)
      },
    )
  }
}
