/** Issue 20 item 19: import problems in Chinese naming the column and the expected form; format mix-ups. */
import { describe, expect, it } from 'vitest'
import { validateEntry } from '../../knowledge/entry.js'
import { parseEntries, writeEntries } from '../../services/editorial/entry-table.js'
import { columnOfPath, fieldMessage, formatMismatch, valueAt } from '../../services/editorial/import-messages.js'
import { importTemplate, TEMPLATE_KINDS, templateExample } from '../../services/editorial/import-templates.js'

describe('fieldMessage', () => {
  it('maps validator paths to the file columns', () => {
    expect(columnOfPath('/effectiveFrom')).toBe('effectiveFrom')
    expect(columnOfPath('/guide/steps/2')).toBe('guideSteps')
    expect(columnOfPath('/source/url')).toBe('sourceUrl')
    expect(columnOfPath('/tags/0')).toBe('tags')
  })

  it('a bad date names the column, shows the value and the expected form, with no English validator text', () => {
    const entry = { ...templateExample('faq'), effectiveFrom: '2026/1/1' }
    const [problem] = validateEntry(entry)
    expect(problem?.path).toBe('/effectiveFrom')
    const msg = fieldMessage(problem!, valueAt(entry, problem!.path), 'csv')
    expect(msg).toBe(
      '列 effectiveFrom（生效日期）：当前值为「2026/1/1」，应为YYYY-MM-DD 格式的日期（如 2026-01-01），或留空',
    )
    expect(msg).not.toMatch(/Expected/)
    expect(fieldMessage(problem!, '2026/1/1', 'jsonl')).toMatch(/^字段 effectiveFrom/)
  })

  it('a bad id and the rules a schema cannot say come out in Chinese too', () => {
    const bad = { ...templateExample('faq'), id: 'has  space' }
    const [p] = validateEntry(bad)
    expect(fieldMessage(p!, valueAt(bad, p!.path), 'xlsx')).toMatch(
      /^列 id（编号）：当前值为「has {2}space」，应为不含 \/ 和 \? 的编号.*空格只能单个出现在中间/,
    )
    const noQuestion = { ...templateExample('faq') } as Record<string, unknown>
    delete noQuestion.question
    const [q] = validateEntry(noQuestion)
    expect(fieldMessage(q!, undefined, 'csv')).toBe('列 question（问题）：问答类条目必须填写问题')
  })
})

describe('formatMismatch', () => {
  it('explains a CSV uploaded while XLSX is selected, in Chinese', async () => {
    const csv = Buffer.from('id,kind,title,body\nfaq-1,faq,标题,正文\n')
    expect(formatMismatch('xlsx', csv)).toMatch(/所选格式为 Excel（XLSX）.*看起来是CSV 文本.*请把格式改为 CSV/)
    expect(formatMismatch('csv', csv)).toBeNull()
  })

  it('explains an XLSX uploaded while CSV or JSONL is selected', async () => {
    const xlsx = await importTemplate('faq', 'xlsx')
    expect(formatMismatch('csv', xlsx)).toMatch(/是 Excel 工作簿/)
    expect(formatMismatch('jsonl', xlsx)).toMatch(/是 Excel 工作簿/)
    expect(formatMismatch('xlsx', xlsx)).toBeNull()
  })
})

describe('import templates', () => {
  it.each(TEMPLATE_KINDS.flatMap((k) => (['csv', 'xlsx', 'jsonl'] as const).map((f) => [k, f] as const)))(
    '%s as %s parses back to one valid row of that kind',
    async (kind, format) => {
      const parsed = await parseEntries(format, await importTemplate(kind, format))
      expect(parsed.fileProblems).toEqual([])
      expect(parsed.rows).toHaveLength(1)
      const row = parsed.rows[0]!
      expect(row.problems).toEqual([])
      expect(row.input?.kind).toBe(kind)
      const candidate = { ...row.input, status: 'draft', version: 1, updatedAt: '2026-01-01T00:00:00Z' }
      expect(validateEntry(candidate)).toEqual([])
    },
  )

  it('a CSV template carries every column the importer reads', async () => {
    const header = (await writeEntries('csv', [templateExample('guide')])).toString('utf8').split(/\r?\n/)[0]
    for (const c of ['id', 'kind', 'effectiveFrom', 'citedArticleIds', 'guideSteps']) expect(header).toContain(c)
  })
})
