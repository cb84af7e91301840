/**
 * The taxpayer chat API. Taxpayers are anonymous: a signed session id (issued by POST /api/chat) is what
 * lets them read and continue their session; staff may use the same routes (every role has `chat`).
 * POST /api/chat streams over SSE when the client sends `Accept: text/event-stream`.
 */
import { Type, type Static } from '@sinclair/typebox'
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import type { ChatResponse } from '../../answer/answer-service.js'
import { normalizeMessage } from '../../answer/message-guard.js'
import { validateRating } from '../../answer/ledger.js'
import { CHAT_MODES, type ChatTurn } from '../../answer/session-service.js'
import { INTENTS } from '../../answer/intent-rules.js'
import { permissionsOf } from '../../auth/roles.js'
import { AppError, isAppError } from '../../shared/errors.js'
import { maskPii } from '../../shared/mask.js'
import { errorResponses } from '../schemas.js'
import { declareAuth, STAFF_SCHEMES } from '../auth-declaration.js'
import { routes } from '../plugins/services.js'

const SessionId = Type.String({
  minLength: 1,
  maxLength: 512,
  description: 'Signed session id returned by POST /api/chat',
})

export const CitationSchema = Type.Object({
  n: Type.Integer({ minimum: 1, description: 'The [n] used in the answer' }),
  id: Type.String({ description: 'Entry id; full text at GET /api/entries/:id' }),
  title: Type.String(),
  kind: Type.String(),
  snippet: Type.String({ description: 'HTML-escaped text with <mark> around matched terms' }),
  // policy documents (kind policy), see knowledge/policy-info.ts
  docNumber: Type.Optional(Type.String({ description: '文号 of the cited policy document' })),
  clause: Type.Optional(Type.String({ description: 'Clause label (一, 二（一）, 第三条 …)' })),
  validity: Type.Optional(
    Type.String({
      description:
        '全文有效 / 部分有效 / 全文废止 / 失效 / 尚未生效 (document); 有效 / 已修改 / 已废止 / 失效 / 尚未生效 (clause) — on the answer date',
    }),
  ),
  validityNote: Type.Optional(Type.String()),
  url: Type.Optional(Type.String({ description: 'Official source page' })),
  documentId: Type.Optional(
    Type.String({ description: 'Entry id of the whole document (GET /api/entries/:id for the full text)' }),
  ),
})

export const ChatRequest = Type.Object(
  {
    sessionId: Type.Optional(SessionId),
    message: Type.String({ minLength: 1, maxLength: 20_000, description: 'The question, as typed' }),
    region: Type.Optional(Type.String({ maxLength: 20, description: "GB/T 2260 code of the widget's region" })),
  },
  { additionalProperties: false },
)

export const ChatResponseSchema = Type.Object({
  sessionId: Type.String(),
  turnId: Type.String(),
  answer: Type.String({ description: 'Chinese answer; [n] refers to citations[].n' }),
  mode: Type.Union(CHAT_MODES.map((m) => Type.Literal(m))),
  intent: Type.Union(INTENTS.map((m) => Type.Literal(m))),
  confidence: Type.Number({ minimum: 0, maximum: 1 }),
  citations: Type.Array(CitationSchema),
  suggestions: Type.Array(Type.String(), { description: "Follow-up questions or actions ('转人工')" }),
  handoffOffered: Type.Boolean({
    description: 'Low confidence: show the 转人工 button (POST /api/chat/:sessionId/handoff)',
  }),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  ticketId: Type.Optional(Type.String()),
  ticketNumber: Type.Optional(Type.String()),
})

const TurnSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  role: Type.Union([Type.Literal('user'), Type.Literal('assistant'), Type.Literal('agent'), Type.Literal('system')]),
  text: Type.String(),
  mode: Type.Optional(Type.String()),
  intent: Type.Optional(Type.String()),
  confidence: Type.Optional(Type.Number()),
  citations: Type.Optional(Type.Array(CitationSchema)),
  ticketId: Type.Optional(Type.String()),
  agentName: Type.Optional(Type.String()),
})

