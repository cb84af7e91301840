/** The 征纳互动 pages' scripts, bundled with esbuild on first request like the widget (no build step). */
import crypto from 'node:crypto'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleScript } from '../shared/bundle-script.js'

export const FEEDBACK_DIR = path.dirname(fileURLToPath(import.meta.url))
export const FEEDBACK_ENTRIES = { 'feedback.js': 'feedback-page.ts', 'admin.js': 'admin-page.ts' } as const
export type FeedbackScript = keyof typeof FEEDBACK_ENTRIES

export interface PageScript {
  code: Buffer
  etag: string
}

const cache = new Map<FeedbackScript, Promise<PageScript>>()

async function build(name: FeedbackScript): Promise<PageScript> {
  const code = await bundleScript(path.join(FEEDBACK_DIR, FEEDBACK_ENTRIES[name]), `the ${name} page script`)
  return { code, etag: `"f-${crypto.createHash('sha256').update(code).digest('base64url').slice(0, 22)}"` }
}

/** A failed build is not cached, so a fix needs no restart. */
export function feedbackBundle(name: FeedbackScript): Promise<PageScript> {
  let p = cache.get(name)
  if (!p) {
    p = build(name).catch((err: unknown) => {
      cache.delete(name)
      throw err
    })
    cache.set(name, p)
  }
  return p
}
