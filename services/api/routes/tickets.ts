/**
 * Ticket routes for agents (tickets:work): queue, detail, workflow steps, promote to a draft entry, and
 * the agent knowledge lookup (kb:search-internal: adds an "in force on date" filter to the public search).
 * Contact details appear only in the detail of a ticket the viewer may read (see TicketService.toView).
 */
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { EntryKindSchema, EntrySchema, LayerSchema } from '../../../knowledge/entry.js'
import { AppError } from '../../shared/errors.js'
import { TICKET_STATES } from '../../tickets/ticket-service.js'
import type { Viewer } from '../../tickets/routing.js'
import { errorResponses, SearchResponse } from '../schemas.js'
import type { SearchRequest } from '../../search/search-service.js'
import { routes } from '../plugins/services.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const TicketSummarySchema = Type.Object({
  id: Type.String(),
  number: Type.String(),
  type: Type.String(),
  difficulty: Type.String(),
  state: Type.String(),
  stateLabel: Type.String(),
  regionCode: Nullable(Type.String()),
  seatGroup: Type.String(),
  channel: Type.String(),
  question: Type.String(),
  confidential: Type.Boolean(),
  assignee: Nullable(Type.String()),
  createdAt: Type.String(),
  dueAt: Type.String(),
  dueLabel: Type.String(),
  overdue: Type.Boolean(),
})

const ContactSchema = Type.Object({ name: Type.Optional(Type.String()), phone: Type.Optional(Type.String()) })

export const TicketViewSchema = Type.Intersect([
  TicketSummarySchema,
  Type.Object({
    transcript: Type.Array(Type.Object({ role: Type.String(), text: Type.String(), at: Type.String() })),
    answer: Nullable(Type.String()),
    answeredAt: Nullable(Type.String()),
    answeredBy: Nullable(Type.String()),
    closedAt: Nullable(Type.String()),
    extension: Nullable(
      Type.Object({ days: Type.Integer(), reason: Type.String(), at: Type.String(), by: Type.String() }),
    ),
    redirect: Nullable(Type.Object({ regionCode: Nullable(Type.String()), note: Type.String() })),
    notices: Type.Array(
      Type.Object({
        at: Type.String(),
        kind: Type.String(),
        text: Type.String(),
        chat: Type.Boolean(),
        notified: Type.Boolean(),
      }),
    ),
    promotedEntryId: Nullable(Type.String()),
    events: Type.Array(
      Type.Object({ at: Type.String(), by: Type.String(), action: Type.String(), note: Type.Optional(Type.String()) }),
    ),
    hasSession: Type.Boolean(),
    hasContact: Type.Boolean(),
    contactVisible: Type.Boolean(),
    contact: Type.Optional(Nullable(ContactSchema)),
  }),
])

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const RecommendationsResponse = Type.Object({
  ticketId: Type.String(),
  hits: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: EntryKindSchema,
      title: Type.String(),
      layer: LayerSchema,
      regionCode: Nullable(Type.String()),
      snippet: Type.String({ description: 'HTML-escaped passage text with <mark> around matched terms' }),
      citation: Type.String({ description: 'Source as an answer cites it, e.g. 《个人所得税法》第六条' }),
      passage: Type.String({ description: 'Label of the passage within the entry; empty for the whole entry' }),
    }),
  ),
})
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max })
const viewResponse = {
  200: TicketViewSchema,
  ...errorResponses,
  401: errorResponses[400],
  403: errorResponses[400],
  409: errorResponses[400],
}

export function viewerOf(request: FastifyRequest): Viewer & { name: string } {
  const u = request.user
  if (!u) throw new AppError('UNAUTHENTICATED')
  return { id: u.id, name: u.name, regionCode: u.regionCode, seatGroup: u.seatGroup, permissions: u.permissions }
}

