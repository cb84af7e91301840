/** Bundles the booking pages' TypeScript with esbuild once per process (like the widget); failures are not cached. */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { scriptBundle } from '../shared/script-bundle.js'

export const BOOKING_WEB_DIR = path.dirname(fileURLToPath(import.meta.url))
export type BookingPage = 'booking' | 'hall'

/** The page script, bundled once per process by the shared script-bundle cache (failed builds are not cached). */
export async function bookingBundle(page: BookingPage): Promise<Buffer> {
  return (await scriptBundle(path.join(BOOKING_WEB_DIR, `${page}-page.ts`))).code
}
