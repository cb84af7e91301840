import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { permissionsOf } from '../../services/auth/roles.js'
import type { Container } from '../../services/container.js'
import type { Actor } from '../../services/editorial/permissions.js'
import { canWorkOnScope } from '../../services/editorial/permissions.js'
import { loadLexiconWithOverlay } from '../../services/editorial/lexicon-files.js'
import type { Entry } from '../../knowledge/entry.js'
import { actorOf, faq } from '../helpers/editorial.js'
import { bundledContainer, containerWithCorpus, staffAuth } from '../helpers/env.js'
import { REPO_ROOT as REPO_ROOT_FOR_TESTS } from '../../services/shared/config.js'

const editorA = actorOf('editor-a', 'editor', '320100')
const editorSz = actorOf('editor-sz', 'editor', '320500')
const editorJs = actorOf('editor-js', 'editor', '320000')
const editorNat = actorOf('editor-nat', 'editor', null)
const reviewerB = actorOf('reviewer-b', 'reviewer', '320000')
const reviewerNat = actorOf('reviewer-nat', 'reviewer', null)

let ctx: Container
let app: FastifyInstance

async function searchIds(q: string, region: string): Promise<string[]> {
  const res = await app.inject({ url: `/api/search?q=${encodeURIComponent(q)}&region=${region}` })
  expect(res.statusCode).toBe(200)
  return (res.json() as { hits: { id: string }[] }).hits.map((h) => h.id)
}

