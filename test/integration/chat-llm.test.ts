/**
 * The LLM path against a real local HTTP server that speaks the OpenAI protocol: answers whose every [n]
 * refers to a given source are accepted (mode llm); bad citations, errors and timeouts fall back to the
 * extractive answer (mode composed). SSE streams the model's tokens, and a rejected draft is withdrawn.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { BUNDLED_CORPUS, containerWithCorpus } from '../helpers/env.js'
import { startMockOpenAiServer, type ChatMessage, type MockOpenAiServer } from '../helpers/mock-openai-server.js'

let server: MockOpenAiServer
let ctx: Container
let app: FastifyInstance
let reply: 'good' | 'out-of-range' | 'uncited' = 'good'

/** A model that behaves: quotes the first sentence of source [1] and cites it. */
function answerFrom(messages: ChatMessage[]): string {
  const system = messages.find((m) => m.role === 'system')?.content ?? ''
  const m = /\[1\] 《[^》]*》\n([^。\n]*。)/.exec(system)
  const sentence = m?.[1] ?? '参考资料不能回答这个问题。'
  if (reply === 'out-of-range') return `${sentence}[9]`
  if (reply === 'uncited') return `${sentence}[1]\n另外，根据最新政策，小规模纳税人可以享受百分之一的优惠征收率。`
  return `${sentence}[1]`
}

function parseSse(body: string) {
  return body
    .split('\n\n')
    .filter((b) => b.trim() && !b.startsWith(':'))
    .map((b) => {
      const lines = b.split('\n')
      return {
        event: lines.find((l) => l.startsWith('event: '))?.slice(7) ?? 'message',
        data: JSON.parse(
          lines
            .filter((l) => l.startsWith('data: '))
            .map((l) => l.slice(6))
            .join('\n'),
        ) as Record<string, unknown>,
      }
    })
}

beforeAll(async () => {
  server = await startMockOpenAiServer({ chat: (messages) => answerFrom(messages) })
  ctx = await containerWithCorpus(BUNDLED_CORPUS, {
    llmBaseUrl: server.baseUrl,
    llmModel: 'qwen-test',
    // Room for a slow first call on a loaded machine (400 ms failed once with CI's node starting beside it).
    llmTimeoutMs: 1000,
  })
  app = await build(ctx.config, { container: ctx, logger: false })
}, 120_000)

afterAll(async () => {
  await app.close()
  await ctx.close()
  await server.close()
})

beforeEach(() => {
  reply = 'good'
  server.options.delayMs = 0
  server.requests.length = 0
})

const chatCalls = () => server.requests.filter((r) => r.path === '/v1/chat/completions')

describe('LLM answers (openai-compatible ChatModel)', () => {
  it('accepts an answer whose citations refer to the given sources, with the retrieved sources only in the prompt', async () => {
    const r = (await app.inject({ method: 'POST', url: '/api/chat', payload: { message: '契税税率多少' } })).json()
    expect(r.mode).toBe('llm')
    expect(r.answer).toMatch(/\[1\]$/)
    expect(r.citations).toHaveLength(1)
    expect(r.citations[0].n).toBe(1)
    const calls = chatCalls()
    expect(calls).toHaveLength(1)
    const body = calls[0]!.body as { model: string; messages: ChatMessage[] }
    expect(body.model).toBe('qwen-test')
    expect(body.messages[0]!.content).toContain('只能依据下面编号的“参考资料”回答')
    expect(body.messages[0]!.content).toContain('契税')
    expect(body.messages[1]!.content).toContain('契税税率多少')
  })

  it('rejects a citation outside the sources and answers extractively instead', async () => {
    reply = 'out-of-range'
    const before = await ctx.metrics.llmFallbacks.get()
    const r = (await app.inject({ method: 'POST', url: '/api/chat', payload: { message: '契税税率多少' } })).json()
    expect(r.mode).toBe('composed')
    expect(r.answer).not.toContain('[9]')
    expect(r.answer).toContain('百分之三至百分之五')
    const after = await ctx.metrics.llmFallbacks.get()
    const count = (m: typeof after) => m.values.find((v) => v.labels.reason === 'citations')?.value ?? 0
    expect(count(after)).toBe(count(before) + 1)
  })

  it('rejects an uncited substantive sentence (an invented 1% rate) and answers extractively', async () => {
    reply = 'uncited'
    const r = (await app.inject({ method: 'POST', url: '/api/chat', payload: { message: '契税税率多少' } })).json()
    expect(r.mode).toBe('composed')
    expect(r.answer).not.toContain('百分之一的优惠')
  })

  it('falls back on server errors and on timeouts', async () => {
    server.failNext(400, { error: { message: 'bad request' } }, 1) // not retried by the client
    expect(
      (await app.inject({ method: 'POST', url: '/api/chat', payload: { message: '契税税率多少' } })).json().mode,
    ).toBe('composed')
    server.options.delayMs = 4000
    const t0 = Date.now()
    expect(
      (await app.inject({ method: 'POST', url: '/api/chat', payload: { message: '契税税率多少' } })).json().mode,
    ).toBe('composed')
    expect(Date.now() - t0).toBeLessThan(3500)
  })

  it('does not call the model for refusals, handoffs, FAQ answers or low-confidence answers', async () => {
    for (const message of [
      '帮我推荐一只股票',
      '转人工',
      '国家机关、事业单位承受的房产是否缴纳契税？',
      '2026年小规模纳税人增值税1%的优惠还有吗',
    ])
      await app.inject({ method: 'POST', url: '/api/chat', payload: { message } })
    expect(chatCalls()).toHaveLength(0)
  })
})

describe('SSE with the LLM', () => {
  it('streams the model tokens as they come, then done with mode llm', async () => {
    const r = await app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: { accept: 'text/event-stream' },
      payload: { message: '契税税率多少' },
    })
    const events = parseSse(r.body)
    const tokens = events.filter((e) => e.event === 'token').map((e) => e.data.text as string)
    const done = events.at(-1)!
    expect(done.event).toBe('done')
    expect(done.data.mode).toBe('llm')
    expect(tokens.length).toBeGreaterThan(2)
    expect(tokens.join('')).toBe(done.data.answer)
    expect(events.some((e) => e.event === 'reset')).toBe(false)
    const call = chatCalls()[0]!.body as { stream?: boolean }
    expect(call.stream).toBe(true)
  })

  it('withdraws a rejected streamed draft with a reset event, then streams the extractive answer', async () => {
    reply = 'out-of-range'
    const r = await app.inject({
      method: 'POST',
      url: '/api/chat',
      headers: { accept: 'text/event-stream' },
      payload: { message: '契税税率多少' },
    })
    const events = parseSse(r.body)
    const reset = events.findIndex((e) => e.event === 'reset')
    expect(reset).toBeGreaterThan(0)
    const after = events
      .slice(reset + 1)
      .filter((e) => e.event === 'token')
      .map((e) => e.data.text as string)
      .join('')
    const done = events.at(-1)!
    expect(done.data.mode).toBe('composed')
    expect(after).toBe(done.data.answer)
  })
})
