/**
 * The agent console in real Chromium (playwright-core + Debian /usr/bin/chromium) against a listening
 * server over the bundled corpus: a taxpayer asks for a human through the chat API, an agent logs into
 * /console, finds the ticket at the top of the queue, looks up an entry, replies; the taxpayer's
 * transcript shows the reply; a report ticket's contact stays invisible to an agent without
 * confidential:read. Screenshots of failures go to test-artifacts/.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import type { Browser, Page } from 'playwright-core'
import { listenAndLaunch, describeWithChromium } from './chromium.js'
import { ARTIFACTS, shootOnFailure as shoot } from './screenshots.js'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { BUNDLED_CORPUS, containerWithCorpus } from '../helpers/env.js'

const QUESTION = '小规模纳税人季度销售额多少免征增值税'
const REPORTER = { name: '举报人李雷', phone: '13600003333' }
const MARKUP = '<img src=x onerror="window.__xss=1">'
const PASSWORD = 'Agent-pass-2026'
const REPLY = '您好：小规模纳税人季度销售额未超过30万元的，免征增值税。'

const shootOnFailure = (page: Page | undefined, name: string, fn: () => Promise<void>) =>
  shoot(page, `console-${name}`, fn)

/** The page without its own scripts' source, so only rendered data is searched. */
function html0(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '')
}

