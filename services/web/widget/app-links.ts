/**
 * In-app paths in answers (`/booking/?region=320000`) become links to the API's origin — the widget runs on
 * other portals, where a relative path would point at the wrong site — keeping the portal's region. Pure.
 */
import type { LinkResolver } from './safe-render.js'

const LABELS: Record<string, string> = { booking: '网上预约办税', feedback: '征纳互动' }

export function appLinks(base: string, region: string | null): LinkResolver {
  return (path) => {
    let url: URL
    try {
      url = new URL(path, base)
    } catch {
      return null
    }
    const page = /^\/(\w+)\//.exec(url.pathname)?.[1] ?? ''
    const label = LABELS[page]
    if (!label || url.origin !== new URL(base).origin) return null
    if (region && !url.searchParams.has('region')) url.searchParams.set('region', region)
    return { href: url.href, label }
  }
}
