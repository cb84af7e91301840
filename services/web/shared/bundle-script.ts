/**
 * Bundles one browser entry point (TypeScript) with esbuild at serve time — the widget and the admin page
 * use it — so `npm start` and the tests need no separate build step. The result carries its gzip form and
 * an ETag so routes can answer conditional and compressed requests cheaply.
 */
import crypto from 'node:crypto'
import zlib from 'node:zlib'
import { build } from 'esbuild'

export interface ScriptBundle {
  code: Buffer
  gzip: Buffer
  etag: string
}

export async function bundleScript(entry: string, etagPrefix: string): Promise<ScriptBundle> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    minify: true,
    format: 'iife',
    target: 'es2020',
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
  })
  const file = result.outputFiles[0]
  if (!file) throw new Error(`esbuild produced no output for ${entry}`)
  const code = Buffer.from(file.contents)
  const gzip = zlib.gzipSync(code, { level: 9 })
  const etag = `"${etagPrefix}-${crypto.createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`
  return { code, gzip, etag }
}

/** A process-wide lazily built bundle. A failed build is not cached, so a fix needs no restart. */
export function cachedBundle(make: () => Promise<ScriptBundle>): () => Promise<ScriptBundle> {
  let cached: Promise<ScriptBundle> | undefined
  return () => {
    cached ??= make().catch((err: unknown) => {
      cached = undefined
      throw err
    })
    return cached
  }
}