describeWithChromium('agent console in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let base = ''
  let sessionId = ''
  let ticketNumber = ''
  let reportNumber = ''

  beforeAll(async () => {
    // Wednesday 2026-11-25 10:00 China time: a working day.
    ctx = await containerWithCorpus(BUNDLED_CORPUS, {}, '2026-11-25T02:00:00Z')
    app = await build(ctx.config, { container: ctx, logger: false })
    ;({ base, browser } = await listenAndLaunch(app))
    await ctx.users.add({
      username: 'nj-agent',
      name: '南京坐席小王',
      role: 'agent',
      regionCode: '320100',
      password: PASSWORD,
    })

    // The taxpayer asks, then asks for a human (POST /api/chat, then the handoff). Until the answering
    // service's chat route is registered, the handoff ticket is created the way it would create it.
    if (app.hasRoute({ method: 'POST', url: '/api/chat' })) {
      const ask = await fetch(`${base}/api/chat`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message: QUESTION, region: '320100' }),
      })
      expect(ask.status).toBe(200)
      sessionId = ((await ask.json()) as { sessionId: string }).sessionId
      const handoff = await fetch(`${base}/api/chat/${encodeURIComponent(sessionId)}/handoff`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ consent: true }),
      })
      expect(handoff.status).toBe(200)
      const h = (await handoff.json()) as { ticketNumber: string; mode: string }
      expect(h.mode).toBe('handoff')
      ticketNumber = h.ticketNumber
    } else {
      ticketNumber = (
        await ctx.tickets.createTicket({
          type: 'consult',
          regionCode: '320100',
          question: QUESTION,
          transcript: [{ role: 'user', text: QUESTION, at: '2026-11-25T02:00:00Z' }],
        })
      ).number
    }

    // A report left the next day (later deadline, so it sorts below), with the reporter's contact.
    const clock = ctx.clock as unknown as { set(v: string): void }
    clock.set('2026-11-26T02:00:00Z')
    reportNumber = (
      await ctx.tickets.createTicket({
        type: 'report',
        regionCode: '320100',
        question: `举报某餐馆不开发票 ${MARKUP}`,
        contact: REPORTER,
        transcript: [{ role: 'user', text: `我是${REPORTER.name}`, at: '2026-11-26T02:00:00Z' }],
      })
    ).number
    clock.set('2026-11-25T02:30:00Z')
  }, 180_000)

  /** Logs in as the 南京 agent and opens the queue line of ticket `number`. */
  async function openFromQueue(page: Page, number: string): Promise<void> {
    await page.goto(`${base}/console/`)
    await page.locator('#login-username').fill('nj-agent')
    await page.locator('#login-password').fill(PASSWORD)
    await page.locator('#login-submit').click()
    const item = page.locator('#queue li', { hasText: number })
    await expect.poll(() => item.count()).toBe(1)
    await item.click()
  }

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
  })

  it('login → queue → lookup → reply, and the taxpayer sees the reply in the chat transcript', async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await shootOnFailure(page, 'reply', async () => {
      await page.goto(`${base}/console`)
      await page.locator('#login-username').fill('nj-agent')
      await page.locator('#login-password').fill(PASSWORD)
      await page.locator('#login-submit').click()
      await expect.poll(() => page.locator('#user-label').textContent()).toContain('南京坐席小王')

      // The handed-off ticket is at the top of the deadline-sorted queue.
      const first = page.locator('#queue li').first()
      await expect.poll(() => first.textContent()).toContain(ticketNumber)
      await first.click()
      await expect.poll(() => page.locator('#d-number').textContent()).toContain(ticketNumber)
      await expect.poll(() => page.locator('#d-question').textContent()).toContain('小规模纳税人')
      // Suggested entries for the ticket's question.
      await expect.poll(() => page.locator('#d-suggest li').count()).toBeGreaterThan(0)

      // Lookup as the agent types: highlighted snippets, then open the full entry.
      await page.locator('#lookup').pressSequentially('小规模纳税人免征增值税', { delay: 20 })
      await expect.poll(() => page.locator('#lookup-results li').count()).toBeGreaterThan(0)
      expect(await page.locator('#lookup-results mark').count()).toBeGreaterThan(0)
      await page.locator('#lookup-kind').selectOption('law-article')
      await expect
        .poll(async () =>
          (await page.locator('#lookup-results .r-meta').allTextContents()).every((t) => t.startsWith('法规条文')),
        )
        .toBe(true)
      const title = (await page.locator('#lookup-results .r-title').first().textContent()) ?? ''
      await page.locator('#lookup-results .r-title').first().click()
      await expect.poll(() => page.locator('#entry-title').textContent()).toBe(title)
      expect(((await page.locator('#entry-body').textContent()) ?? '').length).toBeGreaterThan(10)
      await page.locator('#entry-close').click()

      // Reply (the console claims the ticket first).
      await page.locator('#reply-text').fill(REPLY)
      await page.locator('#reply-submit').click()
      await expect.poll(() => page.locator('#d-state').textContent()).toBe('已答复')
      await expect.poll(() => page.locator('#d-answer').textContent()).toBe(REPLY)
      // History in people's words: names and Chinese events, not ids and channel codes (issue 20 item 11).
      const history = (await page.locator('#d-events').textContent()) ?? ''
      expect(history).toContain('南京坐席小王 答复')
      expect(history).toContain('系统 创建工单')
      expect(history).not.toMatch(/system|reply:|log 已发送/)

      // The taxpayer's transcript shows the agent's reply.
      if (!sessionId) return
      const transcript = (await (await fetch(`${base}/api/chat/${encodeURIComponent(sessionId)}`)).json()) as {
        turns: { role: string; text: string; agentName?: string }[]
      }
      const agentTurn = transcript.turns.find((t) => t.role === 'agent')
      expect(agentTurn).toMatchObject({ text: REPLY, agentName: '南京坐席小王' })
      // The 1366×768 layout has no horizontal scrollbar.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true)
      expect(errors).toEqual([])
    })
  }, 120_000)

  it('a long transcript keeps the reply box on screen at 1366×768 (issue 20 item 12)', async () => {
    const lines = Array.from({ length: 40 }, (_, i) => ({
      role: i % 2 ? 'assistant' : 'user',
      text: `第 ${i + 1} 句：关于发票领用的追问`,
      at: '2026-11-25T02:00:00Z',
    }))
    const t = await ctx.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: '长会话的问题',
      transcript: lines as never,
    })
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    await shootOnFailure(page, 'long-transcript', async () => {
      await openFromQueue(page, t.number)
      await expect.poll(() => page.locator('#d-transcript li').count()).toBe(40)
      const box = await page.locator('#reply-text').boundingBox()
      expect(box).not.toBeNull()
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(768)
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-long-transcript.png') })
    })
  }, 60_000)

  it('推荐知识: chat retrieval over question + transcript, snippet and citation; a snippet opens it (item 10)', async () => {
    const at = '2026-11-25T02:00:00Z'
    const transcript = [
      { role: 'user', text: '我是小规模纳税人，季度销售额40万元', at },
      { role: 'assistant', text: '请问您想了解哪方面的规定？', at },
      { role: 'user', text: '那要交多少税', at },
    ]
    const t = await ctx.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: '那要交多少税',
      transcript: transcript as never,
    })
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await shootOnFailure(page, 'recommendations', async () => {
      await openFromQueue(page, t.number)
      const suggestions = page.locator('#d-suggest li')
      await expect.poll(() => suggestions.count()).toBe(5)
      // On topic for the taxpayer's situation (the question alone is elliptical); no 税案通报.
      const texts = await page.locator('#d-suggest li').allTextContents()
      for (const text of texts.slice(0, 3)) expect(text).toMatch(/小规模|增值税/)
      expect((await page.locator('#d-suggest .r-meta').allTextContents()).some((m) => m.startsWith('热点'))).toBe(false)
      // Snippet and citation shown.
      const first = suggestions.first()
      expect(((await first.locator('.r-snippet').textContent()) ?? '').length).toBeGreaterThan(10)
      expect(await first.locator('.r-snippet').isVisible()).toBe(true)
      expect(await first.locator('.r-cite').textContent()).toMatch(/^ · 依据：.+/)
      // Clicking the snippet (not the title) opens the entry.
      const title = (await first.locator('.r-title').textContent()) ?? ''
      await first.locator('.r-snippet').click()
      await expect.poll(() => page.locator('#entry-title').textContent()).toBe(title)
      expect(await page.isVisible('#entry-modal')).toBe(true)
      await page.locator('#entry-close').click()
      // The reply box stays reachable with the recommendations shown.
      const box = await page.locator('#reply-text').boundingBox()
      expect((box?.y ?? 0) + (box?.height ?? 0)).toBeLessThanOrEqual(768)
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: path.join(ARTIFACTS, 'console-recommendations.png') })
      // A lookup result's snippet opens its entry too.
      await page.locator('#lookup').fill('小规模纳税人免征增值税')
      const hit = page.locator('#lookup-results li').first()
      await expect.poll(() => page.locator('#lookup-results li').count()).toBeGreaterThan(0)
      const hitTitle = (await hit.locator('.r-title').textContent()) ?? ''
      await hit.locator('.r-snippet').click()
      await expect.poll(() => page.locator('#entry-title').textContent()).toBe(hitTitle)
      expect(errors).toEqual([])
    })
  }, 60_000)

  it("a report's contact and identity are invisible to an agent without confidential:read; markup stays text", async () => {
    const page = await browser.newPage({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' })
    await shootOnFailure(page, 'report', async () => {
      await openFromQueue(page, reportNumber)
      await expect.poll(() => page.locator('#d-number').textContent()).toContain(reportNumber)
      expect(await page.locator('#d-contact').textContent()).toBe('保密（无查看权限）')
      expect(await page.locator('#d-confidential').isVisible()).toBe(true)
      // The report text itself is sealed for an agent without confidential:read (issue 16 item 2).
      expect(await page.locator('#d-question').textContent()).toBe('（保密）')
      expect(html0(await page.content())).not.toContain('onerror')
      const html = await page.content()
      expect(html).not.toContain(REPORTER.phone)
      expect(html).not.toContain(REPORTER.name)
      expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined()
      expect(await page.locator('#d-question img').count()).toBe(0)
    })
  }, 60_000)
})
