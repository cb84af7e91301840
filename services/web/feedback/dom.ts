/** DOM building for the 征纳互动 pages: createElement / text nodes only, never innerHTML (CSP and XSS). */
export { h } from '../shared/dom.js'

const SVG_NS = 'http://www.w3.org/2000/svg'
export function svg(tag: string, attrs: Record<string, string | number>, ...children: (Node | string)[]): SVGElement {
  const el = document.createElementNS(SVG_NS, tag)
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, String(v))
  for (const c of children) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  return el
}

export interface ApiError {
  code: string
  message: string
}

/** JSON call; throws the server's {code, message} (Chinese) on failure. Staff writes echo the CSRF cookie. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers ?? {}) }
  if (init.body !== undefined) headers['content-type'] = 'application/json'
  const csrf = /(?:^|;\s*)taxkb_csrf=([^;]+)/.exec(document.cookie)?.[1]
  if (csrf && init.method && init.method !== 'GET') headers['x-csrf-token'] = decodeURIComponent(csrf)
  const res = await fetch(path, {
    method: init.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
  })
  const data = (await res.json().catch(() => ({}))) as { error?: ApiError }
  if (!res.ok) throw (data.error ?? { code: 'INTERNAL', message: '系统繁忙，请稍后再试' }) as ApiError
  return data as T
}

export function errorText(e: unknown): string {
  return typeof e === 'object' && e !== null && 'message' in e
    ? String((e as ApiError).message)
    : '系统繁忙，请稍后再试'
}
