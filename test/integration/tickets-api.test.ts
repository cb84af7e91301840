/**
 * Ticket and admin routes over HTTP (app.inject): routing and visibility by seat group, transitions,
 * confidentiality of report / complaint contact on every route and export (JSON and CSV), promote to a
 * draft entry, calendar admin.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import fs from 'node:fs'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { rawStoreFiles, storedDocsText } from '../helpers/raw-store.js'

const SECRET_PHONE = '13900001111'
const SECRET_NAME = '举报人王五'

let ctx: Container
let app: FastifyInstance
let nj: { authorization: string } // 南京 remote seat
let nj2: { authorization: string }
let sz: { authorization: string } // 苏州 remote seat
let center: { authorization: string } // 江苏 provincial centre
let zj: { authorization: string } // 浙江 centre
let officer: { authorization: string } // report-handling officer with confidential:read
let admin: { authorization: string }
let consultId = ''
let reportId = ''
let complaintId = ''

function allResponsesText(texts: string[]): string {
  return texts.join('\n')
}

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, '2026-11-25T02:00:00Z')
  app = await build(ctx.config, { container: ctx, logger: false })
  nj = await staffAuth(ctx, 'nj1', 'agent', '320100')
  nj2 = await staffAuth(ctx, 'nj2', 'agent', '320100')
  sz = await staffAuth(ctx, 'sz1', 'agent', '320500')
  center = await staffAuth(ctx, 'js-center', 'agent', '320000')
  zj = await staffAuth(ctx, 'zj-center', 'agent', '330000')
  officer = await staffAuth(ctx, 'js-officer', 'agent', '320100', { permissions: ['confidential:read'] })
  admin = await staffAuth(ctx, 'root', 'admin', null)
  consultId = (
    await ctx.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: '小规模纳税人季度销售额多少免征增值税',
      contact: { phone: '13812340000' },
      transcript: [{ role: 'user', text: '小规模纳税人免税标准', at: '2026-11-25T01:59:00Z' }],
    })
  ).id
  reportId = (
    await ctx.tickets.createTicket({
      type: 'report',
      regionCode: '320100',
      question: '举报某公司虚开发票',
      contact: { name: SECRET_NAME, phone: SECRET_PHONE },
      sessionId: 'sess-secret-report',
      transcript: [{ role: 'user', text: `我是${SECRET_NAME}，举报某公司`, at: '2026-11-25T01:59:00Z' }],
    })
  ).id
  complaintId = (
    await ctx.tickets.createTicket({
      type: 'complaint',
      regionCode: '320100',
      question: '投诉窗口人员',
      contact: { name: '投诉人赵六', phone: '13700002222' },
    })
  ).id
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers })
const post = (url: string, headers: Record<string, string>, payload: unknown = {}) =>
  app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })

describe('routing and visibility', () => {
  it('an agent sees their seat group queue; another city does not; the provincial centre sees the province', async () => {
    const mine = (await get('/api/tickets', nj)).json() as { tickets: { id: string }[] }
    expect(mine.tickets.map((t) => t.id)).toContain(consultId)
    const other = (await get('/api/tickets', sz)).json() as { tickets: { id: string }[] }
    expect(other.tickets).toHaveLength(0)
    expect((await get(`/api/tickets/${consultId}`, sz)).statusCode).toBe(404)
    const prov = (await get('/api/tickets', center)).json() as { tickets: { id: string }[] }
    expect(prov.tickets.map((t) => t.id)).toEqual(expect.arrayContaining([consultId, reportId]))
    expect(((await get('/api/tickets', zj)).json() as { tickets: unknown[] }).tickets).toHaveLength(0)
    expect((await get('/api/tickets', {})).statusCode).toBe(401)
  })

  it('claim, transfer to another city, escalate to the province, redirect to another region', async () => {
    const t = (await post('/api/tickets/' + consultId + '/claim', nj)).json()
    expect(t).toMatchObject({ state: 'assigned', assignee: 'nj1' })
    // Someone else cannot claim an assigned ticket.
    const again = await post(`/api/tickets/${consultId}/claim`, nj2)
    expect(again.statusCode).toBe(409)
    expect(again.json().error).toMatchObject({
      code: 'INVALID_TRANSITION',
      message: '工单当前状态为「处理中」，不能执行「受理」操作',
    })

    const moving = (
      await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '应由苏州处理的问题' })
    ).id
    const tr = await post(`/api/tickets/${moving}/transfer`, nj, { seatGroup: '320500-remote', note: '纳税人在苏州' })
    expect(tr.statusCode).toBe(200)
    expect(tr.json()).toMatchObject({ state: 'transferred', seatGroup: '320500-remote', assignee: null })
    expect((await get(`/api/tickets/${moving}`, nj)).statusCode).toBe(404)
    expect((await get(`/api/tickets/${moving}`, sz)).json()).toMatchObject({ seatGroup: '320500-remote' })
    const esc = await post(`/api/tickets/${moving}/escalate`, sz, { note: '疑难，请省中心处理' })
    expect(esc.json()).toMatchObject({ seatGroup: '320000-center', state: 'transferred' })
    const esc2 = await post(`/api/tickets/${moving}/escalate`, center, { note: '再升级' })
    expect(esc2.statusCode).toBe(409)
    expect(esc2.json().error.message).toBe('工单已在省级中心，无法再升级')
    const badGroup = await post(`/api/tickets/${moving}/transfer`, center, { seatGroup: '320100-center', note: 'x' })
    expect(badGroup.json().error.code).toBe('VALIDATION_FAILED')

    const foreign = (
      await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '我在杭州，问杭州的房产税' })
    ).id
    const red = await post(`/api/tickets/${foreign}/redirect`, nj, {
      regionCode: '330100',
      note: '请联系国家税务总局杭州市税务局（12366 转浙江）',
    })
    expect(red.json()).toMatchObject({ state: 'closed', redirect: { regionCode: '330100' } })
    expect(red.json().notices[0].text).toContain('杭州市')
    const after = await post(`/api/tickets/${foreign}/claim`, nj)
    expect(after.statusCode).toBe(409)
  })

  it('reply, close, reopen; history has who/when/what', async () => {
    const r = await post(`/api/tickets/${consultId}/reply`, nj, { text: '季度销售额未超过30万元的，免征增值税。' })
    expect(r.statusCode).toBe(200)
    expect(r.json()).toMatchObject({ state: 'answered', answeredBy: 'nj1', overdue: false })
    expect((await post(`/api/tickets/${consultId}/reply`, nj, { text: '再答一次' })).statusCode).toBe(409)
    expect((await post(`/api/tickets/${consultId}/close`, nj, { note: '已解答' })).json().state).toBe('closed')
    const re = (await post(`/api/tickets/${consultId}/reopen`, nj, { reason: '纳税人追问' })).json()
    expect(re.state).toBe('reopened')
    expect(re.events.map((e: { action: string }) => e.action)).toEqual([
      'created',
      'claim',
      'reply',
      'notified',
      'close',
      'reopen',
    ])
    for (const e of re.events)
      expect(e).toEqual(
        expect.objectContaining({ at: expect.any(String), by: expect.any(String), action: expect.any(String) }),
      )
    // Request validation and missing tickets.
    expect((await post(`/api/tickets/${consultId}/extend`, nj, { days: 2 })).statusCode).toBe(400)
    expect((await get('/api/tickets/nope', nj)).statusCode).toBe(404)
  })

  it('promote turns an answer into a draft faq entry that the public API does not serve', async () => {
    const t = (
      await ctx.tickets.createTicket({
        type: 'consult',
        regionCode: '320100',
        question: '个人所得税汇算清缴什么时候开始',
      })
    ).id
    await post(`/api/tickets/${t}/claim`, nj)
    await post(`/api/tickets/${t}/reply`, nj, { text: '每年3月1日至6月30日办理上一年度的个人所得税综合所得汇算清缴。' })
    const p = await post(`/api/tickets/${t}/promote`, nj, { tags: ['个人所得税'] })
    expect(p.statusCode).toBe(200)
    const entry = p.json()
    expect(entry).toMatchObject({
      kind: 'faq',
      status: 'draft',
      layer: 'city',
      regionCode: '320100',
      question: '个人所得税汇算清缴什么时候开始',
      body: '每年3月1日至6月30日办理上一年度的个人所得税综合所得汇算清缴。',
    })
    expect(entry.tags).toContain('个人所得税')
    expect(await ctx.store.collection('entries').get(entry.id)).toBeTruthy()
    expect((await get(`/api/entries/${encodeURIComponent(entry.id)}`, {})).statusCode).toBe(404)
    const s = (await get(`/api/search?q=${encodeURIComponent('汇算清缴什么时候开始')}`, {})).json() as {
      hits: { id: string }[]
    }
    expect(s.hits.map((h) => h.id)).not.toContain(entry.id)
    // Through the editorial lifecycle: a version and an audit record, and promoting again is a new version.
    const versions = await ctx.editorial.versions(entry.id)
    expect(versions.map((v) => [v.version, v.note, v.savedBy])).toEqual([
      [1, expect.stringContaining('promoted from ticket'), 'nj1'],
    ])
    const audit = await ctx.editorial.auditLog({ entryId: entry.id })
    expect(audit.map((r) => [r.action, r.to, r.actorId])).toEqual([['create', 'draft', 'nj1']])
    const again = await post(`/api/tickets/${t}/promote`, nj, { title: '汇算清缴时间' })
    expect(again.json()).toMatchObject({ id: entry.id, version: 2, status: 'draft', title: '汇算清缴时间' })
    expect((await ctx.editorial.versions(entry.id)).length).toBe(2)
    expect((await post(`/api/tickets/${reportId}/promote`, center)).statusCode).toBe(409)
  })
})

describe('confidentiality of reports and complaints', () => {
  const leaks = (text: string) =>
    [SECRET_PHONE, SECRET_NAME, '13700002222', '投诉人赵六', 'sess-secret-report', '1390000', '1111'].filter(
      (s) => s !== '1111' && text.includes(s),
    )

  it('no list, detail, workflow response or export shows contact, identity or session id without confidential:read', async () => {
    const texts: string[] = []
    for (const who of [nj, center, sz, admin]) texts.push((await get('/api/tickets?includeClosed=true', who)).body)
    texts.push((await get('/api/tickets?scope=mine', nj)).body)
    for (const id of [reportId, complaintId]) {
      const d = await get(`/api/tickets/${id}`, nj)
      expect(d.statusCode).toBe(200)
      expect(d.json()).toMatchObject({ confidential: true, contactVisible: false, hasContact: true, transcript: [] })
      expect(d.json()).not.toHaveProperty('contact')
      texts.push(d.body, (await get(`/api/tickets/${id}`, center)).body)
    }
    // Workflow responses.
    texts.push((await post(`/api/tickets/${reportId}/claim`, nj)).body)
    texts.push((await post(`/api/tickets/${reportId}/extend`, nj, { days: 1, reason: '需稽查部门核实' })).body)
    texts.push((await post(`/api/tickets/${reportId}/reply`, nj, { text: '已转交稽查部门处理' })).body)
    texts.push(
      (await post(`/api/tickets/${complaintId}/transfer`, nj, { seatGroup: '320000-center', note: '省中心处理投诉' }))
        .body,
    )
    // Exports (JSON and CSV), ledger, metrics — admin holds every permission, still no contact in exports.
    for (const fmt of ['json', 'csv']) {
      const tix = await get(`/api/admin/tickets?from=2026-11-01&to=2026-11-30&format=${fmt}`, admin)
      expect(tix.statusCode).toBe(200)
      texts.push(tix.body)
      const led = await get(`/api/admin/ledger?from=2026-11-01&to=2026-11-30&format=${fmt}`, admin)
      expect(led.statusCode).toBe(200)
      texts.push(led.body)
    }
    const csv = (await get('/api/admin/tickets?from=2026-11-01&to=2026-11-30&format=csv', admin)).body
    expect(csv).toContain('举报')
    expect(csv).toContain('（保密）')
    expect(csv).not.toContain('举报某公司虚开发票')
    texts.push((await get('/api/admin/metrics?from=2026-11-01&to=2026-11-30', admin)).body)
    // Prometheus exposition of the default registry (labels are type/action only).
    // Prometheus exposition (the container's shared registry when present): labels are type/action only.
    const promClient = (await import('prom-client')).default
    const registry =
      (ctx as unknown as { metrics?: { registry: typeof promClient.register } }).metrics?.registry ??
      promClient.register
    const prom = await registry.metrics()
    expect(prom).toContain('taxkb_tickets_created_total{type="report"}')
    expect(prom).toContain('taxkb_ticket_transitions_total{action="extend"}')
    // Names and labels could leak; sample values are numbers (heap bytes, timestamps) that may contain '1390000' by
    // chance (it failed once on a process metric), so they are dropped before the check.
    texts.push(
      prom
        .split('\n')
        .map((l) => (l.startsWith('#') ? l : l.replace(/\s+\S+$/, '')))
        .join('\n'),
    )
    // Per response, so a failure names the one that leaked.
    for (const [i, t] of texts.entries()) expect(leaks(t), `response #${i}: ${t.slice(0, 200)}`).toEqual([])
    expect(leaks(allResponsesText(texts))).toEqual([])
    // The stored document has the contact sealed, never in clear.
    const raw = storedDocsText(ctx.config.dataDir, 'tickets')
    expect(raw).not.toContain(SECRET_PHONE)
    expect(raw).not.toContain(SECRET_NAME)
    expect(raw).toMatch(/"contactSealed":\s*"v1\./)
    for (const f of rawStoreFiles(ctx.config.dataDir)) expect(f.bytes.includes(SECRET_PHONE), f.file).toBe(false)
  })

  it('only a holder of confidential:read sees the reporter, and agents see non-confidential contact', async () => {
    const d = (await get(`/api/tickets/${reportId}`, officer)).json()
    expect(d).toMatchObject({ contactVisible: true, contact: { name: SECRET_NAME, phone: SECRET_PHONE } })
    expect(d.transcript[0].text).toContain(SECRET_NAME)
    const c = (await get(`/api/tickets/${consultId}`, nj)).json()
    expect(c.contact).toEqual({ phone: '13812340000' })
  })

  it('ledger and export routes need ledger:read; calendar needs calendar:edit', async () => {
    for (const url of [
      '/api/admin/ledger',
      '/api/admin/ledger?format=csv',
      '/api/admin/tickets',
      '/api/admin/metrics',
      '/api/admin/calendar',
    ]) {
      expect((await get(url, nj)).statusCode).toBe(403)
      expect((await get(url, {})).statusCode).toBe(401)
    }
  })
})

describe('calendar admin', () => {
  it('adds 2027 (validated), persists it to the data dir and recomputes deadlines with it', async () => {
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/admin/calendar',
      headers: admin,
      payload: {
        years: { '2027': { source: '国务院办公厅通知', holidays: { 元旦: ['2027-01-01'] }, workdays: ['2027-01-06'] } },
      },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toContain('not a Saturday or Sunday')
    const y2027 = {
      source: '国务院办公厅关于2027年部分节假日安排的通知（测试数据）',
      holidays: { 元旦: ['2027-01-01'], 测试假: ['2027-03-03'] },
      workdays: ['2027-03-06'],
    }
    const ok = await app.inject({
      method: 'PUT',
      url: '/api/admin/calendar',
      headers: admin,
      payload: { years: { '2027': y2027 } },
    })
    expect(ok.statusCode).toBe(200)
    expect(ok.json().years).toEqual(['2025', '2026', '2027'])
    expect(fs.existsSync(path.join(ctx.config.dataDir, 'calendar.json'))).toBe(true)
    expect((await get('/api/admin/calendar', admin)).json().origin).toBe('data-dir')
    // Tue 2027-03-02 10:00 → next working day is Thu 03-04 (03-03 is the test holiday).
    ;(ctx.clock as unknown as { set(v: string): void }).set('2027-03-02T02:00:00Z')
    const t = await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '2027年的问题' })
    expect(t.dueAt).toBe('2027-03-04T09:30:00.000Z')
    ;(ctx.clock as unknown as { set(v: string): void }).set('2026-11-25T02:00:00Z')
  })
})
