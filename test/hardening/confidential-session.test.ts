/**
 * Finding 2: 转人工 after a report made a non-confidential consult ticket, so an agent without
 * confidential:read read the reporter's name, phone and report, and the ledger and ticket exports showed
 * it. Confidentiality is now a property of the session: once it holds a report or complaint turn, every
 * ticket from it is confidential, unprivileged transcripts redact those turns, exports show 「（保密）」.
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import { staffAuth } from '../helpers/env.js'

const PHONE = '13987654321'
const NAME = '周晓梅'
const REPORT = `我要举报南京市某公司老板虚开增值税专用发票，我是该公司会计${NAME}，手机${PHONE}`
/** Pieces of the report that must not reach an unprivileged reader. */
const SECRETS = ['举报', '会计', '虚开', NAME, PHONE, '4321']
/** Exports may say a ticket is of type 举报; never what it says or who said it. */
const EXPORT_SECRETS = SECRETS.filter((s) => s !== '举报')

let ctx: Container
let app: FastifyInstance
let agent: Record<string, string>
let officer: Record<string, string>
let admin: Record<string, string>

useApp(async (c, a) => {
  ctx = c
  app = a
  agent = await staffAuth(ctx, 'conf-agent', 'agent', '320100', { seatGroup: '320100-remote' })
  const permissions = ['confidential:read']
  officer = await staffAuth(ctx, 'conf-officer', 'agent', '320100', { seatGroup: '320100-remote', permissions })
  admin = await staffAuth(ctx, 'conf-admin', 'admin', null)
})

async function chat(message: string, sessionId?: string): Promise<{ sessionId: string; ticketId?: string }> {
  const payload = { message, region: '320100', ...(sessionId ? { sessionId } : {}) }
  const res = await app.inject({ method: 'POST', url: '/api/chat', payload })
  expect(res.statusCode).toBe(200)
  return res.json()
}

async function handoff(sessionId: string): Promise<string> {
  const payload = { consent: true, contact: { name: NAME, phone: PHONE } }
  const res = await app.inject({ method: 'POST', url: `/api/chat/${encodeURIComponent(sessionId)}/handoff`, payload })
  expect(res.statusCode).toBe(200)
  return res.json().ticketId
}

function expectNoSecrets(body: string, where: string, secrets = SECRETS): void {
  for (const s of secrets) expect(body.includes(s), `${where} contains ${s}`).toBe(false)
}

describe('a report makes the whole session confidential', () => {
  it('转人工 after a report: the consult ticket is confidential and redacted for agents without the permission', async () => {
    const s = await chat(REPORT)
    const consult = await handoff(s.sessionId)

    const seen = await app.inject({ url: `/api/tickets/${consult}`, headers: agent })
    expect(seen.statusCode).toBe(200)
    const view = seen.json()
    expect(view).toMatchObject({ type: 'consult', confidential: true, contactVisible: false })
    expect(view.contact).toBeUndefined()
    expectNoSecrets(seen.body, 'ticket view for an agent')
    expect(view.transcript.some((l: { text: string }) => l.text === '（保密）')).toBe(true)
    const queue = await app.inject({ url: '/api/tickets', headers: agent })
    expectNoSecrets(queue.body, 'ticket queue')

    const opened = (await app.inject({ url: `/api/tickets/${consult}`, headers: officer })).json()
    expect(opened.contact).toEqual({ name: NAME, phone: PHONE })
    expect(JSON.stringify(opened.transcript)).toContain('虚开增值税专用发票')

    for (const url of [
      '/api/admin/ledger',
      '/api/admin/ledger?format=csv',
      '/api/admin/tickets',
      '/api/admin/tickets?format=csv',
    ]) {
      const res = await app.inject({ url, headers: admin })
      expect(res.statusCode, url).toBe(200)
      expectNoSecrets(res.body, url, EXPORT_SECRETS)
      expect(res.body, url).toContain('（保密）')
    }
  })

  it('a report after an earlier handoff makes the earlier ticket of the session confidential too', async () => {
    const s = await chat('南京小规模纳税人增值税怎么申报')
    const earlier = await handoff(s.sessionId)
    expect((await app.inject({ url: `/api/tickets/${earlier}`, headers: agent })).json().confidential).toBe(false)
    await chat(REPORT, s.sessionId)
    const later = await app.inject({ url: `/api/tickets/${earlier}`, headers: agent })
    expect(later.json()).toMatchObject({ confidential: true, contactVisible: false })
    expect(later.json().contact).toBeUndefined()
  })

  it('a complaint does the same', async () => {
    const s = await chat(`我要投诉南京市某办税服务厅，我叫${NAME}，电话${PHONE}`)
    const consult = await handoff(s.sessionId)
    const res = await app.inject({ url: `/api/tickets/${consult}`, headers: agent })
    expect(res.json().confidential).toBe(true)
    for (const secret of [NAME, PHONE, '4321', '投诉']) expect(res.body.includes(secret), secret).toBe(false)
  })
})
