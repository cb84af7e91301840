/**
 * A browser script bundled from a TypeScript entry (bundle-script.ts) once per process, so `npm start` and the
 * tests need no build step (widget, agent console, editor console). The result carries its gzip form and an
 * ETag so a route can answer conditional and compressed requests cheaply (sendScript).
 */
import crypto from 'node:crypto'
import zlib from 'node:zlib'
import { bundleScript } from './bundle-script.js'
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface ScriptBundle {
  code: Buffer
  gzip: Buffer
  etag: string
}

export async function buildScript(entry: string): Promise<ScriptBundle> {
  const code = await bundleScript(entry, entry)
  const gzip = zlib.gzipSync(code, { level: 9 })
  const etag = `"w-${crypto.createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`
  return { code, gzip, etag }
}

const cache = new Map<string, Promise<ScriptBundle>>()

/** The process-wide bundle of an entry (built on first use). A failed build is not cached: a fix needs no restart. */
export function scriptBundle(entry: string): Promise<ScriptBundle> {
  let pending = cache.get(entry)
  if (!pending) {
    pending = buildScript(entry).catch((err: unknown) => {
      cache.delete(entry)
      throw err
    })
    cache.set(entry, pending)
  }
  return pending
}

/** Sends a bundle with its ETag (304 on a match) and gzip when accepted; the caller sets cache headers. */
export function sendScript(request: FastifyRequest, reply: FastifyReply, bundle: ScriptBundle): FastifyReply {
  reply.type('application/javascript; charset=utf-8').header('etag', bundle.etag).header('vary', 'Accept-Encoding')
  const inm = request.headers['if-none-match']
  const tags = typeof inm === 'string' ? inm.split(',').map((t) => t.trim().replace(/^W\//, '')) : []
  if (tags.includes(bundle.etag)) return reply.code(304).send()
  const ae = request.headers['accept-encoding']
  if (typeof ae === 'string' && /\bgzip\b/.test(ae)) return reply.header('content-encoding', 'gzip').send(bundle.gzip)
  return reply.send(bundle.code)
}
