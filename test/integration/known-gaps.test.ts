/**
 * 「个人出租房子房产税按多少交」: the corpus holds 房产税暂行条例's 12%, but the rate for an individual renting out a home
 * is set by a notice the corpus lacks (knowledge/gaps/known-gaps.jsonl). The reply says so, names the document, shows
 * the statute only as the closest rule and offers 转人工; the same statute still answers a company's question.
 */
import { describe, expect, it } from 'vitest'
import { useBundledApp } from '../helpers/env.js'

interface Reply {
  answer: string
  handoffOffered: boolean
  citations: { id: string }[]
}

describe('a known gap of the corpus', () => {
  const bundled = useBundledApp()

  it('holds the statute back for the situation the missing document governs, and names that document', async () => {
    for (const [message, doc] of [
      ['个人出租房子房产税按多少交', '财税〔2008〕24号'],
      ['买房子契税税率是多少', '2024年第16号'],
    ] as const) {
      const r = await bundled.chat<Reply>({ message, region: '320000' })
      expect(r.answer, message).toMatch(/^不确定：/)
      expect(r.answer).toContain(doc)
      expect(r.answer).toMatch(/知识库暂未收录该文件/)
      expect(r.handoffOffered).toBe(true)
    }
  })

  it('leaves the statute as the answer where the gap does not apply', async () => {
    const r = await bundled.chat<Reply>({ message: '契税税率是多少', region: '320000' })
    expect(r.answer).toMatch(/百分之三至百分之五/)
    expect(r.answer).not.toMatch(/不确定|暂未收录该文件/)
  })
})
