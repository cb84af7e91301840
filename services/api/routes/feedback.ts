/**
 * 征纳互动 routes. Taxpayers (public, no credentials): rate a service event with its single-use token,
 * file a complaint or suggestion, get an SMS code, look a ticket up with number + verified phone, get the
 * overall-service token of their chat session. Staff: 回访 follow-ups (tickets:work, own seat groups) and
 * satisfaction metrics (ledger:read).
 */
import { Type } from '@sinclair/typebox'
import { RATING_LEVELS } from '../../feedback/rating-levels.js'
import { DIMENSIONS } from '../../feedback/satisfaction-metrics.js'
import type { FastifyRequest } from 'fastify'
import { AppError } from '../../shared/errors.js'
import { declareAuth, STAFF_SCHEMES } from '../auth-declaration.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'
import { viewerOf } from './tickets.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const errors = { ...errorResponses, 401: errorResponses[400], 403: errorResponses[400], 409: errorResponses[400] }
const PHONE_TOKEN_HEADER = 'x-phone-token'
const formLimit = { rateLimit: { max: 30, timeWindow: 60_000 } }

const FollowUpSchema = Type.Object({
  id: Type.String(),
  eventType: Type.String(),
  level: Type.String(),
  levelLabel: Type.String(),
  reason: Nullable(Type.String()),
  regionCode: Nullable(Type.String()),
  seatGroup: Type.String(),
  agentId: Nullable(Type.String()),
  hallId: Nullable(Type.String()),
  createdAt: Type.String(),
  dueAt: Type.String(),
  dueLabel: Type.String(),
  state: Type.String(),
  doneAt: Nullable(Type.String()),
  doneBy: Nullable(Type.String()),
  note: Nullable(Type.String()),
})

const ContactBody = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 40 })), phone: Type.Optional(Type.String({ maxLength: 20 })) },
  { additionalProperties: false },
)
const formBody = (complaint: boolean) =>
  Type.Object(
    {
      category: Type.String({ minLength: 1, maxLength: 20 }),
      regionCode: Nullable(Type.String({ pattern: '^\\d{6}$' })),
      text: Type.String({ minLength: 1, maxLength: 2000 }),
      ...(complaint
        ? { concerned: Type.String({ minLength: 1, maxLength: 100, description: '被投诉的单位或人员' }) }
        : {}),
      contact: Type.Optional(ContactBody),
      consent: Type.Optional(Type.Boolean({ description: '同意使用联系方式联系本人' })),
    },
    { additionalProperties: false },
  )
const ReceiptSchema = Type.Object({
  number: Type.String(),
  type: Type.String(),
  dueAt: Type.String(),
  dueLabel: Type.String(),
  lookupEnabled: Type.Boolean(),
})

