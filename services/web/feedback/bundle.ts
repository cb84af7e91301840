/** The 征纳互动 pages' scripts, bundled with esbuild on first request like the widget (no build step). */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildBrowserBundle, type WidgetBundle } from '../widget/bundle.js'

export const FEEDBACK_DIR = path.dirname(fileURLToPath(import.meta.url))
export const FEEDBACK_ENTRIES = { 'feedback.js': 'feedback-page.ts', 'admin.js': 'admin-page.ts' } as const
export type FeedbackScript = keyof typeof FEEDBACK_ENTRIES

const cache = new Map<FeedbackScript, Promise<WidgetBundle>>()

/** A failed build is not cached, so a fix needs no restart. */
export function feedbackBundle(name: FeedbackScript): Promise<WidgetBundle> {
  let p = cache.get(name)
  if (!p) {
    p = buildBrowserBundle(path.join(FEEDBACK_DIR, FEEDBACK_ENTRIES[name]), `the ${name} page script`).catch(
      (err: unknown) => {
        cache.delete(name)
        throw err
      },
    )
    cache.set(name, p)
  }
  return p
}
