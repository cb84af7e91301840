/**
 * Editors add a 公告: paste → checked draft → four-eyes review → published and searchable; publishing one
 * that repeals another retires it on the repeal date and queues the FAQ citing it. Bulk import is
 * all-or-nothing with Chinese row errors. Every route checks who may call it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Entry } from '../../knowledge/entry.js'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { pastedText, policyCorpus, policyRecord } from '../helpers/policy-corpus.js'

const rec = policyRecord
const pasted = pastedText

let ctx: Container
let app: FastifyInstance
let editor: { authorization: string }
let reviewer: { authorization: string }
let agent: { authorization: string }

beforeAll(async () => {
  const corpus = policyCorpus()
  ctx = await containerWithCorpus(corpus)
  app = await build(ctx.config, { container: ctx, logger: false })
  editor = await staffAuth(ctx, 'pol-editor', 'editor', null)
  reviewer = await staffAuth(ctx, 'pol-reviewer', 'reviewer', null)
  agent = await staffAuth(ctx, 'pol-agent', 'agent', null)
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

const post = (url: string, headers: Record<string, string>, payload: unknown) =>
  app.inject({ method: 'POST', url, headers, payload: payload as Record<string, unknown> })

describe('paste → review → publish', () => {
  it('reads 文号, title, dates, clauses and relations from the pasted text', async () => {
    const res = await post('/api/editor/policies/parse', editor, {
      format: 'text',
      content: pasted('国家税务总局公告2026年第4号'),
    })
    expect(res.statusCode).toBe(200)
    const d = res.json()
    expect(d.problems).toEqual([])
    expect(d.entry.id).toBe('国家税务总局公告2026年第4号')
    expect(d.entry.effectiveFrom).toBe('2026-01-01')
    expect(d.entry.source.publishedAt).toBe('2026-01-30')
    expect(d.clauses.map((c: { label: string }) => c.label)).toEqual(['正文', '一', '二', '三', '四', '五'])
    expect(d.entry.policy.relations).toContainEqual(
      expect.objectContaining({ type: 'repeals', target: '国家税务总局公告2023年第1号', effectiveDate: '2026-01-01' }),
    )
  })

  it('says in Chinese what it could not read', async () => {
    const res = await post('/api/editor/policies/parse', editor, {
      format: 'text',
      content: '一些没有文号和标题的文字，长度够了但不是公告。',
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().problems.join('')).toMatch(/没有识别出文号/)
    const create = await post('/api/editor/policies', editor, {
      format: 'text',
      content: '一些没有文号和标题的文字，长度够了但不是公告。',
    })
    expect(create.statusCode).toBe(400)
    expect(create.json().error.message).toMatch(/公告草稿有问题/)
  })

  it('goes live only after another person approves; the repealed 公告 retires and its citing FAQ is queued', async () => {
    const before = await app.inject({ url: `/api/entries/${encodeURIComponent('国家税务总局公告2023年第1号')}` })
    expect(before.json().validityNow.validity).toBe('全文有效')
    const created = await post('/api/editor/policies', editor, {
      format: 'text',
      content: pasted('国家税务总局公告2026年第4号'),
      sourceUrl: String(rec('国家税务总局公告2026年第4号').sourceUrl),
    })
    expect(created.statusCode).toBe(201)
    const id = encodeURIComponent('国家税务总局公告2026年第4号')
    // not public while a draft
    expect((await app.inject({ url: `/api/entries/${id}` })).statusCode).toBe(404)
    expect((await post(`/api/editor/entries/${id}/submit`, editor, {})).statusCode).toBe(200)
    const self = await post(`/api/editor/entries/${id}/approve`, editor, {})
    expect(self.statusCode).toBe(403)
    expect((await post(`/api/editor/entries/${id}/approve`, reviewer, {})).statusCode).toBe(200)

    const search = await app.inject({ url: `/api/search?q=${encodeURIComponent('自然人 出租不动产 起征点')}` })
    expect(search.json().hits.map((h: { id: string }) => h.id)).toContain('国家税务总局公告2026年第4号#二')

    const old = await app.inject({ url: `/api/entries/${encodeURIComponent('国家税务总局公告2023年第1号')}` })
    expect(old.json().effectiveTo).toBe('2026-01-01')
    expect(old.json().validityNow).toMatchObject({ validity: '全文废止', by: '国家税务总局公告2026年第4号' })
    const oldClause = await app.inject({
      url: `/api/entries/${encodeURIComponent('国家税务总局公告2023年第1号#第一条')}`,
    })
    expect(oldClause.json().validityNow.validity).toBe('已废止')
    // the repealed rule is no longer found as current
    const cur = await app.inject({ url: `/api/search?q=${encodeURIComponent('合计月销售额未超过10万元 免征增值税')}` })
    expect(cur.json().hits.map((h: { id: string }) => h.id)).not.toContain('国家税务总局公告2023年第1号#第一条')

    const queue = await app.inject({ url: '/api/editor/needs-review', headers: editor })
    const item = (queue.json() as { id: string; stale: { articleId: string; reason: string }[] }[]).find(
      (i) => i.id === 'faq-policy-1',
    )
    expect(item?.stale[0]).toMatchObject({ articleId: '国家税务总局公告2023年第1号', reason: 'retired' })
    // 操作日志 says why it is queued, on the FAQ's own history, once (issue 20 item 15).
    const log = await app.inject({ url: '/api/editor/audit?action=ripple&entryId=faq-policy-1', headers: editor })
    expect((log.json() as { comment: string; actorId: string }[]).map((r) => r.comment)).toEqual([
      'cites 国家税务总局公告2023年第1号',
    ])
  })

  it('answers with the published clause, citing 文号, clause, validity and the official page', async () => {
    const res = await post('/api/chat', {}, { message: '自然人出租不动产一次性收取租金的，怎么确定月销售额' })
    expect(res.statusCode).toBe(200)
    const cite = (res.json().citations as Record<string, string>[]).find(
      (c) => c.docNumber === '国家税务总局公告2026年第4号',
    )
    expect(cite).toMatchObject({ clause: '二', validity: '有效', documentId: '国家税务总局公告2026年第4号' })
    expect(cite?.url).toMatch(/^https:\/\/fgk\.chinatax\.gov\.cn\//)
  })

  it('answers a question about 2025 with the rule valid then, and says so', async () => {
    const res = await post('/api/chat', {}, { message: '2025年小规模纳税人合计月销售额未超过10万元免征增值税吗' })
    const body = res.json()
    expect(body.answer).toContain('2025-12-31')
    // the repealed 2023 公告 was the rule in 2025; its citation says it is repealed today
    const old = (body.citations as Record<string, string>[]).find((c) => c.docNumber === '国家税务总局公告2023年第1号')
    expect(old?.validity).toBe('已废止')
    const now = await post('/api/chat', {}, { message: '小规模纳税人合计月销售额未超过10万元免征增值税吗' })
    expect(
      (now.json().citations as Record<string, string>[]).some(
        (c) => c.docNumber === '国家税务总局公告2023年第1号' && c.id !== 'faq-policy-1',
      ),
    ).toBe(false)
  })

  it('lists the documents cited but missing', async () => {
    const res = await app.inject({ url: '/api/editor/policies/missing', headers: editor })
    expect(res.statusCode).toBe(200)
    const missing = (res.json() as { docNumber: string }[]).map((m) => m.docNumber)
    expect(missing).toContain('国家税务总局公告2021年第5号')
    expect(missing).not.toContain('国家税务总局公告2023年第1号')
  })
})

describe('bulk import of the shared JSONL', () => {
  it('rejects the whole file when one row is bad, with Chinese row errors', async () => {
    const good = JSON.stringify(rec('国家税务总局公告2016年第82号'))
    const bad = JSON.stringify({ ...rec('国家税务总局公告2016年第86号'), publishedAt: '2016年12月' })
    const res = await post('/api/editor/policies/import', reviewer, {
      content: `${good}\n${bad}\n{oops`,
      dryRun: false,
    })
    expect(res.statusCode).toBe(400)
    const report = res.json().report
    expect(report.problems.map((p: { row: number }) => p.row)).toEqual([2, 3])
    expect(report.problems[0].messages.join('')).toMatch(/publishedAt/)
    expect(report.problems[1].messages.join('')).toMatch(/不是有效的 JSON/)
    expect(
      (await app.inject({ url: `/api/entries/${encodeURIComponent('国家税务总局公告2016年第82号')}` })).statusCode,
    ).toBe(404)
  })

  it('imports and publishes a valid file at once (reviewer only)', async () => {
    const content = JSON.stringify(rec('国家税务总局公告2016年第82号'))
    expect((await post('/api/editor/policies/import', editor, { content, dryRun: false })).statusCode).toBe(403)
    const res = await post('/api/editor/policies/import', reviewer, { content, dryRun: false })
    expect(res.statusCode).toBe(200)
    expect(res.json().imported).toBe(1)
    const clause = await app.inject({ url: `/api/entries/${encodeURIComponent('国家税务总局公告2016年第82号#一')}` })
    expect(clause.statusCode).toBe(200)
    expect((clause.json() as Entry).policy?.heading).toBe('一、增值税普通发票（卷票）规格、联次及防伪措施')
  })
})

describe('who may call the policy routes', () => {
  it('refuses anonymous callers and staff without editing rights', async () => {
    expect((await post('/api/editor/policies/parse', {}, { format: 'text', content: 'x' })).statusCode).toBe(401)
    expect((await post('/api/editor/policies/parse', agent, { format: 'text', content: 'x' })).statusCode).toBe(403)
    expect((await post('/api/editor/policies', agent, { format: 'text', content: 'x' })).statusCode).toBe(403)
    expect((await post('/api/editor/policies/import', agent, { content: 'x' })).statusCode).toBe(403)
    expect((await app.inject({ url: '/api/editor/policies/missing' })).statusCode).toBe(401)
  })

  it('rejects a bad format with the error envelope', async () => {
    const res = await post('/api/editor/policies/parse', editor, { format: 'pdf', content: 'x' })
    expect(res.statusCode).toBe(400)
    expect(res.json().error).toMatchObject({ code: expect.any(String), requestId: expect.any(String) })
  })
})