const feedbackRoutes = routes('feedback-routes', ['feedback', 'booking', 'sessions', 'clock'], async (app) => {
  const work = app.requirePermission('tickets:work')
  const ledgerRead = app.requirePermission('ledger:read')

  app.post(
    '/api/feedback/ratings',
    {
      bodyLimit: 8 * 1024,
      config: formLimit,
      schema: {
        tags: ['feedback'],
        summary: '我要评价：凭服务事件的一次性评价凭证评价（非常满意…非常不满意；后两级须填写原因）',
        body: Type.Object(
          {
            eventToken: Type.String({ minLength: 1, maxLength: 4096 }),
            level: Type.Union(RATING_LEVELS.map((l) => Type.Literal(l))),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            id: Type.String(),
            level: Type.String(),
            followUp: Type.Boolean(),
            followUpDueLabel: Nullable(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const { rating, followUp } = await app.feedback.rate(
        request.body.eventToken,
        request.body.level,
        request.body.reason,
      )
      return {
        id: rating.id,
        level: rating.level,
        followUp: followUp !== null,
        followUpDueLabel: followUp?.dueLabel ?? null,
      }
    },
  )

  app.post(
    '/api/feedback/events/overall',
    {
      schema: {
        tags: ['feedback'],
        summary: '取得本次会话“整体服务”的评价凭证（每个会话一次）',
        body: Type.Object(
          { sessionId: Type.String({ minLength: 1, maxLength: 200 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ eventToken: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const s = await app.sessions.get(request.body.sessionId)
      return { eventToken: app.feedback.overallToken(s.id, s.regionCode, s.channel) }
    },
  )

  app.post(
    '/api/feedback/events/chat',
    {
      schema: {
        tags: ['feedback'],
        summary: '取得会话中一条答复（智能答复或人工答复）的评价凭证；不指定 turnId 时为最后一条答复',
        body: Type.Object(
          {
            sessionId: Type.String({ minLength: 1, maxLength: 200 }),
            turnId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ eventToken: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const s = await app.sessions.get(request.body.sessionId)
      return { eventToken: await app.feedback.chatTurnToken(s, request.body.turnId) }
    },
  )

  // Hall staff of this hall (booking:hall and listed as its administrator) or booking:manage.
  const hallStaff = declareAuth(
    async (request: FastifyRequest) => {
      if (!request.user) throw new AppError('UNAUTHENTICATED')
      const p = request.user.permissions
      if (!p.has('booking:hall') && !p.has('booking:manage')) throw new AppError('FORBIDDEN', 'missing booking:hall')
    },
    { anonymous: false, schemes: STAFF_SCHEMES, permissions: ['booking:hall'] },
  )
  app.post(
    '/api/feedback/events/hall-visit',
    {
      preHandler: hallStaff,
      schema: {
        tags: ['feedback'],
        summary: '办税服务厅签到后取得本次办理的评价凭证（供纳税人扫码或打开链接评价）',
        body: Type.Object(
          {
            hallId: Type.String({ minLength: 1, maxLength: 64 }),
            appointmentId: Type.String({ minLength: 1, maxLength: 64 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ eventToken: Type.String(), url: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const user = request.user!
      const hall = await app.booking.halls.get(request.body.hallId)
      if (!user.permissions.has('booking:manage') && !hall.adminUserIds.includes(user.id)) {
        throw new AppError('FORBIDDEN', `not an administrator of hall ${hall.id}`, {
          userMessage: '您不是该办税服务厅的管理员',
        })
      }
      const appointment = await app.booking.appointments.get(request.body.appointmentId)
      const eventToken = app.feedback.hallVisitToken(appointment, hall)
      return { eventToken, url: `/feedback/?t=${encodeURIComponent(eventToken)}` }
    },
  )

  for (const kind of ['complaint', 'suggestion'] as const) {
    app.post(
      `/api/feedback/${kind}s`,
      {
        bodyLimit: 16 * 1024,
        config: formLimit,
        schema: {
          tags: ['feedback'],
          summary:
            kind === 'complaint'
              ? '我要投诉：生成投诉工单（1 个工作日内转交承办部门，投诉人信息保密）'
              : '我要建议：生成建议工单（1 个工作日内转交承办部门）',
          body: formBody(kind === 'complaint'),
          response: { 200: ReceiptSchema, ...errors },
        },
      },
      async (request) => app.feedback.submitForm(kind, request.body as Parameters<typeof app.feedback.submitForm>[1]),
    )
  }

  app.post(
    '/api/feedback/phone-codes',
    {
      config: formLimit,
      schema: {
        tags: ['feedback'],
        summary: '发送短信验证码（查询投诉、建议办理进度前验证手机号码）',
        body: Type.Object({ phone: Type.String({ minLength: 11, maxLength: 20 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ sent: Type.Boolean(), expiresInSeconds: Type.Integer() }), ...errors },
      },
    },
    async (request) => {
      const sent = await app.booking.codes.send(request.body.phone)
      return { sent: true, expiresInSeconds: sent.expiresInSeconds }
    },
  )

  app.post(
    '/api/feedback/phone-codes/verify',
    {
      config: formLimit,
      schema: {
        tags: ['feedback'],
        summary: '校验短信验证码，返回 30 分钟内有效的查询凭证（放在 x-phone-token 请求头中）',
        body: Type.Object(
          { phone: Type.String({ minLength: 11, maxLength: 20 }), code: Type.String({ minLength: 4, maxLength: 8 }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ phoneToken: Type.String() }), ...errors },
      },
    },
    async (request) => {
      const phone = await app.booking.codes.verify(request.body.phone, request.body.code)
      return { phoneToken: app.feedback.phoneToken(phone) }
    },
  )

  app.get(
    '/api/feedback/tickets/:number',
    {
      config: formLimit,
      schema: {
        tags: ['feedback'],
        summary: '凭工单编号和已验证的手机号码查询投诉、建议办理进度与答复',
        params: Type.Object({ number: Type.String({ pattern: '^12366-\\d{8}-\\d{4,}$' }) }),
        headers: Type.Object({ [PHONE_TOKEN_HEADER]: Type.Optional(Type.String({ maxLength: 1024 })) }),
        response: {
          200: Type.Object({
            number: Type.String(),
            type: Type.String(),
            typeLabel: Type.String(),
            state: Type.String(),
            stateLabel: Type.String(),
            createdAt: Type.String(),
            dueLabel: Type.String(),
            answer: Nullable(Type.String()),
            answeredAt: Nullable(Type.String()),
            ratingToken: Nullable(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (request) => {
      const token = request.headers[PHONE_TOKEN_HEADER]
      return app.feedback.lookup(request.params.number, typeof token === 'string' ? token : undefined)
    },
  )

  app.get(
    '/api/feedback/followups',
    {
      preHandler: work,
      schema: {
        tags: ['feedback'],
        summary: '回访任务（本座席组可见范围），按回访期限排序',
        querystring: Type.Object({ includeDone: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ followUps: Type.Array(FollowUpSchema) }), ...errors },
      },
    },
    async (request) => ({
      followUps: await app.feedback.listFollowUps(viewerOf(request), request.query.includeDone === true),
    }),
  )

  app.post(
    '/api/feedback/followups/:id/done',
    {
      preHandler: work,
      schema: {
        tags: ['feedback'],
        summary: '完成回访并记录结果',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 80 }) }),
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: FollowUpSchema, ...errors },
      },
    },
    async (request) => app.feedback.completeFollowUp(viewerOf(request), request.params.id, request.body.note),
  )

  app.get(
    '/api/admin/feedback/satisfaction',
    {
      preHandler: ledgerRead,
      schema: {
        tags: ['feedback'],
        summary: '满意度统计：按渠道、地区、座席组、坐席、办税服务厅或知识条目',
        querystring: Type.Object({
          by: Type.Union(DIMENSIONS.map((d) => Type.Literal(d))),
          from: Type.Optional(Type.String({ format: 'date-time' })),
          to: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: {
          200: Type.Object({
            by: Type.String(),
            rows: Type.Array(
              Type.Object({
                key: Type.String(),
                count: Type.Integer(),
                levels: Type.Record(Type.String(), Type.Integer()),
                meanScore: Type.Number(),
                satisfiedRate: Type.Number(),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({
      by: request.query.by,
      rows: await app.feedback.metrics(request.query.by, { from: request.query.from, to: request.query.to }),
    }),
  )
})

export default feedbackRoutes
