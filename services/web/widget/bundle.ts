/**
 * Builds widget.js from the TypeScript sources in this folder with esbuild (already installed through
 * tsx), once per process, so `npm start` and the tests need no separate build step. The result carries
 * its gzip form and an ETag so the route can answer conditional and compressed requests cheaply.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import zlib from 'node:zlib'
import { fileURLToPath } from 'node:url'
import { bundleScript } from '../shared/bundle-script.js'

export const WIDGET_DIR = path.dirname(fileURLToPath(import.meta.url))
/** Budget from issue 7: widget.js must stay at or under 50 KB gzipped. */
export const WIDGET_GZIP_BUDGET = 50 * 1024

export interface WidgetBundle {
  code: Buffer
  gzip: Buffer
  etag: string
}

let cached: Promise<WidgetBundle> | undefined

export async function buildWidget(): Promise<WidgetBundle> {
  const code = await bundleScript(path.join(WIDGET_DIR, 'widget.ts'), 'the widget')
  const gzip = zlib.gzipSync(code, { level: 9 })
  const etag = `"w-${crypto.createHash('sha256').update(code).digest('base64url').slice(0, 22)}"`
  return { code, gzip, etag }
}

/** The process-wide bundle (built on first use). A failed build is not cached, so a fix needs no restart. */
export function widgetBundle(): Promise<WidgetBundle> {
  cached ??= buildWidget().catch((err: unknown) => {
    cached = undefined
    throw err
  })
  return cached
}
