/**
 * A real HTTP server on 127.0.0.1 (port 0) that speaks the parts of the OpenAI protocol taxkb uses:
 *   POST /v1/chat/completions  — JSON, or SSE chunks `data: {choices:[{delta:{content}}]}` … `data: [DONE]`
 *                                when the request has `stream: true`
 *   POST /v1/embeddings        — deterministic vectors from a hash of each text (hashVector)
 * Tests set the replies (`chat`, `embed`), inject failures and delays, and read `requests` to assert
 * what the client actually sent (headers, model, messages, input).
 */
import { createHash } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface ChatMessage {
  role: string
  content: string
}

export interface ChatRequestBody {
  model: string
  messages: ChatMessage[]
  stream?: boolean
  temperature?: number
  [key: string]: unknown
}

export interface LoggedRequest {
  method: string
  path: string
  headers: http.IncomingHttpHeaders
  body: unknown
}

export interface MockOpenAiServerOptions {
  /** Reply content for a chat request (default: echoes the last user message). */
  chat?: (messages: ChatMessage[], body: ChatRequestBody) => string
  /** How a streamed reply is cut into deltas (default: 4 characters each). */
  chunk?: (content: string) => string[]
  /** Embedding for one text (default: hashVector(text, dimensions ?? 8)). */
  embed?: (text: string, dimensions: number | undefined) => number[]
  /** Delay before answering any request (ms). */
  delayMs?: number
}

export interface MockOpenAiServer {
  /** http://127.0.0.1:PORT */
  readonly origin: string
  /** origin + '/v1' — what TAXKB_LLM_BASE_URL / TAXKB_EMBEDDING_BASE_URL point at. */
  readonly baseUrl: string
  readonly requests: LoggedRequest[]
  options: MockOpenAiServerOptions
  /** The next `times` requests answer `status` with `body` (JSON-encoded unless a string). */
  failNext(status: number, body?: unknown, times?: number): void
  close(): Promise<void>
}

/** Deterministic pseudo-embedding: SHA-256 of (text, block) stretched to `dimensions` values in [-1, 1). */
export function hashVector(text: string, dimensions = 8): number[] {
  const out: number[] = []
  for (let block = 0; out.length < dimensions; block++) {
    const digest = createHash('sha256').update(`${block}\u0000${text}`).digest()
    for (let i = 0; i + 1 < digest.length && out.length < dimensions; i += 2)
      out.push(digest.readUInt16BE(i) / 32768 - 1)
  }
  return out
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  res.writeHead(status, { 'content-type': typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json' })
  res.end(text)
}

export async function startMockOpenAiServer(options: MockOpenAiServerOptions = {}): Promise<MockOpenAiServer> {
  const requests: LoggedRequest[] = []
  const failures: { status: number; body: unknown }[] = []
  let created = 1_764_000_000

  const state = { options }

  const server = http.createServer((req, res) => {
    void (async () => {
      const raw = await readBody(req)
      let body: unknown = raw
      try {
        body = raw ? JSON.parse(raw) : undefined
      } catch {
        // keep the raw text in the log
      }
      const url = new URL(req.url ?? '/', 'http://127.0.0.1')
      requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, body })
      const { delayMs } = state.options
      if (delayMs) await new Promise((r) => setTimeout(r, delayMs))
      if (res.destroyed) return

      const failure = failures.shift()
      if (failure) return sendJson(res, failure.status, failure.body)
      if (req.method !== 'POST') return sendJson(res, 405, { error: { message: 'method not allowed' } })

      if (url.pathname === '/v1/chat/completions') {
        const b = body as ChatRequestBody
        if (!b || !Array.isArray(b.messages))
          return sendJson(res, 400, { error: { message: 'messages is required', type: 'invalid_request_error' } })
        const content = state.options.chat
          ? state.options.chat(b.messages, b)
          : `echo: ${b.messages.filter((m) => m.role === 'user').at(-1)?.content ?? ''}`
        const id = `chatcmpl-${requests.length}`
        created++
        if (!b.stream) {
          return sendJson(res, 200, {
            id,
            object: 'chat.completion',
            created,
            model: b.model,
            choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
            usage: { prompt_tokens: 10, completion_tokens: content.length, total_tokens: 10 + content.length },
          })
        }
        res.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
        })
        const frame = (delta: Record<string, unknown>, finish: string | null) =>
          `data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: b.model, choices: [{ index: 0, delta, finish_reason: finish, logprobs: null }] })}\n\n`
        res.write(frame({ role: 'assistant', content: '' }, null))
        const pieces = state.options.chunk ? state.options.chunk(content) : (content.match(/[\s\S]{1,4}/g) ?? [])
        for (const piece of pieces) res.write(frame({ content: piece }, null))
        res.write(frame({}, 'stop'))
        res.end('data: [DONE]\n\n')
        return
      }

      if (url.pathname === '/v1/embeddings') {
        const b = body as { model?: string; input?: unknown; dimensions?: number }
        const input = typeof b?.input === 'string' ? [b.input] : b?.input
        if (!b?.model || !Array.isArray(input))
          return sendJson(res, 400, {
            error: { message: 'model and input are required', type: 'invalid_request_error' },
          })
        const embed = state.options.embed ?? ((t: string, d: number | undefined) => hashVector(t, d ?? 8))
        return sendJson(res, 200, {
          object: 'list',
          model: b.model,
          data: input.map((t, index) => ({ object: 'embedding', index, embedding: embed(String(t), b.dimensions) })),
          usage: { prompt_tokens: input.length, total_tokens: input.length },
        })
      }

      return sendJson(res, 404, { error: { message: `no route ${url.pathname}` } })
    })().catch((e: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { error: { message: String(e) } })
      else res.end()
    })
  })

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  const origin = `http://127.0.0.1:${port}`
  return {
    origin,
    baseUrl: `${origin}/v1`,
    requests,
    get options() {
      return state.options
    },
    set options(o) {
      state.options = o
    },
    failNext(status, body = { error: { message: `mock failure ${status}`, type: 'server_error' } }, times = 1) {
      for (let i = 0; i < times; i++) failures.push({ status, body })
    },
    close() {
      server.closeAllConnections()
      return new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())))
    },
  }
}
