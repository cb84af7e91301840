/** The embedding page's settings, read once from the widget's <script> tag (data-* attributes). */
export interface WidgetOptions {
  base: string
  region: string | null
  title: string
  color: string
  side: 'left' | 'right'
}

export function readOptions(): WidgetOptions {
  const script =
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[src*="widget.js"]')
  const d = script?.dataset ?? {}
  let base = location.origin
  try {
    base = new URL(d.api || script?.src || location.href, location.href).origin
  } catch {
    /* keep the page origin */
  }
  const region = d.region && /^\d{6}$/.test(d.region) ? d.region : null
  const color = d.color && /^#[0-9a-f]{3,8}$/i.test(d.color) ? d.color : '#b8202f'
  const title = (d.title || '12366 税务智能咨询').slice(0, 40)
  return { base, region, title, color, side: d.position === 'left' ? 'left' : 'right' }
}
