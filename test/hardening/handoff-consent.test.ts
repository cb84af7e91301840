/**
 * Finding 11: typing 转人工 as the first message opened a ticket (passing the conversation to staff)
 * without the consent step the 转人工 button requires. Every path now asks first: the typed request gets
 * an offer, and only POST /api/chat/:id/handoff with consent creates the ticket.
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
})

const ticketCount = () => ctx.store.collection('tickets').count()

describe('consent before a human sees the conversation', () => {
  for (const message of ['转人工', '我要找人工客服', '请工作人员回电话给我 13987654321']) {
    it(`typing 「${message}」 opens no ticket, offers the consent step, and the consented handoff does`, async () => {
      const before = await ticketCount()
      const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { message } })
      expect(res.statusCode).toBe(200)
      const body = res.json()
      expect(body).toMatchObject({ intent: 'human', handoffOffered: true })
      expect(body.ticketId).toBeUndefined()
      expect(body.answer).toContain('同意')
      expect(await ticketCount()).toBe(before)

      const url = `/api/chat/${encodeURIComponent(body.sessionId)}/handoff`
      expect((await app.inject({ method: 'POST', url, payload: { consent: false } })).statusCode).toBe(400)
      expect(await ticketCount()).toBe(before)
      const ok = await app.inject({ method: 'POST', url, payload: { consent: true } })
      expect(ok.statusCode).toBe(200)
      expect(ok.json().ticketId).toBeTruthy()
      expect(await ticketCount()).toBe(before + 1)
    })
  }
})
