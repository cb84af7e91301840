import { describe, expect, it } from 'vitest'
import { browserSuitePlan } from '../e2e/chromium.js'

describe('browser suites without Chromium (issue 20 item 5)', () => {
  it('run when Chromium is there, in CI or not', () => {
    expect(browserSuitePlan(true, true)).toBe('run')
    expect(browserSuitePlan(true, false)).toBe('run')
  })
  it('fail in CI and skip with a notice locally when it is missing', () => {
    expect(browserSuitePlan(false, true)).toBe('fail')
    expect(browserSuitePlan(false, false)).toBe('skip')
  })
})
