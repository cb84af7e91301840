/**
 * The OpenAPI document as a contract for outside vendors (issue 21): invariants every operation must meet, so a
 * new route cannot regress silently, and agreement between what the document says about auth and what the
 * guards enforce.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance, RouteOptions } from 'fastify'
import { build } from '../../services/api/app.js'
import { declareAuth } from '../../services/api/auth-declaration.js'
import { TAG_DESCRIPTIONS, deriveOperationId, transformRoute } from '../../services/api/openapi.js'
import { testConfig } from '../helpers/env.js'

interface Operation {
  operationId?: string
  tags?: string[]
  security?: Record<string, string[]>[]
  parameters?: { in: string; name: string; required?: boolean }[]
  responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }>
}
interface Doc {
  tags: { name: string; description?: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown>; schemas: Record<string, unknown> }
}

const ERROR_REF = '#/components/schemas/ErrorResponse'
const CJK = /[\u4e00-\u9fff]/

let app: FastifyInstance
let doc: Doc
let ops: { method: string; path: string; op: Operation }[]

beforeAll(async () => {
  app = await build(testConfig(), { logger: false })
  await app.ready()
  doc = app.swagger() as unknown as Doc
  ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({ method, path, op })),
  )
})
afterAll(async () => app.close())

describe('every operation in /docs/json', () => {
  it('has a unique, method-like operationId', () => {
    expect(ops.length).toBeGreaterThan(40)
    const ids = ops.map((o) => o.op.operationId)
    for (const id of ids) expect(id).toMatch(/^[a-z][A-Za-z0-9]*$/)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('says who may call it, with schemes the document defines', () => {
    const undeclared = ops.filter((o) => !Array.isArray(o.op.security)).map((o) => `${o.method} ${o.path}`)
    expect(undeclared, 'routes whose preHandler carries no declareAuth()').toEqual([])
    for (const { op } of ops)
      for (const alt of op.security!)
        for (const name of Object.keys(alt)) expect(doc.components.securitySchemes).toHaveProperty(name)
  })

  it('declares a 2xx and at least one 4xx with the shared error schema, and 500 with it', () => {
    for (const { method, path, op } of ops) {
      const where = `${method} ${path}`
      expect(
        Object.keys(op.responses).some((s) => s.startsWith('2')),
        where,
      ).toBe(true)
      const errorRef = (s: string) => op.responses[s]?.content?.['application/json']?.schema?.$ref
      expect(
        Object.keys(op.responses)
          .filter((s) => s.startsWith('4'))
          .some((s) => errorRef(s) === ERROR_REF),
        where,
      ).toBe(true)
      expect(errorRef('500'), where).toBe(ERROR_REF)
    }
    expect(doc.components.schemas.ErrorResponse).toMatchObject({
      properties: { error: { required: ['code', 'message', 'requestId'] } },
    })
  })

  it('uses only tags that have a Chinese description', () => {
    const used = new Set(ops.flatMap((o) => o.op.tags ?? []))
    for (const tag of used) expect(TAG_DESCRIPTIONS[tag] ?? '', `tag ${tag}`).toMatch(CJK)
    expect(doc.tags.map((t) => t.name).sort()).toEqual([...used].sort())
  })
})

describe('auth in the document agrees with the guards', () => {
  it('staff-only, anonymous-or-staff and public routes are told apart', () => {
    const get = (path: string, method = 'get') => doc.paths[path]![method]!
    expect(get('/api/tickets').security).toEqual([{ staffBearer: [] }, { staffCookie: [] }])
    expect(get('/api/tickets')).toHaveProperty('x-taxkb-permissions', ['tickets:work'])
    expect(get('/api/chat', 'post').security).toEqual([{}, { staffBearer: [] }, { staffCookie: [] }])
    expect(get('/api/search').security).toEqual([])
    expect(get('/metrics').security).toEqual([{ metricsBasic: [] }, { staffBearer: [] }, { staffCookie: [] }])
  })

  it('an unauthenticated GET is refused exactly where the document requires credentials', async () => {
    let checked = 0
    for (const { method, path, op } of ops) {
      if (method !== 'get' || op.parameters?.some((p) => p.in === 'query' && p.required)) continue
      const url = path.replace(/\{\w+\}/g, 'x')
      const res = await app.inject({ method: 'GET', url })
      const credentialsRequired = op.security!.length > 0 && !op.security!.some((alt) => Object.keys(alt).length === 0)
      if (credentialsRequired) expect(res.statusCode, `GET ${path}`).toBe(401)
      else expect([401, 403], `GET ${path} → ${res.statusCode}`).not.toContain(res.statusCode)
      checked++
    }
    expect(checked).toBeGreaterThan(15)
  })
})

describe('the central transform', () => {
  const route = (preHandler: unknown, url = '/api/things/:id/claim', method = 'POST') =>
    ({ method, url, preHandler, handler: () => undefined }) as unknown as RouteOptions
  const guard = declareAuth(async () => undefined, { anonymous: false, schemes: ['hallApiKey'], permissions: [] })

  it('derives operationIds from method and URL unless the route names one', () => {
    expect(deriveOperationId('POST', '/api/tickets/:id/claim')).toBe('postTicketsByIdClaim')
    expect(deriveOperationId('GET', '/api/hot-topics')).toBe('getHotTopics')
    expect(deriveOperationId('GET', '/')).toBe('getRoot')
    const named = transformRoute({
      schema: { operationId: 'claimThing' },
      url: '/api/things/:id/claim',
      route: route(undefined),
    })
    expect(named.schema.operationId).toBe('claimThing')
  })

  it('takes security from the guard declaration, and leaves it out for an undeclared guard', () => {
    const hall = transformRoute({ schema: {}, url: '/api/booking/halls/:hallId/queue', route: route([guard]) })
    expect(hall.schema.security).toEqual([{ hallApiKey: [] }])
    expect(Object.keys(hall.schema.response as object)).toEqual(
      expect.arrayContaining(['400', '401', '403', '404', '429', '500']),
    )
    const bare = transformRoute({ schema: {}, url: '/api/x', route: route(async () => undefined, '/api/x', 'GET') })
    expect(bare.schema.security).toBeUndefined()
    const open = transformRoute({ schema: {}, url: '/api/x', route: route(undefined, '/api/x', 'GET') })
    expect(open.schema.security).toEqual([])
    expect(Object.keys(open.schema.response as object).sort()).toEqual(['200', '429', '500'])
  })
})
