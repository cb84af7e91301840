/**
 * Reports and complaints in the words people type (no 举报, no 投诉: 「想让税务局查查…」「实名反映…」「态度差得很」
 * 「办事太慢」) take the same confidential path as 「我要举报…」: a sealed ticket, and the reporter's words, name and
 * phone never reach hot topics, editor worklists, the ledger and ticket exports, or the logs (pino output of the
 * real app, captured). A consult later in the same session is withheld too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'

const NAME = '钱晓燕'
const PHONE = '13765432109'
const CASES = [
  { intent: 'report', text: '想让税务局查查我们老板 发工资从来不扣个税', secret: '发工资从来不扣个税' },
  { intent: 'report', text: '实名反映某商贸公司虚开增值税发票', secret: '某商贸公司' },
  { intent: 'report', text: '隔壁超市收钱从不给票 你们来查一下', secret: '隔壁超市' },
  { intent: 'report', text: '我知道有个人专门卖发票 加他微信就能买', secret: '专门卖发票' },
  { intent: 'complaint', text: '那个窗口的工作人员态度差得很', secret: '态度差得很' },
  { intent: 'complaint', text: '退税等了两个多月还没到 你们办事太慢了', secret: '办事太慢' },
] as const
const FOLLOW_UP = '小规模纳税人增值税征收率是多少'

let ctx: Container
let app: FastifyInstance
const logLines: string[] = []
let admin: Record<string, string>
let editor: Record<string, string>

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, { logLevel: 'debug' })
  app = await build(ctx.config, { container: ctx, logStream: { write: (l: string) => void logLines.push(l) } })
  admin = await staffAuth(ctx, 'cp-admin', 'admin', null)
  editor = await staffAuth(ctx, 'cp-editor', 'editor', null)
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

async function chat(message: string, sessionId?: string) {
  const payload = { message, region: '320100', ...(sessionId ? { sessionId } : {}) }
  const res = await app.inject({ method: 'POST', url: '/api/chat', payload })
  expect(res.statusCode).toBe(200)
  return res.json() as { sessionId: string; intent: string; mode: string; ticketId?: string }
}

describe('reports and complaints without 举报 / 投诉 stay confidential', () => {
  it('are sealed tickets whose words, name and phone appear in no list, export or log', async () => {
    for (const c of CASES) {
      // Asked in six sessions: enough to trend if it were treated as a consultation.
      for (let i = 0; i < 6; i++) {
        const first = await chat(`${c.text} 我叫${NAME} 电话${PHONE}`)
        expect(first.intent, c.text).toBe(c.intent)
        expect(first.mode).toBe('handoff')
        expect(first.ticketId).toBeTruthy()
        if (i === 0) await chat(FOLLOW_UP, first.sessionId)
      }
    }
    ctx.editorial.hotTopics.invalidate()
    const bodies: [string, string][] = []
    for (const url of ['/api/hot-topics?region=320100', '/api/hot-topics'])
      bodies.push([url, (await app.inject({ url })).body])
    bodies.push(['worklists', (await app.inject({ url: '/api/editor/worklists', headers: editor })).body])
    for (const url of ['/api/admin/ledger', '/api/admin/ledger?format=csv', '/api/admin/tickets?format=csv']) {
      const res = await app.inject({ url, headers: admin })
      expect(res.statusCode, url).toBe(200)
      expect(res.body, url).toContain('（保密）')
      bodies.push([url, res.body])
    }
    bodies.push(['logs', logLines.join('\n')])
    for (const [where, body] of bodies) {
      for (const c of CASES) expect(body.includes(c.secret), `${where} contains ${c.secret}`).toBe(false)
      expect(body.includes(NAME), `${where} contains the name`).toBe(false)
      expect(body.includes(PHONE), `${where} contains the phone`).toBe(false)
    }
    // The consult asked after a report in the same session is withheld from the ledger export too.
    const ledger = (await app.inject({ url: '/api/admin/ledger', headers: admin })).json() as {
      rows: { question: string }[]
    }
    expect(ledger.rows.some((r) => r.question === FOLLOW_UP)).toBe(false)
    // 36 reports and complaints plus the 6 consults that followed them, all withheld.
    expect(ledger.rows.filter((r) => r.question === '（保密）').length).toBe(CASES.length * 7)
  }, 60_000)
})

describe('a report or complaint goes to the seat group of the place it is about', () => {
  it.each([
    ['我是上海人 投诉南京某办税服务厅态度差', '320100'],
    ['从杭州搬过来的 揭发一下苏州某公司虚开发票', '320500'],
  ])('%s → %s', async (text, region) => {
    const r = await chat(text)
    expect(r.ticketId).toBeTruthy()
    expect((await ctx.tickets.get(r.ticketId ?? '')).regionCode).toBe(region)
  })
})
