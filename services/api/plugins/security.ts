/**
 * Web hardening that applies to every route: security headers and one Content-Security-Policy (helmet),
 * and an audit trail of staff writes. CORS is not here: the widget route owns it (routes/widget.ts, an
 * allowlist from TAXKB_CORS_ORIGINS for the taxpayer APIs only).
 *
 * CSP: scripts only from our own origin, never inline, never eval — the demo portal, the agent console,
 * the editor console and /docs all load their scripts with <script src>. Styles allow 'unsafe-inline'
 * because the demo portal has a <style> block and the widget injects a <style> into its shadow root (its
 * colours come from data- attributes); inline style cannot run code, inline script could.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import helmet from '@fastify/helmet'
import type { StaffAuditTrail } from '../../ops/audit.js'

export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
  frameAncestors: ["'self'"],
  // helmet's default adds upgrade-insecure-requests, which breaks every subresource when the service is
  // reached over plain http (127.0.0.1, an intranet host behind a TLS-terminating proxy): left out.
  upgradeInsecureRequests: null,
} as const

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export default fp(
  async function securityPlugin(app: FastifyInstance, opts: { audit: Pick<StaffAuditTrail, 'record'> }) {
    await app.register(helmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: CSP_DIRECTIVES as unknown as Record<string, string[] | null>,
      },
      // The widget is embedded cross-origin with <script src>; widget.ts sets CORP cross-origin on /widget.js.
      crossOriginResourcePolicy: { policy: 'same-origin' },
      crossOriginEmbedderPolicy: false,
      referrerPolicy: { policy: 'strict-origin-when-cross-origin' },
      hsts: { maxAge: 15552000, includeSubDomains: false },
    })

    // Audit every successful write by staff: who, which route, status, target id. Never the body (PII).
    app.addHook('onResponse', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.user || SAFE_METHODS.has(request.method) || reply.statusCode >= 400) return
      try {
        await opts.audit.record({
          user: request.user,
          method: request.method,
          route: request.routeOptions.url ?? request.url.split('?')[0] ?? '',
          status: reply.statusCode,
          params: (request.params ?? {}) as Record<string, unknown>,
          requestId: request.id,
        })
      } catch (err) {
        request.log.error({ err }, 'audit write failed')
      }
    })
  },
  { name: 'taxkb-security' },
)