const TranscriptSchema = Type.Object({
  sessionId: Type.String(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  ticketIds: Type.Array(Type.String()),
  turns: Type.Array(TurnSchema),
})

const RatingRequest = Type.Object(
  {
    turnId: Type.Optional(Type.String({ maxLength: 64 })),
    helpful: Type.Optional(Type.Boolean()),
    satisfaction: Type.Optional(Type.Integer({ minimum: 1, maximum: 5, description: '5 非常满意 … 1 非常不满意' })),
    reason: Type.Optional(Type.String({ maxLength: 1000, description: 'Required for satisfaction 1 and 2' })),
  },
  { additionalProperties: false },
)

const HandoffRequest = Type.Object(
  {
    contact: Type.Optional(
      Type.Object(
        {
          name: Type.Optional(Type.String({ maxLength: 50 })),
          phone: Type.Optional(Type.String({ maxLength: 30, pattern: '^[0-9+\\- ]{5,30}$' })),
        },
        { additionalProperties: false },
      ),
    ),
    consent: Type.Literal(true, { description: 'The taxpayer agreed to pass the conversation to a human' }),
  },
  { additionalProperties: false },
)

const Params = Type.Object({ sessionId: SessionId })
const chatErrors = {
  ...errorResponses,
  401: errorResponses[400],
  403: errorResponses[400],
  413: errorResponses[400],
  503: errorResponses[400],
}

/** Anonymous callers act as taxpayers; staff need the `chat` permission (every role has it). */
export const requireChat: preHandlerAsyncHookHandler = declareAuth(
  async (request) => {
    const perms = request.user?.permissions ?? permissionsOf('taxpayer')
    if (!perms.has('chat')) throw new AppError('FORBIDDEN', 'missing permission chat')
  },
  { anonymous: true, schemes: STAFF_SCHEMES, permissions: ['chat'] },
)

function wantsEventStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept
  return typeof accept === 'string' && accept.includes('text/event-stream')
}

export function sseFrame(event: string, data: unknown, id?: string): string {
  const json = JSON.stringify(data)
  return `${id ? `id: ${id}\n` : ''}event: ${event}\ndata: ${json}\n\n`
}

/** Takes the response over from Fastify for a text/event-stream, keeping headers set by hooks (CORS). */
function openStream(
  request: FastifyRequest,
  reply: FastifyReply,
): NodeJS.WritableStream & { writableEnded: boolean; end(): void } {
  reply.hijack()
  const headers: Record<string, string | number | string[]> = {}
  for (const [k, v] of Object.entries(reply.getHeaders()))
    if (v !== undefined) headers[k] = v as string | number | string[]
  reply.raw.writeHead(200, {
    ...headers,
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': request.id,
  })
  return reply.raw
}

/** Code-point chunks of an answer, so an extractive answer streams like a generated one. */
export function chunksOf(text: string, size = 12): string[] {
  const cps = [...text]
  const out: string[] = []
  for (let i = 0; i < cps.length; i += size) out.push(cps.slice(i, i + size).join(''))
  return out
}

function publicTurn(t: ChatTurn) {
  const { query: _q, ...rest } = t
  return rest
}

