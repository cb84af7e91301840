/**
 * The OpenAI-compatible ChatModel through the real langchain client against a real local HTTP server
 * (test/helpers/mock-openai-server.ts): what goes over the wire, JSON and SSE replies, errors, timeouts.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { createChatModel, NoChatModel, OpenAiCompatibleChatModel } from '../../services/answer/chat-model.js'
import { buildGroundedPrompt, validateCitations } from '../../services/answer/grounded-prompt.js'
import { loadConfig } from '../../services/shared/config.js'
import { startMockOpenAiServer, type ChatRequestBody, type MockOpenAiServer } from '../helpers/mock-openai-server.js'

const sources = [
  { n: 1, title: '增值税法#第二十四条', text: '农业生产者销售的自产农产品免征增值税。' },
  {
    n: 2,
    title: '小规模纳税人免征增值税政策',
    text: '小规模纳税人以1个季度为1个纳税期的，季度销售额未超过30万元的，免征增值税。',
  },
]
const prompt = buildGroundedPrompt({ question: '小规模纳税人季度销售额多少免征增值税？', sources })
const GOOD = '小规模纳税人以一个季度为纳税期的，季度销售额未超过30万元的免征增值税[2]。'

let server: MockOpenAiServer
beforeAll(async () => {
  server = await startMockOpenAiServer()
})
afterAll(() => server.close())
beforeEach(() => {
  server.requests.length = 0
  server.options = { chat: () => GOOD }
})

const lastBody = () => server.requests.at(-1)?.body as ChatRequestBody

describe('OpenAiCompatibleChatModel.generate', () => {
  it('sends the grounded prompt, model, temperature 0 and the bearer key; returns the content', async () => {
    const model = new OpenAiCompatibleChatModel({
      baseUrl: server.baseUrl,
      model: 'qwen2.5-7b-instruct',
      apiKey: 'sk-local-123',
    })
    expect(model.name).toBe('openai-compatible')
    const answer = await model.generate(prompt)
    expect(answer).toBe(GOOD)
    expect(validateCitations(answer, sources.length)).toEqual({ ok: true, cited: [2], problems: [] })

    expect(server.requests).toHaveLength(1)
    const req = server.requests[0]
    expect(req?.method).toBe('POST')
    expect(req?.path).toBe('/v1/chat/completions')
    expect(req?.headers.authorization).toBe('Bearer sk-local-123')
    const body = lastBody()
    expect(body.model).toBe('qwen2.5-7b-instruct')
    expect(body.temperature).toBe(0)
    expect(body.stream).toBeFalsy()
    expect(body.messages.map((m) => m.role)).toEqual(['system', 'user'])
    expect(body.messages[0]?.content).toBe(prompt.system)
    expect(body.messages[0]?.content).toContain('[2] 《小规模纳税人免征增值税政策》')
    expect(body.messages[0]?.content).toContain('季度销售额未超过30万元')
    expect(body.messages[1]?.content).toBe('纳税人的问题：小规模纳税人季度销售额多少免征增值税？')
  })

  it("sends 'not-needed' as the key when none is configured (local servers ignore it)", async () => {
    await new OpenAiCompatibleChatModel({ baseUrl: `${server.baseUrl}/`, model: 'm' }).generate(prompt)
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer not-needed')
    expect(server.requests.at(-1)?.path).toBe('/v1/chat/completions')
  })

  it('lets a test reply depend on the messages; the reply is then checked by validateCitations', async () => {
    server.options = {
      chat: (messages) =>
        messages[0]?.content.includes('[2]') ? '小规模纳税人季度销售额未超过三十万元的免征增值税[5]。' : 'x',
    }
    const answer = await new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'm' }).generate(prompt)
    expect(validateCitations(answer, sources.length)).toMatchObject({
      ok: false,
      problems: ['citation [5] is outside 1..2'],
    })
  })

  it('retries once (maxRetries 1) and then surfaces the server error', async () => {
    server.failNext(500, { error: { message: 'model crashed', type: 'server_error' } }, 2)
    const model = new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'm' })
    await expect(model.generate(prompt)).rejects.toThrow(/500|model crashed/)
    expect(server.requests).toHaveLength(2)
  })

  it('recovers when only the first attempt fails', async () => {
    server.failNext(503, { error: { message: 'busy' } }, 1)
    await expect(new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'm' }).generate(prompt)).resolves.toBe(
      GOOD,
    )
    expect(server.requests).toHaveLength(2)
  })

  it('gives up after the timeout', async () => {
    server.options = { chat: () => GOOD, delayMs: 1500 }
    const model = new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'm', timeoutMs: 200, maxRetries: 0 })
    const t0 = Date.now()
    await expect(model.generate(prompt)).rejects.toThrow(/time/i)
    expect(Date.now() - t0).toBeLessThan(1400)
  })

  it('stops when the caller aborts', async () => {
    server.options = { chat: () => GOOD, delayMs: 1500 }
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 100)
    await expect(
      new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'm', maxRetries: 0 }).generate({
        ...prompt,
        signal: controller.signal,
      }),
    ).rejects.toThrow(/abort/i)
  })

  it('reports an unreachable server', async () => {
    const gone = await startMockOpenAiServer()
    await gone.close()
    await expect(
      new OpenAiCompatibleChatModel({ baseUrl: gone.baseUrl, model: 'm', maxRetries: 0 }).generate(prompt),
    ).rejects.toThrow(/connect|connection|ECONNREFUSED|fetch failed/i)
  })
})

describe('OpenAiCompatibleChatModel.stream', () => {
  it('requests SSE and yields the deltas in order', async () => {
    server.options = { chat: () => GOOD, chunk: (c) => [c.slice(0, 5), c.slice(5, 20), c.slice(20)] }
    const model = new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'qwen2.5-7b-instruct' })
    const deltas: string[] = []
    for await (const d of model.stream(prompt)) deltas.push(d)
    expect(deltas).toEqual([GOOD.slice(0, 5), GOOD.slice(5, 20), GOOD.slice(20)])
    expect(deltas.join('')).toBe(GOOD)
    const body = lastBody()
    expect(body.stream).toBe(true)
    expect(body.model).toBe('qwen2.5-7b-instruct')
    expect(body.messages[0]?.content).toBe(prompt.system)
    // streamUsage is off: some compatible servers reject stream_options
    expect(body).not.toHaveProperty('stream_options')
  })

  it('streams long answers in many small chunks', async () => {
    const long = `${'小规模纳税人季度销售额未超过30万元的免征增值税[2]。'.repeat(8)}`
    server.options = { chat: () => long }
    const deltas: string[] = []
    for await (const d of new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'm' }).stream(prompt))
      deltas.push(d)
    expect(deltas.length).toBeGreaterThan(50)
    expect(deltas.join('')).toBe(long)
  })

  it('surfaces a server error', async () => {
    server.failNext(500, { error: { message: 'boom' } }, 1)
    const run = async () => {
      for await (const _ of new OpenAiCompatibleChatModel({
        baseUrl: server.baseUrl,
        model: 'm',
        maxRetries: 0,
      }).stream(prompt))
        void _
    }
    await expect(run()).rejects.toThrow(/500|boom/)
  })
})

describe('createChatModel', () => {
  it('is none without TAXKB_LLM_BASE_URL, and NoChatModel refuses to generate', async () => {
    const model = createChatModel(loadConfig({}))
    expect(model).toBeInstanceOf(NoChatModel)
    expect(model.name).toBe('none')
    await expect(model.generate(prompt)).rejects.toThrow(/No chat model is configured/)
    const consume = async () => {
      for await (const _ of model.stream(prompt)) void _
    }
    await expect(consume()).rejects.toThrow(/No chat model is configured/)
  })

  it('builds the OpenAI-compatible model from the environment and it talks to the server', async () => {
    const config = loadConfig({
      TAXKB_LLM_BASE_URL: server.baseUrl,
      TAXKB_LLM_MODEL: 'llama3.1:8b',
      TAXKB_LLM_API_KEY: 'k',
      TAXKB_LLM_TIMEOUT_MS: '5000',
    })
    expect(config).toMatchObject({
      llmBaseUrl: server.baseUrl,
      llmModel: 'llama3.1:8b',
      llmApiKey: 'k',
      llmTimeoutMs: 5000,
    })
    const model = createChatModel(config)
    expect(model.name).toBe('openai-compatible')
    await expect(model.generate(prompt)).resolves.toBe(GOOD)
    expect(lastBody().model).toBe('llama3.1:8b')
    expect(server.requests.at(-1)?.headers.authorization).toBe('Bearer k')
  })

  it('config: default timeout 20000; a base URL without a model is a ConfigError', () => {
    expect(loadConfig({}).llmTimeoutMs).toBe(20000)
    expect(loadConfig({}).llmBaseUrl).toBe('')
    expect(() => loadConfig({ TAXKB_LLM_BASE_URL: 'http://127.0.0.1:1/v1' })).toThrow(/TAXKB_LLM_MODEL is required/)
    expect(() => loadConfig({ TAXKB_LLM_TIMEOUT_MS: 'soon' })).toThrow(/TAXKB_LLM_TIMEOUT_MS must be an integer/)
  })
})
