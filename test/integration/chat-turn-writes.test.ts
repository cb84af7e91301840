/**
 * What one chat turn writes: a new session is stored once, with the question and the reply, and its ledger row
 * is committed with it (it used to be an empty session, then each turn: three session writes); a turn in an
 * existing session is one update, which stores an explicit region change; a turn that fails while composing
 * leaves neither a session nor a ledger row.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Container } from '../../services/container.js'
import { containerWithCorpus } from '../helpers/env.js'

let ctx: Container

beforeAll(async () => {
  ctx = await containerWithCorpus()
}, 60_000)
afterAll(async () => {
  vi.restoreAllMocks()
  await ctx.close()
})

function spyWrites() {
  const sessions = ctx.store.collection('sessions')
  const ledger = ctx.store.collection('ledger')
  const put = vi.spyOn(sessions, 'put')
  const update = vi.spyOn(sessions, 'update')
  const ledgerPut = vi.spyOn(ledger, 'put')
  return {
    counts: () => ({
      put: put.mock.calls.length,
      update: update.mock.calls.length,
      ledger: ledgerPut.mock.calls.length,
    }),
    restore: () => [put, update, ledgerPut].forEach((s) => s.mockRestore()),
  }
}

describe('the writes of one chat turn', () => {
  it('a new session is one write holding both turns, and its ledger row', async () => {
    const spy = spyWrites()
    try {
      const res = await ctx.answer.ask({ message: '小规模纳税人增值税征收率是多少', region: '320100' })
      expect(spy.counts()).toEqual({ put: 1, update: 0, ledger: 1 })
      const stored = await ctx.sessions.get(res.sessionId)
      expect(stored.turns.map((t) => t.role)).toEqual(['user', 'assistant'])
      expect(stored.turns[1]?.id).toBe(res.turnId)
      expect(stored.regionCode).toBe('320100')
      expect(stored.updatedAt).toBe(stored.turns[1]?.at)
      const rows = await ctx.ledger.list({ sessionId: res.sessionId })
      expect(rows).toHaveLength(1)
    } finally {
      spy.restore()
    }
  })

  it('a turn in an existing session is one update, and stores a region the widget changed', async () => {
    const first = await ctx.answer.ask({ message: '个人所得税的纳税期限', region: '320100' })
    const spy = spyWrites()
    try {
      await ctx.answer.ask({ sessionId: first.sessionId, message: '那什么时候申报', region: '320500' })
      expect(spy.counts()).toEqual({ put: 0, update: 1, ledger: 1 })
    } finally {
      spy.restore()
    }
    const stored = await ctx.sessions.get(first.sessionId)
    expect(stored.turns.map((t) => t.role)).toEqual(['user', 'assistant', 'user', 'assistant'])
    expect(stored.regionCode).toBe('320500')
  })

  it('a turn that fails while composing leaves no session and no ledger row', async () => {
    const sessionsBefore = await ctx.store.collection('sessions').count()
    const ledgerBefore = await ctx.store.collection('ledger').count()
    const failing = vi
      .spyOn(ctx.index.backend, 'search')
      .mockRejectedValue(Object.assign(new Error('index unavailable'), { code: 'ECONNREFUSED' }))
    try {
      await expect(ctx.answer.ask({ message: '契税的税率是多少，买房子要交多少' })).rejects.toThrow('index unavailable')
    } finally {
      failing.mockRestore()
    }
    expect(await ctx.store.collection('sessions').count()).toBe(sessionsBefore)
    expect(await ctx.store.collection('ledger').count()).toBe(ledgerBefore)
  })
})
