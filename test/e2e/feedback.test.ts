/**
 * 征纳互动 in real Chromium against a listening server: a taxpayer files a complaint on /feedback/, an agent
 * replies, the taxpayer looks it up with an SMS code (from a local webhook gateway), rates the reply 不满意
 * with a reason, and the 回访 task appears in the agent console with its deadline. An administrator builds a
 * survey with show-if logic on /feedback/admin.html (an invalid graph is refused naming the question),
 * publishes it; a taxpayer answers it once anonymously (a second try is refused), the answers show in the
 * results chart, nothing stored links them to the session, and the XLSX export holds no formula.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { CHROMIUM, CHROMIUM_ARGS, describeWithChromium } from './chromium.js'
import { shootOnFailure as shoot } from './screenshots.js'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'
import { rawStoreFiles, storedDocsText } from '../helpers/raw-store.js'

const PHONE = '13955557777'
const PASSWORD = 'Admin-pass-2026'

const shootOnFailure = (page: Page | undefined, name: string, fn: () => Promise<void>) =>
  shoot(page, `feedback-${name}`, fn)

const SURVEY = {
  title: '办税体验调查',
  regionCode: '320100',
  mode: 'anonymous',
  opensAt: '2026-11-20T00:00:00Z',
  closesAt: '2026-12-31T00:00:00Z',
  questions: [
    { id: 'q1', type: 'single', title: '您办理的业务', required: true, options: ['申报', '发票'] },
    { id: 'q2', type: 'rating', title: '总体评分', required: true },
    { id: 'q3', type: 'long', title: '不满意的原因', required: true, showIf: { question: 'q2', max: 2 } },
  ],
}

describeWithChromium('征纳互动 in Chromium', () => {
  let ctx: Container
  let app: FastifyInstance
  let browser: Browser
  let gateway: http.Server
  let base = ''
  const sms: string[] = []

  beforeAll(async () => {
    gateway = http.createServer((req, res) => {
      let body = ''
      req.on('data', (c) => (body += c))
      req.on('end', () => {
        sms.push((JSON.parse(body) as { text: string }).text)
        res.writeHead(200).end('{}')
      })
    })
    await new Promise<void>((r) => gateway.listen(0, '127.0.0.1', r))
    const hook = `http://127.0.0.1:${(gateway.address() as AddressInfo).port}/sms`
    // Wednesday 2026-11-25 10:00 China time: a working day.
    ctx = await containerWithCorpus(
      undefined,
      { notifier: 'webhook', notifierWebhookUrl: hook },
      '2026-11-25T02:00:00Z',
    )
    app = await build(ctx.config, { container: ctx, logger: false })
    await app.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
    await ctx.users.add({
      username: 'nj-agent',
      name: '南京坐席小王',
      role: 'agent',
      regionCode: '320100',
      password: PASSWORD,
    })
    await ctx.users.add({ username: 'root', name: '管理员', role: 'admin', regionCode: null, password: PASSWORD })
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await app?.close()
    await ctx?.close()
    gateway?.close()
  })

  async function login(page: Page, username: string): Promise<void> {
    await page.goto(`${base}/console/`)
    await page.locator('#login-username').fill(username)
    await page.locator('#login-password').fill(PASSWORD)
    await page.locator('#login-submit').click()
    await page.locator('#user-label').waitFor()
  }

  it('complaint → reply → look-up with SMS code → 不满意 rating → 回访 task in the console', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 800 } })
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(e.message))
    await shootOnFailure(page, 'complaint', async () => {
      await page.goto(`${base}/feedback/?view=complaint&region=320100`)
      await page.locator('select[name=category]').selectOption('服务态度')
      await page.locator('input[name=concerned]').fill('玄武区办税服务厅 3 号窗口')
      await page.locator('textarea[name=text]').fill('窗口人员态度生硬，不解释原因')
      await page.locator('input[name=phone]').fill(PHONE)
      await page.locator('input[name=consent]').check()
      await page.getByRole('button', { name: '提交' }).click()
      const number = (await page.locator('.number').textContent()) ?? ''
      expect(number).toMatch(/^12366-20261125-\d{4}$/)
      expect(await page.locator('form').textContent()).toContain('2026年11月26日')

      // The agent replies (API; the console's reply flow has its own test).
      const agent = await staffAuth(ctx, 'nj-api', 'agent', '320100')
      const queue = (await app.inject({ method: 'GET', url: '/api/tickets', headers: agent })).json() as {
        tickets: { id: string; number: string }[]
      }
      const id = queue.tickets.find((t) => t.number === number)!.id
      await app.inject({ method: 'POST', url: `/api/tickets/${id}/claim`, headers: agent, payload: {} })
      const reply = await app.inject({
        method: 'POST',
        url: `/api/tickets/${id}/reply`,
        headers: agent,
        payload: { text: '已转交玄武区税务局核实。' },
      })
      expect(reply.statusCode).toBe(200)

      await page.goto(`${base}/feedback/?view=lookup`)
      await page.locator('input[name=number]').fill(number)
      await page.locator('input[name=phone]').fill(PHONE)
      await page.getByRole('button', { name: '获取验证码' }).click()
      await expect.poll(() => sms.some((t) => t.includes('验证码'))).toBe(true)
      const code = /验证码为\s*(\d{6})/.exec(sms.filter((t) => t.includes('验证码')).at(-1)!)![1]!
      await page.locator('input[name=code]').fill(code)
      await page.getByRole('button', { name: '查询', exact: true }).click()
      await expect.poll(() => page.locator('.status').textContent()).toContain('已转交玄武区税务局核实')
      await page.locator('.status label.pill', { hasText: /^不满意$/ }).click()
      await page.getByRole('button', { name: '提交评价' }).click()
      await expect.poll(() => page.locator('.status [role=alert]').textContent()).toContain('请填写原因')
      await page.locator('.status textarea[name=reason]').fill('答复没有说明处理结果')
      await page.getByRole('button', { name: '提交评价' }).click()
      await expect.poll(() => page.locator('.status [role=status]').last().textContent()).toContain('回访')
    })

    const consolePage = await browser.newPage()
    await shootOnFailure(consolePage, 'followup', async () => {
      await login(consolePage, 'nj-agent')
      const task = consolePage.locator('#followup-list li').first()
      await expect.poll(() => task.textContent()).toContain('答复没有说明处理结果')
      expect(await task.textContent()).toContain('不满意')
      expect(await task.textContent()).toContain('回访期限 2026年11月26日')
    })
    expect(errors).toEqual([])
    await page.close()
    await consolePage.close()
  }, 60_000)

  it('admin builds a survey with show-if; a taxpayer answers once anonymously; results and export', async () => {
    const admin = await browser.newPage()
    await shootOnFailure(admin, 'survey-admin', async () => {
      await login(admin, 'root')
      await admin.goto(`${base}/feedback/admin.html`)
      const editor = admin.locator('textarea.json')
      const broken = {
        ...SURVEY,
        questions: [
          SURVEY.questions[0],
          SURVEY.questions[1],
          { ...SURVEY.questions[2], showIf: { question: 'q9', max: 2 } },
        ],
      }
      await editor.fill(JSON.stringify(broken))
      await admin.getByRole('button', { name: '保存草稿' }).click()
      await expect
        .poll(() => admin.locator('[role=alert]').textContent())
        .toContain('第 3 题「不满意的原因」的显示条件引用了不存在的题目 q9')
      await editor.fill(JSON.stringify(SURVEY))
      await admin.getByRole('button', { name: '保存草稿' }).click()
      await expect.poll(() => admin.locator('ul.surveys li').count()).toBe(1)
      await admin.locator('ul.surveys li').getByRole('button', { name: '发布' }).click()
      await expect.poll(() => admin.locator('ul.surveys li').textContent()).toContain('进行中')
    })

    const taxpayer = await browser.newPage({ viewport: { width: 390, height: 800 } })
    let sessionId = ''
    await shootOnFailure(taxpayer, 'survey-answer', async () => {
      await taxpayer.goto(`${base}/feedback/?view=surveys&region=320100`)
      await taxpayer.getByRole('link', { name: '办税体验调查' }).click()
      await expect.poll(() => taxpayer.locator('fieldset[data-q=q3]').isHidden()).toBe(true)
      await taxpayer.locator('fieldset[data-q=q1] label', { hasText: '发票' }).click()
      await taxpayer.locator('fieldset[data-q=q2] label', { hasText: '2' }).click()
      await expect.poll(() => taxpayer.locator('fieldset[data-q=q3]').isVisible()).toBe(true)
      await taxpayer.locator('fieldset[data-q=q3] textarea').fill('=1+1 排队太久')
      await taxpayer.getByRole('button', { name: '提交问卷' }).click()
      await expect.poll(() => taxpayer.locator('[role=status]').textContent()).toContain('提交成功')
      sessionId = await taxpayer.evaluate(() => localStorage.getItem('taxkb-portal-session') ?? '')
      expect(sessionId.length).toBeGreaterThan(10)
      await taxpayer.reload()
      await taxpayer.locator('fieldset[data-q=q1] label', { hasText: '申报' }).click()
      await taxpayer.locator('fieldset[data-q=q2] label', { hasText: '5' }).click()
      await taxpayer.getByRole('button', { name: '提交问卷' }).click()
      await expect.poll(() => taxpayer.locator('[role=alert]').textContent()).toContain('您已提交过本问卷')
    })
    // Nothing the response wrote names the session or the client address.
    const claims = await ctx.store.collection('survey_claims').list()
    const responses = await ctx.store.collection('survey_responses').list()
    expect(responses).toHaveLength(1)
    for (const doc of [...claims, ...responses]) {
      expect(JSON.stringify(doc)).not.toContain(sessionId)
      expect(JSON.stringify(doc)).not.toContain('127.0.0.1')
      expect(JSON.stringify(doc)).not.toMatch(/T\d\d:\d\d/)
    }
    // Straight from the database file, not through the product's code.
    for (const name of ['survey_claims', 'survey_responses']) {
      const stored = storedDocsText(ctx.config.dataDir, name)
      expect(stored.length).toBeGreaterThan(0)
      expect(stored).not.toContain(sessionId)
    }
    for (const f of rawStoreFiles(ctx.config.dataDir)) expect(f.bytes.includes(Buffer.from('127.0.0.1'))).toBe(false)

    await shootOnFailure(admin, 'survey-results', async () => {
      await admin.locator('ul.surveys li').getByRole('button', { name: '查看结果' }).click()
      await expect.poll(() => admin.locator('.results h2').textContent()).toContain('共 1 份答卷')
      const bars = admin.locator('section[data-q=q1] rect')
      expect(await bars.evaluateAll((rs) => rs.map((r) => r.getAttribute('data-count')))).toEqual(['0', '1'])
      expect(await admin.locator('section[data-q=q1] table td').allTextContents()).toEqual(['0', '1'])
      expect(await admin.locator('section[data-q=q3] .texts li').first().textContent()).toContain('排队太久')
      const xlsx = await admin.evaluate(
        async (href) => {
          const res = await fetch(href)
          return Array.from(new Uint8Array(await res.arrayBuffer()))
        },
        (await admin.getByRole('link', { name: '导出 Excel' }).getAttribute('href'))!,
      )
      const ExcelJS = (await import('exceljs')).default
      const book = new ExcelJS.Workbook()
      await book.xlsx.load(Buffer.from(xlsx) as unknown as ArrayBuffer)
      const cells: import('exceljs').Cell[] = []
      book.worksheets[0]!.eachRow((row) => row.eachCell((c) => void cells.push(c)))
      expect(cells.some((c) => c.type === ExcelJS.ValueType.Formula)).toBe(false)
      const text = cells.find((c) => String(c.value).includes('排队太久'))!
      expect(text.type).toBe(ExcelJS.ValueType.String)
    })
    await admin.close()
    await taxpayer.close()
  }, 60_000)
})
