/**
 * Finding 12: messages starting with = + - @ (or tab / CR) landed as live formulas in the ledger, ticket
 * and entry CSV exports. Every exported cell that a spreadsheet would evaluate is now prefixed with `'`
 * (OWASP CSV injection), XLSX cells are plain strings, and re-importing an exported entries CSV restores
 * the original text.
 */
import ExcelJS from 'exceljs'
import { parse } from 'csv-parse/sync'
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import { permissionsOf } from '../../services/auth/roles.js'
import { parseCsvEntries } from '../../services/editorial/entry-table.js'
import { staffAuth } from '../helpers/env.js'

const PAYLOADS = [
  '=HYPERLINK("http://evil.example","增值税")',
  '+SUM(1,2)',
  '-2+3 增值税',
  '@SUM(A1) 发票',
  '\t=1+1 个税',
  '\r=1+1 社保',
]
const TRIGGER = /^[=+\-@\t\r]/

let ctx: Container
let app: FastifyInstance
let admin: Record<string, string>

useApp(async (c, a) => {
  ctx = c
  app = a
  admin = await staffAuth(ctx, 'csv-admin', 'admin', null)
  for (const message of PAYLOADS) {
    const s = await app.inject({ method: 'POST', url: '/api/chat', payload: { message, region: '320100' } })
    expect(s.statusCode).toBe(200)
    const url = `/api/chat/${encodeURIComponent(s.json().sessionId)}/handoff`
    expect((await app.inject({ method: 'POST', url, payload: { consent: true } })).statusCode).toBe(200)
  }
  const staff = (id: string, role: 'editor' | 'reviewer') => ({
    id,
    name: id,
    role,
    regionCode: null,
    permissions: permissionsOf(role),
  })
  const editor = staff('csv-editor', 'editor')
  const reviewer = staff('csv-reviewer', 'reviewer')
  await ctx.editorial.create(editor, {
    id: 'faq-csv-formula',
    kind: 'faq',
    title: '=1+1',
    question: '+cmd|calc',
    body: '@SUM(A1) 正文',
    source: { title: '-测试' },
    layer: 'national',
    regionCode: null,
    effectiveFrom: null,
    effectiveTo: null,
    tags: ['=tag'],
    citedArticleIds: [],
  })
  await ctx.editorial.submit(editor, 'faq-csv-formula')
  await ctx.editorial.approve(reviewer, 'faq-csv-formula')
})

function cellsOf(csv: string): string[] {
  return (parse(csv, { bom: true, relax_column_count: true }) as string[][]).flat()
}

describe('CSV formula injection', () => {
  it('ledger, tickets and entries CSV: no cell starts with = + - @ tab or CR', async () => {
    for (const url of [
      '/api/admin/ledger?format=csv',
      '/api/admin/tickets?format=csv',
      '/api/editor/export?format=csv',
    ]) {
      const res = await app.inject({ url, headers: admin })
      expect(res.statusCode, url).toBe(200)
      const cells = cellsOf(res.body)
      expect(
        cells.filter((c) => TRIGGER.test(c)),
        url,
      ).toEqual([])
      expect(
        cells.some((c) => /^'[=+\-@\t\r]/.test(c)),
        `${url} lost the payloads`,
      ).toBe(true)
    }
  })

  it('re-importing an exported entries CSV gets the original text back', async () => {
    const res = await app.inject({ url: '/api/editor/export?format=csv', headers: admin })
    const row = parseCsvEntries(res.body).rows.find((r) => r.input?.id === 'faq-csv-formula')!
    expect(row.input).toMatchObject({ title: '=1+1', question: '+cmd|calc', body: '@SUM(A1) 正文' })
  })

  it('XLSX export holds strings, never formulas', async () => {
    const res = await app.inject({ url: '/api/editor/export?format=xlsx', headers: admin })
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer)
    let found = false
    wb.worksheets[0]!.eachRow((r) =>
      r.eachCell((c) => {
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Null, ExcelJS.ValueType.RichText]).toContain(c.type)
        if (c.value === '=1+1') found = true
      }),
    )
    expect(found).toBe(true)
  })
})
