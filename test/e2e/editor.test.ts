/**
 * The editor console in real Chromium against a listening server: editor A (南京, 320100) drafts a local
 * FAQ, cannot approve it, reviewer B (江苏, 320000) approves and publishes it; within a second it is
 * searchable (and cited by the chat, when the answering service is present) for 南京 but not for 苏州;
 * a later revision is rolled back and the previous text is live again. Also: the XLSX dry-run report, and
 * (issue 20 items 13, 19) China time in the list, missing-citation warnings, a CSV sent as XLSX, templates.
 * A failing step leaves a screenshot in test-artifacts/.
 */
import fs from 'node:fs'
import path from 'node:path'
import ExcelJS from 'exceljs'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { listenAndLaunch, consoleLogin, describeWithChromium, runInPage } from './chromium.js'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus } from '../helpers/env.js'
import { ARTIFACTS } from './screenshots.js'

const ID = 'faq-nj-fapiao-e2e'
const QUESTION = '南京新办企业多久能领发票'
const V1 = '在南京，新办企业完成税务报到后，符合条件的当日即可在电子税务局申领发票。'
const V2 = '在南京，新办企业完成税务报到后，一般需要3个工作日才能申领发票。'
const CITE_ID = 'faq-nj-e2e-cite'

describeWithChromium('editor console in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let api = ''

  beforeAll(async () => {
    ctx = await containerWithCorpus()
    await ctx.users.add({ username: 'nj-editor', role: 'editor', regionCode: '320100', password: 'password-123' })
    await ctx.users.add({ username: 'js-reviewer', role: 'reviewer', regionCode: '320000', password: 'password-123' })
    app = await build(ctx.config, { container: ctx, logger: false })
    ;({ base: api, browser } = await listenAndLaunch(app))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  const withPage = (name: string, run: (page: Page, problems: string[]) => Promise<void>) =>
    runInPage(browser, 'editor', name, run)
  const login = (page: Page, username: string) => consoleLogin(page, `${api}/editor`, username)

  async function searchIds(q: string, region: string): Promise<string[]> {
    const res = await fetch(`${api}/api/search?q=${encodeURIComponent(q)}&region=${region}`)
    return ((await res.json()) as { hits: { id: string }[] }).hits.map((h) => h.id)
  }

  async function within(ms: number, check: () => Promise<boolean>): Promise<number> {
    const t0 = Date.now()
    while (!(await check())) {
      if (Date.now() - t0 > ms) throw new Error(`not within ${ms} ms`)
      await new Promise((r) => setTimeout(r, 25))
    }
    return Date.now() - t0
  }

  async function openFromList(page: Page, id: string): Promise<void> {
    await page.fill('#f-q', id)
    await page.click('#filters button[type=submit]')
    await page.click(`#entry-rows tr[data-id="${id}"]`)
    await page.waitForSelector('#editor-panel:not([hidden])')
  }

  it('A drafts a 南京 FAQ, cannot approve it; B approves; it is live for 南京 only; rollback restores the text', async () => {
    await withPage('a-drafts', async (page) => {
      await login(page, 'nj-editor')
      await page.click('#new-entry')
      await page.selectOption('#e-kind', 'faq')
      // A generated id (kind, the editor's region, China date), editable (issue 20 item 17).
      expect(await page.inputValue('#e-id')).toMatch(/^faq-320100-\d{8}-[0-9a-z]{4}$/)
      await page.fill('#e-id', ID)
      await page.fill('#e-title', '南京市新办企业领用发票时间')
      // Validation messages: the question is missing.
      await page.fill('#e-body', V1)
      await page.click('#ed-save')
      await expect.poll(() => page.textContent('#form-errors')).toContain('请填写问题')
      await page.fill('#e-question', QUESTION)
      expect(await page.inputValue('#e-region')).toBe('320100')
      await page.click('#ed-save')
      await page.waitForSelector('#ed-state:has-text("草稿")')
      await page.click('#ed-submit')
      await page.waitForSelector('#ed-state:has-text("待审核")')
      // A is an editor: no approve control, and the API refuses too.
      expect(await page.isVisible('#ed-approve')).toBe(false)
      const status = await page.evaluate(async (id) => {
        const csrf = /taxkb_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? ''
        const r = await fetch(`/api/editor/entries/${encodeURIComponent(id)}/approve`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
          body: '{}',
        })
        return r.status
      }, ID)
      expect(status).toBe(403)
    })
    expect(await searchIds(QUESTION, '320100')).not.toContain(ID)

    await withPage('b-approves', async (page) => {
      await login(page, 'js-reviewer')
      await page.click('#tabs button[data-tab=review]')
      await page.click(`#review-rows tr[data-id="${ID}"] button`)
      await page.waitForSelector('#review-box:not([hidden])')
      await page.fill('#ed-comment', '内容准确，同意发布')
      await page.click('#ed-approve')
      const t0 = Date.now()
      await page.waitForSelector('#ed-state:has-text("已发布")')
      const took = await within(1000, async () => (await searchIds(QUESTION, '320100')).includes(ID))
      expect(Date.now() - t0).toBeLessThan(2000)
      expect(took).toBeLessThan(1000)
      expect(await searchIds(QUESTION, '320500')).not.toContain(ID)
    })

    // The chat answers a 南京 question citing the new entry, and a 苏州 question does not see it.
    const chat = async (region: string, message = QUESTION) => {
      const r = await fetch(`${api}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, region }),
      })
      return { status: r.status, body: (await r.json()) as { citations?: { id: string }[] } }
    }
    const nj = await chat('320100')
    if (nj.status !== 404) {
      expect(nj.status).toBe(200)
      expect(nj.body.citations?.map((c) => c.id)).toContain(ID)
      const sz = await chat('320500', '苏州新办企业多久能领发票')
      expect(sz.body.citations?.map((c) => c.id) ?? []).not.toContain(ID)
    }

    // A revises the live entry; B approves; then B rolls back to the first published version.
    await withPage('a-revises', async (page) => {
      await login(page, 'nj-editor')
      await openFromList(page, ID)
      await page.fill('#e-body', V2)
      await page.click('#ed-save')
      await page.waitForSelector('#ed-state:has-text("待审修订")')
      await page.click('#ed-submit')
      await page.waitForSelector('#ed-state:has-text("待审修订：待审核")')
    })
    // While the revision waits, the live text is still V1.
    expect((await (await fetch(`${api}/api/entries/${encodeURIComponent(ID)}`)).json()).body).toBe(V1)

    await withPage('b-rollback', async (page) => {
      await login(page, 'js-reviewer')
      await page.click('#tabs button[data-tab=review]')
      await page.click(`#review-rows tr[data-id="${ID}"] button`)
      await page.waitForSelector('#review-box:not([hidden])')
      await page.click('#ed-approve')
      await page.waitForSelector('#ed-state:has-text("v4")')
      expect((await (await fetch(`${api}/api/entries/${encodeURIComponent(ID)}`)).json()).body).toBe(V2)
      // Diff of the two newest versions shows the changed text.
      await page.click('#ed-diff')
      await page.waitForSelector('#diff-out ins')
      // By default the last two different texts, not draft vs approval of one text (issue 20 item 14).
      expect(await page.locator('#diff-out .diff-text').count()).toBeGreaterThan(0)
      // Roll back to v2 (the first published text).
      await page.click('#version-rows button[data-version="2"]')
      await page.waitForSelector('#ed-state:has-text("v5")')
      expect(await page.inputValue('#e-body')).toBe(V1)
    })
    expect((await (await fetch(`${api}/api/entries/${encodeURIComponent(ID)}`)).json()).body).toBe(V1)
    const audit = await ctx.editorial.auditLog({ entryId: ID })
    expect(audit.map((a) => `${a.action}:${a.actorId}`).reverse()).toEqual([
      'create:nj-editor',
      'submit:nj-editor',
      'approve:js-reviewer',
      'save:nj-editor',
      'submit:nj-editor',
      'approve:js-reviewer',
      'rollback:js-reviewer',
    ])
  }, 120_000)

  it('the import screen shows every bad row of an XLSX and imports nothing', async () => {
    const wb = new ExcelJS.Workbook()
    const ws = wb.addWorksheet('entries')
    ws.addRow(['id', 'kind', 'title', 'question', 'body', 'regionCode'])
    ws.addRow(['e2e-imp-1', 'faq', '标题', '问题', '答复', '320100'])
    ws.addRow(['e2e-imp-2', 'faq', '标题', '', '答复', '320100'])
    ws.addRow(['e2e-imp-3', 'faq', '标题', '问题', '答复', '320500'])
    const file = path.join(ctx.config.dataDir, 'bad.xlsx')
    await wb.xlsx.writeFile(file)
    await withPage('import', async (page) => {
      await login(page, 'nj-editor')
      await page.click('#tabs button[data-tab=import]')
      await page.selectOption('#imp-format', 'xlsx')
      await page.setInputFiles('#imp-file', file)
      await page.click('#imp-run')
      await page.waitForSelector('#imp-verdict')
      expect(await page.textContent('#imp-verdict')).toContain('未导入任何条目')
      expect(
        await page
          .locator('#imp-report tr[data-row]')
          .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-row'))),
      ).toEqual(['3', '4'])
    })
    expect(await ctx.store.collection('entries').get('e2e-imp-1')).toBeUndefined()
  }, 60_000)

  it('flags a missing citation, explains a CSV sent as XLSX, offers templates, shows China time', async () => {
    const csv = path.join(ctx.config.dataDir, 'cite.csv')
    fs.writeFileSync(
      csv,
      `id,kind,title,question,body,regionCode,citedArticleIds\n${CITE_ID},faq,领票,多久领票,当日可领,320100,不存在法#第一条\n`,
    )
    const context = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(e.message))
    try {
      await page.goto(`${api}/editor`)
      await page.fill('#login-username', 'nj-editor')
      await page.fill('#login-password', 'password-123')
      await page.click('#login-submit')
      await page.waitForSelector('#app-view:not([hidden])')
      await page.click('#tabs button[data-tab=import]')

      await page.selectOption('#imp-format', 'csv')
      await page.setInputFiles('#imp-file', csv)
      await page.click('#imp-run')
      await page.waitForSelector('#imp-warnings')
      expect(await page.textContent('#imp-verdict')).toContain('导入完成：已导入 1 条')
      expect(await page.textContent('#imp-report tr[data-warning-row="2"]')).toContain(
        '引用的条文不存在：不存在法#第一条',
      )

      await page.selectOption('#imp-format', 'xlsx')
      await page.click('#imp-dry')
      await page.waitForSelector('#imp-verdict.error')
      expect(await page.textContent('#imp-verdict')).toBe('预检未通过：文件无法读取')
      const report = (await page.textContent('#imp-report')) ?? ''
      expect(report).toContain('所选格式为 Excel（XLSX），但上传的文件不是 Excel 工作簿（看起来是CSV 文本）')
      expect(report).not.toMatch(/zip|Expected|https?:/i)
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: path.join(ARTIFACTS, 'editor-import-help.png'), fullPage: true })

      await page.selectOption('#imp-format', 'csv')
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#imp-templates button[data-template=guide]'),
      ])
      expect(download.suggestedFilename()).toBe('taxkb-template-guide.csv')
      const text = fs.readFileSync((await download.path()) as string, 'utf8')
      expect(text).toMatch(/^\uFEFF?id,kind,title,question,body,layer,regionCode,effectiveFrom/)
      expect(text).toContain('guide-320100-示例-0001')

      await page.click('#tabs button[data-tab=entries]')
      await page.fill('#f-q', CITE_ID)
      await page.press('#f-q', 'Enter')
      await page.waitForSelector(`#entry-rows tr[data-id="${CITE_ID}"]`)
      const row = (await page.textContent(`#entry-rows tr[data-id="${CITE_ID}"]`)) ?? ''
      expect(row).toContain('2026-11-25 10:00')
      expect(row).not.toContain('02:00')
      expect(problems).toEqual([])
    } catch (e) {
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page
        .screenshot({ path: path.join(ARTIFACTS, 'editor-import-help-failed.png'), fullPage: true })
        .catch(() => {})
      throw e
    } finally {
      await context.close()
    }
  }, 90_000)
})
