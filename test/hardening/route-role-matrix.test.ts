/**
 * The route × role matrix: every route the built app has (discovered from the router, so a route added
 * tomorrow is covered tomorrow) × every kind of caller, against the table in support/route-access.ts.
 * A discovered route without a row fails this test; so does a row for a route that no longer exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import type { Entry } from '../../knowledge/entry.js'
import { permissionsOf, type Role } from '../../services/auth/roles.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { checkResponse } from './support/check.js'
import { CALLERS, MATRIX_SURVEY, ROUTE_ACCESS, type CallerName, type SampleRequest } from './support/route-access.js'
import { discoverRoutes, type DiscoveredRoute } from './support/routes.js'

interface StaffCaller {
  username: string
  role: Role
  regionCode: string | null
  seatGroup?: string
  permissions?: string[]
}

const STAFF_CALLERS: Partial<Record<CallerName, StaffCaller>> = {
  agentCity: { username: 'matrix-agent-nj', role: 'agent', regionCode: '320100', seatGroup: '320100-remote' },
  agentProvince: { username: 'matrix-agent-js', role: 'agent', regionCode: '320000', seatGroup: '320000-center' },
  editor: { username: 'matrix-editor-nj', role: 'editor', regionCode: '320100' },
  reviewer: { username: 'matrix-reviewer-js', role: 'reviewer', regionCode: '320000' },
  admin: { username: 'matrix-admin', role: 'admin', regionCode: null },
  confidential: {
    username: 'matrix-officer-nj',
    role: 'agent',
    regionCode: '320100',
    seatGroup: '320100-remote',
    permissions: ['confidential:read'],
  },
  hallAdmin: { username: 'matrix-hall-xuanwu', role: 'hall-admin', regionCode: '320100' },
  hallAdminOther: { username: 'matrix-hall-other', role: 'hall-admin', regionCode: '320100' },
}

let ctx: Container
let app: FastifyInstance
let baseUrl: string
let routes: DiscoveredRoute[]
let published: string
let serial = 0

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, '2026-11-25T02:00:00Z')
  app = await build(ctx.config, { container: ctx, logger: false })
  routes = await discoverRoutes(app)
  baseUrl = await app.listen({ port: 0, host: '127.0.0.1' })
  await ctx.users.add({ username: 'matrix-login', role: 'agent', regionCode: '320100', password: 'password-123' })
  await ctx.users.add({ username: 'matrix-author', role: 'editor', regionCode: '320100', password: 'password-123' })
  // Hall administrators: one listed for 玄武, one for another hall (who must not reach 玄武's routes).
  const other = (await ctx.booking.halls.list()).find((h) => h.id !== 'nj-xuanwu')!
  await ctx.booking.halls.setAdmins('nj-xuanwu', ['matrix-hall-xuanwu'])
  await ctx.booking.halls.setAdmins(other.id, ['matrix-hall-other'])
  const entries = await ctx.store.collection<Entry>('entries').list()
  published = entries.find((e) => e.status === 'published')!.id
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

function actorOf(c: StaffCaller) {
  const permissions = permissionsOf(c.role, c.permissions ?? [])
  const seatGroup = c.seatGroup ?? null
  return { id: c.username, name: c.username, role: c.role, regionCode: c.regionCode, seatGroup, permissions }
}

async function headersOf(caller: CallerName): Promise<Record<string, string>> {
  const c = STAFF_CALLERS[caller]
  if (!c) return {}
  const extra = {
    ...(c.seatGroup ? { seatGroup: c.seatGroup } : {}),
    ...(c.permissions ? { permissions: c.permissions } : {}),
  }
  return staffAuth(ctx, c.username, c.role, c.regionCode, extra)
}

/** Resolves the placeholders of a sample request with fixtures made for this caller. */
async function resolve(value: string, caller: CallerName): Promise<string> {
  const staff = STAFF_CALLERS[caller]
  switch (value) {
    case '$published':
      return published
    case '$session': {
      const res = await ctx.answer.ask({ message: '小规模纳税人增值税怎么申报', region: '320100', channel: 'web' })
      // Only the taxpayer holds the id; everyone else tries a forged one.
      return caller === 'taxpayer' ? res.sessionId : `${res.sessionId.slice(0, -2)}xx`
    }
    case '$ticket': {
      const question = '南京新办企业如何领用发票'
      const t = await ctx.tickets.createTicket({ type: 'consult', question, regionCode: '320100', contact: null })
      const worker = staff ? actorOf(staff) : null
      if (worker?.permissions.has('tickets:work')) await ctx.tickets.claim(worker, t.id).catch(() => undefined)
      return t.id
    }
    case '$entry': {
      const id = `matrix-${++serial}`
      const author = actorOf({ username: 'matrix-author', role: 'editor', regionCode: '320100' })
      await ctx.editorial.create(author, {
        id,
        kind: 'faq',
        title: `南京矩阵测试问答${serial}`,
        question: `南京矩阵测试问题${serial}`,
        body: '南京矩阵测试答复。',
        source: { title: '南京市税务局' },
        layer: 'city',
        regionCode: '320100',
        effectiveFrom: null,
        effectiveTo: null,
        tags: [],
        citedArticleIds: [],
      })
      await ctx.editorial.submit(author, id)
      return id
    }
    case '$followup': {
      const event = { type: 'chat-answer' as const, ref: `matrix-${++serial}`, channel: 'web', regionCode: '320100' }
      const token = ctx.feedback.mintToken({
        ...event,
        agentId: null,
        seatGroup: '320100-remote',
        hallId: null,
        entryIds: [],
      })
      return (await ctx.feedback.rate(token, 'dissatisfied', '矩阵测试')).followUp!.id
    }
    case '$checkedIn': {
      // A booked and checked-in appointment of 玄武 today (a slot at least 3 hours ahead), one per call.
      const hallId = 'nj-xuanwu'
      const { slots } = await ctx.booking.appointments.slots(hallId, '2026-11-25')
      const free = slots.filter((s) => s.bookable)
      const slot = free[serial % free.length]!
      const businessTypes = [[...ctx.booking.halls.businessTypes()][0]!.code]
      const phone = `139${String(10_000_000 + ++serial)}`
      const a = await ctx.booking.appointments.book({
        hallId,
        slotStart: slot.slotStart,
        businessTypes,
        taxpayerId: `91320100MA1XXXX${String(serial).padStart(2, '0')}A`.slice(0, 18),
        taxpayerName: `矩阵${serial}`,
        phone,
      })
      await ctx.booking.appointments.checkIn(hallId, a.id, { id: 'matrix-hall', name: '矩阵' })
      return a.id
    }
    case '$survey': {
      const manager = { id: 'matrix-surveyor', regionCode: null }
      const s = await ctx.surveys.create(manager, { ...MATRIX_SURVEY, questions: [...MATRIX_SURVEY.questions] })
      await ctx.surveys.publish(manager, s.id)
      return s.id
    }
    case '$lexiconProposal': {
      const proposer = actorOf({ username: 'matrix-lexicon-nat', role: 'editor', regionCode: null })
      const text = ctx.editorial.lexiconFiles().find((f) => f.name === 'stopwords.txt')!.text
      return (await ctx.editorial.lexiconReview.propose(proposer, 'stopwords.txt', text)).id
    }
    case '$stopwords':
      return ctx.editorial.lexiconFiles().find((f) => f.name === 'stopwords.txt')!.text
    default:
      return value
  }
}

