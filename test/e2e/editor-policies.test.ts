/**
 * 公告 in the editor console, real Chromium: a national editor pastes the official text of 国家税务总局公告
 * 2026年第4号, checks the 文号, dates, clauses and the 「同时废止」 relation the console read, saves and submits
 * it; a reviewer approves it. Then it is searchable, the 公告 it repeals (2023年第1号) is 全文废止 from
 * 2026-01-01, and the FAQ that cites the repealed one is in the needs-review queue.
 * A failing step leaves a screenshot in test-artifacts/.
 */
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { listenAndLaunch, consoleLogin, describeWithChromium, runInPage } from './chromium.js'
import { containerWithCorpus } from '../helpers/env.js'
import { CITING_FAQ_ID, pastedText, policyCorpus } from '../helpers/policy-corpus.js'

const DOC = '国家税务总局公告2026年第4号'
const OLD = '国家税务总局公告2023年第1号'

describeWithChromium('公告 in the editor console (Chromium)', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let api = ''

  beforeAll(async () => {
    ctx = await containerWithCorpus(policyCorpus())
    await ctx.users.add({ username: 'nat-editor', role: 'editor', regionCode: null, password: 'password-123' })
    await ctx.users.add({ username: 'nat-reviewer', role: 'reviewer', regionCode: null, password: 'password-123' })
    app = await build(ctx.config, { container: ctx, logger: false })
    ;({ base: api, browser } = await listenAndLaunch(app))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  const withPage = (name: string, run: (page: Page) => Promise<void>) =>
    runInPage(browser, 'editor-policies', name, run)
  const login = (page: Page, username: string) => consoleLogin(page, `${api}/editor`, username)

  const getJson = async (url: string) => (await fetch(`${api}${url}`)).json() as Promise<Record<string, unknown>>

  it('paste → check → submit → another approves → searchable; the repealed 公告 retires and its FAQ is queued', async () => {
    await withPage('paste', async (page) => {
      await login(page, 'nat-editor')
      await page.click('#tabs button[data-tab=policies]')
      await page.fill('#pol-content', pastedText(DOC))
      await page.click('#pol-parse')
      await page.waitForSelector('#pol-summary')
      expect(await page.inputValue('#pol-docno')).toBe(DOC)
      expect(await page.inputValue('#pol-effective')).toBe('2026-01-01')
      expect(await page.inputValue('#pol-published')).toBe('2026-01-30')
      expect(await page.textContent('#pol-relations')).toContain(OLD)
      expect(await page.locator('#pol-clauses tr').count()).toBe(6)
      await page.click('#pol-create')
      await page.waitForSelector('#editor-panel:not([hidden])')
      await page.waitForSelector('#ed-state:has-text("草稿")')
      await page.click('#ed-submit')
      await page.waitForSelector('#ed-state:has-text("待审核")')
      expect(await page.isVisible('#ed-approve')).toBe(false)
    })
    expect((await fetch(`${api}/api/entries/${encodeURIComponent(DOC)}`)).status).toBe(404)

    await withPage('approve', async (page) => {
      await login(page, 'nat-reviewer')
      await page.click('#tabs button[data-tab=review]')
      await page.click(`#review-rows tr[data-id="${DOC}"] button`)
      await page.waitForSelector('#review-box:not([hidden])')
      await page.click('#ed-approve')
      await page.waitForSelector('#ed-state:has-text("已发布")')
      await page.click('#ed-close')
      await page.click('#tabs button[data-tab=ripple]')
      await page.waitForSelector(`#ripple-list .group[data-id="${CITING_FAQ_ID}"]`)
      expect(await page.textContent(`#ripple-list .group[data-id="${CITING_FAQ_ID}"]`)).toContain(OLD)
    })

    const hits = (await getJson(`/api/search?q=${encodeURIComponent('自然人 出租不动产 起征点')}`)).hits as {
      id: string
    }[]
    expect(hits.map((h) => h.id)).toContain(`${DOC}#二`)
    const old = await getJson(`/api/entries/${encodeURIComponent(OLD)}`)
    expect(old.validityNow).toMatchObject({ validity: '全文废止', since: '2026-01-01', by: DOC })
  })
})
