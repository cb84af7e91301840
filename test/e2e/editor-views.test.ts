/**
 * The editor console's views in real Chromium at 1366×768 (issue 20 items 15, 16, 18; issue 22's draft link):
 * the dashboard's `/editor/#new=<topic>` link opens a prefilled draft; the edit panel closes on a view switch
 * and docks beside the review queue so every queue button stays clickable; the entry list starts at the
 * editor's own region and the kinds they write, with counts per kind; 操作日志 shows editorial events in
 * Chinese with people's names, filterable, and no raw request rows (those only for admins, on request).
 * Screenshots of each view go to test-artifacts/ (editor-views-*.png).
 */
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { consoleLogin, describeWithChromium, listenAndLaunch, runInPage } from './chromium.js'
import { ARTIFACTS } from './screenshots.js'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { templateExample } from '../../services/editorial/import-templates.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'

const EDITOR_NAME = '南京编辑小张'
const REVIEWER_NAME = '江苏审核老李'
const TOPIC = '小规模纳税人 季度免征额'

/** Seeded at 320100 by the 南京 editor: 2 FAQ, 1 guide, 1 hot-topic; three of them submitted for review. */
const SEEDS = [
  { ...templateExample('faq'), id: 'faq-nj-view-1', title: '南京问答一', question: '南京问答一？' },
  { ...templateExample('faq'), id: 'faq-nj-view-2', title: '南京问答二', question: '南京问答二？' },
  { ...templateExample('guide'), id: 'guide-nj-view-1', title: '南京指南一' },
  { ...templateExample('hot-topic'), id: 'hot-nj-view-1', title: '南京热点一' },
].map((e) => ({ ...e, citedArticleIds: [] }))
const IN_REVIEW = ['faq-nj-view-1', 'faq-nj-view-2', 'guide-nj-view-1']

