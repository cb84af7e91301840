/**
 * Web security, verified over HTTP: headers and CSP on every page (and no inline script in any HTML the
 * app serves), the widget CORS allowlist, cookie flags, login lockout, token expiry, CSRF on every
 * cookie-authenticated write route (discovered), the audit trail of staff writes (no PII), and reporter
 * contact encrypted at rest in the raw store files.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { rawStoreFiles, storedDocsText } from '../helpers/raw-store.js'
import { discoverRoutes, type DiscoveredRoute } from './support/routes.js'

const PHONE = '13987654321'
const EDITOR_PHONE = '13711112222' // typed by an editor into an entry: content, not a reporter's contact
const ORIGIN = 'https://portal.example.gov.cn'
let ctx: Container
let app: FastifyInstance
let routes: DiscoveredRoute[]
let clock: { set(at: Date | string): void }

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, { corsOrigins: [ORIGIN] }, '2026-11-25T02:00:00Z')
  clock = ctx.clock as unknown as typeof clock
  app = await build(ctx.config, { container: ctx, logger: false })
  routes = await discoverRoutes(app)
  await ctx.users.add({ username: 'sec-admin', role: 'admin', regionCode: null, password: 'password-123' })
  await ctx.users.add({ username: 'sec-locked', role: 'agent', regionCode: '320100', password: 'password-123' })
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

async function login(username: string, password: string) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } })
}

/** HTML pages the app serves: every GET route (and static index) answering text/html. */
async function htmlPages(): Promise<{ url: string; body: string; headers: Record<string, unknown> }[]> {
  const candidates = new Set<string>(['/', '/console/', '/editor/', '/docs/', '/docs/static/index.html'])
  for (const r of routes) if (r.method === 'GET' && !r.url.includes(':') && !r.url.includes('*')) candidates.add(r.url)
  const out = []
  for (const url of candidates) {
    const res = await app.inject({ url })
    if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/html'))
      out.push({ url, body: res.body, headers: res.headers })
  }
  return out
}

describe('security headers and CSP', () => {
  it('every HTML page has the CSP (self scripts, no inline script, no eval) and the standard headers', async () => {
    const pages = await htmlPages()
    expect(pages.map((p) => p.url)).toEqual(expect.arrayContaining(['/', '/console/']))
    for (const p of pages) {
      const csp = String(p.headers['content-security-policy'])
      expect(csp, p.url).toMatch(/script-src 'self'(;|$)/)
      expect(csp, p.url).toMatch(/object-src 'none'/)
      expect(csp, p.url).toMatch(/frame-ancestors 'self'/)
      expect(csp, p.url).not.toMatch(/unsafe-eval/)
      expect(p.headers['x-content-type-options'], p.url).toBe('nosniff')
      expect(p.headers['x-frame-options'], p.url).toBe('SAMEORIGIN')
      expect(p.headers['referrer-policy'], p.url).toBe('strict-origin-when-cross-origin')
      expect(p.headers['strict-transport-security'], p.url).toMatch(/max-age=\d+/)
      expect(p.headers['x-powered-by'], p.url).toBeUndefined()
    }
  })

  it('no page the app serves relies on inline script or inline event handlers (they would be blocked by the CSP)', async () => {
    const offenders: string[] = []
    for (const p of await htmlPages()) {
      for (const m of p.body.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi))
        if (!/\bsrc\s*=/.test(m[1]!) && m[2]!.trim()) offenders.push(`${p.url}: inline <script>`)
      for (const m of p.body.matchAll(/<[a-z][^>]*\son[a-z]+\s*=/gi))
        offenders.push(`${p.url}: inline handler ${m[0].slice(0, 60)}`)
      for (const m of p.body.matchAll(/(?:href|src)\s*=\s*["']?\s*javascript:/gi))
        offenders.push(`${p.url}: javascript: URL ${m[0]}`)
    }
    expect(offenders).toEqual([])
  })

  it('JSON APIs get the same headers; /widget.js stays loadable cross-origin', async () => {
    const api = await app.inject({ url: '/api/search?q=增值税' })
    expect(api.headers['x-content-type-options']).toBe('nosniff')
    expect(api.headers['content-security-policy']).toBeDefined()
    const w = await app.inject({ url: '/widget.js' })
    expect(w.statusCode).toBe(200)
    expect(w.headers['cross-origin-resource-policy']).toBe('cross-origin')
  })
})

describe('CORS allowlist (TAXKB_CORS_ORIGINS)', () => {
  it('allows listed origins on the taxpayer APIs only, never with credentials', async () => {
    const pre = (origin: string, url: string) =>
      app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      })
    const ok = await pre(ORIGIN, '/api/chat')
    expect(ok.headers['access-control-allow-origin']).toBe(ORIGIN)
    expect(ok.headers['access-control-allow-credentials']).toBeUndefined()
    for (const [origin, url] of [
      ['https://evil.example', '/api/chat'],
      ['null', '/api/chat'],
      [ORIGIN, '/api/tickets'],
      [ORIGIN, '/api/editor/entries'],
      [ORIGIN, '/api/auth/login'],
      [ORIGIN, '/api/admin/ledger'],
    ] as const) {
      const res = await pre(origin, url)
      expect(res.headers['access-control-allow-origin'], `${origin} ${url}`).toBeUndefined()
    }
    const get = await app.inject({ url: '/api/tickets', headers: { origin: ORIGIN } })
    expect(get.headers['access-control-allow-origin']).toBeUndefined()
  })
})

