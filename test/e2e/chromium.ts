/**
 * The one Chromium the browser tests drive (Debian's, through playwright-core) and the rule for when it is
 * missing: in CI that is a failure with a message saying what to install, locally a printed notice and a skip,
 * never a silent skip.
 */
import fs from 'node:fs'
import { describe, it } from 'vitest'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
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
