/**
 * Builds widget.js from the TypeScript sources in this folder with esbuild (already installed through
 * tsx), once per process (shared/bundle-script.ts), so `npm start` and the tests need no build step.
 */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { bundleScript, cachedBundle, type ScriptBundle } from '../shared/bundle-script.js'

export const WIDGET_DIR = path.dirname(fileURLToPath(import.meta.url))
/** Budget from issue 7: widget.js must stay at or under 50 KB gzipped. */
export const WIDGET_GZIP_BUDGET = 50 * 1024

export type WidgetBundle = ScriptBundle

export function buildWidget(): Promise<WidgetBundle> {
  return bundleScript(path.join(WIDGET_DIR, 'widget.ts'), 'w')
}

/** The process-wide bundle (built on first use). A failed build is not cached, so a fix needs no restart. */
export const widgetBundle = cachedBundle(buildWidget)
