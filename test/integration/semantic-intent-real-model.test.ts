/**
 * Intent by meaning with the real bge-small-zh-v1.5 model over the bundled corpus and the shipped examples: messages
 * no intent rule catches reach the report, complaint and person flows; near-miss consults stay consults. Skips, with
 * a printed notice, when the model folder is absent (`npm run model:fetch`; .ci/run fetches it, so CI runs this).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { classifyIntent } from '../../services/answer/intent-rules.js'
import type { Container } from '../../services/container.js'
import { modelPresent } from '../../services/search/model/model-fetch.js'
import { loadConfig } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, closeApp, containerWithCorpus } from '../helpers/env.js'

const present = modelPresent(loadConfig({}).embeddingModelDir)
if (!present) console.warn('[semantic-intent-real-model] skipped: no model — run `npm run model:fetch`')

interface Reply {
  intent: string
  answer: string
  ticketId?: string
  ticketNumber?: string
}

describe.skipIf(!present)('intent by meaning (real model, shipped examples)', () => {
  let ctx: Container
  let app: FastifyInstance
  beforeAll(async () => {
    ctx = await containerWithCorpus(BUNDLED_CORPUS, { embedder: 'local' })
    app = await build(ctx.config, { container: ctx, logger: false })
  }, 120_000)
  afterAll(() => closeApp(ctx, app))

  const chat = async (message: string): Promise<Reply> => {
    const res = await app.inject({ method: 'POST', url: '/api/chat', payload: { message, region: '320000' } })
    expect(res.statusCode).toBe(200)
    return res.json() as Reply
  }

  it('a complaint told without 投诉 and no rule phrase opens a complaint ticket', async () => {
    const message = '你们办税服务厅的叫号机一上午都是坏的 也没人出来解释一下'
    expect(classifyIntent(message).intent).toBe('consult') // the rules alone miss it
    const r = await chat(message)
    expect(r.intent).toBe('complaint')
    expect(r.ticketNumber).toMatch(/^12366-/)
    expect(r.ticketId).toBeTruthy()
  })

  it('asking for a person in other words reaches the person flow', async () => {
    for (const m of ['这个问题太复杂了 想找你们懂业务的老师聊聊', '能让你们那边的专业人员跟我语音一下吗']) {
      expect(classifyIntent(m).intent).toBe('consult')
      expect((await chat(m)).intent, m).toBe('human')
    }
  })

  it('questions about the same people or practices stay consults', async () => {
    for (const m of ['带货主播的收入个税是怎么算的', '我被人举报偷税了 接下来会怎么样', '个人代开发票要带什么材料'])
      expect((await chat(m)).intent, m).toBe('consult')
  })
})
