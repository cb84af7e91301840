/** Bundles the booking pages' TypeScript with esbuild once per process (like the widget); failures are not cached. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleScript } from '../shared/bundle-script.js'

export const BOOKING_WEB_DIR = path.dirname(fileURLToPath(import.meta.url))
export type BookingPage = 'booking' | 'hall'

const cache = new Map<BookingPage, Promise<Buffer>>()

function bundle(page: BookingPage): Promise<Buffer> {
  return bundleScript(path.join(BOOKING_WEB_DIR, `${page}-page.ts`), `the ${page} page`)
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
