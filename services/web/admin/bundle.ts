/** admin.js: the operations dashboard page, bundled from admin.ts once per process (shared/bundle-script.ts). */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleScript } from '../shared/bundle-script.js'

export const ADMIN_DIR = path.dirname(fileURLToPath(import.meta.url))

let cached: Promise<Buffer> | undefined

/** Built on first use; a failed build is not cached, so a fix needs no restart. */
export function adminBundle(): Promise<Buffer> {
  cached ??= bundleScript(path.join(ADMIN_DIR, 'admin.ts'), 'the admin page').catch((err: unknown) => {
    cached = undefined
    throw err
  })
  return cached
}
