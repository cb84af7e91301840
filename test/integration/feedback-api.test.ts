/**
 * 征纳互动 over HTTP (app.inject, real embedded store): single-use ratings and 回访 follow-ups, satisfaction
 * metrics against hand-computed values, complaint → look-up with an SMS code through a real local webhook
 * gateway → agent reply → rating of the reply, surveys with show-if validation, one anonymous response per
 * session with nothing stored that links it to the session or the IP, results and a formula-safe export.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { rawStoreFiles } from '../helpers/raw-store.js'

let ctx: Container
let app: FastifyInstance
let gateway: http.Server
const sms: { to: { phone?: string } | null; text: string; kind: string }[] = []
let agent: { authorization: string }
let otherCity: { authorization: string }
let admin: { authorization: string }
let surveyor: { authorization: string }

beforeAll(async () => {
  gateway = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      sms.push(JSON.parse(body))
      res.writeHead(200).end('{}')
    })
  })
  await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r))
  const url = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`
  ctx = await containerWithCorpus(undefined, { notifier: 'webhook', notifierWebhookUrl: url }, '2026-11-25T02:00:00Z')
  app = await build(ctx.config, { container: ctx, logger: false })
  agent = await staffAuth(ctx, 'nj-agent', 'agent', '320100')
  otherCity = await staffAuth(ctx, 'sz-agent', 'agent', '320500')
  admin = await staffAuth(ctx, 'root', 'admin', null)
  surveyor = await staffAuth(ctx, 'js-surveyor', 'editor', '320000', { permissions: ['surveys:manage'] })
})
afterAll(async () => {
  await app.close()
  await ctx.close()
  gateway.close()
})

const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as Record<string, unknown>, headers })
const get = (url: string, headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, headers })

function chatToken(
  agentId: string | null,
  seatGroup: string | null,
  entryIds: string[],
  ref: string,
  channel = 'web',
): string {
  return ctx.feedback.mintToken({
    type: 'chat-answer',
    ref,
    channel,
    regionCode: '320100',
    agentId,
    seatGroup,
    hallId: null,
    entryIds,
  })
}

describe('我要评价', () => {
  it('a 不满意 rating needs a reason, opens a 回访 due next working day, and the token is single-use', async () => {
    const token = chatToken('nj-agent', '320100-remote', ['faq-1'], 'turn-a')
    const noReason = await post('/api/feedback/ratings', { eventToken: token, level: 'dissatisfied' })
    expect(noReason.statusCode).toBe(400)
    expect(noReason.json().error.code).toBe('VALIDATION_FAILED')
    const ok = await post('/api/feedback/ratings', {
      eventToken: token,
      level: 'dissatisfied',
      reason: '答复没有解决问题，电话13812345678',
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().followUp).toBe(true)
    // 2026-11-25 (Wed) 10:00 China time + 1 working day → Thursday 26th.
    expect(ok.json().followUpDueLabel).toContain('2026年11月26日')
    const again = await post('/api/feedback/ratings', { eventToken: token, level: 'very-satisfied' })
    expect(again.statusCode).toBe(409)
    expect(again.json().error.code).toBe('ALREADY_RATED')
    const list = (await get('/api/feedback/followups', agent)).json().followUps as {
      reason: string
      seatGroup: string
    }[]
    expect(list).toHaveLength(1)
    expect(list[0]!.reason).not.toContain('13812345678')
    expect((await get('/api/feedback/followups', otherCity)).json().followUps).toHaveLength(0)
    expect((await get('/api/feedback/followups')).statusCode).toBe(401)
  })

  it('concurrent uses of one token: exactly one succeeds', async () => {
    const token = chatToken('nj-agent', '320100-remote', [], 'turn-race')
    const all = await Promise.all(
      [1, 2, 3, 4].map(() => post('/api/feedback/ratings', { eventToken: token, level: 'satisfied' })),
    )
    expect(all.map((r) => r.statusCode).sort()).toEqual([200, 409, 409, 409])
  })

  it('a forged token is refused', async () => {
    const token = chatToken('nj-agent', null, [], 'turn-forged')
    const [payload, sig] = token.split('.')
    const forged = `${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'x' })).toString('base64url')}.${sig}`
    expect((await post('/api/feedback/ratings', { eventToken: forged, level: 'satisfied' })).json().error.code).toBe(
      'VALIDATION_FAILED',
    )
  })

  it('satisfaction by agent and entry matches hand-computed figures', async () => {
    // Added to the two ratings above (nj-agent: dissatisfied(2), satisfied(4)):
    const plan: [string, string, string[]][] = [
      ['very-satisfied', 'agent-b', ['faq-1', 'faq-2']],
      ['very-dissatisfied', 'agent-b', ['faq-2']],
      ['neutral', 'agent-b', ['faq-1']],
    ]
    for (const [i, [level, who, entries]] of plan.entries()) {
      const r = await post('/api/feedback/ratings', {
        eventToken: chatToken(who, '320100-remote', entries, `m-${i}`, 'app'),
        level,
        reason: '原因',
      })
      expect(r.statusCode).toBe(200)
    }
    const byAgent = (await get('/api/admin/feedback/satisfaction?by=agent', admin)).json().rows as {
      key: string
      count: number
      meanScore: number
      satisfiedRate: number
    }[]
    const b = byAgent.find((r) => r.key === 'agent-b')!
    expect(b).toMatchObject({ count: 3, meanScore: 3, satisfiedRate: 0.6667 }) // (5+1+3)/3, 2 of 3 ≥ 基本满意
    expect(byAgent.find((r) => r.key === 'nj-agent')).toMatchObject({ count: 2, meanScore: 3, satisfiedRate: 0.5 })
    const byEntry = (await get('/api/admin/feedback/satisfaction?by=entry', admin)).json().rows as {
      key: string
      count: number
      meanScore: number
    }[]
    // faq-1: dissatisfied(2), very-satisfied(5), neutral(3) → 10/3 = 3.33; faq-2: 5 and 1 → 3.
    expect(byEntry.find((r) => r.key === 'faq-1')).toMatchObject({ count: 3, meanScore: 3.33 })
    expect(byEntry.find((r) => r.key === 'faq-2')).toMatchObject({ count: 2, meanScore: 3 })
    const byChannel = (await get('/api/admin/feedback/satisfaction?by=channel', admin)).json().rows as {
      key: string
      count: number
    }[]
    expect(byChannel.find((r) => r.key === 'app')?.count).toBe(3)
    expect((await get('/api/admin/feedback/satisfaction?by=agent', agent)).statusCode).toBe(403)
  })
})

describe('我要投诉 and look-up with a verified phone', () => {
  it('files a complaint, verifies the phone by SMS, sees the reply and rates it once', async () => {
    const filed = await post('/api/feedback/complaints', {
      category: '服务态度',
      regionCode: '320100',
      concerned: '玄武区办税服务厅 3 号窗口',
      text: '窗口人员态度生硬',
      contact: { name: '投诉人甲', phone: '13955556666' },
      consent: true,
    })
    expect(filed.statusCode).toBe(200)
    const { number, dueLabel } = filed.json() as { number: string; dueLabel: string }
    expect(dueLabel).toContain('2026年11月26日')
    const noConsent = await post('/api/feedback/complaints', {
      category: '服务态度',
      regionCode: '320100',
      concerned: 'x',
      text: 'y',
      contact: { phone: '13955556666' },
    })
    expect(noConsent.statusCode).toBe(400)
    // The queue never shows the complainant.
    const queue = (await get('/api/tickets', agent)).body
    expect(queue).toContain(number)
    expect(queue).not.toContain('13955556666')
    expect(queue).not.toContain('投诉人甲')
    // At rest the complainant's phone and name exist only sealed (ticket contact) or as an HMAC (look-up key).
    for (const f of rawStoreFiles(ctx.config.dataDir)) {
      expect(f.bytes.includes(Buffer.from('13955556666'))).toBe(false)
      expect(f.bytes.includes(Buffer.from('投诉人甲'))).toBe(false)
    }

    expect((await get(`/api/feedback/tickets/${number}`)).statusCode).toBe(401)
    expect((await post('/api/feedback/phone-codes', { phone: '13955556666' })).statusCode).toBe(200)
    const code = /验证码为\s*(\d{6})/.exec(sms.at(-1)!.text)![1]!
    expect(sms.at(-1)!.to?.phone).toBe('13955556666')
    expect(
      (
        await post('/api/feedback/phone-codes/verify', {
          phone: '13955556666',
          code: code === '000000' ? '111111' : '000000',
        })
      ).statusCode,
    ).toBe(400)
    const verified = await post('/api/feedback/phone-codes/verify', { phone: '13955556666', code })
    expect(verified.statusCode).toBe(200)
    const phoneHeader = { 'x-phone-token': verified.json().phoneToken as string }
    const before = (await get(`/api/feedback/tickets/${number}`, phoneHeader)).json()
    expect(before).toMatchObject({ number, typeLabel: '投诉', answer: null, ratingToken: null })

    // Another phone's token does not open this ticket.
    await post('/api/feedback/phone-codes', { phone: '13900000000' })
    const otherCode = /验证码为\s*(\d{6})/.exec(sms.at(-1)!.text)![1]!
    const other = (await post('/api/feedback/phone-codes/verify', { phone: '13900000000', code: otherCode })).json()
      .phoneToken as string
    expect((await get(`/api/feedback/tickets/${number}`, { 'x-phone-token': other })).statusCode).toBe(404)

    const ticketId = ((await get('/api/tickets', agent)).json().tickets as { id: string; number: string }[]).find(
      (t) => t.number === number,
    )!.id
    await post(`/api/tickets/${ticketId}/claim`, {}, agent)
    expect(
      (await post(`/api/tickets/${ticketId}/reply`, { text: '已转交承办部门核实处理，感谢监督。' }, agent)).statusCode,
    ).toBe(200)
    expect(sms.at(-1)!.text).toContain('已转交承办部门')
    const after = (await get(`/api/feedback/tickets/${number}`, phoneHeader)).json()
    expect(after.answer).toContain('已转交承办部门')
    const rated = await post('/api/feedback/ratings', {
      eventToken: after.ratingToken,
      level: 'very-dissatisfied',
      reason: '没有解决',
    })
    expect(rated.statusCode).toBe(200)
    const again = (await get(`/api/feedback/tickets/${number}`, phoneHeader)).json()
    expect(
      (await post('/api/feedback/ratings', { eventToken: again.ratingToken, level: 'satisfied' })).statusCode,
    ).toBe(409)
    const fu = (await get('/api/feedback/followups', agent)).json().followUps as {
      agentId: string
      eventType: string
    }[]
    expect(fu.some((f) => f.eventType === 'ticket-reply' && f.agentId === 'nj-agent')).toBe(true)
  })
})

const SURVEY = {
  title: '2026 年纳税服务满意度调查',
  regionCode: '320100',
  mode: 'anonymous',
  opensAt: '2026-11-20T00:00:00Z',
  closesAt: '2026-12-20T00:00:00Z',
  questions: [
    { id: 'q1', type: 'single', title: '您办理的业务', required: true, options: ['申报', '发票', '社保'] },
    { id: 'q2', type: 'rating', title: '总体评分', required: true },
    { id: 'q3', type: 'long', title: '不满意的原因', required: true, showIf: { question: 'q2', max: 2 } },
    { id: 'q4', type: 'nps', title: '推荐意愿', required: false },
    { id: 'q5', type: 'multiple', title: '常用渠道', required: false, options: ['电子税务局', '12366', '服务厅'] },
  ],
}

describe('网上调查', () => {
  let surveyId = ''

  it('refuses invalid show-if graphs naming the question', async () => {
    const cases: [unknown[], RegExp][] = [
      [
        [SURVEY.questions[0], { ...SURVEY.questions[1], showIf: { question: 'q9', equals: 1 } }],
        /第 2 题「总体评分」.*不存在的题目 q9/,
      ],
      [
        [
          { ...SURVEY.questions[0], showIf: { question: 'q2', equals: 3 } },
          { ...SURVEY.questions[1], showIf: { question: 'q1', equals: '申报' } },
        ],
        /循环/,
      ],
      [
        [{ ...SURVEY.questions[1], showIf: { question: 'q1', equals: '申报' } }, SURVEY.questions[0]],
        /第 1 题「总体评分」.*只能引用前面的题目/,
      ],
      [
        [SURVEY.questions[0], { ...SURVEY.questions[1], showIf: { question: 'q1', equals: '退税' } }],
        /第 2 题「总体评分」.*须为「等于」/,
      ],
      [
        [SURVEY.questions[1], { ...SURVEY.questions[2], showIf: { question: 'q2', max: 9 } }],
        /第 2 题「不满意的原因」.*1 到 5/,
      ],
    ]
    for (const [questions, message] of cases) {
      const r = await post('/api/admin/surveys', { ...SURVEY, questions }, surveyor)
      expect(r.statusCode).toBe(400)
      expect(r.json().error.code).toBe('SURVEY_LOGIC_INVALID')
      expect(r.json().error.message).toMatch(message)
    }
  })

  it('creates within the manager region only, publishes, and lists it for the region', async () => {
    expect((await post('/api/admin/surveys', { ...SURVEY, regionCode: '330100' }, surveyor)).statusCode).toBe(403)
    expect((await post('/api/admin/surveys', SURVEY, agent)).statusCode).toBe(403)
    const created = await post('/api/admin/surveys', SURVEY, surveyor)
    expect(created.statusCode).toBe(200)
    surveyId = created.json().id
    expect((await get('/api/surveys?region=320100')).json().surveys).toHaveLength(0)
    expect((await post(`/api/admin/surveys/${surveyId}/publish`, {}, surveyor)).statusCode).toBe(200)
    expect((await get('/api/surveys?region=320100')).json().surveys.map((s: { id: string }) => s.id)).toEqual([
      surveyId,
    ])
    expect((await get('/api/surveys?region=330100')).json().surveys).toHaveLength(0)
  })

  it('one anonymous response per session, nothing linking it to the session or the IP', async () => {
    const session = await ctx.sessions.create('web', '320100')
    const s2 = await ctx.sessions.create('web', '320100')
    const ip = '203.0.113.77'
    const before = await ctx.store.snapshot()
    const answers = {
      q1: '发票',
      q2: 2,
      q3: '=HYPERLINK("http://x","点我") 排队太久 13812345678',
      q4: 9,
      q5: ['12366', '服务厅'],
    }
    const send = () =>
      app.inject({
        method: 'POST',
        url: `/api/surveys/${surveyId}/responses`,
        payload: { sessionId: session.id, answers },
        remoteAddress: ip,
      })
    const first = await send()
    expect(first.json()).toMatchObject({ accepted: true })
    expect(first.json().day).toBe('2026-11-25')
    const second = await send()
    expect(second.statusCode).toBe(409)
    expect(second.json().error.code).toBe('ALREADY_RESPONDED')
    // A hidden question may not be answered; a required visible one must be.
    const hidden = await post(`/api/surveys/${surveyId}/responses`, {
      sessionId: s2.id,
      answers: { q1: '申报', q2: 5, q3: '多余' },
    })
    expect(hidden.json().error.message).toMatch(/第 3 题.*不显示/)
    const missing = await post(`/api/surveys/${surveyId}/responses`, {
      sessionId: s2.id,
      answers: { q1: '申报', q2: 1 },
    })
    expect(missing.json().error.message).toMatch(/第 3 题.*必答/)
    expect(
      (await post(`/api/surveys/${surveyId}/responses`, { sessionId: s2.id, answers: { q1: '申报', q2: 5, q4: 3 } }))
        .statusCode,
    ).toBe(200)

    const after = await ctx.store.snapshot()
    const changed: string[] = []
    for (const [name, docs] of Object.entries(after)) {
      const old = new Map(
        ((before as Record<string, { id: string }[]>)[name] ?? []).map((d) => [d.id, JSON.stringify(d)]),
      )
      for (const d of docs) if (old.get(d.id) !== JSON.stringify(d)) changed.push(`${name}:${JSON.stringify(d)}`)
    }
    expect(changed.some((c) => c.startsWith('survey_responses:'))).toBe(true)
    for (const c of changed) {
      expect(c).not.toContain(session.id)
      expect(c).not.toContain(ip)
      expect(c).not.toMatch(/T\d\d:\d\d/) // no time of day on anything the response wrote
    }
    for (const f of rawStoreFiles(ctx.config.dataDir)) expect(f.bytes.includes(Buffer.from(ip))).toBe(false)
  })

  it('results: counts, distribution, NPS and masked text; export keeps formulas as text', async () => {
    const r = (await get(`/api/admin/surveys/${surveyId}/results`, surveyor)).json()
    expect(r.total).toBe(2)
    type Res = {
      id: string
      counts: { label: string; count: number }[]
      mean: number
      nps: unknown
      texts: { items: string[] }
    }
    const q = Object.fromEntries((r.questions as Res[]).map((x) => [x.id, x])) as Record<'q1' | 'q2' | 'q3' | 'q4', Res>
    expect(q.q1.counts).toEqual([
      { label: '申报', count: 1 },
      { label: '发票', count: 1 },
      { label: '社保', count: 0 },
    ])
    expect(q.q2.counts.map((c: { count: number }) => c.count)).toEqual([0, 1, 0, 0, 1])
    expect(q.q2.mean).toBe(3.5)
    // 9 is a promoter, 3 a detractor: (1 − 1) / 2 = 0.
    expect(q.q4.nps).toEqual({ promoters: 1, passives: 0, detractors: 1, score: 0 })
    expect(q.q3.texts.items[0]).not.toContain('13812345678')
    expect((await get(`/api/admin/surveys/${surveyId}/results`, otherCity)).statusCode).toBe(403)

    const csv = (await get(`/api/admin/surveys/${surveyId}/export?format=csv`, surveyor)).body
    expect(csv).toContain(`"'=HYPERLINK`)
    const xlsx = await get(`/api/admin/surveys/${surveyId}/export?format=xlsx`, surveyor)
    expect(xlsx.statusCode).toBe(200)
    const ExcelJS = (await import('exceljs')).default
    const book = new ExcelJS.Workbook()
    await book.xlsx.load(xlsx.rawPayload as unknown as ArrayBuffer)
    const sheet = book.worksheets[0]!
    let textCell: import('exceljs').Cell | null = null
    sheet.eachRow((row) =>
      row.eachCell((c) => {
        expect(c.type).not.toBe(ExcelJS.ValueType.Formula)
        if (String(c.value).includes('HYPERLINK')) textCell = c
      }),
    )
    expect(textCell).not.toBeNull()
    expect(textCell!.type).toBe(ExcelJS.ValueType.String)
  })
})

describe('rating a chat answer', () => {
  it('links the rating to the cited entries; one rating per answer whichever token is used', async () => {
    const asked = await ctx.answer.ask({ message: '小规模纳税人增值税怎么申报', region: '320100', channel: 'web' })
    const session = await ctx.sessions.get(asked.sessionId)
    const turn = session.turns.filter((t) => t.role === 'assistant').at(-1)!
    const cited = (turn.citations ?? []).map((c) => c.id)
    const t1 = (await post('/api/feedback/events/chat', { sessionId: asked.sessionId })).json().eventToken as string
    const t2 = (await post('/api/feedback/events/chat', { sessionId: asked.sessionId, turnId: turn.id })).json()
      .eventToken as string
    expect(
      (await post('/api/feedback/events/chat', { sessionId: `${asked.sessionId.slice(0, -2)}xx` })).statusCode,
    ).toBe(404)
    expect((await post('/api/feedback/ratings', { eventToken: t1, level: 'satisfied' })).statusCode).toBe(200)
    expect((await post('/api/feedback/ratings', { eventToken: t2, level: 'satisfied' })).statusCode).toBe(409)
    const stored = (
      await ctx.store.collection<{ id: string; kind: string; eventType: string; entryIds: string[] }>('feedback').list()
    ).filter((d) => d.kind === 'rating' && d.eventType === 'chat-answer' && d.entryIds.length === cited.length)
    expect(stored.some((d) => JSON.stringify(d.entryIds) === JSON.stringify(cited))).toBe(true)
  })
})

describe('rating a hall visit (网上预约办税 check-in)', () => {
  it('hall staff get a token after check-in; the rating is linked to the hall and the staff member', async () => {
    const hallId = 'nj-xuanwu'
    const today = '2026-11-25'
    const { slots } = await ctx.booking.appointments.slots(hallId, today)
    const slot = slots.find((s) => s.bookable)!
    const businessType = [...ctx.booking.halls.businessTypes()][0]!.code
    const a = await ctx.booking.appointments.book({
      hallId,
      slotStart: slot.slotStart,
      businessTypes: [businessType],
      taxpayerId: '91320100MA1XXXXX0A',
      taxpayerName: '南京某公司',
      phone: '13911112222',
    })
    expect((await post('/api/feedback/events/hall-visit', { hallId, appointmentId: a.id }, admin)).statusCode).toBe(409)
    expect((await post('/api/feedback/events/hall-visit', { hallId, appointmentId: a.id }, agent)).statusCode).toBe(403)
    await ctx.booking.appointments.checkIn(hallId, a.id, { id: 'xw-staff', name: '玄武厅小李' })
    const r = await post('/api/feedback/events/hall-visit', { hallId, appointmentId: a.id }, admin)
    expect(r.statusCode).toBe(200)
    expect(r.json().url).toContain('/feedback/?t=')
    expect(
      (await post('/api/feedback/ratings', { eventToken: r.json().eventToken, level: 'satisfied' })).statusCode,
    ).toBe(200)
    const byHall = (await get('/api/admin/feedback/satisfaction?by=hall', admin)).json().rows as {
      key: string
      count: number
    }[]
    expect(byHall).toEqual([{ key: hallId, count: 1, meanScore: 4, satisfiedRate: 1, levels: expect.any(Object) }])
    const byAgent = (await get('/api/admin/feedback/satisfaction?by=agent', admin)).json().rows as { key: string }[]
    expect(byAgent.some((x) => x.key === 'xw-staff')).toBe(true)
  })
})