describeWithChromium('editor console views in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let base = ''

  beforeAll(async () => {
    ctx = await containerWithCorpus()
    await ctx.users.add({
      username: 'nj-editor',
      name: EDITOR_NAME,
      role: 'editor',
      regionCode: '320100',
      password: 'password-123',
    })
    await ctx.users.add({
      username: 'js-reviewer',
      name: REVIEWER_NAME,
      role: 'reviewer',
      regionCode: '320000',
      password: 'password-123',
    })
    await ctx.users.add({
      username: 'root',
      name: '系统管理员',
      role: 'admin',
      regionCode: null,
      password: 'password-123',
    })
    app = await build(ctx.config, { container: ctx, logger: false })
    const editor = await staffAuth(ctx, 'nj-editor', 'editor', '320100')
    for (const e of SEEDS) {
      const { status: _s, version: _v, updatedAt: _u, ...body } = e
      const created = await app.inject({ method: 'POST', url: '/api/editor/entries', headers: editor, payload: body })
      expect(created.statusCode, created.body).toBe(201)
    }
    for (const id of IN_REVIEW) {
      const r = await app.inject({
        method: 'POST',
        url: `/api/editor/entries/${id}/submit`,
        headers: editor,
        payload: {},
      })
      expect(r.statusCode, r.body).toBe(200)
    }
    ;({ base, browser } = await listenAndLaunch(app))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  const withPage = (name: string, run: (page: Page) => Promise<void>) =>
    runInPage(browser, 'editor-views', name, run, { viewport: { width: 1366, height: 768 }, screenshot: 'always' })

  /** The element a click at the centre of `selector` would hit is that element (nothing covers it). */
  const uncovered = (page: Page, selector: string) =>
    page.locator(selector).evaluate((node) => {
      const r = node.getBoundingClientRect()
      const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2)
      return r.width > 0 && hit !== null && (hit === node || node.contains(hit))
    })

  it("the dashboard's draft link opens a new entry prefilled with the topic (issue 22)", async () => {
    await withPage('new-link', async (page) => {
      // Not logged in yet: the link survives the login form.
      await consoleLogin(page, `${base}/editor/#new=${encodeURIComponent(TOPIC)}`, 'nj-editor')
      await page.waitForSelector('#editor-panel:not([hidden])')
      expect(await page.textContent('#ed-heading')).toBe('新建条目')
      expect(await page.inputValue('#e-title')).toBe(TOPIC)
      expect(await page.inputValue('#e-question')).toBe(TOPIC)
      expect(await page.inputValue('#e-tags')).toBe(TOPIC)
      expect(await page.inputValue('#e-id')).toMatch(/^faq-320100-\d{8}-[0-9a-z]{4}$/)
      // Consumed: the address no longer carries it, so a reload does not open a second draft.
      expect(new URL(page.url()).hash).toBe('')
    })
  }, 60_000)

  it('the edit panel closes on a view switch and docks beside the review queue: every button clickable', async () => {
    await withPage('review-dock', async (page) => {
      await consoleLogin(page, `${base}/editor`, 'js-reviewer')
      await page.click('#new-entry')
      await page.waitForSelector('#editor-panel:not([hidden])')
      await page.click('#tabs button[data-tab=review]')
      expect(await page.isVisible('#editor-panel')).toBe(false)
      const buttons = page.locator('#review-rows button')
      await expect.poll(() => buttons.count()).toBe(IN_REVIEW.length)
      for (const id of IN_REVIEW) {
        const selector = `#review-rows tr[data-id="${id}"] button`
        // Checked before each click: after the first one the panel is open beside the queue.
        expect(await uncovered(page, selector)).toBe(true)
        await page.click(selector, { timeout: 3000 })
        await page.waitForSelector(`#ed-heading:has-text("${SEEDS.find((s) => s.id === id)?.title}")`)
        await page.waitForSelector('#review-box:not([hidden])')
      }
      expect(await page.isVisible('#editor-panel')).toBe(true)
      for (const tab of ['entries', 'ripple', 'audit'])
        expect(await uncovered(page, `#tabs button[data-tab=${tab}]`)).toBe(true)
      expect(await uncovered(page, '#logout')).toBe(true)
    })
  }, 60_000)

  it("the entry list starts at the editor's region and editable kinds, with counts per kind", async () => {
    await withPage('default-list', async (page) => {
      await consoleLogin(page, `${base}/editor`, 'nj-editor')
      await page.waitForSelector('#kind-chips button')
      const ids = () => page.locator('#entry-rows tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-id')))
      // Hand count of what was seeded at 320100: the province FAQs and other regions' law are not listed.
      await expect.poll(async () => (await ids()).sort()).toEqual(['faq-nj-view-1', 'faq-nj-view-2', 'guide-nj-view-1'])
      const chips = await page.locator('#kind-chips button').allTextContents()
      expect(chips).toEqual(['可编辑 3', '问答 2', '办税指南 1', '热点/税案通报 1', '全部 4'])
      expect(await page.textContent('#kind-chips button.active')).toBe('可编辑 3')
      expect(await page.inputValue('#f-region')).toBe('320100')
      // Other kinds by filter.
      await page.click('#kind-chips button[data-kind="hot-topic"]')
      await expect.poll(ids).toEqual(['hot-nj-view-1'])
      expect(await page.textContent('#kind-chips button.active')).toBe('热点/税案通报 1')
    })
  }, 60_000)

  it('操作日志 shows editorial events with names in Chinese, filterable; request rows for admins only', async () => {
    const reviewer = await staffAuth(ctx, 'js-reviewer', 'reviewer', '320000')
    const approved = await app.inject({
      method: 'POST',
      url: '/api/editor/entries/faq-nj-view-1/approve',
      headers: reviewer,
      payload: { comment: '同意发布' },
    })
    expect(approved.statusCode, approved.body).toBe(200)
    await withPage('audit', async (page) => {
      await consoleLogin(page, `${base}/editor`, 'js-reviewer')
      await page.click('#tabs button[data-tab=audit]')
      const rows = page.locator('#audit-rows tr')
      // 4 created + 3 submitted + 1 approved, each exactly once; no `http POST … → 200` rows.
      await expect.poll(() => rows.count()).toBe(8)
      const text = (await page.textContent('#audit-rows')) ?? ''
      expect(text).not.toMatch(/http|→ 20\d|\/api\//)
      expect(text).toContain(EDITOR_NAME)
      expect(await page.locator('#audit-rows tr[data-action=approve]').textContent()).toContain(
        `${REVIEWER_NAME}审核通过并发布faq-nj-view-1待审核 → 已发布，v2：同意发布`,
      )
      expect(await page.locator('#a-action option[value=http]').count()).toBe(0)
      await page.screenshot({ path: path.join(ARTIFACTS, 'editor-views-audit-all.png') })

      await page.selectOption('#a-action', 'submit')
      await page.click('#audit-filters button[type=submit]')
      await expect.poll(() => rows.count()).toBe(3)
      expect(await page.locator('#audit-rows tr[data-action=submit]').count()).toBe(3)
      await page.selectOption('#a-action', '')
      await page.selectOption('#a-actor', 'js-reviewer')
      await page.click('#audit-filters button[type=submit]')
      await expect.poll(() => rows.count()).toBe(1)
      await page.selectOption('#a-actor', '')
      await page.fill('#a-entry', 'faq-nj-view-2')
      await page.click('#audit-filters button[type=submit]')
      await expect.poll(() => rows.count()).toBe(2)
      // The clock is 2026-11-25 (China time): the next day has nothing.
      await page.fill('#a-from', '2026-11-26')
      await page.click('#audit-filters button[type=submit]')
      await expect.poll(() => page.textContent('#audit-rows')).toBe('没有符合条件的记录')
    })
    await withPage('audit-admin', async (page) => {
      await consoleLogin(page, `${base}/editor`, 'root')
      await page.click('#tabs button[data-tab=audit]')
      await page.selectOption('#a-action', 'http')
      await page.click('#audit-filters button[type=submit]')
      await expect.poll(() => page.locator('#audit-rows tr[data-action=http]').count()).toBeGreaterThan(0)
      expect(await page.textContent('#audit-rows')).toContain('POST /api/editor/entries/:id/approve → 200')
    })
  }, 90_000)
})
