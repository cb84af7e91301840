/**
 * The chat widget in real Chromium (playwright-core driving Debian's /usr/bin/chromium) against the real
 * API: a listening server built with build() over the bundled corpus. One page comes from the API's own
 * origin (the demo portal at /), others from a second local origin that is in the CORS allowlist and a
 * third that is not. A failing test leaves phone/desktop screenshots in test-artifacts/.
 */
import fs from 'node:fs'
import http from 'node:http'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { describeWithChromium, listenAndLaunch } from './chromium.js'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, containerWithCorpus, staffAuth, testConfig } from '../helpers/env.js'

const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts')
const PHONE = { width: 390, height: 844 }
const DESKTOP = { width: 1366, height: 768 }
const QUESTION = '小规模纳税人季度销售额多少免征增值税'
const XSS = '<img src=x onerror=alert(1)>'

/** A plain page on another origin that embeds the widget from the API origin. */
function portalServer(getApi: () => string): http.Server {
  return http.createServer((req, res) => {
    if (req.url !== '/') return void res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(
      `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>某市税务局</title></head><body><h1>某市税务局门户</h1><p>第二个源上的页面</p><script src="${getApi()}/widget.js" data-region="320000" data-title="江苏税务智能咨询"></script></body></html>`,
    )
  })
}
async function listen(server: http.Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`
}

describeWithChromium('chat widget in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let api = ''
  const portal = portalServer(() => api)
  const foreign = portalServer(() => api)
  let portalOrigin = ''
  let foreignOrigin = ''

  beforeAll(async () => {
    portalOrigin = await listen(portal)
    foreignOrigin = await listen(foreign)
    ctx = await containerWithCorpus(BUNDLED_CORPUS)
    app = await build(testConfig({ corsOrigins: [portalOrigin] }), { container: ctx, logger: false })
    ;({ base: api, browser } = await listenAndLaunch(app))
  }, 120_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
    portal.close()
    foreign.close()
  })

  /** Runs a scenario in a fresh browser context; on failure saves a screenshot and the page's errors. */
  async function scenario(
    name: string,
    viewport: { width: number; height: number },
    run: (page: Page, problems: string[]) => Promise<void>,
  ): Promise<void> {
    const context = await browser.newContext({
      viewport,
      locale: 'zh-CN',
      ...(viewport.width < 500 ? { isMobile: true, hasTouch: true, deviceScaleFactor: 2 } : {}),
    })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    page.on('dialog', (d) => {
      problems.push(`dialog: ${d.message()}`)
      void d.dismiss()
    })
    try {
      await run(page, problems)
    } catch (err) {
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      const file = path.join(ARTIFACTS, `widget-${name}-${viewport.width}x${viewport.height}.png`)
      await page.screenshot({ path: file, fullPage: false }).catch(() => {})
      if (err instanceof Error) err.message += `\nscreenshot: ${file}\npage problems: ${problems.join(' | ') || 'none'}`
      throw err
    } finally {
      await context.close()
    }
  }

  const w = (page: Page) => page.locator('#taxkb-widget')
  async function openWidget(page: Page): Promise<void> {
    await w(page).locator('.launcher').click()
    await expect.poll(() => w(page).locator('#tk-panel').isVisible()).toBe(true)
  }
  async function ask(page: Page, text: string): Promise<void> {
    const before = await w(page).locator('.msg.bot:not(.welcome):not(.streaming)').count()
    await w(page).locator('#tk-input').fill(text)
    await w(page).locator('#tk-input').press('Enter')
    await w(page).locator('.msg.bot:not(.welcome):not(.streaming)').nth(before).waitFor({ timeout: 20_000 })
  }
  const sessionIdOf = (page: Page) =>
    page.evaluate(() => Object.entries(localStorage).find(([k]) => k.startsWith('taxkb.session@'))?.[1] ?? null)

  it('asks, cites, opens the source, rates, hands off to a human, receives the agent reply and survives a reload (desktop, demo page)', async () => {
    await ctx.editorial.hotTopics.setPinned('faq-js-013e69429d', true, 'e2e-editor')
    await scenario('flow', DESKTOP, async (page, problems) => {
      await page.goto(api + '/')
      await expect.poll(() => page.title()).toContain('税务')
      await openWidget(page)
      // Focus goes to the input; the welcome offers questions (hot topics or fallback suggestions).
      expect(await page.evaluate(() => document.querySelector('#taxkb-widget')?.shadowRoot?.activeElement?.id)).toBe(
        'tk-input',
      )
      await w(page).locator('.welcome .chips button').first().waitFor()
      // Hot topics come from GET /api/hot-topics `welcome`: what the region asks (pinned here), never cases.
      expect(await w(page).locator('.welcome .topics button').count()).toBeGreaterThan(0)

      await ask(page, QUESTION)
      const answer = w(page).locator('.msg.bot:not(.welcome)').last()
      expect(await answer.locator('.text').innerText()).toMatch(/\S{10,}/)
      const source = answer.locator('.sources button.src').first()
      await source.waitFor()
      const citedTitle = (await source.innerText()).replace(/^\[\d+\]\s*/, '')

      // Citation → side panel with the full entry; Esc closes it and focus returns to the citation.
      await source.click()
      const sheet = w(page).locator('.sheet.source')
      await expect.poll(() => sheet.locator('.content').getAttribute('aria-busy')).toBeNull()
      expect(await sheet.locator('h3#tk-src-title').innerText()).toBe(citedTitle)
      expect(await sheet.locator('.meta').innerText()).toMatch(/类型|效力/)
      expect((await sheet.locator('.body').innerText()).length).toBeGreaterThan(10)
      await page.keyboard.press('Escape')
      await expect.poll(() => sheet.isVisible()).toBe(false)
      expect(await w(page).locator('#tk-panel').isVisible()).toBe(true)

      // 有帮助 is stored as a rating of that turn.
      await answer.locator('.fb button', { hasText: '有帮助' }).click()
      await expect.poll(() => answer.locator('.fb [role=status]').innerText()).toContain('感谢')
      const sessionId = await sessionIdOf(page)
      expect(sessionId).toBeTruthy()
      const ratings = async () =>
        (
          await ctx.store
            .collection<{
              id: string
              sessionId: string
              helpful: boolean | null
              satisfaction: number | null
              reason: string | null
            }>('ratings')
            .list()
        ).filter((r) => r.sessionId === sessionId)
      await expect.poll(async () => (await ratings()).some((r) => r.helpful === true)).toBe(true)

      // 转人工 with phone + consent → ticket number shown.
      await w(page).locator('.tools button', { hasText: '转人工' }).click()
      const form = w(page).locator('form:has(#tk-ho-title)')
      await form.locator('button[type=submit]').click()
      await expect.poll(() => form.locator('.err').innerText()).toContain('同意')
      await form.locator('input[type=tel]').fill('13912345678')
      await form.locator('input[type=checkbox]').check()
      await form.locator('button[type=submit]').click()
      const ticketNote = w(page).locator('.msg.ticket[data-ticket]').last()
      await ticketNote.waitFor({ timeout: 15_000 })
      const number = await ticketNote.getAttribute('data-ticket')
      expect(number).toMatch(/\d/)
      expect(await ticketNote.innerText()).toContain(`工单号：${number}`)
      const ticket = (
        await ctx.store.collection<{ id: string; number: string; sessionId: string | null }>('tickets').list()
      ).find((t) => t.number === number)
      expect(ticket?.sessionId).toBe(sessionId)

      // An agent of that seat group claims the ticket and replies through the tickets API; the reply
      // arrives in the open chat (SSE, polling as fallback).
      const stored = await ctx.tickets.get(ticket?.id as string)
      const agentAuth = await staffAuth(ctx, 'widget-agent', 'agent', stored.regionCode, {
        seatGroup: stored.seatGroup,
      })
      expect(
        (await app.inject({ method: 'POST', url: `/api/tickets/${stored.id}/claim`, headers: agentAuth })).statusCode,
      ).toBe(200)
      const replied = await app.inject({
        method: 'POST',
        url: `/api/tickets/${stored.id}/reply`,
        headers: agentAuth,
        payload: { text: '您好，我是12366坐席。季度销售额未超过30万元的小规模纳税人免征增值税。' },
      })
      expect(replied.statusCode).toBe(200)
      const agent = w(page).locator('.msg.agent')
      await agent.waitFor({ timeout: 15_000 })
      expect(await agent.innerText()).toContain('季度销售额未超过30万元')

      // Five-level satisfaction: the two lowest need a reason.
      await w(page).locator('.tools button', { hasText: '评价服务' }).click()
      const rating = w(page).locator('form:has(#tk-rt-title)')
      expect(await rating.locator('label.opt').allInnerTexts()).toEqual([
        '非常满意',
        '满意',
        '基本满意',
        '不满意',
        '非常不满意',
      ])
      await rating.locator('label.opt', { hasText: '非常不满意' }).locator('input').check()
      await rating.locator('button[type=submit]').click()
      await expect.poll(() => rating.locator('.err').innerText()).toContain('原因')
      await rating.locator('textarea[name=reason]').fill('回答没有说明季度和月度标准的区别')
      await rating.locator('button[type=submit]').click()
      await w(page).locator('.msg.system', { hasText: '感谢您的评价' }).waitFor()
      await expect
        .poll(async () => (await ratings()).find((r) => r.satisfaction === 1)?.reason)
        .toBe('回答没有说明季度和月度标准的区别')

      // Reload: the session and its transcript (question, answer, agent reply) come back.
      await page.reload()
      await w(page).locator('#tk-panel').waitFor({ state: 'attached' })
      if (!(await w(page).locator('#tk-panel').isVisible())) await openWidget(page)
      await w(page).locator('.msg.agent').waitFor()
      expect(await w(page).locator('.msg.user').first().innerText()).toContain(QUESTION)
      expect(await w(page).locator('.msg.bot .sources').count()).toBeGreaterThan(0)
      expect(await sessionIdOf(page)).toBe(sessionId)

      // 新对话 clears it.
      await w(page).locator('header button', { hasText: '新对话' }).click()
      expect(await w(page).locator('.msg.user').count()).toBe(0)
      expect(await sessionIdOf(page)).toBeNull()

      // Esc closes the panel and focus returns to the launcher.
      await page.keyboard.press('Escape')
      await expect.poll(() => w(page).locator('#tk-panel').isVisible()).toBe(false)
      expect(
        await page.evaluate(() => document.querySelector('#taxkb-widget')?.shadowRoot?.activeElement?.className),
      ).toBe('launcher')
      expect(problems).toEqual([])
    })
  })

  it('shows a question containing markup as text and runs nothing', async () => {
    // On the second-origin page, which has no CSP: only the widget's own rendering keeps this inert.
    await scenario('xss', DESKTOP, async (page, problems) => {
      await page.goto(portalOrigin + '/')
      await openWidget(page)
      await ask(page, `请问${XSS}发票怎么开？`)
      const shown = w(page).locator('.msg.user').last()
      expect(await shown.innerText()).toContain(XSS)
      expect(
        await page.evaluate(
          () => document.querySelector('#taxkb-widget')?.shadowRoot?.querySelectorAll('img, script, iframe').length,
        ),
      ).toBe(0)
      expect(await page.locator('img').count()).toBe(0)
      // Give a deferred onerror every chance to fire.
      await page.waitForTimeout(500)
      expect(problems).toEqual([])
    })
  })

  it('works on a page from a second, allow-listed origin (CORS), including sources', async () => {
    await scenario('second-origin', DESKTOP, async (page, problems) => {
      const requests: string[] = []
      page.on('requestfailed', (r) => requests.push(`${r.url()} ${r.failure()?.errorText ?? ''}`))
      await page.goto(portalOrigin + '/')
      await openWidget(page)
      await ask(page, QUESTION)
      const answer = w(page).locator('.msg.bot:not(.welcome)').last()
      await answer.locator('.sources button.src').first().click()
      const sheet = w(page).locator('.sheet.source')
      await expect.poll(() => sheet.locator('.content').getAttribute('aria-busy')).toBeNull()
      expect((await sheet.locator('.body').innerText()).length).toBeGreaterThan(10)
      await page.keyboard.press('Escape')
      const sessionId = await sessionIdOf(page)
      expect(sessionId).toBeTruthy()

      // Typing 转人工 opens the same consent form as the button (no ticket yet); once consented, the agent's
      // reply is pushed over cross-origin SSE, well before the 5 s polling fallback would fetch it.
      const events = page.waitForResponse((r) => r.url().includes('/events') && r.status() === 200)
      await ask(page, '转人工')
      expect(await w(page).locator('.msg.bot.ticket').count()).toBe(0)
      const consentForm = w(page).locator('form:has(#tk-ho-title)')
      await expect.poll(() => consentForm.isVisible()).toBe(true)
      await consentForm.locator('input[type=checkbox]').check()
      await consentForm.locator('button[type=submit]').click()
      await w(page).locator('.msg.bot.ticket').waitFor({ timeout: 15_000 })
      expect(await w(page).locator('.msg.bot.ticket').count()).toBe(1)
      await events
      await ctx.sessions.appendTurn(sessionId as string, {
        role: 'agent',
        text: '已收到，坐席稍后为您详细解答。',
        agentName: '李坐席',
      })
      await w(page).locator('.msg.agent').waitFor({ timeout: 3000 })
      expect(requests).toEqual([])
      expect(problems).toEqual([])
    })
  })

  it('is refused by the API on an origin outside the allowlist', async () => {
    await scenario('foreign-origin', DESKTOP, async (page) => {
      await page.goto(foreignOrigin + '/')
      await openWidget(page)
      // Hot topics are refused too: the welcome falls back to built-in suggestions.
      await w(page).locator('.welcome .chips button').first().waitFor()
      expect(await w(page).locator('.welcome .topics button').count()).toBe(0)
      await w(page).locator('#tk-input').fill(QUESTION)
      await w(page).locator('#tk-input').press('Enter')
      await w(page).locator('.msg.system', { hasText: '抱歉' }).waitFor({ timeout: 15_000 })
      expect(await w(page).locator('.msg.bot:not(.welcome)').count()).toBe(0)
    })
  })

  it('hands off before any question and tells the taxpayer when humans are off duty', async () => {
    // 22:00 China time on a working day: no agents on duty.
    const night = await containerWithCorpus(undefined, {}, '2026-11-25T14:00:00Z')
    const nightApp = await build(testConfig(), { container: night, logger: false })
    try {
      await nightApp.listen({ host: '127.0.0.1', port: 0 })
      const nightApi = `http://127.0.0.1:${(nightApp.server.address() as AddressInfo).port}`
      await scenario('off-hours', DESKTOP, async (page, problems) => {
        await page.goto(nightApi + '/')
        await openWidget(page)
        await w(page).locator('.tools button', { hasText: '转人工' }).click()
        const form = w(page).locator('form:has(#tk-ho-title)')
        await form.locator('input[type=checkbox]').check()
        await form.locator('button[type=submit]').click()
        await expect.poll(() => form.locator('.err').innerText()).toContain('描述')
        await form.locator('textarea[name=question]').fill('个体工商户的经营所得怎么申报个人所得税')
        await form.locator('button[type=submit]').click()
        const note = w(page).locator('.msg.ticket[data-ticket]')
        await note.waitFor({ timeout: 15_000 })
        expect(await note.innerText()).toContain('非工作时间')
        expect(await w(page).locator('.msg.user').first().innerText()).toContain('个体工商户')
        expect(problems).toEqual([])
      })
    } finally {
      await nightApp.close()
      await night.close()
    }
  })

  it('uses the full screen on a phone and stays keyboard-operable', async () => {
    await scenario('phone', PHONE, async (page, problems) => {
      await page.goto(api + '/')
      const launcher = w(page).locator('.launcher')
      expect(await launcher.isVisible()).toBe(true)
      await openWidget(page)
      const box = await w(page).locator('#tk-panel').boundingBox()
      expect(box).toMatchObject({ x: 0, y: 0, width: PHONE.width, height: PHONE.height })
      await ask(page, QUESTION)
      const src = w(page).locator('.msg.bot:not(.welcome) .sources button.src').first()
      await src.click()
      const sheetBox = await w(page).locator('.sheet.source').boundingBox()
      expect(sheetBox?.width).toBe(PHONE.width)
      await page.keyboard.press('Escape')
      await page.keyboard.press('Escape')
      await expect.poll(() => w(page).locator('#tk-panel').isVisible()).toBe(false)
      expect(problems).toEqual([])
    })
  })
})
