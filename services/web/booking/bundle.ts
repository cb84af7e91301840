/** Bundles the booking pages' TypeScript with esbuild once per process (like the widget); failures are not cached. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

export const BOOKING_WEB_DIR = path.dirname(fileURLToPath(import.meta.url))
export type BookingPage = 'booking' | 'hall'

const cache = new Map<BookingPage, Promise<Buffer>>()

async function bundle(page: BookingPage): Promise<Buffer> {
  const result = await build({
    entryPoints: [path.join(BOOKING_WEB_DIR, `${page}-page.ts`)],
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
  if (!file) throw new Error(`esbuild produced no output for ${page}`)
  return Buffer.from(file.contents)
}

export function bookingBundle(page: BookingPage): Promise<Buffer> {
  let p = cache.get(page)
  if (!p) {
    p = bundle(page).catch((err: unknown) => {
      cache.delete(page)
      throw err
    })
    cache.set(page, p)
  }
  return p
}
