/**
 * Finding 5: a single reviewer `POST /api/editor/import {publish:true}` rewrote a live statute
 * (「减除费用二十万元」) and the chat served it at once. Import now creates drafts / pending revisions that a
 * second person must approve, bundled statutes are read-only to editors (a new version of the source goes
 * in under a new id, with review), and a city or provincial editor cannot touch national entries.
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import type { Entry } from '../../knowledge/entry.js'
import { staffAuth } from '../helpers/env.js'

const STATUTE = '个人所得税法#第六条'
const FAQ = 'faq-js-1c8f62535a'

let ctx: Container
let app: FastifyInstance

useApp(async (c, a) => {
  ctx = c
  app = a
})

const entry = async (id: string) => (await ctx.store.collection<Entry>('entries').get(id))!
const importJsonl = (headers: Record<string, string>, rows: object[]) =>
  app.inject({
    method: 'POST',
    url: '/api/editor/import',
    headers,
    payload: { format: 'jsonl', content: rows.map((r) => JSON.stringify(r)).join('\n'), dryRun: false, publish: true },
  })
const ask = async (message: string) =>
  (await app.inject({ method: 'POST', url: '/api/chat', payload: { message } })).json().answer as string

describe('import cannot bypass four eyes', () => {
  it('a national reviewer cannot rewrite a bundled statute by import; the chat keeps the real text', async () => {
    const reviewer = await staffAuth(ctx, 'imp-rev-nat', 'reviewer', null)
    const live = await entry(STATUTE)
    expect(live.body).toContain('减除费用六万元')
    const forged = { ...live, body: live.body.replace('减除费用六万元', '减除费用二十万元') }
    const res = await importJsonl(reviewer, [forged])
    expect(res.statusCode).toBe(400)
    expect(JSON.stringify(res.json().report.problems)).toMatch(/法规条文为只读/)
    expect((await entry(STATUTE)).body).toContain('减除费用六万元')
    expect(await ask('居民个人综合所得每年减除费用是多少')).not.toContain('二十万')
    // Through the console's save as well.
    const put = await app.inject({
      method: 'PUT',
      url: `/api/editor/entries/${encodeURIComponent(STATUTE)}`,
      headers: reviewer,
      payload: forged,
    })
    expect(put.statusCode).toBe(403)
  })

  it('import {publish:true} only submits: nothing goes live until a second person approves', async () => {
    const a = await staffAuth(ctx, 'imp-rev-a', 'reviewer', '320000')
    const b = await staffAuth(ctx, 'imp-rev-b', 'reviewer', '320000')
    const live = await entry(FAQ)
    const changed = { ...live, body: `${live.body}（本条已由导入修改）` }
    const fresh = { ...live, id: 'faq-js-import-new', question: '导入新增的问题', body: '导入新增的答复。' }
    const res = await importJsonl(a, [changed, fresh])
    expect(res.statusCode).toBe(200)
    expect(await entry(FAQ)).toMatchObject({ status: 'published', body: live.body })
    expect((await entry('faq-js-import-new')).status).toBe('review')
    const search = await app.inject({ url: `/api/search?q=${encodeURIComponent('导入新增的问题')}` })
    expect(search.json().hits.map((h: { id: string }) => h.id)).not.toContain('faq-js-import-new')

    for (const id of [FAQ, 'faq-js-import-new']) {
      const url = `/api/editor/entries/${encodeURIComponent(id)}/approve`
      const self = await app.inject({ method: 'POST', url, headers: a, payload: {} })
      expect(self.statusCode, `${id} approved by its importer`).toBe(403)
      expect((await app.inject({ method: 'POST', url, headers: b, payload: {} })).statusCode).toBe(200)
    }
    expect(await entry(FAQ)).toMatchObject({ status: 'published', body: changed.body })
    expect((await entry('faq-js-import-new')).status).toBe('published')
  })

  it('a city or provincial editor cannot import over a national entry', async () => {
    const live = await entry(STATUTE)
    for (const [name, region] of [
      ['imp-ed-nj', '320100'],
      ['imp-rev-js', '320000'],
    ] as const) {
      const headers = await staffAuth(ctx, name, name.includes('rev') ? 'reviewer' : 'editor', region)
      const res = await importJsonl(headers, [{ ...live, title: '改' }])
      expect([400, 403], name).toContain(res.statusCode)
      expect((await entry(STATUTE)).title, name).toBe(live.title)
    }
  })
})
