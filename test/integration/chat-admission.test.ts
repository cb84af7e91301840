/**
 * Admission of chat turns over the real app: with every slot busy, turns wait in line and are answered in
 * order once it moves; one more than the line holds is refused at once with BUSY (503, Chinese message,
 * Retry-After) and leaves no session or ledger row behind. The slot is held through the container's own gate,
 * so which request waits and which is refused does not depend on timing.
 */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { BUNDLED_CORPUS, containerWithCorpus, staffAuth } from '../helpers/env.js'

let ctx: Container
let app: FastifyInstance

beforeAll(async () => {
  ctx = await containerWithCorpus(BUNDLED_CORPUS, { chatConcurrency: 1, chatQueue: 2 })
  app = await build(ctx.config, { container: ctx, logger: false })
}, 120_000)

afterAll(async () => {
  await app.close()
  await ctx.close()
})

const chat = (message: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/chat', payload: { message }, headers })

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !cond(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(cond()).toBe(true)
}

/** Occupies the gate's only slot until release() is called. */
function holdSlot(): { release: () => void; done: Promise<unknown> } {
  let release!: () => void
  const held = new Promise<void>((r) => (release = r))
  return { release, done: ctx.chatGate.run(() => held) }
}

describe('chat admission (TAXKB_CHAT_CONCURRENCY=1, TAXKB_CHAT_QUEUE=2)', () => {
  it('queues turns while the slot is busy, refuses the one that does not fit, then answers the queued ones', async () => {
    const rowsBefore = await ctx.store.collection('ledger').count()
    const sessionsBefore = await ctx.store.collection('sessions').count()
    const slot = holdSlot()
    const queued = [chat('小规模纳税人增值税征收率是多少'), chat('个人所得税的纳税期限是怎么规定的')]
    await until(() => ctx.chatGate.waiting === 2)

    const refused = await chat('契税的税率是多少')
    expect(refused.statusCode).toBe(503)
    expect(refused.headers['retry-after']).toBe('2')
    const err = refused.json().error
    expect(err.code).toBe('BUSY')
    expect(err.message).toBe('当前咨询人数较多，请稍后再试')
    expect(err.requestId).toBeTruthy()
    // The streaming form is refused the same way, as JSON, before any stream is opened.
    const sse = await chat('契税的税率是多少', { accept: 'text/event-stream' })
    expect(sse.statusCode).toBe(503)
    expect(sse.headers['content-type']).toMatch(/application\/json/)
    expect(sse.json().error.code).toBe('BUSY')

    slot.release()
    await slot.done
    const answered = await Promise.all(queued)
    expect(answered.map((r) => r.statusCode)).toEqual([200, 200])
    expect(answered.every((r) => r.json().citations.length > 0)).toBe(true)
    // Two turns answered: two sessions and their ledger rows; the two refused ones wrote nothing.
    expect(await ctx.store.collection('sessions').count()).toBe(sessionsBefore + 2)
    expect(await ctx.store.collection('ledger').count()).toBe(rowsBefore + 2)
    expect([ctx.chatGate.active, ctx.chatGate.waiting]).toEqual([0, 0])

    const metrics = await app.inject({
      method: 'GET',
      url: '/metrics',
      headers: await staffAuth(ctx, 'admission-admin', 'admin'),
    })
    expect(metrics.statusCode).toBe(200)
    expect(metrics.body).toMatch(/^taxkb_chat_turns_refused_total 2$/m)
    expect(metrics.body).toMatch(/^taxkb_chat_turns_waiting 0$/m)
  })

  it('a turn after the line cleared is answered normally', async () => {
    const r = await chat('小规模纳税人增值税征收率是多少')
    expect(r.statusCode).toBe(200)
  })
})
