import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { containerWithCorpus } from '../helpers/env.js'
import type { Container } from '../../services/container.js'

let app: FastifyInstance
let ctx: Container

beforeAll(async () => {
  ctx = await containerWithCorpus()
  app = await build(ctx.config, { container: ctx, logger: false })
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

describe('GET /api/search', () => {
  it('returns ranked hits with snippets and timing', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/search?q=${encodeURIComponent('个税专项附加扣除有哪些')}`,
    })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(body.hits.slice(0, 3).map((h: { id: string }) => h.id)).toContain('个人所得税法#第六条')
    expect(body.hits[0].snippet).toContain('<mark>')
    expect(body.total).toBe(body.hits.length)
    expect(typeof body.tookMs).toBe('number')
  })

  it('hides retired law articles from public search', async () => {
    const res = await app.inject({
      method: 'GET',
      url: `/api/search?q=${encodeURIComponent('小规模纳税人 征收率')}&limit=20`,
    })
    const ids = res.json().hits.map((h: { id: string }) => h.id)
    expect(ids.some((id: string) => id.startsWith('增值税暂行条例'))).toBe(false)
  })

  it('respects regional layers: 青岛 sees its local regulation, 江苏 does not', async () => {
    const q = encodeURIComponent('税收征收协助')
    const qd = (await app.inject({ url: `/api/search?q=${q}&region=370200` }))
      .json()
      .hits.map((h: { id: string }) => h.id)
    const js = (await app.inject({ url: `/api/search?q=${q}&region=320000` }))
      .json()
      .hits.map((h: { id: string }) => h.id)
    expect(qd.some((id: string) => id.startsWith('青岛市'))).toBe(true)
    expect(js.some((id: string) => id.startsWith('青岛市'))).toBe(false)
  })

  it('filters by kind', async () => {
    const res = await app.inject({ url: `/api/search?q=${encodeURIComponent('契税')}&kind=faq,guide` })
    expect(res.json().hits.every((h: { kind: string }) => h.kind === 'faq' || h.kind === 'guide')).toBe(true)
  })

  it.each([
    ['empty query', '/api/search?q=', 400, 'QUERY_EMPTY'],
    ['punctuation only', `/api/search?q=${encodeURIComponent('？？！')}`, 400, 'QUERY_EMPTY'],
    ['missing q', '/api/search', 400, 'VALIDATION_FAILED'],
    ['unknown region', `/api/search?q=${encodeURIComponent('契税')}&region=999999`, 400, 'UNKNOWN_REGION'],
    ['malformed region', `/api/search?q=${encodeURIComponent('契税')}&region=abc`, 400, 'UNKNOWN_REGION'],
    ['unknown kind', `/api/search?q=${encodeURIComponent('契税')}&kind=poem`, 400, 'UNKNOWN_KIND'],
    ['limit out of range', `/api/search?q=${encodeURIComponent('契税')}&limit=1000`, 400, 'VALIDATION_FAILED'],
  ])('%s → %i %s', async (_name, url, status, code) => {
    const res = await app.inject({ url })
    expect(res.statusCode).toBe(status)
    const body = res.json()
    expect(body.error.code).toBe(code)
    expect(body.error.message).toMatch(/[\u4e00-\u9fff]/)
    expect(body.error.requestId).toBeTruthy()
  })

  it('a 10 MB query is rejected with QUERY_TOO_LONG, not a crash', async () => {
    const res = await app.inject({ url: `/api/search?q=${'税'.repeat((10 * 1024 * 1024) / 3)}` })
    expect(res.statusCode).toBe(400)
    expect(res.json().error.code).toMatch(/QUERY_TOO_LONG|VALIDATION_FAILED/)
  })
})

describe('entries, health, docs, errors', () => {
  it('GET /api/entries/:id returns the full entry with an unchanged law id', async () => {
    const res = await app.inject({ url: `/api/entries/${encodeURIComponent('个人所得税法#第六条')}` })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({
      id: '个人所得税法#第六条',
      kind: 'law-article',
      law: { shortName: '个人所得税法', article: '第六条' },
    })
  })

  it('unknown entry → 404 ENTRY_NOT_FOUND', async () => {
    const res = await app.inject({ url: '/api/entries/nope' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('ENTRY_NOT_FOUND')
  })

  it('unknown route → 404 NOT_FOUND in the error format', async () => {
    const res = await app.inject({ url: '/api/nothing-here' })
    expect(res.statusCode).toBe(404)
    expect(res.json().error.code).toBe('NOT_FOUND')
  })

  it('/healthz reports the index size', async () => {
    const res = await app.inject({ url: '/healthz' })
    expect(res.statusCode).toBe(200)
    expect(res.json()).toMatchObject({ status: 'ok', backend: 'embedded', store: 'embedded' })
    expect(res.json().entries).toBe(await ctx.store.collection('entries').count())
  })

  it('/docs serves the OpenAPI document generated from route schemas', async () => {
    const res = await app.inject({ url: '/docs/json' })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/api/search', '/api/entries/{id}', '/healthz']),
    )
  })
})
