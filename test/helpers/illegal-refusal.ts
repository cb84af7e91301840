/** Shared assertion: a request for help with an illegal practice is refused, naming the practice, never quoting law. */
import { expect } from 'vitest'
import { classifyIntent, illegalPractice } from '../../services/answer/intent-rules.js'
import { REPLIES } from '../../services/answer/replies.js'

export function expectNamedRefusal(text: string, practice: string): void {
  expect(classifyIntent(text).intent).toBe('illegal')
  const reply = REPLIES.illegalNamed(illegalPractice(text))
  expect(reply).toContain(practice)
  expect(reply).toContain('违法')
  expect(reply).not.toMatch(/第[一二三四五六七八九十百]+条/)
}