const chatRoutes = routes(
  'chat-routes',
  ['config', 'answer', 'search', 'sessions', 'ledger', 'metrics', 'chatGate'],
  async (app) => {
    const chatLimit = { max: Math.max(30, Math.floor(app.config.rateLimitPerMinute / 4)), timeWindow: 60_000 }

    app.post(
      '/api/chat',
      {
        bodyLimit: 64 * 1024,
        config: { rateLimit: chatLimit },
        preHandler: requireChat,
        schema: {
          tags: ['chat'],
          summary: '智能咨询：提问并获得带引用的答复（Accept: text/event-stream 时以 SSE 流式返回）',
          description:
            'SSE events: `token` {text} (provisional text), `reset` {} (discard streamed text: the LLM answer was rejected), `done` (the full response, authoritative), `error` {error}.',
          body: ChatRequest,
          response: { 200: ChatResponseSchema, ...chatErrors },
        },
      },
      async (request, reply) => {
        const body = request.body as Static<typeof ChatRequest>
        const input = { sessionId: body.sessionId, message: body.message, region: body.region, channel: 'web' as const }
        // Turns are composed a few at a time, in arrival order; a full line answers BUSY at once (turn-gate.ts).
        if (!wantsEventStream(request)) return app.chatGate.run(() => app.answer.ask(input, { log: request.log }))

        // Fail fast with a normal JSON error before the stream is opened.
        normalizeMessage(body.message, app.config.maxQueryChars)
        app.search.validateRegion(body.region)
        if (body.sessionId) await app.sessions.get(body.sessionId)
        app.chatGate.admit() // before the stream opens, so BUSY is a JSON error; run() below checks again, same tick
        const out = openStream(request, reply)
        let streamed = 0
        try {
          const res: ChatResponse = await app.chatGate.run(() =>
            app.answer.ask(input, {
              log: request.log,
              onToken: (text) => {
                streamed++
                out.write(sseFrame('token', { text }))
              },
            }),
          )
          if (res.mode !== 'llm') {
            if (streamed > 0) out.write(sseFrame('reset', {}))
            for (const text of chunksOf(res.answer)) out.write(sseFrame('token', { text }))
          }
          out.write(sseFrame('done', res))
        } catch (e) {
          const err = isAppError(e) ? e : new AppError('INTERNAL', undefined, { cause: e })
          if (err.status >= 500) request.log.error({ err: e }, 'chat stream failed')
          out.write(sseFrame('error', { error: { code: err.code, message: err.userMessage, requestId: request.id } }))
        } finally {
          out.end()
        }
        return reply
      },
    )

    app.get(
      '/api/chat/:sessionId',
      {
        preHandler: requireChat,
        schema: {
          tags: ['chat'],
          summary: '会话记录（用户消息已脱敏）',
          params: Params,
          response: { 200: TranscriptSchema, ...chatErrors },
        },
      },
      async (request) => {
        const s = await app.sessions.get(request.params.sessionId)
        return {
          sessionId: s.id,
          createdAt: s.createdAt,
          updatedAt: s.updatedAt,
          regionCode: s.regionCode,
          ticketIds: s.ticketIds,
          turns: s.turns.map(publicTurn),
        }
      },
    )

    app.get(
      '/api/chat/:sessionId/events',
      {
        preHandler: requireChat,
        schema: {
          tags: ['chat'],
          summary: '会话新消息推送（SSE：坐席回复等）',
          description:
            'text/event-stream of `turn` events (id = turn id) for turns appended after connecting; `?since=<turnId>` (or Last-Event-ID) replays the turns after that one first. A comment line every 15 s keeps proxies from closing the stream.',
          params: Params,
          querystring: Type.Object({ since: Type.Optional(Type.String({ maxLength: 64 })) }),
          // The stream is written after reply.hijack(), so this schema only documents it.
          response: {
            200: { description: '事件流', content: { 'text/event-stream': { schema: Type.String() } } },
            ...chatErrors,
          },
        },
      },
      async (request, reply) => {
        const session = await app.sessions.get(request.params.sessionId)
        const lastId =
          request.query.since ??
          (typeof request.headers['last-event-id'] === 'string' ? request.headers['last-event-id'] : undefined)
        const out = openStream(request, reply)
        out.write(': connected\n\n')
        if (lastId) {
          const at = session.turns.findIndex((t) => t.id === lastId)
          if (at >= 0) for (const t of session.turns.slice(at + 1)) out.write(sseFrame('turn', publicTurn(t), t.id))
        }
        const unsubscribe = app.sessions.subscribe(session.id, (t) => {
          if (!out.writableEnded) out.write(sseFrame('turn', publicTurn(t), t.id))
        })
        const heartbeat = setInterval(() => out.write(': keep-alive\n\n'), 15_000)
        heartbeat.unref()
        const stop = () => {
          clearInterval(heartbeat)
          unsubscribe()
          if (!out.writableEnded) out.end()
        }
        request.raw.once('close', stop)
        app.server.once('close', stop)
        return reply
      },
    )

    app.post(
      '/api/chat/:sessionId/rating',
      {
        bodyLimit: 8 * 1024,
        preHandler: requireChat,
        schema: {
          tags: ['chat'],
          summary: '评价答复（有帮助/没帮助，满意度 1–5；1、2 分须填写原因）',
          params: Params,
          body: RatingRequest,
          response: { 200: Type.Object({ id: Type.String(), ok: Type.Boolean() }), ...chatErrors },
        },
      },
      async (request) => {
        const session = await app.sessions.get(request.params.sessionId)
        const body = request.body
        const v = validateRating(body)
        const answers = session.turns.filter((t) => t.role === 'assistant' || t.role === 'agent')
        const turn = body.turnId ? answers.find((t) => t.id === body.turnId) : answers[answers.length - 1]
        if (!turn)
          throw new AppError('NOT_FOUND', `turn ${body.turnId ?? '(last)'} of this session`, {
            userMessage: '未找到要评价的答复',
          })
        const idx = session.turns.indexOf(turn)
        const question = [...session.turns.slice(0, idx)].reverse().find((t) => t.role === 'user')?.text ?? null
        const r = await app.ledger.rate({
          sessionId: session.id,
          turnId: turn.id,
          helpful: v.helpful,
          satisfaction: v.satisfaction,
          reason: v.reason,
          question: question === null ? null : maskPii(question),
          regionCode: session.regionCode,
        })
        app.metrics.ratings.inc({
          satisfaction: String(v.satisfaction ?? 'none'),
          helpful: String(v.helpful ?? 'none'),
        })
        return { id: r.id, ok: true }
      },
    )

    app.post(
      '/api/chat/:sessionId/handoff',
      {
        bodyLimit: 8 * 1024,
        config: { rateLimit: chatLimit },
        preHandler: requireChat,
        schema: {
          tags: ['chat'],
          summary: '转人工：登记咨询工单（须纳税人同意，可留联系方式）',
          params: Params,
          body: HandoffRequest,
          response: { 200: ChatResponseSchema, ...chatErrors },
        },
      },
      async (request) => {
        const contact = request.body.contact
          ? {
              ...(request.body.contact.name ? { name: request.body.contact.name } : {}),
              ...(request.body.contact.phone ? { phone: request.body.contact.phone } : {}),
            }
          : null
        return app.answer.handoff(request.params.sessionId, contact, { log: request.log })
      },
    )
  },
)
export default chatRoutes
