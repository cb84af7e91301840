/**
 * 「我们这边契税税率是多少」: the statute's national range (百分之三至百分之五) is not the rate where the taxpayer is;
 * the reply says the province sets it and offers 转人工. The national question still gets the range as the answer.
 */
import { describe, expect, it } from 'vitest'
import { useBundledApp } from '../helpers/env.js'

interface Reply {
  answer: string
  handoffOffered: boolean
  citations: { id: string }[]
}

describe('a local figure asked, a national range found', () => {
  const bundled = useBundledApp()

  it('names the province as the one that sets it, shows the range as the statute, and offers 转人工', async () => {
    for (const message of ['我们这边契税税率是多少', '江苏的契税税率是多少']) {
      const r = await bundled.chat<Reply>({ message, region: '320000' })
      expect(r.answer, message).toMatch(/^不确定：/)
      expect(r.answer).toMatch(/由省、自治区、直辖市人民政府在法律规定的幅度内确定/)
      expect(r.answer).toMatch(/百分之三至百分之五/)
      expect(r.handoffOffered).toBe(true)
      expect(r.citations.map((c) => c.id)).toContain('契税法#第三条')
    }
  })

  it('the national question is answered with the range', async () => {
    const r = await bundled.chat<Reply>({ message: '契税税率是多少', region: '320000' })
    expect(r.answer).toMatch(/百分之三至百分之五/)
    expect(r.answer).not.toMatch(/不确定|由省、自治区、直辖市人民政府在法律规定的幅度内确定/)
  })
})
