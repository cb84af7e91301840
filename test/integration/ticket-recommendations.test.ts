/**
 * 推荐知识 for a ticket (issue 20 item 10), over the real bundled corpus: GET /api/tickets/:id/recommendations
 * uses the chat's retrieval with the taxpayer's earlier turns, so an elliptical handed-off question finds the
 * rule, where the old console call (GET /api/agent/search with the question alone) was off-topic; no 税案通报;
 * one entry per 公告; a sealed report recommends nothing; other seat groups and non-agents are refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { recommendationQuery } from '../../services/answer/ticket-recommendations.js'
import { modelPresent } from '../../services/search/model/model-fetch.js'
import { loadConfig } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, containerWithCorpus, staffAuth } from '../helpers/env.js'

type Hit = { id: string; kind: string; title: string; snippet: string; citation: string }
const at = '2026-11-25T01:59:00Z'
/** What a 南京 taxpayer said before asking for a human: the question itself is elliptical. */
const TRANSCRIPT = [
  { role: 'user' as const, text: '我是小规模纳税人，季度销售额40万元', at },
  { role: 'assistant' as const, text: '请问您想了解哪方面的规定？', at },
  { role: 'user' as const, text: '那要交多少税', at },
  { role: 'user' as const, text: '转人工', at, intent: 'human' },
]
const ON_TOPIC = /小规模|增值税/

let ctx: Container
let app: FastifyInstance
let nj: { authorization: string }
let consultId = ''

beforeAll(async () => {
  ctx = await containerWithCorpus(BUNDLED_CORPUS, {}, '2026-11-25T02:00:00Z')
  app = await build(ctx.config, { container: ctx, logger: false })
  nj = await staffAuth(ctx, 'nj-agent', 'agent', '320100')
  const t = await ctx.tickets.createTicket({
    type: 'consult',
    regionCode: '320100',
    question: '那要交多少税',
    transcript: TRANSCRIPT,
  })
  consultId = t.id
}, 120_000)
afterAll(async () => {
  await app?.close()
  await ctx?.close()
})

const get = async (url: string, headers: Record<string, string>) => {
  const r = await app.inject({ url, headers })
  return { status: r.statusCode, body: r.json() as { hits: Hit[]; error?: { code: string } } }
}

describe('recommendationQuery (pure)', () => {
  it('puts the question first, then what the taxpayer said, without requests for a human or answers', () => {
    expect(recommendationQuery({ question: '那要交多少税', transcript: TRANSCRIPT }, 500)).toBe(
      '那要交多少税；我是小规模纳税人，季度销售额40万元',
    )
    expect(recommendationQuery({ question: '（保密）', transcript: [{ role: 'user', text: '（保密）' }] }, 500)).toBe(
      '',
    )
    expect(recommendationQuery({ question: '问题', transcript: [{ role: 'user', text: '很长'.repeat(50) }] }, 20)).toBe(
      '问题',
    )
  })
})

describe('GET /api/tickets/:id/recommendations', () => {
  it('recommends on-topic rules for an elliptical question where the old question-only search did not', async () => {
    const old = await get(`/api/agent/search?${new URLSearchParams({ q: '那要交多少税', limit: '5' })}`, nj)
    expect(old.status).toBe(200)
    // The old console call: the top hit has nothing to do with 小规模纳税人 / 增值税.
    expect(old.body.hits[0]?.title ?? '').not.toMatch(ON_TOPIC)

    const { status, body } = await get(`/api/tickets/${consultId}/recommendations`, nj)
    expect(status).toBe(200)
    expect(body.hits.length).toBe(5)
    for (const h of body.hits.slice(0, 3)) expect(`${h.title} ${h.snippet}`).toMatch(ON_TOPIC)
    expect(body.hits.some((h) => h.kind === 'hot-topic')).toBe(false)
    for (const h of body.hits) {
      expect(h.citation.length).toBeGreaterThan(1)
      expect(h.snippet.length).toBeGreaterThan(10)
    }
    expect(body.hits.some((h) => h.snippet.includes('<mark>'))).toBe(true)
    // One entry per 公告 (its clauses are separate entries).
    const docs = await ctx.store
      .collection<{ id: string; policy?: { documentId?: string } }>('entries')
      .getMany(body.hits.map((h) => h.id))
    const docIds = docs.map((d) => d.policy?.documentId ?? d.id)
    expect(new Set(docIds).size).toBe(docIds.length)
  })

  it('a sealed report recommends nothing to an agent without confidential:read; others are refused', async () => {
    const report = await ctx.tickets.createTicket({
      type: 'report',
      regionCode: '320100',
      question: '举报某公司虚开增值税发票',
      transcript: [{ role: 'user', text: '举报某公司虚开增值税发票', at, intent: 'report' }],
    })
    const sealed = await get(`/api/tickets/${report.id}/recommendations`, nj)
    expect(sealed.status).toBe(200)
    expect(sealed.body.hits).toEqual([])
    const sz = await staffAuth(ctx, 'sz-agent', 'agent', '320500')
    expect((await get(`/api/tickets/${consultId}/recommendations`, sz)).status).toBe(404)
    const editor = await staffAuth(ctx, 'nj-editor', 'editor', '320100')
    expect((await get(`/api/tickets/${consultId}/recommendations`, editor)).status).toBe(403)
    expect((await get('/api/tickets/nope/recommendations', nj)).body.error?.code).toBe('TICKET_NOT_FOUND')
  })
})

const modelDir = loadConfig({}).embeddingModelDir
const present = modelPresent(modelDir)
if (!present) console.warn(`[ticket-recommendations] hybrid case skipped: no model in ${modelDir}`)

describe.skipIf(!present)('推荐知识 with the dense retriever on (bge-small-zh over the shipped vectors)', () => {
  let hybrid: Container
  beforeAll(async () => {
    hybrid = await containerWithCorpus(BUNDLED_CORPUS, { embedder: 'local' }, '2026-11-25T02:00:00Z')
  }, 120_000)
  afterAll(async () => {
    await hybrid?.close()
  })

  it('stays on topic for the same elliptical ticket', async () => {
    expect(hybrid.index.backend.dense).toBe(true)
    const hits = await hybrid.recommender.recommend({
      question: '那要交多少税',
      transcript: TRANSCRIPT,
      regionCode: '320100',
    })
    expect(hits).toHaveLength(5)
    for (const h of hits.slice(0, 3)) expect(`${h.title} ${h.snippet}`).toMatch(ON_TOPIC)
    expect(hits.some((h) => h.kind === 'hot-topic')).toBe(false)
  })
})
