/**
 * The editor console's list routes (issue 20 items 15 and 18): GET /api/editor/audit returns editorial
 * events only (request rows for admins, on request), filterable by event, entry, person and China-time day,
 * with a 'ripple' event on every entry a retirement sends to 法规变更待复核; GET /api/editor/entries takes
 * several kinds and counts rows per kind.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'

let ctx: Container
let app: FastifyInstance
type Headers = { authorization: string }
let natEditor: Headers
let natReviewer: Headers
let admin: Headers

const faq = (id: string, citedArticleIds: string[] = []) => ({
  id,
  kind: 'faq',
  title: `增值税问答 ${id}`,
  question: '增值税税率是多少',
  body: '增值税税率为百分之十三。',
  source: { title: '编辑部' },
  layer: 'national',
  regionCode: null,
  effectiveFrom: null,
  effectiveTo: null,
  tags: [],
  citedArticleIds,
})

async function get(url: string, headers: Headers) {
  const r = await app.inject({ url, headers })
  return { status: r.statusCode, body: r.json() as never }
}

beforeAll(async () => {
  ctx = await containerWithCorpus()
  app = await build(ctx.config, { container: ctx, logger: false })
  natEditor = await staffAuth(ctx, 'nat-editor', 'editor', null)
  natReviewer = await staffAuth(ctx, 'nat-reviewer', 'reviewer', null)
  admin = await staffAuth(ctx, 'root', 'admin', null)
  for (const [id, cites] of [
    ['faq-vat-a', ['增值税法#第十条']],
    ['faq-vat-b', ['增值税法#第十条']],
    ['faq-vat-c', []],
  ] as const) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/editor/entries',
      headers: natEditor,
      payload: faq(id, [...cites]),
    })
    expect(r.statusCode, r.body).toBe(201)
  }
  const retired = await app.inject({
    method: 'POST',
    url: `/api/editor/entries/${encodeURIComponent('增值税法#第十条')}/retire`,
    headers: natReviewer,
    payload: {},
  })
  expect(retired.statusCode, retired.body).toBe(200)
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

type Row = {
  action: string
  entryId: string | null
  actorId: string
  actorName: string
  comment: string | null
  route?: string
}

describe('GET /api/editor/audit', () => {
  it('lists editorial events only, newest first, with a ripple event per citing entry', async () => {
    const { status, body } = await get('/api/editor/audit', natEditor)
    expect(status).toBe(200)
    const rows = body as Row[]
    expect(rows.map((r) => r.action)).toEqual(['ripple', 'ripple', 'retire', 'create', 'create', 'create'])
    expect(
      rows
        .filter((r) => r.action === 'ripple')
        .map((r) => r.entryId)
        .sort(),
    ).toEqual(['faq-vat-a', 'faq-vat-b'])
    expect(rows[2]).toMatchObject({
      entryId: '增值税法#第十条',
      actorId: 'nat-reviewer',
      comment: '2 citing entries need review',
    })
    // the HTTP layer audited the same writes, but those rows stay out of the editors' log
    const http = (await get('/api/editor/audit?kind=http', admin)).body as Row[]
    expect(http.length).toBeGreaterThanOrEqual(4)
    expect(http.every((r) => r.action === 'http' && typeof r.route === 'string')).toBe(true)
  })

  it('filters by event, entry, person and China-time day', async () => {
    const ids = async (q: string) =>
      ((await get(`/api/editor/audit?${q}`, natEditor)).body as Row[]).map((r) => `${r.action}:${r.entryId}`)
    expect(await ids('action=ripple&entryId=faq-vat-a')).toEqual(['ripple:faq-vat-a'])
    expect((await ids('actor=nat-reviewer')).sort()).toEqual([
      'retire:增值税法#第十条',
      'ripple:faq-vat-a',
      'ripple:faq-vat-b',
    ])
    expect((await ids('actor=nat-editor')).every((r) => r.startsWith('create:'))).toBe(true)
    // The container clock is 2026-11-25 10:00 China time (02:00 UTC).
    expect((await ids('from=2026-11-25&to=2026-11-25')).length).toBe(6)
    expect(await ids('from=2026-11-26')).toEqual([])
    expect(await ids('to=2026-11-24')).toEqual([])
  })

  it('refuses request rows to non-admins and impossible dates, in Chinese', async () => {
    const denied = await get('/api/editor/audit?kind=http', natReviewer)
    expect(denied.status).toBe(403)
    expect(denied.body).toMatchObject({ error: { code: 'FORBIDDEN', message: '只有管理员可以查看请求日志' } })
    const bad = await get('/api/editor/audit?from=2026-02-30', natEditor)
    expect(bad.status).toBe(400)
    expect(bad.body).toMatchObject({
      error: { code: 'VALIDATION_FAILED', message: expect.stringContaining('2026-02-30') },
    })
    const reversed = await get('/api/editor/audit?from=2026-11-26&to=2026-11-25', natEditor)
    expect(reversed.body).toMatchObject({ error: { code: 'VALIDATION_FAILED', message: '开始日期不能晚于结束日期' } })
    expect((await get('/api/editor/audit?action=http', natEditor)).status).toBe(400)
  })
})

describe('GET /api/editor/entries', () => {
  it('takes several kinds and counts every kind under the other filters', async () => {
    const { status, body } = await get('/api/editor/entries?layer=national&kind=faq,guide,notice&limit=500', natEditor)
    expect(status).toBe(200)
    const res = body as {
      total: number
      counts: Record<string, number>
      rows: { id: string; kind: string; layer: string }[]
    }
    const all = (await ctx.store.collection<{ id: string; kind: string; layer: string }>('entries').list()).filter(
      (e) => e.layer === 'national',
    )
    const hand = (kind: string) => all.filter((e) => e.kind === kind).length
    expect(res.counts.faq).toBe(hand('faq'))
    expect(res.counts['law-article']).toBe(hand('law-article'))
    expect(res.counts['law-article']).toBeGreaterThan(0)
    expect(res.total).toBe(hand('faq') + hand('guide') + hand('notice'))
    expect(res.rows.every((r) => ['faq', 'guide', 'notice'].includes(r.kind) && r.layer === 'national')).toBe(true)
  })
})
