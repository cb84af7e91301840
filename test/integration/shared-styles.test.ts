/**
 * The booking (/booking/, /hall/) and 征纳互动 (/feedback/) pages share one base stylesheet, served once at
 * /shared/base.css and linked before each page's own; the page stylesheets no longer repeat its rules.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { testConfig } from '../helpers/env.js'

let app: FastifyInstance
beforeAll(async () => {
  app = await build(testConfig(), { logger: false })
})
afterAll(async () => {
  await app.close()
})

const PAGES = [
  ['/booking/', '/booking/booking.css'],
  ['/hall/', '/booking/booking.css'],
  ['/feedback/', '/feedback/page.css'],
  ['/feedback/admin.html', '/feedback/page.css'],
] as const

/** Rule blocks (selector → declarations) of a stylesheet, comments dropped. */
function rules(css: string): Map<string, string> {
  const out = new Map<string, string>()
  const text = css.replace(/\/\*[\s\S]*?\*\//g, '')
  for (const m of text.matchAll(/([^{}]+)\{([^{}]*)\}/g)) out.set(m[1]!.trim(), m[2]!.replace(/\s+/g, ' ').trim())
  return out
}

describe('shared base stylesheet', () => {
  it('is served once and linked before each page stylesheet', async () => {
    const base = await app.inject({ url: '/shared/base.css' })
    expect(base.statusCode).toBe(200)
    expect(base.headers['content-type']).toContain('text/css')
    expect(base.body).toContain('box-sizing: border-box')
    for (const [page, own] of PAGES) {
      const html = (await app.inject({ url: page })).body
      const at = html.indexOf('href="/shared/base.css"')
      expect(at, page).toBeGreaterThan(0)
      expect(html.indexOf(`href="${own}"`), page).toBeGreaterThan(at)
    }
  })

  it('the page stylesheets repeat none of its rules', async () => {
    const base = rules((await app.inject({ url: '/shared/base.css' })).body)
    for (const own of ['/booking/booking.css', '/feedback/page.css']) {
      const page = rules((await app.inject({ url: own })).body)
      const repeated = [...base].filter(([selector, body]) => page.get(selector) === body).map(([s]) => s)
      expect(repeated, own).toEqual([])
      // The page keeps its own accent colour on top of the shared neutrals.
      expect(page.get(':root'), own).toMatch(/--c:/)
      expect(page.get(':root'), own).not.toMatch(/--bg:/)
    }
  })
})
