/** widget.js: the widget's TypeScript sources bundled at serve time (services/web/shared/script-bundle.ts). */
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { buildScript, type ScriptBundle, scriptBundle } from '../shared/script-bundle.js'

export const WIDGET_DIR = path.dirname(fileURLToPath(import.meta.url))
/** Budget from issue 7: widget.js must stay at or under 50 KB gzipped. */
export const WIDGET_GZIP_BUDGET = 50 * 1024
const ENTRY = path.join(WIDGET_DIR, 'widget.ts')

export type WidgetBundle = ScriptBundle

export function buildWidget(): Promise<WidgetBundle> {
  return buildScript(ENTRY)
}

/** The process-wide bundle (built on first use). A failed build is not cached, so a fix needs no restart. */
export function widgetBundle(): Promise<WidgetBundle> {
  return scriptBundle(ENTRY)
}
