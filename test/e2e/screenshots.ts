/** Runs a browser step and, when it fails, saves a full-page screenshot into test-artifacts/ (git-ignored). */
import fs from 'node:fs'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { REPO_ROOT } from '../../services/shared/config.js'

export const ARTIFACTS = path.join(REPO_ROOT, 'test-artifacts')

export async function shootOnFailure(page: Page | undefined, name: string, fn: () => Promise<void>): Promise<void> {
  try {
    await fn()
  } catch (error) {
    if (page) {
      fs.mkdirSync(ARTIFACTS, { recursive: true })
      await page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true }).catch(() => undefined)
    }
    throw error
  }
}