async function resolveDeep(v: unknown, caller: CallerName): Promise<unknown> {
  if (typeof v === 'string') return v.startsWith('$') ? resolve(v, caller) : v
  if (Array.isArray(v)) return Promise.all(v.map((x) => resolveDeep(x, caller)))
  if (v && typeof v === 'object') {
    const out: Record<string, unknown> = {}
    for (const [k, x] of Object.entries(v)) out[k] = await resolveDeep(x, caller)
    return out
  }
  return v
}

async function call(
  route: DiscoveredRoute,
  sample: SampleRequest,
  caller: CallerName,
): Promise<{ status: number; violation: string | null }> {
  const params = (await resolveDeep(sample.params ?? {}, caller)) as Record<string, string>
  let url = route.url.replace(/:(\w+)/g, (_m, name: string) => encodeURIComponent(params[name] ?? 'x'))
  if (url.endsWith('*')) url = url.slice(0, -1) + (params['*'] ?? '')
  const query = (await resolveDeep(sample.query ?? {}, caller)) as Record<string, string>
  const qs = new URLSearchParams(query).toString()
  if (qs) url += `?${qs}`
  const headers = { ...(await headersOf(caller)), ...(sample.headers ?? {}) }
  const body = sample.body === undefined ? undefined : await resolveDeep(sample.body, caller)
  if (sample.stream) {
    // An allowed SSE stream never ends: read the status line, then hang up.
    const abort = new AbortController()
    const init = { method: route.method, headers: { ...headers, accept: 'text/event-stream' }, signal: abort.signal }
    const res = await fetch(baseUrl + url, init)
    abort.abort()
    return { status: res.status, violation: null }
  }
  const needsBody = body !== undefined || ['POST', 'PUT', 'PATCH'].includes(route.method)
  const payload = needsBody ? { payload: (body ?? {}) as object } : {}
  const res = await app.inject({ method: route.method as 'GET', url, headers, ...payload })
  const v = checkResponse(res, `${route.method} ${route.url} as ${caller}`)
  return { status: res.statusCode, violation: v ? `${v.what} ${v.body}` : null }
}

