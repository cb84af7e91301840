/**
 * The one Chromium the browser tests drive (Debian's, through playwright-core) and the rule for when it is
 * missing: in CI that is a failure with a message saying what to install, locally a printed notice and a skip,
 * never a silent skip.
 */
import fs from 'node:fs'
import path from 'node:path'
import { chromium, type Browser, type Page } from 'playwright-core'
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../services/shared/config.js'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]
export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts')
export const INSTALL_HINT = 'apt-get install chromium fonts-noto-cjk'

export type BrowserSuitePlan = 'run' | 'fail' | 'skip'

/** Pure: what a browser suite does given whether Chromium exists and whether this is CI. */
export function browserSuitePlan(chromiumExists: boolean, ci: boolean): BrowserSuitePlan {
  if (chromiumExists) return 'run'
  return ci ? 'fail' : 'skip'
}

/** `describe` for a suite that needs Chromium (see the module comment). */
export function describeWithChromium(name: string, body: () => void): void {
  const plan = browserSuitePlan(fs.existsSync(CHROMIUM), Boolean(process.env.CI))
  if (plan === 'run') return void describe(name, body)
  if (plan === 'fail') {
    return void describe(name, () => {
      it('needs Chromium', () => {
        throw new Error(`${CHROMIUM} not found: CI must run the browser tests (${INSTALL_HINT})`)
      })
    })
  }
  console.warn(`[e2e] SKIPPED "${name}": no Chromium at ${CHROMIUM}. To run the browser tests: ${INSTALL_HINT}`)
  describe.skip(name, body)
}

export interface PageOptions {
  viewport?: { width: number; height: number }
  /** `always`: also keep `<prefix>-<name>.png` of a passing run (the screenshots the issues ask to look at). */
  screenshot?: 'always' | 'failure'
}

/**
 * Runs a scenario in a fresh context; page errors fail it, a failure saves `<prefix>-<name>.png` (full page) in
 * test-artifacts/, and with `screenshot: 'always'` a pass saves the viewport as `<prefix>-<name>.png` too.
 */
export async function runInPage(
  browser: Browser,
  prefix: string,
  name: string,
  run: (page: Page, problems: string[]) => Promise<void>,
  options: PageOptions = {},
): Promise<void> {
  const viewport = options.viewport ?? { width: 1366, height: 900 }
  const context = await browser.newContext({ viewport, locale: 'zh-CN' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => void d.accept())
  try {
    await run(page, problems)
    expect(problems).toEqual([])
    if (options.screenshot === 'always') {
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: path.join(ARTIFACTS, `${prefix}-${name}.png`) })
    }
  } catch (e) {
    fs.mkdirSync(ARTIFACTS, { recursive: true })
    await page.screenshot({ path: path.join(ARTIFACTS, `${prefix}-${name}.png`), fullPage: true }).catch(() => {})
    throw e
  } finally {
    await context.close()
  }
}

/** Logs in to a staff console page (`/editor`, `/console`) with the test password. */
export async function consoleLogin(page: Page, url: string, username: string): Promise<void> {
  await page.goto(url)
  await page.fill('#login-username', username)
  await page.fill('#login-password', 'password-123')
  await page.click('#login-submit')
  await page.waitForSelector('#app-view:not([hidden])')
}

/** Listens on a free local port and launches the test Chromium: the start of every console suite. */
export async function listenAndLaunch(app: FastifyInstance): Promise<{ base: string; browser: Browser }> {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS })
  return { base: `http://127.0.0.1:${port}`, browser }
}
