/**
 * The staff consoles' scripts, bundled from TypeScript at serve time like widget.js: GET /console/console.js
 * (agent console) and GET /editor/editor.js (editor console). Public like the consoles' other static files;
 * every API call they make is guarded.
 */
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { REPO_ROOT } from '../../shared/config.js'
import { scriptBundle, sendScript } from '../../web/shared/script-bundle.js'

const WEB = path.join(REPO_ROOT, 'services', 'web')
export const CONSOLE_SCRIPTS = {
  '/console/console.js': path.join(WEB, 'console', 'console.ts'),
  '/editor/editor.js': path.join(WEB, 'editor', 'editor.ts'),
} as const

/** Same-origin only, revalidated on every load (the URL is not versioned; the ETag makes it cheap). */
const CACHE_CONTROL = 'no-cache'

export default async function consoleScriptRoutes(app: FastifyInstance): Promise<void> {
  for (const [url, entry] of Object.entries(CONSOLE_SCRIPTS)) {
    app.get(url, { schema: { hide: true } }, async (request, reply) => {
      const bundle = await scriptBundle(entry)
      return sendScript(request, reply.header('cache-control', CACHE_CONTROL), bundle)
    })
  }
}

/** For the consoles' static mounts: their TypeScript sources are bundled, not served as files. */
export const notTypeScript = (pathName: string): boolean => !pathName.endsWith('.ts')
