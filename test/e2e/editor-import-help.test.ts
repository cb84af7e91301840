/**
 * Issue 20 items 13 and 19 in real Chromium: the editor console shows China time (the server clock is pinned
 * at 02:00 UTC = 10:00 in Beijing), a missing citation is flagged after an import, a CSV uploaded while XLSX
 * is selected is explained in Chinese, and the template buttons download a file that names every column.
 * Screenshots go to test-artifacts/ (always for the import report, which a reviewer looks at).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromium, type Browser } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './chromium.js'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { containerWithCorpus } from '../helpers/env.js'

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts')
const ID = 'faq-nj-e2e-cite'

describeWithChromium('editor import help and China time in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let api = ''

  beforeAll(async () => {
    ctx = await containerWithCorpus(undefined, {}, '2026-11-25T02:00:00Z')
    await ctx.users.add({ username: 'nj-editor', role: 'editor', regionCode: '320100', password: 'password-123' })
    app = await build(ctx.config, { container: ctx, logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    api = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  it('flags a missing citation, explains a CSV sent as XLSX, offers templates, shows China time', async () => {
    const csv = path.join(ctx.config.dataDir, 'cite.csv')
    fs.writeFileSync(
      csv,
      `id,kind,title,question,body,regionCode,citedArticleIds\n${ID},faq,领票,多久领票,当日可领,320100,不存在法#第一条\n`,
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
      await page.fill('#f-q', ID)
      await page.press('#f-q', 'Enter')
      await page.waitForSelector(`#entry-rows tr[data-id="${ID}"]`)
      const row = (await page.textContent(`#entry-rows tr[data-id="${ID}"]`)) ?? ''
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
