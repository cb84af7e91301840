/**
 * Failure pattern 7, end to end over the bundled corpus: a follow-up that only asks when / how much keeps the
 * topic of the session and answers the new question, not the earlier one; a report in between ends the chain,
 * so the report's words never become part of a later search.
 */
import { describe, expect, it } from 'vitest'
import { useBundledApp } from '../helpers/env.js'

const t = useBundledApp('2026-11-25T02:00:00Z')

interface Reply {
  sessionId: string
  intent: string
  citations: { id: string }[]
}

const chat = (message: string, sessionId?: string) =>
  t.chat<Reply>({ message, region: '320000', ...(sessionId ? { sessionId } : {}) })

async function lastQuery(sessionId: string): Promise<string | undefined> {
  const s = await t.ctx.sessions.get(sessionId)
  return [...s.turns].reverse().find((t) => t.role === 'user')?.query
}

describe('follow-ups in a session', () => {
  it('「那什么时候交」 after 「契税税率多少」 asks when 契税 is due, not the rate again', async () => {
    const first = await chat('契税税率多少')
    expect(first.citations.map((c) => c.id)).toContain('契税法#第三条')
    const second = await chat('那什么时候交', first.sessionId)
    expect(await lastQuery(first.sessionId)).toBe('契税 什么时候交')
    const cited = second.citations.map((c) => c.id)
    expect(cited.some((id) => id.startsWith('契税法#') && id !== '契税法#第三条')).toBe(true)
  })

  it('「什么时候申报」 after 「企业所得税税率多少」 gets the filing deadline', async () => {
    const first = await chat('企业所得税税率多少')
    const second = await chat('什么时候申报', first.sessionId)
    expect(second.citations.map((c) => c.id)).toContain('企业所得税法#第五十四条')
  })

  it('a report in between ends the chain: its words never reach a later search', async () => {
    const first = await chat('契税税率多少')
    const report = await chat('想让税务局查查我们老板 发工资从来不扣个税', first.sessionId)
    expect(report.intent).toBe('report')
    await chat('那什么时候交', first.sessionId)
    const query = await lastQuery(first.sessionId)
    expect(query ?? '那什么时候交').not.toContain('老板')
    expect(query ?? '那什么时候交').not.toContain('契税')
  })
})
