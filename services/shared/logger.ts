/**
 * pino options for Fastify: structured logs with request ids, and personal identifiers (ID cards, phone
 * numbers, TINs) masked in every string before anything is written.
 */
import type { LoggerOptions } from 'pino'
import { maskPii } from './mask.js'

function maskDeep(v: unknown, depth = 0): unknown {
  if (typeof v === 'string') return maskPii(v)
  if (depth > 4 || v === null || typeof v !== 'object') return v
  if (Array.isArray(v)) return v.map((x) => maskDeep(x, depth + 1))
  if (v instanceof Error) return v
  // Only plain objects are copied: class instances (Fastify's Request/Reply) keep their getters for the
  // req/res serializers, which mask the URL. Copying them lost method, url and status from every request log.
  const proto = Object.getPrototypeOf(v) as unknown
  if (proto !== Object.prototype && proto !== null) return v
  const out: Record<string, unknown> = {}
  for (const [k, x] of Object.entries(v)) out[k] = maskDeep(x, depth + 1)
  return out
}

export function loggerOptions(level: string): LoggerOptions {
  return {
    level,
    redact: {
      paths: ['req.headers.authorization', 'req.headers.cookie', 'password', '*.password', 'contact', '*.contact'],
      censor: '[redacted]',
    },
    hooks: {
      logMethod(args, method) {
        method.apply(this, args.map((a) => maskDeep(a)) as Parameters<typeof method>)
      },
    },
    serializers: {
      req: (req: { method: string; url: string; id: string }) => ({
        method: req.method,
        url: maskPii(decodeURIComponentSafe(req.url)),
        id: req.id,
      }),
    },
  }
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s)
  } catch {
    return s
  }
}
