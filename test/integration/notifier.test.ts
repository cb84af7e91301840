/**
 * Notifier port: the webhook implementation against a real node:http server on 127.0.0.1, wired
 * through config (TAXKB_NOTIFIER=webhook) so an agent's reply and an extension notice reach it; the log
 * implementation never writes the contact.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../services/container.js'
import { LogNotifier } from '../../services/notify/log-notifier.js'
import { WebhookNotifier } from '../../services/notify/webhook-notifier.js'
import { WebhookEndpoint } from '../../services/notify/webhook-post.js'
import { createNotifier, createSmsSender } from '../../services/notify/create-notifier.js'
import type { Viewer } from '../../services/tickets/routing.js'
import { containerWithCorpus, testConfig } from '../helpers/env.js'

interface Received {
  method: string
  contentType: string | undefined
  body: Record<string, unknown>
}

let server: http.Server
let url = ''
const received: Received[] = []
let failNext = false

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      received.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>,
      })
      res.statusCode = failNext ? 502 : 200
      failNext = false
      res.end('{}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`
})
afterAll(async () => new Promise<void>((resolve) => server.close(() => resolve())))

describe('WebhookNotifier', () => {
  it('is chosen from config and POSTs JSON; a failing gateway is a result, not an exception', async () => {
    expect(createNotifier(testConfig({ notifier: 'webhook', notifierWebhookUrl: url })).kind).toBe('webhook')
    expect(createNotifier(testConfig()).kind).toBe('log')
    expect(() => createNotifier(testConfig({ notifier: 'webhook' }))).toThrow(/TAXKB_NOTIFIER_WEBHOOK_URL/)
    expect(() => createSmsSender(testConfig({ notifier: 'webhook' }))).toThrow(/TAXKB_NOTIFIER_WEBHOOK_URL/)
    expect(() => new WebhookEndpoint('ftp://gateway')).toThrow(/http\(s\) URL/)
    expect(createSmsSender(testConfig({ notifier: 'webhook', notifierWebhookUrl: url })).kind).toBe('webhook')
    const n = new WebhookNotifier(new WebhookEndpoint(url))
    failNext = true
    const r = await n.notify({
      kind: 'reply',
      ticketId: 't',
      ticketNumber: '12366-1',
      sessionId: null,
      to: null,
      text: 'x',
      at: '2026-11-25T02:00:00Z',
    })
    expect(r).toEqual({ ok: false, channel: 'webhook', detail: 'HTTP 502' })
    const unreachable = new WebhookNotifier(new WebhookEndpoint('http://127.0.0.1:1/none', 500))
    const down = await unreachable.notify({
      kind: 'reply',
      ticketId: 't',
      ticketNumber: '1',
      sessionId: null,
      to: null,
      text: 'x',
      at: '',
    })
    expect(down.ok).toBe(false)
  })

  describe('wired into the ticket workflow', () => {
    let ctx: Container
    beforeAll(async () => {
      ctx = await containerWithCorpus(
        undefined,
        { notifier: 'webhook', notifierWebhookUrl: url },
        '2026-11-25T02:00:00Z',
      )
    })
    afterAll(async () => ctx.close())

    it('sends the agent reply and the extension notice with the decrypted contact, and records the outcome', async () => {
      received.length = 0
      const agent: Viewer & { name: string } = {
        id: 'nj1',
        name: '南京坐席',
        regionCode: '320100',
        seatGroup: '320100-remote',
        permissions: new Set(['tickets:work']),
      }
      const t = await ctx.tickets.createTicket({
        type: 'callback',
        regionCode: '320100',
        question: '请回电说明社保缴费',
        contact: { name: '张先生', phone: '13812345678' },
      })
      await ctx.tickets.claim(agent, t.id)
      await ctx.tickets.extend(agent, t.id, { days: 1, reason: '需要社保部门协助' })
      const v = await ctx.tickets.reply(agent, t.id, '您好，社保费可通过电子税务局缴纳。')
      expect(received).toHaveLength(2)
      expect(received[0]).toMatchObject({
        method: 'POST',
        contentType: 'application/json; charset=utf-8',
        body: { kind: 'extension', ticketNumber: t.number, to: { name: '张先生', phone: '13812345678' } },
      })
      expect(String(received[0]!.body.text)).toContain('需要社保部门协助')
      expect(received[1]!.body).toMatchObject({
        kind: 'reply',
        ticketId: t.id,
        text: '您好，社保费可通过电子税务局缴纳。',
      })
      expect(v.notices.map((n) => [n.kind, n.notified, n.chat])).toEqual([
        ['extension', true, false],
        ['reply', true, false],
      ])
      failNext = true
      await ctx.tickets.reopen(agent, t.id, '纳税人追问')
      const again = await ctx.tickets.reply(agent, t.id, '补充答复')
      expect(again.notices.at(-1)).toMatchObject({ kind: 'reply', notified: false })
      expect(again.events.at(-1)?.note).toContain('发送失败 HTTP 502')
    })
  })
})

describe('LogNotifier', () => {
  it('logs the notification without the contact or unmasked numbers', async () => {
    const lines: unknown[] = []
    const n = new LogNotifier({ info: ((obj: unknown) => void lines.push(obj)) as never })
    await n.notify({
      kind: 'reply',
      ticketId: 't',
      ticketNumber: '12366-20261125-0001',
      sessionId: 's',
      to: { name: '举报人', phone: '13900001111' },
      text: '请拨打13900001111联系',
      at: '',
    })
    const text = JSON.stringify(lines)
    expect(text).toContain('12366-20261125-0001')
    expect(text).not.toContain('13900001111')
    expect(text).not.toContain('举报人')
  })
})
