/**
 * Finding 1: public hot topics published a report (举报) and could be pushed by anyone. Reproduced as an
 * attacker would, over HTTP: reports, complaints and handoffs never trend, nor texts with contact data;
 * one session repeating itself does not trend; editors can block a trending question; pins are unaffected.
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import { staffAuth } from '../helpers/env.js'
import { containsContactData, trendingQuestions } from '../../services/editorial/trending-rules.js'

const REPORT = '我要举报南京市某公司老板虚开增值税专用发票，我是该公司会计，手机13987654321'
const SCAM = '加微信tax8888领取退税补贴，增值税小规模纳税人都能领'
const LEGIT = '用人单位向税务部门申报2026年度社会保险缴费工资的时间是什么'

let ctx: Container
let app: FastifyInstance

useApp(async (c, a) => {
  ctx = c
  app = a
})

async function ask(message: string, sessionId?: string): Promise<{ sessionId: string; mode: string; intent: string }> {
  const payload = { message, region: '320100', ...(sessionId ? { sessionId } : {}) }
  const res = await app.inject({ method: 'POST', url: '/api/chat', payload })
  expect(res.statusCode).toBe(200)
  return res.json()
}

async function hot(): Promise<{ trending: { question: string }[]; suggestions: string[]; pinned: { id: string }[] }> {
  ctx.editorial.hotTopics.invalidate()
  const res = await app.inject({ url: '/api/hot-topics?region=320100' })
  expect(res.statusCode).toBe(200)
  return res.json()
}

const published = (texts: { trending: { question: string }[]; suggestions: string[] }) =>
  [...texts.trending.map((t) => t.question), ...texts.suggestions].join('\n')

describe('hot topics cannot be used to publish reports or spam', () => {
  it('a report asked in six sessions never reaches trending or suggestions', async () => {
    for (let i = 0; i < 6; i++) expect((await ask(REPORT)).intent).toBe('report')
    for (let i = 0; i < 6; i++) await ask('我要投诉南京市某办税服务厅工作人员态度恶劣')
    for (let i = 0; i < 6; i++) await ask('转人工')
    const text = published(await hot())
    expect(text).not.toContain('举报')
    expect(text).not.toContain('投诉')
    expect(text).not.toContain('会计')
    expect(text).not.toContain('人工')
  })

  it('six anonymous posts of a scam with contact data do not trend', async () => {
    for (let i = 0; i < 6; i++) await ask(SCAM)
    expect(published(await hot())).not.toContain('微信')
  })

  it('one session repeating a question does not trend; several sessions do; an editor can block it', async () => {
    const first = await ask(LEGIT)
    expect(['faq', 'composed', 'llm']).toContain(first.mode)
    for (let i = 0; i < 7; i++) await ask(LEGIT, first.sessionId)
    expect((await hot()).trending.map((t) => t.question)).not.toContain(LEGIT)
    for (let i = 0; i < 3; i++) await ask(LEGIT)
    expect((await hot()).trending.map((t) => t.question)).toContain(LEGIT)

    const reviewer = await staffAuth(ctx, 'hot-reviewer', 'reviewer', '320000')
    const pinned = { id: 'faq-js-013e69429d', pinned: true }
    const pin = await app.inject({
      method: 'POST',
      url: '/api/editor/hot-topics/pins',
      headers: reviewer,
      payload: pinned,
    })
    expect(pin.statusCode).toBe(200)
    const blocks = (headers: Record<string, string>, question: string, blocked: boolean) =>
      app.inject({ method: 'POST', url: '/api/editor/hot-topics/blocks', headers, payload: { question, blocked } })
    const anon = await blocks({}, LEGIT, true)
    expect(anon.statusCode).toBe(401)
    const editor = await staffAuth(ctx, 'hot-editor', 'editor', '320100')
    const block = await blocks(editor, `  ${LEGIT}`, true)
    expect(block.statusCode).toBe(200)
    expect(block.json().blocked.map((b: { question: string }) => b.question)).toContain(LEGIT)
    const after = await hot()
    expect(after.trending.map((t) => t.question)).not.toContain(LEGIT)
    // Pins are not trending items: blocking leaves them alone.
    expect(after.pinned.map((p) => p.id)).toEqual(['faq-js-013e69429d'])
    const list = await app.inject({ url: '/api/editor/hot-topics/blocks', headers: editor })
    expect(list.json().blocked).toHaveLength(1)
    await blocks(editor, LEGIT, false)
    expect((await hot()).trending.map((t) => t.question)).toContain(LEGIT)
  })
})

describe('trending rules (pure)', () => {
  const base = { at: '2026-11-25T01:00:00Z', regionCode: '320100', intent: 'consult', mode: 'faq', confidence: 0.9 }
  const row = (id: string, question: string, extra: object = {}) => ({
    ...base,
    id,
    sessionId: `s-${id}`,
    question,
    citedIds: ['x'],
    topic: null,
    ...extra,
  })
  const many = (n: number, q: string, extra: object = {}) =>
    Array.from({ length: n }, (_v, i) => row(`${q}-${i}`, q, extra))

  it('needs distinct sessions and a minimum count; answered consultations only', () => {
    const since = '2026-11-18T00:00:00Z'
    expect(trendingQuestions(many(6, '印花税税率'), since).map((t) => t.question)).toEqual(['印花税税率'])
    expect(trendingQuestions(many(6, '印花税税率', { sessionId: 'same' }), since)).toEqual([])
    expect(trendingQuestions(many(2, '印花税税率'), since)).toEqual([])
    const untrendable = [
      { intent: 'report' },
      { intent: 'complaint' },
      { intent: 'human' },
      { mode: 'handoff' },
      { mode: 'refused' },
      { citedIds: [] },
      { confidence: 0.1 },
    ]
    for (const bad of untrendable) {
      expect(trendingQuestions(many(6, '印花税税率', bad), since), JSON.stringify(bad)).toEqual([])
    }
    const blocked = new Set(['印花税税率'])
    expect(trendingQuestions(many(6, '印花税税率'), since, { blocked })).toEqual([])
  })

  it('recognises contact data', () => {
    const contact = [
      '加微信tax8888',
      '加我VX领取',
      'QQ群123456',
      '手机139****4321',
      '联系 foo@example.com',
      '访问 http://x.cn',
      '打 025-84571234',
    ]
    for (const t of contact) expect(containsContactData(t), t).toBe(true)
    for (const t of ['个人所得税怎么申报', '12366几点上班', '2026年度社保缴费工资申报时间']) {
      expect(containsContactData(t), t).toBe(false)
    }
  })
})