const ticketRoutes = routes('ticket-routes', ['tickets', 'clock', 'search', 'recommender'], async (app) => {
  const work = app.requirePermission('tickets:work')
  const tickets = () => app.tickets

  app.get(
    '/api/tickets',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '工单队列（本座席组；省级中心与班长看全省），按答复期限排序',
        querystring: Type.Object({
          scope: Type.Optional(Type.Union([Type.Literal('queue'), Type.Literal('mine')])),
          state: Type.Optional(Type.Union(TICKET_STATES.map((s) => Type.Literal(s)))),
          includeClosed: Type.Optional(Type.Boolean()),
        }),
        response: {
          200: Type.Object({ now: Type.String(), tickets: Type.Array(TicketSummarySchema) }),
          ...errorResponses,
          401: errorResponses[400],
          403: errorResponses[400],
        },
      },
    },
    async (request) => {
      const q = request.query
      const opts: Parameters<ReturnType<typeof tickets>['list']>[1] = {}
      if (q.scope) opts.scope = q.scope
      if (q.state) opts.state = q.state
      if (q.includeClosed !== undefined) opts.includeClosed = q.includeClosed
      return { now: app.clock.now().toISOString(), tickets: await tickets().list(viewerOf(request), opts) }
    },
  )

  app.get(
    '/api/tickets/seat-groups',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '可转派的座席组',
        response: { 200: Type.Object({ seatGroups: Type.Array(Type.String()) }) },
      },
    },
    async (request) => ({ seatGroups: tickets().transferTargets(viewerOf(request)) }),
  )

  app.get(
    '/api/tickets/:id',
    {
      preHandler: work,
      schema: { tags: ['tickets'], summary: '工单详情（含处理记录）', params: IdParams, response: viewResponse },
    },
    async (request) => tickets().view(viewerOf(request), request.params.id),
  )

  app.post(
    '/api/tickets/:id/claim',
    { preHandler: work, schema: { tags: ['tickets'], summary: '受理工单', params: IdParams, response: viewResponse } },
    async (request) => tickets().claim(viewerOf(request), request.params.id),
  )

  app.post(
    '/api/tickets/:id/reply',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '答复纳税人（推送至会话并通知）',
        params: IdParams,
        body: Type.Object({ text: Text(4000) }, { additionalProperties: false }),
        response: viewResponse,
      },
    },
    async (request) => tickets().reply(viewerOf(request), request.params.id, request.body.text),
  )

  app.post(
    '/api/tickets/:id/difficulty',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '设置咨询难度（一般 1 个工作日 / 疑难 3 个工作日）',
        params: IdParams,
        body: Type.Object(
          { difficulty: Type.Union([Type.Literal('general'), Type.Literal('difficult')]) },
          { additionalProperties: false },
        ),
        response: viewResponse,
      },
    },
    async (request) => tickets().setDifficulty(viewerOf(request), request.params.id, request.body.difficulty),
  )

  app.post(
    '/api/tickets/:id/transfer',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '转派到其他座席组或地区',
        params: IdParams,
        body: Type.Object(
          {
            seatGroup: Type.Optional(Type.String({ maxLength: 40 })),
            regionCode: Type.Optional(Type.String({ maxLength: 6 })),
            note: Text(500),
          },
          { additionalProperties: false },
        ),
        response: viewResponse,
      },
    },
    async (request) => tickets().transfer(viewerOf(request), request.params.id, request.body),
  )

  app.post(
    '/api/tickets/:id/escalate',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '升级到省级中心',
        params: IdParams,
        body: Type.Object({ note: Text(500) }, { additionalProperties: false }),
        response: viewResponse,
      },
    },
    async (request) => tickets().escalate(viewerOf(request), request.params.id, request.body.note),
  )

  app.post(
    '/api/tickets/:id/extend',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '延期答复（需说明原因，并告知纳税人）',
        params: IdParams,
        body: Type.Object(
          {
            days: Type.Integer({ minimum: 1, maximum: 10 }),
            reason: Text(500),
            notice: Type.Optional(Type.String({ maxLength: 1000 })),
          },
          { additionalProperties: false },
        ),
        response: viewResponse,
      },
    },
    async (request) => tickets().extend(viewerOf(request), request.params.id, request.body),
  )

  app.post(
    '/api/tickets/:id/close',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '办结工单',
        params: IdParams,
        body: Type.Optional(
          Type.Object({ note: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false }),
        ),
        response: viewResponse,
      },
    },
    async (request) => tickets().close(viewerOf(request), request.params.id, request.body?.note),
  )

  app.post(
    '/api/tickets/:id/redirect',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '非本地区工单：附转办说明后办结',
        params: IdParams,
        body: Type.Object(
          { regionCode: Type.Optional(Nullable(Type.String({ maxLength: 6 }))), note: Text(1000) },
          { additionalProperties: false },
        ),
        response: viewResponse,
      },
    },
    async (request) => tickets().redirect(viewerOf(request), request.params.id, request.body),
  )

  app.post(
    '/api/tickets/:id/reopen',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '重新打开工单',
        params: IdParams,
        body: Type.Object({ reason: Text(500) }, { additionalProperties: false }),
        response: viewResponse,
      },
    },
    async (request) => tickets().reopen(viewerOf(request), request.params.id, request.body.reason),
  )

  app.post(
    '/api/tickets/:id/promote',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '将答复沉淀为知识草稿（供编辑审核）',
        params: IdParams,
        body: Type.Optional(
          Type.Object(
            {
              title: Type.Optional(Type.String({ maxLength: 120 })),
              tags: Type.Optional(Type.Array(Type.String({ maxLength: 50 }), { maxItems: 20 })),
            },
            { additionalProperties: false },
          ),
        ),
        response: {
          200: EntrySchema,
          ...errorResponses,
          401: errorResponses[400],
          403: errorResponses[400],
          409: errorResponses[400],
        },
      },
    },
    async (request) => tickets().promote(viewerOf(request), request.params.id, request.body ?? {}),
  )

  // 推荐知识: the chat's retrieval over the ticket as this viewer sees it (a sealed ticket recommends nothing).
  app.get(
    '/api/tickets/:id/recommendations',
    {
      preHandler: work,
      schema: {
        tags: ['tickets'],
        summary: '工单的推荐知识（与智能咨询相同的检索：问题 + 纳税人会话）',
        params: IdParams,
        querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, default: 5 })) }),
        response: {
          200: RecommendationsResponse,
          ...errorResponses,
          401: errorResponses[400],
          403: errorResponses[400],
        },
      },
    },
    async (request) => {
      const t = await tickets().view(viewerOf(request), request.params.id)
      const input = { question: t.question, transcript: t.transcript, regionCode: t.regionCode }
      return { ticketId: t.id, hits: await app.recommender.recommend(input, request.query.limit ?? 5) }
    },
  )

  // Agent lookup: the public search plus "in force on a date" (retired entries included for past dates).
  app.get(
    '/api/agent/search',
    {
      preHandler: app.requirePermission('kb:search-internal'),
      schema: {
        tags: ['search'],
        summary: '坐席知识检索（按类型、地区、生效日期筛选）',
        querystring: Type.Object({
          q: Type.String({ maxLength: 100_000 }),
          region: Type.Optional(Type.String({ maxLength: 20 })),
          kind: Type.Optional(Type.String({ maxLength: 200 })),
          date: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 50, default: 10 })),
        }),
        response: { 200: SearchResponse, ...errorResponses, 401: errorResponses[400], 403: errorResponses[400] },
      },
    },
    async (request) => {
      const t0 = performance.now()
      const { q, region, kind, date, limit } = request.query
      const req: SearchRequest = { q, region, kind, limit }
      if (date) {
        req.effectiveAt = date
        req.status = ['published', 'retired']
      }
      const hits = await app.search.search(req)
      return { query: q.trim(), total: hits.length, tookMs: Math.round((performance.now() - t0) * 100) / 100, hits }
    },
  )
})
export default ticketRoutes
