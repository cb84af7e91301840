/**
 * Finding 4: the audit trail of staff writes stored the signed session id of chat routes as `targetId`,
 * and any staff reader of /api/editor/audit could then open that taxpayer's transcript. The audit now
 * keeps a non-reversible reference (a hash): the same session gives the same reference, the reference
 * opens nothing.
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import { staffAuth } from '../helpers/env.js'
import { targetIdOf } from '../../services/ops/audit.js'

let ctx: Container
let app: FastifyInstance

useApp(async (c, a) => {
  ctx = c
  app = a
})

describe('audit of staff writes on chat routes', () => {
  it('stores a reference that does not reveal or open the session', async () => {
    const agent = await staffAuth(ctx, 'audit-agent', 'agent', '320100', { seatGroup: '320100-remote' })
    const chat = await app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: agent,
      payload: { message: '增值税税率是多少' },
    })
    const sessionId: string = chat.json().sessionId
    const url = `/api/chat/${encodeURIComponent(sessionId)}/rating`
    const rated = await app.inject({ method: 'POST', url, headers: agent, payload: { helpful: true } })
    expect(rated.statusCode).toBe(200)

    // Request rows are shown to admins only, on request (issue 20 item 15); an admin reads them here.
    const reader = await staffAuth(ctx, 'audit-reader', 'admin', null)
    const audit = await app.inject({ url: '/api/editor/audit?kind=http&limit=1000', headers: reader })
    expect(audit.statusCode).toBe(200)
    const nonce = sessionId.split('.')[0]!
    expect(audit.body).not.toContain(nonce)
    const rows = audit.json() as { route?: string; targetId?: string | null }[]
    const row = rows.find((r) => r.route === '/api/chat/:sessionId/rating')!
    expect(row.targetId).toMatch(/^session:[0-9a-f]{16}$/)
    const opened = await app.inject({ url: `/api/chat/${encodeURIComponent(row.targetId!)}` })
    expect(opened.statusCode).toBe(404)
    // Stable: two writes on one session can still be told apart from writes on another.
    expect(targetIdOf({ sessionId })).toBe(row.targetId)
    expect(targetIdOf({ sessionId: `${sessionId}x` })).not.toBe(row.targetId)
    expect(targetIdOf({ id: 'ticket-1' })).toBe('ticket-1')
  })
})
