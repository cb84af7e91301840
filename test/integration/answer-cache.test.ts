/**
 * Replies to repeated questions over the real app and the bundled corpus: a repeated question is served from the
 * cache yet still gets its own session, turns and ledger row; a published, then retired entry changes the reply
 * at once (the cache is emptied by the index write, not by a timer); the region, the China date and the session's
 * earlier topic (follow-ups) are part of what a reply is reused for, so none of them is answered with another's.
 */
import { describe, expect, it } from 'vitest'
import type { fixedClock } from '../../services/shared/clock.js'
import { actorOf, faq } from '../helpers/editorial.js'
import { useBundledApp } from '../helpers/env.js'

const t = useBundledApp('2026-11-25T02:00:00Z')

interface Reply {
  sessionId: string
  turnId: string
  answer: string
  mode: string
  confidence: number
  citations: { id: string }[]
}

const chat = (message: string, extra: { region?: string; sessionId?: string } = {}) =>
  t.chat<Reply>({ message, ...extra })

const editor = actorOf('editor-nj', 'editor', '320100')
const reviewer = actorOf('reviewer-js', 'reviewer', '320000')

describe('answer cache', () => {
  it('serves a repeated question without composing it again, and still records every turn', async () => {
    const q = '小规模纳税人月销售额多少以下免征增值税'
    const before = t.ctx.answerCache.stats()
    const ledgerBefore = await t.ctx.store.collection('ledger').count()
    const first = await chat(q)
    const second = await chat(q)
    const after = t.ctx.answerCache.stats()
    expect(after.misses - before.misses).toBe(1)
    expect(after.hits - before.hits).toBe(1)
    expect({ ...second, sessionId: '', turnId: '' }).toEqual({ ...first, sessionId: '', turnId: '' })
    expect(second.sessionId).not.toBe(first.sessionId)
    expect(await t.ctx.store.collection('ledger').count()).toBe(ledgerBefore + 2)
    const s2 = await t.ctx.sessions.get(second.sessionId)
    expect(s2.turns.map((t) => t.role)).toEqual(['user', 'assistant'])
    expect(s2.turns[1]?.text).toBe(first.answer)
  })

  it('a publish and a retire change the reply to the same question at once', async () => {
    // No place in the words: the region comes from the widget, so the same words are asked in two cities.
    const q = '新办企业首次领用发票要多久'
    const id = 'faq-nj-first-invoice-cache'
    const before = await chat(q, { region: '320100' })
    expect(before.citations.map((c) => c.id)).not.toContain(id)
    await chat(q, { region: '320100' }) // now cached
    await chat(q, { region: '320500' }) // cached for Suzhou before the publish

    await t.ctx.editorial.create(
      editor,
      faq(id, '南京市新办纳税人首次申领发票，资料齐全、符合法定形式的，主管税务机关当场办结。', {
        source: { title: '南京市税务局' },
      }) as never,
    )
    await t.ctx.editorial.submit(editor, id)
    await t.ctx.editorial.approve(reviewer, id, '同意')
    const published = await chat(q, { region: '320100' })
    expect(published.citations.map((c) => c.id)).toContain(id)
    expect(published.answer).toContain('当场办结')

    // Another city never gets the Nanjing entry, cached or not. (Its reply may still change: one more document
    // moves every BM25 score, which is why a publish empties the whole cache and not one region's part of it.)
    const suzhou = await chat(q, { region: '320500' })
    expect(suzhou.citations.map((c) => c.id)).not.toContain(id)

    await t.ctx.editorial.retire(reviewer, id)
    const retired = await chat(q, { region: '320100' })
    expect(retired.citations.map((c) => c.id)).not.toContain(id)
    expect(retired.answer).not.toContain('当场办结')
  })

  it('a follow-up is reused only for the same earlier topic', async () => {
    const deed = await chat('契税税率多少', { region: '320000' })
    const cit = await chat('企业所得税税率多少', { region: '320000' })
    const deedWhen = await chat('那什么时候交', { region: '320000', sessionId: deed.sessionId })
    const citWhen = await chat('那什么时候交', { region: '320000', sessionId: cit.sessionId })
    expect(citWhen.answer).not.toBe(deedWhen.answer)
    expect(deedWhen.answer).toContain('契税')
    expect(citWhen.answer).not.toContain('契税')
  })

  it('the next China day composes again', async () => {
    const q = '个人所得税的纳税期限是怎么规定的'
    await chat(q)
    const misses = t.ctx.answerCache.stats().misses
    await chat(q)
    expect(t.ctx.answerCache.stats().misses).toBe(misses)
    const clock = t.ctx.clock as ReturnType<typeof fixedClock>
    clock.set('2026-11-25T16:00:00Z') // 00:00 on 11-26 in China
    try {
      await chat(q)
      expect(t.ctx.answerCache.stats().misses).toBe(misses + 1)
    } finally {
      clock.set('2026-11-25T02:00:00Z')
    }
  })
})
