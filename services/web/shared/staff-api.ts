/**
 * The staff consoles' one API and login module (agent console and editor console): same-origin fetch with
 * the login cookie, the CSRF double-submit header on writes, errors as ApiError carrying the server's
 * Chinese message. Response types come from the generated OpenAPI types (api-contract.ts).
 */
import type { JsonResponse } from './api-contract.js'

export type StaffUser = JsonResponse<'getAuthMe'>
type LoginResponse = JsonResponse<'postAuthLogin'>

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly data: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The CSRF token the server set in a readable cookie at login (double-submit). */
export function csrfToken(): string {
  const m = /(?:^|;\s*)taxkb_csrf=([^;]+)/.exec(document.cookie)
  return m?.[1] ? decodeURIComponent(m[1]) : ''
}

// biome-ignore lint/suspicious/noExplicitAny: callers name the response type; untyped calls stay as in the JS consoles
export async function api<T = any>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') headers['x-csrf-token'] = csrfToken()
  if (body !== undefined) headers['content-type'] = 'application/json'
  const init: RequestInit = { method, headers, credentials: 'same-origin' }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await fetch(url, init)
  const data: unknown = await res.json().catch(() => ({}))
  if (!res.ok) {
    const message = (data as { error?: { message?: unknown } } | null)?.error?.message
    throw new ApiError(typeof message === 'string' && message ? message : `请求失败（${res.status}）`, res.status, data)
  }
  return data as T
}

/** Login, logout and "who am I" — the same three calls in every console. */
export const staffAuth = {
  me: () => api<StaffUser>('GET', '/api/auth/me'),
  login: async (username: string, password: string): Promise<StaffUser> =>
    (await api<LoginResponse>('POST', '/api/auth/login', { username, password })).user,
  logout: () => api('POST', '/api/auth/logout').catch(() => {}),
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err)
}
