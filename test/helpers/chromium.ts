/**
 * Shared Chromium plumbing for the e2e tests: the binary and flags, a scenario runner that fails on page
 * errors and leaves a screenshot in test-artifacts/, and the console login.
 */
import fs from 'node:fs'
import path from 'node:path'
import { expect } from 'vitest'
import type { Browser, Page } from 'playwright-core'
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

/** Runs a scenario in a fresh context; page errors fail it, a failure saves `<prefix>-<name>.png`. */
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
