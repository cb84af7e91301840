/**
 * Route schemas compile on first use (services/api/lazy-schemas.ts): the same Ajv and fast-json-stringify
 * functions Fastify builds at start-up, so validation, coercion and response filtering behave as before; every
 * schema of the real app still compiles; a broken one is reported with its route.
 */
import Fastify from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build, compilePendingSchemas } from '../../services/api/app.js'
import { lazySchemas } from '../../services/api/lazy-schemas.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus } from '../helpers/env.js'

function tinyApp() {
  const schemas = lazySchemas()
  const app = Fastify({
    schemaController: { compilersFactory: schemas.compilersFactory },
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  })
  app.post(
    '/echo',
    {
      schema: {
        headers: { type: 'object', properties: { 'X-Token': { type: 'string', minLength: 3 } }, required: ['X-Token'] },
        querystring: {
          type: 'object',
          properties: { tags: { type: 'array', items: { type: 'string' } }, n: { type: 'integer' } },
        },
        body: { type: 'object', properties: { a: { type: 'integer' } }, required: ['a'] },
        response: { 200: { type: 'object', properties: { a: { type: 'integer' }, tags: {}, n: {} } } },
      },
    },
    async (req) => ({
      ...(req.body as object),
      tags: (req.query as { tags?: string[] }).tags,
      n: (req.query as { n?: number }).n,
      secret: 'not in the schema',
    }),
  )
  return { app, schemas }
}

describe('lazy route schemas', () => {
  it('compile on the first request and then validate, coerce and filter as Fastify does', async () => {
    const { app, schemas } = tinyApp()
    await app.ready()
    // headers, querystring, body and one response schema: nothing built yet
    expect(schemas.pending).toBe(4)
    const echo = (url: string, headers: Record<string, string>, payload: object) =>
      app.inject({ method: 'POST', url, headers, payload })
    const ok = await echo('/echo?tags=a&n=7', { 'x-token': 'abcd' }, { a: 1 })
    expect(ok.statusCode).toBe(200)
    // a single ?tags=a coerced to an array at the root of the querystring, n to an integer, `secret` dropped
    expect(ok.json()).toEqual({ a: 1, tags: ['a'], n: 7 })
    expect(schemas.pending).toBe(0)
    const badBody = await echo('/echo', { 'x-token': 'abcd' }, { a: 'x' })
    expect(badBody.statusCode).toBe(400)
    expect(badBody.json().message).toMatch(/body\/a must be integer/)
    // the header schema names X-Token; headers arrive lower-cased, as Fastify's own compiler expects
    const noHeader = await echo('/echo', {}, { a: 1 })
    expect(noHeader.statusCode).toBe(400)
    expect(noHeader.json().message).toMatch(/headers must have required property 'x-token'/)
    const shortHeader = await echo('/echo', { 'x-token': 'ab' }, { a: 1 })
    expect(shortHeader.statusCode).toBe(400)
    await app.close()
  })

  it('reports a schema that does not compile with its route', async () => {
    const schemas = lazySchemas()
    const app = Fastify({ schemaController: { compilersFactory: schemas.compilersFactory } })
    app.get(
      '/broken',
      { schema: { querystring: { type: 'object', properties: { n: { type: 'no-such-type' } } } } },
      async () => 'x',
    )
    await app.ready()
    expect(() => schemas.compilePending()).toThrow(/GET \/broken \(querystring\) does not compile/)
    await app.close()
  })
})

describe('the real app', () => {
  let ctx: Container
  beforeAll(async () => {
    ctx = await containerWithCorpus()
  }, 60_000)
  afterAll(async () => ctx.close())

  it('starts without compiling route schemas, and every one of them compiles', async () => {
    const app = await build(ctx.config, { container: ctx, logger: false })
    await app.ready()
    // request validators and response serializers of well over a hundred routes were left for their first use
    expect(compilePendingSchemas(app)).toBeGreaterThan(150)
    expect(compilePendingSchemas(app)).toBe(0)
    // a validated route still answers a bad request with the stable error envelope
    const r = await app.inject({ method: 'POST', url: '/api/chat', payload: { region: '320000' } })
    expect(r.statusCode).toBe(400)
    expect(r.json().error.code).toBe('VALIDATION_FAILED')
    await app.close()
  })

  it('says what is wrong with a request in Chinese (Ajv messages through ajv-i18n), keeping the path', async () => {
    const app = await build(ctx.config, { container: ctx, logger: false })
    const msg = async (url: string, payload?: object) =>
      (await app.inject({ method: payload ? 'POST' : 'GET', url, ...(payload ? { payload } : {}) })).json().error
    const cases: [string, object | undefined, string][] = [
      ['/api/chat', { message: '' }, '请求参数不正确：body/message 不应少于 1 个字符'],
      ['/api/chat', {}, '请求参数不正确：body 应当有必需属性 message'],
      ['/api/chat', { message: ['a', 'b'] }, '请求参数不正确：body/message 应当是 string 类型'],
      ['/api/search?q=%E5%A2%9E&limit=abc', undefined, '请求参数不正确：querystring/limit 应当是 integer 类型'],
    ]
    for (const [url, payload, zh] of cases) {
      const e = await msg(url, payload)
      expect(e.code).toBe('VALIDATION_FAILED')
      expect(e.message).toBe(zh)
      expect(e.message).not.toMatch(/must|should/)
    }
    await app.close()
  })
})