describe('staff sessions', () => {
  it('login cookies are HttpOnly (token), SameSite=Strict, path /, with a lifetime; Secure over https', async () => {
    const res = await login('sec-admin', 'password-123')
    expect(res.statusCode).toBe(200)
    const token = res.cookies.find((c) => c.name === 'taxkb_token')!
    const csrf = res.cookies.find((c) => c.name === 'taxkb_csrf')!
    expect(token).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' })
    expect(token.maxAge).toBe(ctx.config.tokenTtlHours * 3600)
    expect(csrf.httpOnly).toBeFalsy() // the console reads it to echo it in x-csrf-token
    expect(csrf.sameSite).toBe('Strict')
  })

  it('behind a TLS-terminating proxy (TAXKB_TRUST_PROXY) the cookies are Secure and clients are told apart', async () => {
    // Finding: without trustProxy Fastify saw every request as plain http from the proxy's address, so
    // secure:'auto' never set Secure and all clients shared one rate-limit bucket.
    const proxied = await build({ ...ctx.config, trustProxy: true }, { container: ctx, logger: false })
    const res = await proxied.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sec-admin', password: 'password-123' },
      headers: { 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' },
    })
    expect(res.statusCode).toBe(200)
    for (const c of res.cookies) expect(c.secure, c.name).toBe(true)
    const plain = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'sec-admin', password: 'password-123' },
      headers: { 'x-forwarded-proto': 'https' },
    })
    for (const c of plain.cookies)
      expect(c.secure, `${c.name} without trustProxy: headers are not believed`).toBeFalsy()
    await proxied.close()
  })

  it('locks the account after 5 failed logins, even for the right password, until the lockout ends', async () => {
    for (let i = 0; i < 5; i++) expect((await login('sec-locked', 'wrong-password-1')).statusCode).toBe(401)
    const locked = await login('sec-locked', 'password-123')
    // Same answer as a wrong password (login-lockout.test.ts): the lock is not announced.
    expect(locked.statusCode).toBe(401)
    expect(locked.json().error.code).toBe('INVALID_CREDENTIALS')
    clock.set('2026-11-25T02:16:00Z')
    expect((await login('sec-locked', 'password-123')).statusCode).toBe(200)
    clock.set('2026-11-25T02:00:00Z')
  })

  it('tokens expire: a token past its lifetime is refused (bearer) and ignored (cookie)', async () => {
    const token = ctx.tokens.sign({ sub: 'sec-admin', kind: 'staff', role: 'admin' }, 60, ctx.clock.now().getTime())
    expect((await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(
      200,
    )
    clock.set('2026-11-25T02:01:01Z')
    const late = await app.inject({ url: '/api/auth/me', headers: { authorization: `Bearer ${token}` } })
    expect(late.statusCode).toBe(401)
    expect(late.json().error.code).toBe('UNAUTHENTICATED')
    expect((await app.inject({ url: '/api/auth/me', cookies: { taxkb_token: token } })).statusCode).toBe(401)
    clock.set('2026-11-25T02:00:00Z')
  })

  it('every cookie-authenticated write route (discovered) demands the CSRF header', async () => {
    const res = await login('sec-admin', 'password-123')
    const cookies = Object.fromEntries(res.cookies.map((c) => [c.name, c.value]))
    const writes = routes.filter((r) => !['GET', 'HEAD', 'OPTIONS'].includes(r.method))
    expect(writes.length).toBeGreaterThan(10)
    const bad: string[] = []
    for (const r of writes) {
      const url = r.url.replace(/:(\w+)/g, 'x1').replace(/\*$/, 'x')
      for (const headers of [{}, { 'x-csrf-token': 'wrong' }, { 'x-csrf-token': `${cookies.taxkb_csrf}x` }]) {
        const out = await app.inject({ method: r.method as 'POST', url, cookies, headers, payload: {} })
        if (out.statusCode !== 403 || out.json().error.code !== 'CSRF_FAILED')
          bad.push(`${r.method} ${r.url} ${JSON.stringify(headers)} → ${out.statusCode}`)
      }
    }
    expect(bad).toEqual([])
    // With the header the same cookie works.
    const ok = await app.inject({
      method: 'PUT',
      url: '/api/admin/calendar',
      cookies,
      headers: { 'x-csrf-token': cookies.taxkb_csrf! },
      payload: { years: {} },
    })
    expect(ok.json().error?.code).not.toBe('CSRF_FAILED')
  })
})

