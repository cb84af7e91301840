/**
 * A homophone slip (「个税会算」 for 个税汇算) is read as the word meant, and the transcript keeps what was typed.
 */
import { describe, expect, it } from 'vitest'
import { useBundledApp } from '../helpers/env.js'

interface Reply {
  sessionId: string
  answer: string
  citations: { id: string }[]
}

describe('homophone slips in a chat turn', () => {
  const bundled = useBundledApp()

  it('「个税会算什么时候截止」 is answered as 汇算, and the transcript keeps 「会算」', async () => {
    const r = await bundled.chat<Reply>({ message: '个税会算什么时候截止', region: '320000' })
    const slipped = await bundled.chat<Reply>({ message: '个税汇算什么时候截止', region: '320000' })
    expect(r.answer).toBe(slipped.answer)
    expect(r.answer).toMatch(/三月一日至六月三十日/)
    const res = await bundled.app.inject({ method: 'GET', url: `/api/chat/${r.sessionId}` })
    expect(res.statusCode).toBe(200)
    const turns = (res.json() as { turns: { role: string; text: string }[] }).turns
    expect(turns.find((t) => t.role === 'user')?.text).toBe('个税会算什么时候截止')
  })
})
