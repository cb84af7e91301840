/**
 * The embeddable chat widget: GET /widget.js (bundled from services/web/widget at first request, cached,
 * ETag + gzip), the demo portal page at GET /, and CORS for the taxpayer APIs the widget calls from other
 * origins (/api/chat*, /api/entries*, /api/hot-topics) — only for origins in TAXKB_CORS_ORIGINS. Staff APIs
 * (tickets, editor, admin) never get CORS headers.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import cors from '@fastify/cors'
import { WIDGET_DIR, widgetBundle } from '../../web/widget/bundle.js'
import { sendScript } from '../../web/shared/script-bundle.js'

export interface WidgetRouteOptions {
  /** Allowed embedding origins (config.corsOrigins). "*" allows any origin. */
  corsOrigins: readonly string[]
}

/** Paths the widget calls cross-origin. */
export const WIDGET_CORS_PATHS = /^\/api\/(?:chat|entries|hot-topics|surveys)(?:[/?]|$)/

export function normaliseOrigin(value: string): string | null {
  if (value === '*') return '*'
  try {
    const u = new URL(value)
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.origin : null
  } catch {
    return null
  }
}

/** The script is short-lived in caches (its URL is not versioned) but revalidates cheaply with its ETag. */
const SCRIPT_CACHE_CONTROL = 'public, max-age=300, stale-while-revalidate=86400'

/** CORS for the widget's cross-origin calls; registered before the other routes so it covers all of them. */
export const widgetCors = fp(
  async function widgetCors(app: FastifyInstance, opts: WidgetRouteOptions) {
    const allowed = new Set(opts.corsOrigins.map(normaliseOrigin).filter((o): o is string => o !== null))
    const allowedOrigin = (req: FastifyRequest): string | null => {
      const origin = req.headers.origin
      if (typeof origin !== 'string' || !WIDGET_CORS_PATHS.test(req.url)) return null
      return allowed.has('*') || allowed.has(origin) ? origin : null
    }

    await app.register(cors, {
      delegator: (req, cb) => {
        const origin = allowedOrigin(req)
        if (!origin) return cb(null, { origin: false })
        cb(null, {
          origin,
          methods: ['GET', 'HEAD', 'POST'],
          allowedHeaders: ['content-type', 'accept', 'last-event-id'],
          exposedHeaders: ['x-request-id'],
          credentials: false,
          maxAge: 600,
        })
      },
    })
    // SSE responses (chat stream, /events) are written on the raw response; routes/chat.ts copies the
    // headers set here into writeHead, so EventSource and streaming fetch work cross-origin too.
  },
  { name: 'widget-cors' },
)

export default async function widgetRoutes(app: FastifyInstance): Promise<void> {
  app.get(
    '/widget.js',
    {
      schema: {
        tags: ['widget'],
        summary: '嵌入式智能咨询组件脚本（<script src=".../widget.js" data-region data-title>）',
      },
    },
    async (req: FastifyRequest, reply: FastifyReply) => {
      const bundle = await widgetBundle()
      reply
        .header('cache-control', SCRIPT_CACHE_CONTROL)
        // Loaded by <script> on other origins: allow it even when a helmet CORP policy is in place.
        .header('cross-origin-resource-policy', 'cross-origin')
        .header('access-control-allow-origin', '*')
      return sendScript(req, reply, bundle)
    },
  )

  const demoPage = fs.readFileSync(path.join(WIDGET_DIR, 'demo.html'))
  app.get(
    '/',
    { schema: { tags: ['widget'], summary: '演示页：嵌入智能咨询组件的税务门户页面' } },
    async (_req, reply) => {
      return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(demoPage)
    },
  )

  // Build the bundle while the server starts, so the first visitor does not wait for esbuild.
  app.addHook('onReady', async () => {
    await widgetBundle().catch((err: unknown) => app.log.error({ err }, 'widget bundle failed to build'))
  })
}