describe('audit trail of staff writes', () => {
  it('records who, route, status and target id of each successful staff write, without the body', async () => {
    const admin = await staffAuth(ctx, 'audit-admin', 'admin')
    const res = await app.inject({
      method: 'POST',
      url: '/api/editor/entries',
      headers: admin,
      payload: {
        id: 'audit-faq-1',
        kind: 'faq',
        title: `联系人电话 ${EDITOR_PHONE}`,
        question: '测试',
        body: `请拨打 ${EDITOR_PHONE}`,
        source: { title: '测试' },
        layer: 'national',
        regionCode: null,
        effectiveFrom: null,
        effectiveTo: null,
        tags: [],
        citedArticleIds: [],
      },
    })
    expect(res.statusCode).toBeLessThan(300)
    const sub = await app.inject({
      method: 'POST',
      url: '/api/editor/entries/audit-faq-1/submit',
      headers: admin,
      payload: {},
    })
    expect(sub.statusCode).toBe(200)
    const denied = await app.inject({
      method: 'POST',
      url: '/api/editor/entries/no-such/submit',
      headers: admin,
      payload: {},
    })
    expect(denied.statusCode).toBeGreaterThanOrEqual(400)
    await new Promise((r) => setTimeout(r, 200)) // onResponse runs after the reply is sent
    const rows = (await ctx.store.collection<{ id: string } & Record<string, unknown>>('audit').list()).filter(
      (a) => a.kind === 'http' && a.actorId === 'audit-admin',
    )
    expect(rows.map((r) => `${r.method} ${r.route} ${r.status} ${r.targetId}`)).toEqual(
      expect.arrayContaining([
        'POST /api/editor/entries 201 null',
        'POST /api/editor/entries/:id/submit 200 audit-faq-1',
      ]),
    )
    expect(rows.some((r) => r.targetId === 'no-such')).toBe(false) // failures are not "admin actions"
    expect(JSON.stringify(rows)).not.toContain(EDITOR_PHONE)
    // Anonymous writes (taxpayer chat) are not staff actions.
    await app.inject({ method: 'POST', url: '/api/chat', payload: { message: '个税怎么算' } })
    await new Promise((r) => setTimeout(r, 100))
    const anon = (await ctx.store.collection<{ id: string } & Record<string, unknown>>('audit').list()).filter(
      (a) => a.route === '/api/chat',
    )
    expect(anon).toEqual([])
  })
})

describe('reporter contact encrypted at rest', () => {
  it('a handoff with a phone number leaves no plaintext phone in the stored tickets or any raw store file', async () => {
    const chat = await app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { message: '我要举报某公司偷税漏税', region: '320100' },
    })
    expect(chat.statusCode).toBe(200)
    const { sessionId } = chat.json() as { sessionId: string }
    const h = await app.inject({
      method: 'POST',
      url: `/api/chat/${sessionId}/handoff`,
      payload: { consent: true, contact: { name: '举报人', phone: PHONE } },
    })
    expect(h.statusCode, h.body).toBe(200)
    await ctx.store.close() // flush queued writes
    const raw = storedDocsText(ctx.config.dataDir, 'tickets')
    expect(raw.length).toBeGreaterThan(10)
    expect(raw).not.toContain(PHONE)
    expect(raw).not.toContain(PHONE.slice(3))
    expect(raw).toMatch(/"contactSealed":"v1\./)
    for (const f of rawStoreFiles(ctx.config.dataDir)) expect(f.bytes.includes(PHONE), f.file).toBe(false)
  })
})