const DENIED = new Set([401, 403, 404])

describe('route × role matrix', () => {
  it('every discovered route has a row in support/route-access.ts, and every row is a route', () => {
    const discovered = routes.map((r) => `${r.method} ${r.url}`)
    const missing = discovered.filter((k) => !(k in ROUTE_ACCESS))
    const stale = Object.keys(ROUTE_ACCESS).filter((k) => !discovered.includes(k))
    const table = 'test/hardening/support/route-access.ts'
    const addThem = `add these routes to ${table} (a new route joins the matrix the day it is added)`
    expect(missing, `${addThem}: ${missing.join(', ')}`).toEqual([])
    expect(stale, `these rows of ${table} name routes the app no longer has: ${stale.join(', ')}`).toEqual([])
  })

  it('each caller is allowed or denied exactly as the table says', { timeout: 120_000 }, async () => {
    const wrong: string[] = []
    for (const route of routes) {
      const row = ROUTE_ACCESS[`${route.method} ${route.url}`]
      if (!row) continue
      for (const caller of CALLERS) {
        const { status, violation } = await call(route, row.request ?? {}, caller)
        if (violation) wrong.push(violation)
        const allowedWanted = row.allow.includes(caller)
        const want = allowedWanted ? 'allowed' : 'denied'
        const what = `${route.method} ${route.url} as ${caller}`
        if (allowedWanted === DENIED.has(status)) wrong.push(`${what}: ${status}, want ${want}`)
      }
    }
    expect(wrong).toEqual([])
  })
})

describe('hall administrators see their own halls only', () => {
  it('staff/halls and booking metrics of another hall administrator never show 玄武', async () => {
    const headers = await headersOf('hallAdminOther')
    const halls = await app.inject({ url: '/api/booking/staff/halls', headers })
    const ids = (halls.json().halls as { id: string }[]).map((h) => h.id)
    expect(ids.length).toBe(1)
    expect(ids).not.toContain('nj-xuanwu')
    const metrics = await app.inject({ url: '/api/booking/metrics?from=2026-11-20&to=2026-11-30', headers })
    expect(metrics.statusCode).toBe(200)
    expect(JSON.stringify(metrics.json().halls)).not.toContain('nj-xuanwu')
    const own = await app.inject({ url: '/api/booking/staff/halls', headers: await headersOf('hallAdmin') })
    expect((own.json().halls as { id: string }[]).map((h) => h.id)).toEqual(['nj-xuanwu'])
  })
})
