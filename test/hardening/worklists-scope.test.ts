/**
 * Finding 3: /api/editor/worklists was open to every agent and editor and not region-scoped — a 杭州 agent
 * read 南京 report texts under `unanswered`. Now: editors only (agents do not curate knowledge), scoped to
 * the caller's layer (city → own city, province → its cities, national → all), and report / complaint
 * sessions never appear.
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import { staffAuth } from '../helpers/env.js'

const REPORT = '我要举报南京市某公司老板虚开增值税专用发票，我是该公司会计周晓梅'
const NJ_GAP = '南京市夜间办税驿站在哪里'
const HZ_GAP = '杭州市夜间办税驿站在哪里'

let ctx: Container
let app: FastifyInstance

useApp(async (c, a) => {
  ctx = c
  app = a
  const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { message: REPORT, region: '320100' } })
  expect(res.json().intent).toBe('report')
  const row = (sessionId: string, regionCode: string, question: string) => ({
    sessionId,
    channel: 'web',
    regionCode,
    question,
    intent: 'consult',
    mode: 'handoff',
    confidence: 0,
    citedIds: [],
    latencyMs: 1,
    ticketId: null,
    topic: '纳税服务',
  })
  await ctx.ledger.record(row('s-nj', '320100', NJ_GAP))
  await ctx.ledger.record(row('s-hz', '330100', HZ_GAP))
})

async function worklists(headers: Record<string, string>): Promise<{ status: number; body: string }> {
  const res = await app.inject({ url: '/api/editor/worklists', headers })
  return { status: res.statusCode, body: res.body }
}

describe('editor worklists', () => {
  it('agents are refused, whatever their region', async () => {
    for (const [name, region] of [
      ['wl-agent-hz', '330100'],
      ['wl-agent-nj', '320100'],
    ] as const) {
      const res = await worklists(await staffAuth(ctx, name, 'agent', region, { seatGroup: `${region}-remote` }))
      expect(res.status, name).toBe(403)
    }
  })

  it('a 杭州 editor sees 杭州 questions only; a 南京 editor 南京 only; national staff both; nobody the report', async () => {
    const hz = await worklists(await staffAuth(ctx, 'wl-editor-hz', 'editor', '330100'))
    expect(hz.status).toBe(200)
    expect(hz.body).toContain(HZ_GAP)
    expect(hz.body).not.toContain(NJ_GAP)
    const nj = await worklists(await staffAuth(ctx, 'wl-editor-nj', 'editor', '320100'))
    expect(nj.body).toContain(NJ_GAP)
    expect(nj.body).not.toContain(HZ_GAP)
    const js = await worklists(await staffAuth(ctx, 'wl-reviewer-js', 'reviewer', '320000'))
    expect(js.body).toContain(NJ_GAP)
    expect(js.body).not.toContain(HZ_GAP)
    const nat = await worklists(await staffAuth(ctx, 'wl-editor-nat', 'editor', null))
    expect(nat.body).toContain(NJ_GAP)
    expect(nat.body).toContain(HZ_GAP)
    for (const body of [hz.body, nj.body, js.body, nat.body]) {
      expect(body).not.toContain('举报')
      expect(body).not.toContain('周晓梅')
    }
  })
})
