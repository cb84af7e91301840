/**
 * Findings 9 and 10: logout did not revoke (the bearer token kept working for its full 8 h), and the
 * CSRF double submit was not bound to the login session (an attacker-chosen cookie plus the matching
 * header passed; only SameSite saved it). Tokens now carry an id checked on every request, logout revokes
 * it server-side, and the CSRF token is an HMAC of that id.
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'

let ctx: Container
let app: FastifyInstance

useApp(async (c, a) => {
  ctx = c
  app = a
  await ctx.users.add({ username: 'sess-admin', role: 'admin', regionCode: null, password: 'password-123' })
})

async function login(): Promise<{ token: string; csrf: string; cookies: Record<string, string> }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'sess-admin', password: 'password-123' },
  })
  expect(res.statusCode).toBe(200)
  const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]))
  return { token: res.json().token, csrf: res.json().csrfToken, cookies }
}

const me = (headers: Record<string, string>, cookies?: Record<string, string>) =>
  app.inject({ url: '/api/auth/me', headers, ...(cookies ? { cookies } : {}) })

describe('logout revokes server-side', () => {
  it('a bearer token stops working at logout; another login of the same user keeps working', async () => {
    const a = await login()
    const b = await login()
    const bearer = { authorization: `Bearer ${a.token}` }
    expect((await me(bearer)).statusCode).toBe(200)
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer })).statusCode).toBe(200)
    const after = await me(bearer)
    expect(after.statusCode).toBe(401)
    expect(after.json().error.code).toBe('UNAUTHENTICATED')
    expect((await me({ authorization: `Bearer ${b.token}` })).statusCode).toBe(200)
  })

  it('a cookie session stops working at logout, even if the browser keeps the cookie', async () => {
    const a = await login()
    const out = await app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      cookies: a.cookies,
      headers: { 'x-csrf-token': a.csrf },
    })
    expect(out.statusCode).toBe(200)
    expect((await me({}, a.cookies)).statusCode).toBe(401)
  })
})

describe('CSRF token bound to the login session', () => {
  const write = (cookies: Record<string, string>, csrf: string) =>
    app.inject({
      method: 'PUT',
      url: '/api/admin/calendar',
      cookies,
      headers: { 'x-csrf-token': csrf },
      payload: { years: {} },
    })

  it('an attacker-chosen cookie with the matching header is refused; the session token passes', async () => {
    const a = await login()
    const planted = { ...a.cookies, taxkb_csrf: 'attacker-chosen-value-123' }
    const forged = await write(planted, 'attacker-chosen-value-123')
    expect(forged.statusCode).toBe(403)
    expect(forged.json().error.code).toBe('CSRF_FAILED')
    expect((await write(a.cookies, a.csrf)).json().error?.code).not.toBe('CSRF_FAILED')
  })

  it("another session's CSRF token does not fit this session", async () => {
    const a = await login()
    const b = await login()
    expect(a.csrf).not.toBe(b.csrf)
    const crossed = await write({ ...a.cookies, taxkb_csrf: b.csrf }, b.csrf)
    expect(crossed.json().error.code).toBe('CSRF_FAILED')
  })
})
