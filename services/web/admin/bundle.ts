/** admin.js: the operations dashboard page, bundled from admin.ts at first request (shared/bundle-script.ts). */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleScript, cachedBundle } from '../shared/bundle-script.js'

export const ADMIN_DIR = path.dirname(fileURLToPath(import.meta.url))

export const adminBundle = cachedBundle(() => bundleScript(path.join(ADMIN_DIR, 'admin.ts'), 'a'))
