/**
 * Bad input against every route the app has when this runs (discovered from the router, schemas from the
 * OpenAPI document): property-based requests built from each route's schema and then broken (wrong types,
 * hostile strings, prototype keys, huge and deeply nested values), raw bodies that are not JSON or not
 * UTF-8, odd content types, hostile percent-encodings in paths and queries, with no auth, staff bearer
 * tokens, garbage and expired tokens, and cookie auth with and without the CSRF header.
 * Contract: zero 5xx; every 4xx is `{error:{code,message,requestId}}` with a code from the error table.
 */
import fc from 'fast-check'
import { afterAll, describe, expect, it } from 'vitest'
import type { InjectOptions } from 'fastify'
import { build } from '../../services/api/app.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { checkResponse, type Violation } from './support/check.js'
import {
  CONTENT_TYPES,
  HOSTILE_PATH_PIECES,
  RAW_BODIES,
  anyString,
  mutated,
  pathParam,
  queryString,
} from './support/hostile.js'
import { discoverRoutes, type DiscoveredRoute } from './support/routes.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 50)
// A CI failure is reproduced with FUZZ_SEED=<the seed printed> (each route's property runs from this seed).
const SEED = Number(process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31))
const ctx = await containerWithCorpus()
const app = await build(ctx.config, { container: ctx, logger: false })
const routes = await discoverRoutes(app)

const admin = await staffAuth(ctx, 'fuzz-admin', 'admin')
const agent = await staffAuth(ctx, 'fuzz-agent', 'agent', '320100')
await ctx.users.add({ username: 'fuzz-cookie', role: 'admin', regionCode: null, password: 'password-123' })
const login = await app.inject({
  method: 'POST',
  url: '/api/auth/login',
  payload: { username: 'fuzz-cookie', password: 'password-123' },
})
const cookies = Object.fromEntries(login.cookies.map((c) => [c.name, c.value]))
const expired = `Bearer ${ctx.tokens.sign({ sub: 'fuzz-admin', kind: 'staff', role: 'admin' }, 60, ctx.clock.now().getTime() - 86_400_000)}`

type Auth = { headers: Record<string, string>; cookies: Record<string, string> }
const AUTHS: Record<string, Auth> = {
  none: { headers: {}, cookies: {} },
  admin: { headers: admin, cookies: {} },
  agent: { headers: agent, cookies: {} },
  garbage: { headers: { authorization: 'Bearer eyJhbGciOiJub25lIn0.e30.' }, cookies: {} },
  basic: { headers: { authorization: 'Basic YWRtaW46YWRtaW4=' }, cookies: {} },
  expired: { headers: { authorization: expired }, cookies: {} },
  cookieCsrf: { headers: { 'x-csrf-token': cookies.taxkb_csrf ?? '' }, cookies },
  cookieNoCsrf: { headers: {}, cookies },
  cookieGarbage: { headers: {}, cookies: { taxkb_token: 'garbage\u0000', taxkb_csrf: 'x' } },
}
const authArb = fc.constantFrom(...Object.keys(AUTHS))

let requests = 0
const violations = new Map<string, Violation & { request: string }>()

async function send(route: DiscoveredRoute, opts: InjectOptions & { url: string }, label: string): Promise<void> {
  requests++
  let res
  try {
    res = await Promise.race([
      app.inject(opts),
      new Promise<never>((_r, reject) => setTimeout(() => reject(new Error('no response in 15 s')), 15_000).unref()),
    ])
  } catch (e) {
    violations.set(`${route.method} ${route.url} inject: ${(e as Error).message}`, {
      what: (e as Error).message,
      status: 0,
      body: '',
      request: `${opts.method} ${opts.url.slice(0, 200)}`,
    })
    return
  }
  const v = checkResponse(res, `${route.method} ${route.url} [${label}]`)
  if (v)
    violations.set(`${v.what} ${v.status}`, {
      ...v,
      request: `${opts.method} ${opts.url.slice(0, 200)} ct=${String((opts.headers as Record<string, string> | undefined)?.['content-type'])}`,
    })
}

function fill(route: DiscoveredRoute, params: string[], tail: string): string {
  let i = 0
  return route.url.replace(/:(\w+)/g, () => params[i++] ?? 'x').replace(/\*$/, tail)
}

