import zlib from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { WIDGET_GZIP_BUDGET, buildWidget } from '../../services/web/widget/bundle.js'
import { containerWithCorpus, testConfig } from '../helpers/env.js'

const PORTAL = 'https://www.jiangsu.chinatax.example'

describe('widget.js, demo page and CORS allowlist', () => {
  let app: FastifyInstance
  beforeAll(async () => {
    const ctx = await containerWithCorpus()
    app = await build(testConfig({ corsOrigins: [PORTAL + '/'] }), { container: ctx, logger: false })
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
  })

  it(`stays within the ${WIDGET_GZIP_BUDGET / 1024} KB gzip budget`, async () => {
    const bundle = await buildWidget()
    const gz = zlib.gzipSync(bundle.code, { level: 9 }).length
    console.info(`widget.js: ${bundle.code.length} bytes minified, ${gz} bytes gzipped`)
    expect(gz).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET)
    // No HTML-parsing sinks in the shipped code (the safe renderer builds nodes only).
    expect(bundle.code.toString()).not.toMatch(/\.innerHTML\s*=|insertAdjacentHTML|outerHTML\s*=|document\.write/)
  })

  it('serves the script with caching headers, ETag revalidation and gzip', async () => {
    const res = await app.inject({ method: 'GET', url: '/widget.js' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^application\/javascript/)
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/)
    expect(res.headers['cross-origin-resource-policy']).toBe('cross-origin')
    const etag = String(res.headers.etag)
    expect(etag).toMatch(/^"w-/)
    expect(res.body).toContain('taxkb')
    const again = await app.inject({ method: 'GET', url: '/widget.js', headers: { 'if-none-match': etag } })
    expect(again.statusCode).toBe(304)
    expect(again.body).toBe('')
    const gz = await app.inject({
      method: 'GET',
      url: '/widget.js',
      headers: { 'accept-encoding': 'gzip, deflate, br' },
    })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.rawPayload.length).toBeLessThanOrEqual(WIDGET_GZIP_BUDGET)
    expect(zlib.gunzipSync(gz.rawPayload).toString()).toBe(res.body)
  })

  it('serves the demo portal page embedding the widget for region 320000', async () => {
    const res = await app.inject({ method: 'GET', url: '/' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toMatch(/^text\/html/)
    expect(res.body).toContain('<script src="/widget.js" data-region="320000"')
  })

  it('answers CORS preflights and requests only for allowed origins on the widget APIs', async () => {
    const pre = await app.inject({
      method: 'OPTIONS',
      url: '/api/chat',
      headers: {
        origin: PORTAL,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type',
      },
    })
    expect(pre.statusCode).toBe(204)
    expect(pre.headers['access-control-allow-origin']).toBe(PORTAL)
    expect(String(pre.headers['access-control-allow-headers'])).toContain('content-type')
    expect(pre.headers['access-control-allow-credentials']).toBeUndefined()

    const entry = await app.inject({ method: 'GET', url: '/api/entries/does-not-exist', headers: { origin: PORTAL } })
    expect(entry.headers['access-control-allow-origin']).toBe(PORTAL)

    const evil = await app.inject({
      method: 'GET',
      url: '/api/entries/does-not-exist',
      headers: { origin: 'https://evil.example' },
    })
    expect(evil.headers['access-control-allow-origin']).toBeUndefined()
    const evilPre = await app.inject({
      method: 'OPTIONS',
      url: '/api/chat',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    })
    expect(evilPre.headers['access-control-allow-origin']).toBeUndefined()

    // Staff and search APIs are not opened to other origins, even allowed ones.
    for (const url of ['/api/search?q=增值税', '/api/auth/login', '/api/tickets']) {
      const res = await app.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: PORTAL, 'access-control-request-method': 'POST' },
      })
      expect(res.headers['access-control-allow-origin']).toBeUndefined()
    }
  })
})
