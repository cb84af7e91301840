/**
 * The one Chromium the browser tests drive (Debian's, through playwright-core) and the rule for when it is
 * missing: in CI that is a failure with a message saying what to install, locally a printed notice and a skip,
 * never a silent skip.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { REPO_ROOT } from '../../services/shared/config.js'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
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

/** Runs a scenario in a fresh context; page errors fail it, a failure saves `<prefix>-<name>.png` in test-artifacts/. */
export async function runInPage(
  browser: Browser,
  prefix: string,
  name: string,
  run: (page: Page, problems: string[]) => Promise<void>,
): Promise<void> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' })
  const page = await context.newPage()
  const problems: string[] = []
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => void d.accept())
  try {
    await run(page, problems)
    expect(problems).toEqual([])
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
