/**
 * 网上预约办税 in real Chromium on a phone viewport against the real API (listening server, lowdb, SMS
 * captured by a local JSON gateway, server clock pinned to Tue 2026-12-01 09:00 China time): book a 南京 hall
 * for tomorrow morning, receive the SMS, see it under 我的预约 and cancel it; a same-day slot 2 hours ahead is
 * refused with the rule stated; the hall console finds a booking by 名称 + 预约号, prints the 预约办税单
 * (print media), checks in and proposes a new time the taxpayer accepts; a third no-show locks the taxpayer
 * in every hall until a hall administrator unlocks. Failing scenarios leave a screenshot in test-artifacts/.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { chromium, type Browser, type Page } from 'playwright-core'
import { REPO_ROOT } from '../../services/shared/config.js'
import { book, bookingEnv, type BookingEnv, codeFor, phoneOf, taxpayerIdOf } from '../helpers/booking.js'
import { staffAuth } from '../helpers/env.js'

const CHROMIUM = '/usr/bin/chromium'
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts')
const PHONE_VIEWPORT = { width: 390, height: 844 }

describe.skipIf(!fs.existsSync(CHROMIUM) && !process.env.CI)('booking pages in Chromium', () => {
  let env: BookingEnv
  let browser: Browser
  let base = ''

  beforeAll(async () => {
    env = await bookingEnv()
    await env.app.listen({ host: '127.0.0.1', port: 0 })
    base = `http://127.0.0.1:${(env.app.server.address() as AddressInfo).port}`
    await staffAuth(env.ctx, 'xw-hall', 'hall-admin', '320100')
    await staffAuth(env.ctx, 'jb-hall', 'hall-admin', '320100')
    await env.ctx.booking.halls.setAdmins('nj-xuanwu', ['xw-hall'])
    await env.ctx.booking.halls.setAdmins('nj-jiangbei', ['jb-hall'])
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS })
  }, 120_000)
  afterAll(async () => {
    await browser?.close()
    await env?.close()
  })

  async function scenario(name: string, run: (page: Page) => Promise<void>): Promise<void> {
    const context = await browser.newContext({
      viewport: PHONE_VIEWPORT,
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
      deviceScaleFactor: 2,
    })
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
    // Refusals (401 before login, 423 locked) are expected HTTP answers, not page errors.
    page.on(
      'console',
      (m) =>
        m.type() === 'error' &&
        !m.text().startsWith('Failed to load resource') &&
        problems.push(`console: ${m.text()}`),
    )
    // Confirmation dialogs (取消预约, 同意改约) are accepted as a taxpayer would.
    page.on('dialog', (d) => void d.accept())
    await page.addInitScript(() => {
      window.print = () => document.documentElement.setAttribute('data-printed', 'yes')
    })
    try {
      await run(page)
      expect(problems).toEqual([])
    } catch (err) {
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      const file = path.join(ARTIFACTS, `booking-${name}.png`)
      await page.screenshot({ path: file, fullPage: true }).catch(() => {})
      if (err instanceof Error) err.message += `\nscreenshot: ${file}\npage problems: ${problems.join(' | ') || 'none'}`
      throw err
    } finally {
      await context.close()
    }
  }

  async function chooseSlot(
    page: Page,
    hallText: string,
    business: string,
    day: string,
    slotLabel: string,
  ): Promise<void> {
    await page
      .getByRole('button', { name: new RegExp(hallText) })
      .first()
      .click()
    await page.getByRole('button', { name: business, exact: true }).click()
    await page.getByRole('button', { name: new RegExp(`^${day}`) }).click()
    await page.getByRole('button', { name: new RegExp(`^${slotLabel}`) }).click()
  }

  async function fillAndConfirm(page: Page, p: { name: string; id: string; phone: string }): Promise<void> {
    await page.locator('#tp-name').fill(p.name)
    await page.locator('#tp-id').fill(p.id)
    await page.locator('#book-phone').fill(p.phone)
    const before = env.sms.messages.length
    await page.getByRole('button', { name: '获取验证码' }).click()
    await expect.poll(() => env.sms.messages.length).toBeGreaterThan(before)
    await page.locator('#book-code').fill(env.sms.lastCode(p.phone))
    await page.getByRole('button', { name: '确认预约' }).click()
  }

  it('books a 南京 hall for tomorrow morning, gets the SMS, sees it under 我的预约 and cancels it', async () => {
    env.clock.set('2026-12-01T01:00:00Z')
    const phone = phoneOf(1)
    await scenario('book-cancel', async (page) => {
      await page.goto(`${base}/booking/?region=320100`)
      await chooseSlot(page, '玄武', '申报缴税', '明天', '09:00–09:30')
      await fillAndConfirm(page, { name: '南京示例商贸有限公司', id: taxpayerIdOf(1), phone })
      await expect.poll(() => page.locator('#booked').isVisible()).toBe(true)
      const number = (await page.locator('#booked .number').textContent()) ?? ''
      expect(number).toMatch(/^1202-\d{3}$/)
      expect(await page.locator('#booked').textContent()).toContain('12月2日 星期三 09:00–09:30')
      const sms = env.sms.messages.find((m) => m.template === 'booking-confirmed' && m.to?.phone === phone)
      expect(sms?.text).toContain(`预约号${number}`)
      expect(sms?.text).toContain('2026-12-02 09:00–09:30')
      // The layout fits the phone: nothing wider than the viewport.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE_VIEWPORT.width)

      await page.getByRole('button', { name: '我的预约' }).click()
      await page.locator('#mine-phone').fill(phone)
      await page.locator('#mine-code').fill(env.sms.lastCode(phone))
      await page.getByRole('button', { name: '查询我的预约' }).click()
      const card = page.locator(`article[data-number="${number}"]`)
      await expect.poll(() => card.isVisible()).toBe(true)
      expect(await card.textContent()).toContain('已预约')
      await card.getByRole('button', { name: '取消预约' }).click()
      await expect.poll(async () => page.locator(`article[data-number="${number}"]`).textContent()).toContain('已取消')
      expect(env.sms.messages.some((m) => m.template === 'booking-cancelled' && m.to?.phone === phone)).toBe(true)
    })
  }, 60_000)

  it('a same-day slot 2 hours ahead is refused with the rule stated', async () => {
    env.clock.set('2026-12-01T01:00:00Z') // 09:00: the 11:00 slot starts in 2 hours
    await scenario('same-day', async (page) => {
      await page.goto(`${base}/booking/?region=320100`)
      await chooseSlot(page, '玄武', '发票领用', '今天', '11:00–11:30')
      const alert = page.getByRole('alert')
      await expect.poll(() => alert.textContent()).toContain('当天预约须在所选时段开始前至少3小时')
      expect(await page.locator('#tp-name').count()).toBe(0)
    })
  }, 60_000)

  it('hall console: find by 名称 + 预约号, print the 预约办税单, check in; reschedule after a failure', async () => {
    env.clock.set('2026-12-01T01:00:00Z')
    const today = (
      await book(env, {
        hallId: 'nj-xuanwu',
        slotStart: '2026-12-01T05:30:00.000Z',
        taxpayerId: taxpayerIdOf(2),
        taxpayerName: '南京控制台测试有限公司',
        phone: phoneOf(2),
        code: await codeFor(env, phoneOf(2)),
      })
    ).json()
    const later = (
      await book(env, {
        hallId: 'nj-xuanwu',
        slotStart: '2026-12-02T02:00:00.000Z',
        taxpayerId: taxpayerIdOf(3),
        taxpayerName: '南京改约测试有限公司',
        phone: phoneOf(3),
        code: await codeFor(env, phoneOf(3)),
      })
    ).json()
    expect(today.number).toBeTruthy()
    await scenario('console', async (page) => {
      await page.goto(`${base}/hall/`)
      await page.locator('#login-user').fill('xw-hall')
      await page.locator('#login-pass').fill('password-123')
      await page.getByRole('button', { name: '登录' }).click()
      await expect.poll(() => page.locator('#today').textContent()).toContain(today.number)

      await page.locator('#lk-name').fill('南京控制台测试有限公司')
      await page.locator('#lk-number').fill(today.number)
      await page.getByRole('button', { name: '查询', exact: true }).click()
      const found = page.locator(`#lookup-result article[data-number="${today.number}"]`)
      await expect.poll(() => found.isVisible()).toBe(true)
      await found.getByRole('button', { name: '打印预约办税单' }).click()
      expect(await page.getAttribute('html', 'data-printed')).toBe('yes')
      await page.emulateMedia({ media: 'print' })
      expect(await page.locator('#slip').isVisible()).toBe(true)
      expect(await page.locator('main').isVisible()).toBe(false)
      const slipText = (await page.locator('#slip').textContent()) ?? ''
      expect(slipText).toContain('预约办税单')
      expect(slipText).toContain(today.number)
      expect(slipText).toContain('南京控制台测试有限公司')
      await page.emulateMedia({ media: 'screen' })
      await found.getByRole('button', { name: '签到' }).click()
      await expect
        .poll(() => page.locator(`#lookup-result article[data-number="${today.number}"]`).textContent())
        .toContain('已签到')

      // Reschedule after a system failure: propose 12-03 to the taxpayer of tomorrow's booking.
      await page.locator('#lk-name').fill('南京改约测试有限公司')
      await page.locator('#lk-number').fill(later.number)
      await page.getByRole('button', { name: '查询', exact: true }).click()
      const other = page.locator(`#lookup-result article[data-number="${later.number}"]`)
      // The default day's list answers late (after the chosen day's): it must not replace the chosen day's list.
      const slow = /\/slots\?date=2026-12-01/
      await page.route(slow, async (route) => {
        await new Promise((r) => setTimeout(r, 1500))
        await route.continue()
      })
      await other.getByRole('button', { name: '改约（系统故障）' }).click()
      await page.locator('#rs-date').selectOption('2026-12-03')
      // the list of the chosen day, not the one loaded for the default day (09:00 China time = 01:00Z)
      await expect.poll(() => page.locator('#rs-slot option').first().getAttribute('value')).toMatch(/^2026-12-03T/)
      await page.waitForTimeout(2000)
      expect(await page.locator('#rs-slot option').first().getAttribute('value')).toMatch(/^2026-12-03T/)
      await page.unroute(slow)
      await page.locator('#rs-slot').selectOption({ index: 0 })
      await page.getByRole('button', { name: '发送改约建议' }).click()
      await expect
        .poll(() => page.locator(`#lookup-result article[data-number="${later.number}"]`).textContent())
        .toContain('等待纳税人确认')
    })
    expect(
      env.sms.messages.some((m) => m.template === 'booking-reschedule-proposed' && m.to?.phone === phoneOf(3)),
    ).toBe(true)
    await scenario('accept-reschedule', async (page) => {
      await page.goto(`${base}/booking/#mine`)
      await page.locator('#mine-phone').fill(phoneOf(3))
      await page.locator('#mine-code').fill(env.sms.lastCode(phoneOf(3)))
      await page.getByRole('button', { name: '查询我的预约' }).click()
      const card = page.locator(`article[data-number="${later.number}"]`)
      await card.getByRole('button', { name: '同意改约' }).click()
      await expect
        .poll(() => page.locator(`article[data-number="${later.number}"]`).textContent())
        .toContain('12月3日 星期四 09:00–09:30')
    })
  }, 90_000)

  it('a third no-show locks the taxpayer in every hall until a hall administrator unlocks', async () => {
    env.clock.set('2026-12-01T01:00:00Z')
    const phone = phoneOf(9)
    const id = taxpayerIdOf(9)
    const code = await codeFor(env, phone)
    for (const slot of ['2026-12-02T01:00:00.000Z', '2026-12-02T01:30:00.000Z', '2026-12-02T02:00:00.000Z']) {
      expect((await book(env, { hallId: 'nj-xuanwu', slotStart: slot, taxpayerId: id, phone, code })).statusCode).toBe(
        201,
      )
    }
    env.clock.set('2026-12-02T02:31:00Z') // 10:31 on the day: all three slots ended unattended
    const taxpayer = { name: '南京三次未到有限公司', id, phone }
    await scenario('locked', async (page) => {
      await page.goto(`${base}/booking/?region=320100`)
      await chooseSlot(page, '江北', '申报缴税', '今天', '14:00–14:30')
      await fillAndConfirm(page, taxpayer)
      await expect.poll(() => page.getByRole('alert').textContent()).toContain('90天内')
    })
    // Every hall of the province refuses them.
    const elsewhere = await book(env, {
      hallId: 'sz-gusu',
      slotStart: '2026-12-03T00:30:00.000Z',
      taxpayerId: id,
      phone,
      code: env.sms.lastCode(phone),
    })
    expect(elsewhere.json().error.code).toBe('PERSON_LOCKED')
    await scenario('unlock', async (page) => {
      await page.goto(`${base}/hall/`)
      await page.locator('#login-user').fill('jb-hall')
      await page.locator('#login-pass').fill('password-123')
      await page.getByRole('button', { name: '登录' }).click()
      await page.locator('#ul-id').fill(id)
      await page.locator('#ul-phone').fill(phone)
      await page.locator('#ul-checked').check()
      await page.getByRole('button', { name: '解除锁定' }).click()
      await expect.poll(() => page.locator('form', { hasText: '解除预约锁定' }).textContent()).toContain('已解除锁定')
    })
    env.clock.set('2026-12-02T02:33:00Z')
    await scenario('after-unlock', async (page) => {
      await page.goto(`${base}/booking/?region=320100`)
      await chooseSlot(page, '江北', '申报缴税', '今天', '14:00–14:30')
      await fillAndConfirm(page, taxpayer)
      await expect.poll(() => page.locator('#booked').isVisible()).toBe(true)
    })
  }, 120_000)
})