beforeAll(async () => {
  ctx = await containerWithCorpus()
  app = await build(ctx.config, { container: ctx, logger: false })
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

describe('layer permissions (pure)', () => {
  it('city editors own their city, provincial editors their province and cities, national only national staff', () => {
    expect(canWorkOnScope(editorA, { layer: 'city', regionCode: '320100' })).toBe(true)
    expect(canWorkOnScope(editorA, { layer: 'city', regionCode: '320500' })).toBe(false)
    expect(canWorkOnScope(editorA, { layer: 'province', regionCode: '320000' })).toBe(false)
    expect(canWorkOnScope(editorA, { layer: 'national', regionCode: null })).toBe(false)
    expect(canWorkOnScope(editorJs, { layer: 'city', regionCode: '320500' })).toBe(true)
    expect(canWorkOnScope(editorJs, { layer: 'province', regionCode: '320000' })).toBe(true)
    expect(canWorkOnScope(editorJs, { layer: 'city', regionCode: '330100' })).toBe(false)
    expect(canWorkOnScope(editorJs, { layer: 'national', regionCode: null })).toBe(false)
    expect(canWorkOnScope(editorNat, { layer: 'national', regionCode: null })).toBe(true)
  })
})

describe('lifecycle, four eyes, versions, rollback, search in step', () => {
  it('drafts, refuses self-approval, publishes, and search sees it only in its region', async () => {
    const ed = ctx.editorial
    const created = await ed.create(editorA, faq('faq-nj-fapiao', '南京市新办纳税人首次领用发票，资料齐全的当场办结。'))
    expect(created).toMatchObject({ status: 'draft', version: 1, updatedBy: 'editor-a' })
    // Layer scope is enforced in the service.
    await expect(ed.save(editorSz, 'faq-nj-fapiao', faq('faq-nj-fapiao', '改'))).rejects.toMatchObject({
      code: 'FORBIDDEN',
    })
    await expect(
      ed.create(editorA, faq('faq-js-x', '江苏', { layer: 'province', regionCode: '320000' })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(
      ed.create(editorJs, faq('faq-nat-x', '全国', { layer: 'national', regionCode: null })),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' })
    // Validation messages name the field.
    await expect(
      ed.create(editorA, faq('faq-bad', '正文', { question: undefined as unknown as string })),
    ).rejects.toMatchObject({ code: 'INVALID_ENTRY' })
    // Approve needs review status, the review permission, and someone else.
    await expect(ed.approve(reviewerB, 'faq-nj-fapiao')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' })
    await ed.submit(editorA, 'faq-nj-fapiao')
    await expect(ed.approve(editorA, 'faq-nj-fapiao')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    expect(await searchIds('南京新办企业首次领用发票', '320100')).not.toContain('faq-nj-fapiao')
    const t0 = Date.now()
    const live = await ed.approve(reviewerB, 'faq-nj-fapiao', '同意')
    expect(live).toMatchObject({ status: 'published', version: 2, updatedBy: 'reviewer-b' })
    expect(await searchIds('南京新办企业首次领用发票', '320100')).toContain('faq-nj-fapiao')
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(await searchIds('南京新办企业首次领用发票', '320500')).not.toContain('faq-nj-fapiao')
  })

  it('a reviewer may not approve a draft they wrote or edited (four eyes)', async () => {
    const ed = ctx.editorial
    await ed.create(editorA, faq('faq-nj-4eyes', '初稿'))
    await ed.save(reviewerB, 'faq-nj-4eyes', faq('faq-nj-4eyes', '审核人改过的稿'))
    await ed.submit(editorA, 'faq-nj-4eyes')
    await expect(ed.approve(reviewerB, 'faq-nj-4eyes')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await expect(ed.reject(reviewerB, 'faq-nj-4eyes', '退回')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const res = await ed.approve(reviewerNat, 'faq-nj-4eyes')
    expect(res.status).toBe('published')
    const queue = await ed.reviewQueue(reviewerB)
    expect(queue.find((q) => q.id === 'faq-nj-4eyes')).toBeUndefined()
  })

  it('edits of a published entry stay pending until approved; diff and rollback', async () => {
    const ed = ctx.editorial
    const revised = await ed.save(
      editorA,
      'faq-nj-fapiao',
      faq('faq-nj-fapiao', '南京市新办纳税人首次领用发票，一般在1个工作日内办结。'),
    )
    expect(revised).toMatchObject({ status: 'draft', version: 3 })
    // The live entry is untouched while the revision waits.
    expect((await ctx.store.collection<Entry>('entries').get('faq-nj-fapiao'))!.body).toContain('当场办结')
    expect(await searchIds('南京新办企业首次领用发票', '320100')).toContain('faq-nj-fapiao')
    await ed.submit(editorA, 'faq-nj-fapiao')
    const rejected = await ed.reject(reviewerB, 'faq-nj-fapiao', '请注明依据')
    expect(rejected.status).toBe('draft')
    await ed.submit(editorA, 'faq-nj-fapiao')
    const v4 = await ed.approve(reviewerB, 'faq-nj-fapiao')
    expect(v4).toMatchObject({ version: 4, body: expect.stringContaining('1个工作日') })
    const { diff } = await ed.diff('faq-nj-fapiao', 2, 4)
    expect(diff.fields.map((f) => f.field)).toEqual(['body'])
    expect(diff.text[0]!.parts.some((p) => p.added && p.value.includes('1个工作日'))).toBe(true)
    expect(diff.text[0]!.parts.some((p) => p.removed && p.value.includes('当场'))).toBe(true)
    await expect(ed.rollback(editorA, 'faq-nj-fapiao', 2)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const v5 = await ed.rollback(reviewerB, 'faq-nj-fapiao', 2)
    expect(v5).toMatchObject({ version: 5, status: 'published', body: expect.stringContaining('当场办结') })
    const versions = await ed.versions('faq-nj-fapiao')
    expect(versions.map((v) => v.version)).toEqual([5, 4, 3, 2, 1])
    expect(versions[0]!.note).toBe('rollback to v2')
    const audit = await ed.auditLog({ entryId: 'faq-nj-fapiao' })
    expect(audit.map((a) => a.action).reverse()).toEqual([
      'create',
      'submit',
      'approve',
      'save',
      'submit',
      'reject',
      'submit',
      'approve',
      'rollback',
    ])
    expect(audit.find((a) => a.action === 'approve')).toMatchObject({
      actorId: 'reviewer-b',
      from: 'review',
      to: 'published',
    })
  })

  it('concurrent approvals of one draft: exactly one wins; a revision can be discarded', async () => {
    const ed = ctx.editorial
    await ed.create(editorA, faq('faq-nj-race', '并发审核'))
    await ed.submit(editorA, 'faq-nj-race')
    const results = await Promise.allSettled([
      ed.approve(reviewerB, 'faq-nj-race'),
      ed.approve(reviewerNat, 'faq-nj-race'),
    ])
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1)
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'INVALID_TRANSITION' } })
    await ed.save(editorA, 'faq-nj-race', faq('faq-nj-race', '想改但又放弃'))
    expect((await ed.getEntry(editorA, 'faq-nj-race')).revision).not.toBeNull()
    await ed.discardRevision(editorA, 'faq-nj-race')
    expect((await ed.getEntry(editorA, 'faq-nj-race')).revision).toBeNull()
    expect((await ed.getEntry(editorA, 'faq-nj-race')).entry).toMatchObject({ status: 'published', body: '并发审核' })
    await expect(ed.discardRevision(editorA, 'faq-nj-race')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' })
  })

  it('publish now, effective later; expiry needs no job', async () => {
    const ed = ctx.editorial
    const clock = ctx.clock as unknown as { set(at: string): void }
    await ed.create(
      editorA,
      faq('faq-nj-later', '南京市2027年起城镇土地使用税按季申报。', {
        title: '南京城镇土地使用税申报期限',
        question: '南京城镇土地使用税怎么申报',
        effectiveFrom: '2027-01-01',
        effectiveTo: '2027-07-01',
      }),
    )
    await ed.submit(editorA, 'faq-nj-later')
    await ed.approve(reviewerB, 'faq-nj-later')
    try {
      expect(await searchIds('南京城镇土地使用税申报', '320100')).not.toContain('faq-nj-later')
      clock.set('2027-01-01T00:00:00Z') // 08:00 China time on 1 January
      expect(await searchIds('南京城镇土地使用税申报', '320100')).toContain('faq-nj-later')
      clock.set('2027-07-01T02:00:00Z')
      expect(await searchIds('南京城镇土地使用税申报', '320100')).not.toContain('faq-nj-later')
    } finally {
      clock.set('2026-11-25T02:00:00Z')
    }
  })

  it('retiring removes the entry from search; a future end date keeps it until then', async () => {
    const ed = ctx.editorial
    const later = await ed.retire(reviewerB, 'faq-nj-fapiao', { effectiveTo: '2027-01-01' })
    expect(later).toMatchObject({ status: 'published', effectiveTo: '2027-01-01' })
    expect(await searchIds('南京新办企业首次领用发票', '320100')).toContain('faq-nj-fapiao')
    const retired = await ed.retire(reviewerB, 'faq-nj-fapiao')
    expect(retired.status).toBe('retired')
    expect(await searchIds('南京新办企业首次领用发票', '320100')).not.toContain('faq-nj-fapiao')
    await expect(ed.retire(reviewerB, 'faq-nj-fapiao')).rejects.toMatchObject({ code: 'INVALID_TRANSITION' })
  })

  it('publish and retire through the HTTP API are visible to GET /api/search within a second', async () => {
    const a = await staffAuth(ctx, 'api-editor', 'editor', '320100')
    const b = await staffAuth(ctx, 'api-reviewer', 'reviewer', '320100')
    const body = faq('faq-nj-api', '南京市契税缴纳可通过江苏省电子税务局办理，无需到大厅。', {
      title: '南京契税网上缴纳',
      question: '南京契税能网上缴纳吗',
    })
    expect(
      (await app.inject({ method: 'POST', url: '/api/editor/entries', headers: a, payload: body })).statusCode,
    ).toBe(201)
    expect(
      (await app.inject({ method: 'POST', url: '/api/editor/entries/faq-nj-api/submit', headers: a, payload: {} }))
        .statusCode,
    ).toBe(200)
    const self = await app.inject({
      method: 'POST',
      url: '/api/editor/entries/faq-nj-api/approve',
      headers: a,
      payload: {},
    })
    expect(self.statusCode).toBe(403)
    const t0 = Date.now()
    expect(
      (
        await app.inject({
          method: 'POST',
          url: '/api/editor/entries/faq-nj-api/approve',
          headers: b,
          payload: { comment: 'ok' },
        })
      ).statusCode,
    ).toBe(200)
    expect(await searchIds('南京契税网上缴纳', '320100')).toContain('faq-nj-api')
    expect(Date.now() - t0).toBeLessThan(1000)
    expect(
      (await app.inject({ method: 'POST', url: '/api/editor/entries/faq-nj-api/retire', headers: b, payload: {} }))
        .statusCode,
    ).toBe(200)
    expect(await searchIds('南京契税网上缴纳', '320100')).not.toContain('faq-nj-api')
    const list = await app.inject({ url: '/api/editor/entries?region=320100&kind=faq', headers: a })
    expect((list.json() as { rows: { id: string }[] }).rows.map((r) => r.id)).toContain('faq-nj-api')
    // The snapshot is persisted debounced; close() flushes it.
    await ctx.editorial.close()
    expect(fs.existsSync(path.join(ctx.config.dataDir, 'index', 'embedded.v8'))).toBe(true)
  })
})

describe('ripple on law changes', () => {
  it('detects imported entries citing repealed articles (the shared FAQ citing 契税暂行条例#第六条)', async () => {
    const bundled = await bundledContainer()
    const items = await bundled.editorial.needsReviewQueue()
    const hit = items.find((i) => i.stale.some((s) => s.articleId === '契税暂行条例#第六条'))
    expect(hit).toBeDefined()
    expect(hit!.kind).toBe('faq')
    expect(hit!.stale.find((s) => s.articleId === '契税暂行条例#第六条')).toMatchObject({
      reason: 'retired',
      replacedBy: expect.arrayContaining([expect.stringMatching(/^契税法/)]),
    })
  }, 120_000)

  it('retiring a cited article puts every citing entry in the needs-review queue', async () => {
    const ed = ctx.editorial
    await ed.create(
      editorNat,
      faq('faq-nat-vat', '增值税税率为百分之十三。', {
        layer: 'national',
        regionCode: null,
        title: '增值税税率',
        question: '增值税税率是多少',
        citedArticleIds: ['增值税法#第十条'],
      }),
    )
    const before = await ed.needsReviewQueue()
    expect(before.find((i) => i.id === 'faq-nat-vat')).toBeUndefined()
    await ed.retire(reviewerNat, '增值税法#第十条', { comment: '条文修订' })
    const after = await ed.needsReviewQueue()
    expect(after.find((i) => i.id === 'faq-nat-vat')?.stale[0]).toMatchObject({
      articleId: '增值税法#第十条',
      reason: 'retired',
    })
    // Scope: a city editor does not see national entries in their queue.
    expect((await ed.needsReviewQueue(editorA)).find((i) => i.id === 'faq-nat-vat')).toBeUndefined()
    const audit = await ed.auditLog({ entryId: '增值税法#第十条' })
    expect(audit[0]!.comment).toMatch(/need review/)
    await ed.acknowledge(editorNat, 'faq-nat-vat', '历史条文，保留引用')
    expect((await ed.needsReviewQueue()).find((i) => i.id === 'faq-nat-vat')).toBeUndefined()
    const flagged = await ed.listEntries({ needsReview: true, limit: 500 })
    expect(flagged.rows.every((r) => r.needsReview)).toBe(true)
  })
})

async function xlsxOf(rows: Record<string, string>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  const ws = wb.addWorksheet('entries')
  const cols = [
    'id',
    'kind',
    'title',
    'question',
    'body',
    'layer',
    'regionCode',
    'tags',
    'citedArticleIds',
    'sourceTitle',
    'guideCode',
    'guideSteps',
    'guideMaterials',
  ]
  ws.addRow(cols)
  for (const r of rows) ws.addRow(cols.map((c) => r[c] ?? ''))
  return Buffer.from(await wb.xlsx.writeBuffer())
}

describe('bulk import and export', () => {
  const good = (id: string) => ({
    id,
    kind: 'faq',
    title: `导入问答${id}`,
    question: `导入的问题${id}`,
    body: '导入的答复正文',
    regionCode: '320100',
    tags: '发票|导入',
  })

  it('rejects an XLSX with two bad rows, naming both rows, and imports nothing', async () => {
    const data = await xlsxOf([
      good('imp-x1'),
      { ...good('imp-x2'), question: '' },
      good('imp-x3'),
      { ...good('imp-x4'), regionCode: '329900' },
      good('imp-x5'),
    ])
    const count = await ctx.store.collection('entries').count()
    const dry = await ctx.editorial.importEntries(editorA, { format: 'xlsx', data, dryRun: true, publish: false })
    expect(dry.ok).toBe(false)
    expect(dry.problems.map((p) => p.row)).toEqual([3, 5])
    expect(dry.problems[0]!.messages.join()).toMatch(/question/)
    expect(dry.problems[1]!.messages[0]).toBe('列 regionCode（地区代码）：地区代码 329900 不存在')
    const real = await ctx.editorial.importEntries(editorA, { format: 'xlsx', data, dryRun: false, publish: false })
    expect(real).toMatchObject({ ok: false, imported: 0 })
    expect(await ctx.store.collection('entries').count()).toBe(count)
    expect(await ctx.store.collection('entries').get('imp-x1')).toBeUndefined()
  })

  it('reports bad CSV rows by number over HTTP and imports a clean file all at once', async () => {
    const a = await staffAuth(ctx, 'api-editor', 'editor', '320100')
    const csv = [
      'id,kind,title,question,body,regionCode,tags',
      'imp-c1,faq,标题一,问题一,答复一,320100,a|b',
      'imp-c2,faq,标题二,,答复二,320100,',
      'imp-c3,faq,标题三,问题三,答复三,320500,',
      'imp-c1,faq,重复,问题,答复,320100,',
    ].join('\n')
    const res = await app.inject({
      method: 'POST',
      url: '/api/editor/import',
      headers: a,
      payload: { format: 'csv', content: csv, dryRun: false },
    })
    expect(res.statusCode).toBe(400)
    const report = (res.json() as { report: { problems: { row: number; messages: string[] }[] } }).report
    expect(report.problems.map((p) => p.row)).toEqual([3, 4, 5])
    expect(report.problems[1]!.messages.join()).toMatch(/无权导入此层级的条目（city 320500）/)
    expect(report.problems[2]!.messages.join()).toBe('列 id（编号）：编号 imp-c1 重复（第 2 行已有）')
    expect(report.problems[0]!.messages.join()).toBe('列 question（问题）：问答类条目必须填写问题')
    const clean = [
      'id,kind,title,question,body,regionCode,tags',
      'imp-c1,faq,标题一,问题一,答复一,320100,a|b',
      'imp-c2,faq,标题二,问题二,"答复二,含逗号",320100,',
    ].join('\n')
    const ok = await app.inject({
      method: 'POST',
      url: '/api/editor/import',
      headers: a,
      payload: { format: 'csv', content: clean, dryRun: false },
    })
    expect(ok.json()).toMatchObject({ ok: true, imported: 2, created: 2 })
    expect(await ctx.store.collection<Entry>('entries').get('imp-c2')).toMatchObject({
      status: 'draft',
      body: '答复二,含逗号',
      version: 1,
    })
    // Editors may not import straight to published.
    const pub = await app.inject({
      method: 'POST',
      url: '/api/editor/import',
      headers: a,
      payload: { format: 'csv', content: clean, dryRun: false, publish: true },
    })
    expect(pub.statusCode).toBe(403)
  })

  it('JSONL import (publish by a reviewer), guides with structured fields, and export in all formats', async () => {
    const guide = {
      id: 'guide-nj-001',
      kind: 'guide',
      title: '南京市车辆购置税申报',
      body: '在南京购买应税车辆的纳税人申报车辆购置税。',
      source: { title: '南京市税务局' },
      layer: 'city',
      regionCode: '320100',
      effectiveFrom: '2026-01-01',
      effectiveTo: null,
      tags: ['车辆购置税'],
      citedArticleIds: ['车辆购置税法#第十二条'],
      guide: {
        code: 'NJ-CG-001',
        conditions: ['购置应税车辆'],
        materials: ['身份证件', '车辆合格证'],
        steps: ['登录电子税务局', '填写申报表'],
        timeLimit: '即时办结',
        fees: '不收费',
        channels: ['电子税务局'],
      },
    }
    const lines = [
      JSON.stringify(guide),
      '{not json',
      JSON.stringify({ ...guide, id: 'guide-nj-002', guide: { ...guide.guide, code: '' } }),
    ].join('\n')
    const dry = await ctx.editorial.importEntries(reviewerB, {
      format: 'jsonl',
      data: Buffer.from(lines),
      dryRun: true,
      publish: true,
    })
    expect(dry.problems.map((p) => p.row)).toEqual([2, 3])
    const ok = await ctx.editorial.importEntries(reviewerB, {
      format: 'jsonl',
      data: Buffer.from(JSON.stringify(guide)),
      dryRun: false,
      publish: true,
    })
    expect(ok).toMatchObject({ ok: true, imported: 1 })
    // publish:true only submits; a second person approves (test/hardening/import-four-eyes.test.ts).
    expect(await searchIds('南京车辆购置税申报', '320100')).not.toContain('guide-nj-001')
    await ctx.editorial.approve(reviewerNat, 'guide-nj-001')
    expect(await searchIds('南京车辆购置税申报', '320100')).toContain('guide-nj-001')
    for (const format of ['csv', 'xlsx', 'jsonl'] as const) {
      const { data, count } = await ctx.editorial.exportEntries(format, { region: '320100' })
      expect(count).toBeGreaterThan(0)
      // Round trip: what was exported imports back unchanged.
      const back = await ctx.editorial.importEntries(reviewerB, { format, data, dryRun: true, publish: true })
      expect(back.problems).toEqual([])
      expect(back.unchanged).toBe(count)
    }
    const res = await app.inject({
      url: '/api/editor/export?format=csv&kind=guide',
      headers: await staffAuth(ctx, 'api-editor', 'editor', '320100'),
    })
    expect(res.headers['content-type']).toMatch(/text\/csv/)
    expect(res.body).toContain('NJ-CG-001')
  })
})

describe('import help for editors (issue 20 item 19)', () => {
  const row = (id: string, cited: string) => `${id},faq,标题${id},问题${id},答复${id},320100,${cited}`

  it('flags citations of ids that exist neither in the store nor in the file, and still imports', async () => {
    const a = await staffAuth(ctx, 'api-editor', 'editor', '320100')
    const csv = [
      'id,kind,title,question,body,regionCode,citedArticleIds',
      row('cite-1', '个人所得税法#第六条|不存在法#第九十九条'),
      row('cite-2', 'cite-1'),
    ].join('\n')
    const res = await app.inject({
      method: 'POST',
      url: '/api/editor/import',
      headers: a,
      payload: { format: 'csv', content: csv, dryRun: false },
    })
    const body = res.json() as { ok: boolean; imported: number; warnings: { row: number; messages: string[] }[] }
    expect(body).toMatchObject({ ok: true, imported: 2 })
    expect(body.warnings).toEqual([
      { row: 2, id: 'cite-1', messages: ['列 citedArticleIds（引用条文）：引用的条文不存在：不存在法#第九十九条'] },
    ])
  })

  it('a CSV uploaded as XLSX is explained in Chinese, not with a zip library message', async () => {
    const a = await staffAuth(ctx, 'api-editor', 'editor', '320100')
    const csv = Buffer.from(['id,kind,title,question,body,regionCode', row('mix-1', '')].join('\n')).toString('base64')
    const res = await app.inject({
      method: 'POST',
      url: '/api/editor/import',
      headers: a,
      payload: { format: 'xlsx', content: csv, dryRun: true },
    })
    const body = res.json() as { ok: boolean; problems: { row: number; messages: string[] }[] }
    expect(body.ok).toBe(false)
    expect(body.problems[0]!.messages[0]).toMatch(
      /^所选格式为 Excel（XLSX），但上传的文件不是 Excel 工作簿（看起来是CSV 文本）/,
    )
    expect(JSON.stringify(body)).not.toMatch(/zip|jszip|Expected/i)
  })

  it('serves a template per kind that imports back cleanly; only drafters may download it', async () => {
    const a = await staffAuth(ctx, 'api-editor', 'editor', '320100')
    const res = await app.inject({ url: '/api/editor/import-template?kind=guide&format=xlsx', headers: a })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-disposition']).toContain('taxkb-template-guide.xlsx')
    const content = res.rawPayload.toString('base64')
    const dry = await app.inject({
      method: 'POST',
      url: '/api/editor/import',
      headers: a,
      payload: { format: 'xlsx', content, dryRun: true },
    })
    expect(dry.json()).toMatchObject({ ok: true, problems: [], created: 1 })
    const agent = await staffAuth(ctx, 'tpl-agent', 'agent', '320100')
    expect(
      (await app.inject({ url: '/api/editor/import-template?kind=faq&format=csv', headers: agent })).statusCode,
    ).toBe(403)
    const bad = await app.inject({ url: '/api/editor/import-template?kind=poem&format=csv', headers: a })
    expect(bad.json().error.code).toBe('VALIDATION_FAILED')
  })
})

describe('worklists and hot topics', () => {
  it('groups unanswered, low-confidence and badly rated questions by topic; hot topics are public', async () => {
    const now = ctx.clock.now().getTime()
    const at = (h: number) => new Date(now - h * 3600_000).toISOString()
    const row = (id: string, question: string, extra: object) => ({
      id,
      at: at(1),
      sessionId: `s-${id}`,
      channel: 'web',
      regionCode: '320100',
      question,
      intent: 'consult',
      mode: 'faq',
      confidence: 0.9,
      citedIds: ['x'],
      latencyMs: 5,
      ticketId: null,
      topic: '个人所得税',
      ...extra,
    })
    await ctx.store
      .collection<{ id: string; [k: string]: unknown }>('ledger')
      .putMany([
        row('l1', '年终奖怎么交税？', { mode: 'handoff', citedIds: [] }),
        row('l2', '年终奖怎么交税', { mode: 'handoff', citedIds: [] }),
        row('l3', '房租可以抵个税吗', { confidence: 0.2 }),
        row('l4', '印花税税率', { topic: '印花税' }),
        row('l5', '印花税税率', { topic: '印花税', at: at(24 * 10) }),
        row('l6', '帮我订机票', { mode: 'refused', citedIds: [] }),
      ])
    await ctx.store.collection<{ id: string; [k: string]: unknown }>('ratings').put({
      id: 'r1',
      at: at(1),
      sessionId: 's-l4',
      turnId: null,
      helpful: false,
      satisfaction: 1,
      reason: '答非所问',
      question: '印花税税率',
      regionCode: '320100',
    })
    const w = await ctx.editorial.worklists()
    expect(
      (
        await app.inject({
          url: '/api/editor/worklists?days=Infinity',
          headers: await staffAuth(ctx, 'api-editor', 'editor', '320100'),
        })
      ).statusCode,
    ).toBeLessThan(500)
    expect(w.unanswered).toEqual([
      {
        topic: '个人所得税',
        count: 2,
        questions: [expect.objectContaining({ question: '年终奖怎么交税？', count: 2 })],
      },
    ])
    expect(w.lowConfidence[0]).toMatchObject({ topic: '个人所得税', count: 1 })
    expect(w.badlyRated[0]).toMatchObject({
      topic: '印花税',
      count: 1,
      questions: [expect.objectContaining({ reasons: ['答非所问'] })],
    })
    const b = await staffAuth(ctx, 'api-reviewer', 'reviewer', '320100')
    const pin = await app.inject({
      method: 'POST',
      url: '/api/editor/hot-topics/pins',
      headers: b,
      payload: { id: 'guide-nj-001', pinned: true },
    })
    expect(pin.statusCode).toBe(200)
    ctx.editorial.hotTopics.invalidate()
    const hot = (await app.inject({ url: '/api/hot-topics' })).json() as {
      pinned: { id: string }[]
      trending: { question: string; count: number }[]
      cases: unknown[]
      suggestions: string[]
    }
    expect(hot.pinned.map((p) => p.id)).toEqual(['guide-nj-001'])
    // Handoffs, refusals and questions of one or two sessions never trend (test/hardening/hot-topics-abuse.test.ts).
    expect(hot.trending).toEqual([])
    expect(hot.suggestions[0]).toBe('南京市车辆购置税申报')
    // A 苏州 visitor sees neither the 南京 pin nor 南京 questions.
    const sz = (await app.inject({ url: '/api/hot-topics?region=320500' })).json() as {
      pinned: unknown[]
      trending: unknown[]
    }
    expect(sz).toMatchObject({ pinned: [], trending: [] })
    expect((await app.inject({ url: '/api/hot-topics?region=999999' })).statusCode).toBe(400)
    await app.inject({
      method: 'POST',
      url: '/api/editor/hot-topics/pins',
      headers: b,
      payload: { id: 'guide-nj-001', pinned: false },
    })
    ctx.editorial.hotTopics.invalidate()
    expect(((await app.inject({ url: '/api/hot-topics' })).json() as { pinned: unknown[] }).pinned).toEqual([])
  })
})

describe('lexicon editing', () => {
  it('a new synonym takes effect without a restart and is saved to the data dir, not the repo', async () => {
    const ed = ctx.editorial
    await ed.create(
      editorA,
      faq('faq-nj-hongzi', '开具红字发票前，购买方应先在电子税务局确认信息。', {
        title: '南京红字发票开具',
        question: '南京怎么开红字发票',
      }),
    )
    await ed.submit(editorA, 'faq-nj-hongzi')
    await ed.approve(reviewerB, 'faq-nj-hongzi')
    expect(await searchIds('冲红怎么弄', '320100')).not.toContain('faq-nj-hongzi')
    const bundled = fs.readFileSync(path.join(REPO_ROOT_FOR_TESTS, 'knowledge', 'lexicon', 'synonyms.txt'), 'utf8')
    const current = ed.lexiconFiles().find((f) => f.name === 'synonyms.txt')!
    expect(current.source).toBe('bundled')
    // The global lexicon: a national editor proposes, another approves (test/hardening/lexicon-review.test.ts).
    const a = await staffAuth(ctx, 'api-editor-nat', 'editor', null)
    const second = await staffAuth(ctx, 'api-reviewer-nat', 'reviewer', null)
    // Whoever holds the analyzer (the answering service does) sees the new lexicon through the same handle.
    const handle = ctx.index.analyzer
    expect([...handle.query('冲红怎么弄').weights.keys()].some((t) => t.startsWith('红字'))).toBe(false)
    const bad = await app.inject({
      method: 'PUT',
      url: '/api/editor/lexicon/synonyms.txt',
      headers: a,
      payload: { text: `${current.text}\n孤零零\n` },
    })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().error.message).toMatch(/第 \d+ 行/)
    const proposed = await app.inject({
      method: 'PUT',
      url: '/api/editor/lexicon/synonyms.txt',
      headers: a,
      payload: { text: `${current.text.trimEnd()}\n红字发票,冲红\n` },
    })
    expect(proposed.statusCode).toBe(202)
    const url = `/api/editor/lexicon/proposals/${proposed.json().id}/approve`
    const res = await app.inject({ method: 'POST', url, headers: second, payload: {} })
    expect(res.statusCode).toBe(200)
    expect(await searchIds('冲红怎么弄', '320100')).toContain('faq-nj-hongzi')
    expect(fs.readFileSync(path.join(ctx.config.dataDir, 'lexicon', 'synonyms.txt'), 'utf8')).toContain('红字发票,冲红')
    expect(fs.readFileSync(path.join(REPO_ROOT_FOR_TESTS, 'knowledge', 'lexicon', 'synonyms.txt'), 'utf8')).toBe(
      bundled,
    )
    expect(ctx.lexicon.synonymGroups.some((g) => g.includes('冲红'))).toBe(true)
    expect([...handle.query('冲红怎么弄').weights.keys()].some((t) => t.startsWith('红字'))).toBe(true)
    expect(ed.lexiconFiles().find((f) => f.name === 'synonyms.txt')!.source).toBe('overlay')
    // What the container loads at the next start: the overlay wins over the bundled file.
    expect(loadLexiconWithOverlay(ctx.config.lexiconDir, ctx.config.dataDir).hash).toBe(ctx.lexicon.hash)
  })
})
