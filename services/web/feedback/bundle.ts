/** The 征纳互动 pages' scripts, bundled with esbuild on first request like the widget (no build step). */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { type ScriptBundle, scriptBundle } from '../shared/script-bundle.js'

export const FEEDBACK_DIR = path.dirname(fileURLToPath(import.meta.url))
export const FEEDBACK_ENTRIES = { 'feedback.js': 'feedback-page.ts', 'admin.js': 'admin-page.ts' } as const
export type FeedbackScript = keyof typeof FEEDBACK_ENTRIES

/** The page script, bundled once per process by the shared script-bundle cache (failed builds are not cached). */
export function feedbackBundle(name: FeedbackScript): Promise<ScriptBundle> {
  return scriptBundle(path.join(FEEDBACK_DIR, FEEDBACK_ENTRIES[name]))
}
