/**
 * The operations dashboard (/admin) in real Chromium over the seeded week of test/helpers/dashboard-seed.ts
 * (hand counts in test/integration/dashboard.test.ts): the 江苏 provincial manager sees the province's
 * figures, exports a chart as PNG and its table as CSV, and follows an overdue ticket into the agent
 * console; the 南京 city manager sees 南京 only. Both see the bookings, surveys, satisfaction and follow-ups
 * of test/helpers/service-seed.ts for their region. Screenshots of failures go to test-artifacts/; the README
 * screenshot is written there too (admin-dashboard.png).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './chromium.js'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { cn, seedDashboardWeek } from '../helpers/dashboard-seed.js'
import { containerWithCorpus } from '../helpers/env.js'
import { seedServiceWeek } from '../helpers/service-seed.js'

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts')
const PASSWORD = 'Manager-pass-2026'

async function shootOnFailure(page: Page, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, `admin-${name}.png`), fullPage: true }).catch(() => undefined)
    throw error
  }
}

async function login(page: Page, base: string, username: string): Promise<void> {
  await page.goto(`${base}/admin`)
  await page.locator('#login-username').fill(username)
  await page.locator('#login-password').fill(PASSWORD)
  await page.locator('#login-submit').click()
  await page.locator('#app-view').waitFor({ state: 'visible' })
  await page.locator('#from').fill('2026-11-02')
  await page.locator('#to').fill('2026-11-06')
  await page.locator('#range-form button[type=submit]').click()
  await expect.poll(() => page.locator('#range-note').textContent()).toContain('2026-11-02 至 2026-11-06')
}

const kpi = (page: Page, label: string) => page.locator('.kpi', { hasText: label }).locator('.k-value').textContent()

describeWithChromium('operations dashboard in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let base = ''
  const ids: Record<string, string> = {}

  beforeAll(async () => {
    ctx = await containerWithCorpus(undefined, { bookingHallsFile: '' }, cn('2026-10-29T10:00'))
    Object.assign(ids, await seedDashboardWeek(ctx))
    await seedServiceWeek(ctx) // hand counts in test/integration/dashboard-services.test.ts
    ;(ctx.clock as unknown as { set(v: string): void }).set(cn('2026-11-09T10:00'))
    const users = [
      { username: 'js-manager', name: '江苏12366中心主任', role: 'manager', regionCode: '320000' },
      { username: 'nj-manager', name: '南京12366负责人', role: 'manager', regionCode: '320100' },
      { username: 'js-agent', name: '江苏坐席', role: 'agent', regionCode: '320000', seatGroup: '320000-center' },
    ]
    for (const u of users) await ctx.users.add({ ...u, password: PASSWORD })
    app = await build(ctx.config, { container: ctx, logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  it('provincial manager: figures, table view, PNG and CSV export, overdue ticket opens in the console', async () => {
    const context = await browser.newContext({
      viewport: { width: 1400, height: 900 },
      locale: 'zh-CN',
      acceptDownloads: true,
    })
    const page = await context.newPage()
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await shootOnFailure(page, 'province', async () => {
      await login(page, base, 'js-manager')
      expect(await kpi(page, '咨询量')).toBe('6')
      expect(await kpi(page, '智能应答占比')).toBe('50.0%')
      expect(await kpi(page, '按期办理率')).toBe('33.3%')
      expect(await page.locator('.kpi', { hasText: '咨询量' }).locator('.k-prev').textContent()).toContain('2')

      // Every chart has a definition tooltip and a table view.
      const volume = page.locator('[data-figure="volume"]')
      expect(await volume.locator('.info').getAttribute('title')).toContain('台账记录')
      await volume.getByRole('button', { name: '表格视图' }).click()
      const cells = await volume.locator('tbody tr').first().locator('td').allTextContents()
      expect(cells.slice(0, 3)).toEqual(['2026-11-02', '是', '2'])
      expect(await page.locator('section.chart svg').count()).toBeGreaterThanOrEqual(12)

      // PNG export of a chart.
      const [png] = await Promise.all([
        page.waitForEvent('download'),
        volume.getByRole('button', { name: '导出 PNG' }).click(),
      ])
      const pngBytes = fs.readFileSync(await png.path())
      expect(pngBytes.subarray(1, 4).toString('latin1')).toBe('PNG')
      expect(pngBytes.length).toBeGreaterThan(2000)

      // CSV export of the handoff reasons.
      const reasons = page.locator('[data-figure="handoffReasons"]')
      const [csv] = await Promise.all([
        page.waitForEvent('download'),
        reasons.getByRole('link', { name: '导出 CSV' }).click(),
      ])
      const text = fs.readFileSync(await csv.path(), 'utf8')
      expect(text.startsWith('\ufeff原因,转人工量')).toBe(true)
      expect(text).toContain('低置信度,1')

      // Overdue list: 无锡 B and 南京 C (confidential), not 北京 D.
      const overdue = page.locator('[data-figure="overdue"] tbody tr')
      await expect.poll(() => overdue.count()).toBe(2)
      expect(await overdue.nth(1).textContent()).toContain('（保密）')
      expect(await page.content()).not.toContain('王五')
      const number = (await overdue.first().locator('a').textContent()) ?? ''
      expect(await overdue.first().locator('a').getAttribute('href')).toBe(`/console/#ticket=${ids.B}`)

      // Bookings, surveys, satisfaction and follow-ups (hand counts: dashboard-services.test.ts).
      expect(await kpi(page, '预约利用率')).toBe('14.7%')
      expect(await kpi(page, '爽约率')).toBe('40.0%')
      expect(await kpi(page, '回访新建 / 完成')).toBe('3 / 2')
      expect(await kpi(page, '回访未完成（其中超期）')).toBe('2（1）')
      const halls = page.locator('[data-figure="bookingHalls"]')
      expect(await halls.locator('.info').getAttribute('title')).toContain('爽约率 = 爽约')
      await halls.getByRole('button', { name: '表格视图' }).click()
      expect(await halls.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
        '南京测试办税服务厅',
        '320100',
        '24',
        '4',
        '16.7',
        '2',
        '2',
        '50',
        '1',
      ])
      const surveys = page.locator('[data-figure="surveyResponses"] tbody tr')
      expect(await surveys.count()).toBe(2)
      const [hallCsv] = await Promise.all([
        page.waitForEvent('download'),
        halls.getByRole('link', { name: '导出 CSV' }).click(),
      ])
      expect(fs.readFileSync(await hallCsv.path(), 'utf8')).toContain('无锡测试办税服务厅,320200,10,1,10')
      const bookingDays = page.locator('[data-figure="bookingDays"]')
      const [dayPng] = await Promise.all([
        page.waitForEvent('download'),
        bookingDays.getByRole('button', { name: '导出 PNG' }).click(),
      ])
      expect(
        fs
          .readFileSync(await dayPng.path())
          .subarray(1, 4)
          .toString('latin1'),
      ).toBe('PNG')

      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await halls.scrollIntoViewIfNeeded()
      await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard-services.png'), fullPage: false })
      await page.evaluate(() => window.scrollTo(0, 0))
      await page.screenshot({ path: path.join(ARTIFACTS, 'admin-dashboard.png'), fullPage: false })

      const [consolePage] = await Promise.all([context.waitForEvent('page'), overdue.first().locator('a').click()])
      await consolePage.locator('#login-username').fill('js-agent')
      await consolePage.locator('#login-password').fill(PASSWORD)
      await consolePage.locator('#login-submit').click()
      await expect.poll(() => consolePage.locator('#d-number').textContent()).toContain(number)
      expect(await consolePage.locator('#d-question').textContent()).toContain('社保问题')
      expect(errors).toEqual([])
    })
    await context.close()
  }, 60_000)

  it('city manager sees 南京 only', async () => {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' })
    const page = await context.newPage()
    await shootOnFailure(page, 'city', async () => {
      await login(page, base, 'nj-manager')
      expect(await kpi(page, '咨询量')).toBe('4')
      expect(await page.locator('[data-figure="overdue"] tbody tr').count()).toBe(1)
      expect(await page.locator('#region option').count()).toBe(1)
      expect(await kpi(page, '预约利用率')).toBe('16.7%')
      expect(await kpi(page, '爽约率')).toBe('50.0%')
      const halls = await page.locator('[data-figure="bookingHalls"] tbody tr').allTextContents()
      expect(halls).toHaveLength(1)
      expect(halls[0]).toContain('南京测试办税服务厅')
      const surveys = await page.locator('[data-figure="surveyResponses"] tbody tr').allTextContents()
      expect(surveys).toEqual([expect.stringContaining('南京办税体验调查')])
      expect(await page.content()).not.toContain('无锡测试')
      const total = page.locator('[data-figure="serviceSatisfaction"] tbody tr', { hasText: '合计' })
      expect(await total.locator('td').allTextContents()).toEqual(['合计', '3', '2', '66.7', '3.33'])
    })
    await context.close()
  }, 60_000)
})