afterAll(async () => {
  console.log(
    `[fuzz] seed ${SEED}: ${routes.length} routes, ${requests} requests, ${violations.size} distinct violations`,
  )
  if (process.env.FUZZ_REPORT)
    (await import('node:fs')).writeFileSync(process.env.FUZZ_REPORT, JSON.stringify([...violations.values()], null, 1))
  await app.close()
  await ctx.close()
})

describe('every discovered route survives hostile input', () => {
  it('discovers the routes (search, auth, health at least)', () => {
    const keys = routes.map((r) => `${r.method} ${r.url}`)
    expect(keys).toEqual(expect.arrayContaining(['GET /api/search', 'POST /api/auth/login', 'GET /healthz']))
  })

  it.each(routes.map((r) => [`${r.method} ${r.url}`, r] as const))(
    '%s',
    async (_name, route) => {
      const before = violations.size
      const hasBody = !['GET', 'HEAD', 'OPTIONS', 'DELETE'].includes(route.method)
      const paramArb = fc.tuple(...route.params.map((p) => pathParam(route.paramSchemas[p])), fc.constant(''))
      const tailArb = fc.oneof(
        fc.constantFrom(
          '',
          'index.html',
          'console.js',
          'x.js',
          '../package.json',
          '..%2F..%2Fpackage.json',
          '%2e%2e/%2e%2e/etc/passwd',
          'a/b/c',
        ),
        fc.constantFrom(...HOSTILE_PATH_PIECES),
      )
      const bodyArb = fc.oneof(
        {
          weight: 5,
          arbitrary: mutated(route.body).map((v) => ({
            payload: JSON.stringify(v) ?? 'null',
            ct: 'application/json' as string | undefined,
          })),
        },
        {
          weight: 2,
          arbitrary: fc
            .tuple(fc.constantFrom(...RAW_BODIES), fc.constantFrom(...CONTENT_TYPES))
            .map(([payload, ct]) => ({ payload, ct })),
        },
        { weight: 1, arbitrary: anyString.map((s) => ({ payload: s, ct: 'application/json' as string | undefined })) },
      )
      await fc.assert(
        fc.asyncProperty(
          paramArb,
          tailArb,
          fc.option(queryString(route.query), { nil: undefined }),
          authArb,
          bodyArb,
          fc.option(anyString, { nil: undefined }),
          async (params, tail, qs, authName, body, reqId) => {
            const auth = AUTHS[authName]!
            const headers: Record<string, string> = { ...auth.headers }
            if (reqId !== undefined && !/[\r\n\u0000-\u001f\u007f-\uffff]/.test(reqId)) headers['x-request-id'] = reqId
            const url = fill(route, params.slice(0, -1) as string[], tail) + (qs ? `?${qs}` : '')
            const opts: InjectOptions & { url: string } = {
              method: route.method as InjectOptions['method'] & string,
              url,
              headers,
              cookies: auth.cookies,
            }
            if (hasBody) {
              opts.payload = body.payload
              if (body.ct) headers['content-type'] = body.ct
            }
            await send(route, opts, authName)
          },
        ),
        { numRuns: RUNS, seed: SEED },
      )
      // Deterministic sweep: every hostile path piece in every parameter, every raw body with every content type.
      for (const piece of HOSTILE_PATH_PIECES) {
        const url = fill(
          route,
          route.params.map(() => piece),
          piece,
        )
        await send(route, { method: route.method as 'GET', url, headers: admin }, 'path sweep')
      }
      if (hasBody) {
        for (const payload of RAW_BODIES) {
          for (const ct of CONTENT_TYPES) {
            const url = fill(
              route,
              route.params.map(() => 'x1'),
              'x',
            )
            await send(
              route,
              {
                method: route.method as 'POST',
                url,
                payload,
                headers: { ...admin, ...(ct ? { 'content-type': ct } : {}) },
              },
              `raw ${ct}`,
            )
          }
        }
      }
      const mine = [...violations.values()].slice(before)
      expect(mine, `FUZZ_SEED=${SEED}`).toEqual([])
    },
    180_000,
  )
})
