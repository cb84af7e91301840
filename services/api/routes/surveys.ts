/**
 * 网上调查 routes. Taxpayers (public): open surveys of a region, one survey, one response per chat session.
 * Staff with surveys:manage (scoped to their region): create, publish, close, list, results, export.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { QUESTION_TYPES } from '../../feedback/survey-logic.js'
import type { Survey, SurveyManager } from '../../feedback/survey-service.js'
import { AppError } from '../../shared/errors.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const errors = { ...errorResponses, 401: errorResponses[400], 403: errorResponses[400], 409: errorResponses[400] }

const ShowIfSchema = Type.Object(
  {
    question: Type.String({ minLength: 1, maxLength: 32 }),
    equals: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Integer()])),
    includes: Type.Optional(Type.String({ maxLength: 100 })),
    min: Type.Optional(Type.Integer()),
    max: Type.Optional(Type.Integer()),
  },
  { additionalProperties: false },
)
const QuestionSchema = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 32 }),
    type: Type.Union(QUESTION_TYPES.map((t) => Type.Literal(t))),
    title: Type.String({ minLength: 1, maxLength: 200 }),
    required: Type.Boolean(),
    options: Type.Optional(Type.Array(Type.String({ maxLength: 100 }), { maxItems: 30 })),
    showIf: Type.Optional(ShowIfSchema),
  },
  { additionalProperties: false },
)
const PublicSurveySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  description: Type.String(),
  regionCode: Nullable(Type.String()),
  mode: Type.String(),
  opensAt: Type.String(),
  closesAt: Type.String(),
  open: Type.Boolean(),
  questions: Type.Array(QuestionSchema),
})
const StaffSurveySchema = Type.Intersect([
  PublicSurveySchema,
  Type.Object({
    state: Type.String(),
    createdBy: Type.String(),
    createdAt: Type.String(),
    publishedAt: Nullable(Type.String()),
  }),
])
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })
const Count = Type.Object({ label: Type.String(), count: Type.Integer() })
const ResultSchema = Type.Object({
  id: Type.String(),
  type: Type.String(),
  title: Type.String(),
  answered: Type.Integer(),
  counts: Type.Optional(Type.Array(Count)),
  mean: Type.Optional(Type.Number()),
  nps: Type.Optional(
    Type.Object({
      promoters: Type.Integer(),
      passives: Type.Integer(),
      detractors: Type.Integer(),
      score: Type.Number(),
    }),
  ),
  texts: Type.Optional(
    Type.Object({
      items: Type.Array(Type.String()),
      total: Type.Integer(),
      page: Type.Integer(),
      pageSize: Type.Integer(),
    }),
  ),
})

function managerOf(request: FastifyRequest): SurveyManager {
  if (!request.user) throw new AppError('UNAUTHENTICATED')
  return { id: request.user.id, regionCode: request.user.regionCode }
}

const surveyRoutes = routes('survey-routes', ['surveys', 'sessions'], async (app) => {
  const manage = app.requirePermission('surveys:manage')
  const publicView = (s: Survey) => ({
    id: s.id,
    title: s.title,
    description: s.description,
    regionCode: s.regionCode,
    mode: s.mode,
    opensAt: s.opensAt,
    closesAt: s.closesAt,
    open: app.surveys.isOpen(s),
    questions: s.questions,
  })
  const staffView = (s: Survey) => ({
    ...publicView(s),
    state: s.state,
    createdBy: s.createdBy,
    createdAt: s.createdAt,
    publishedAt: s.publishedAt,
  })

  app.get(
    '/api/surveys',
    {
      schema: {
        tags: ['surveys'],
        summary: '正在进行的网上调查（全国、本省与本市）',
        querystring: Type.Object({ region: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }),
        response: { 200: Type.Object({ surveys: Type.Array(PublicSurveySchema) }), ...errors },
      },
    },
    async (request) => ({ surveys: (await app.surveys.listOpen(request.query.region ?? null)).map(publicView) }),
  )

  app.post(
    '/api/surveys/sessions',
    {
      config: { rateLimit: { max: 10, timeWindow: 60_000 } },
      schema: {
        tags: ['surveys'],
        summary: '为门户页面创建纳税人会话（答卷、整体评价每个会话一次）',
        body: Type.Object(
          { regionCode: Nullable(Type.String({ pattern: '^\\d{6}$' })) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ sessionId: Type.String() }), ...errors },
      },
    },
    async (request) => ({ sessionId: (await app.sessions.create('web', request.body.regionCode)).id }),
  )

  app.get(
    '/api/surveys/:id',
    {
      schema: {
        tags: ['surveys'],
        summary: '问卷内容',
        params: IdParams,
        response: { 200: PublicSurveySchema, ...errors },
      },
    },
    async (request) => publicView(await app.surveys.getOpen(request.params.id)),
  )

  app.post(
    '/api/surveys/:id/responses',
    {
      bodyLimit: 64 * 1024,
      config: { rateLimit: { max: 20, timeWindow: 60_000 } },
      schema: {
        tags: ['surveys'],
        summary: '提交答卷（每个会话一次；匿名问卷不保存会话、IP 或身份，时间只到日）',
        params: IdParams,
        body: Type.Object(
          {
            sessionId: Type.String({ minLength: 1, maxLength: 200 }),
            answers: Type.Record(
              Type.String({ maxLength: 32 }),
              Type.Union([
                Type.Integer(),
                Type.String({ maxLength: 2000 }),
                Type.Array(Type.String({ maxLength: 100 }), { maxItems: 30 }),
              ]),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ accepted: Type.Boolean(), day: Type.String() }), ...errors },
      },
    },
    async (request) => app.surveys.respond(request.params.id, request.body.sessionId, request.body.answers),
  )

  app.get(
    '/api/admin/surveys',
    {
      preHandler: manage,
      schema: {
        tags: ['surveys'],
        summary: '本地区的问卷（含草稿）',
        response: { 200: Type.Object({ surveys: Type.Array(StaffSurveySchema) }), ...errors },
      },
    },
    async (request) => ({ surveys: (await app.surveys.listManaged(managerOf(request))).map(staffView) }),
  )

  app.post(
    '/api/admin/surveys',
    {
      preHandler: manage,
      bodyLimit: 128 * 1024,
      schema: {
        tags: ['surveys'],
        summary: '创建问卷草稿（题型、必答、显示条件在保存前校验，错误指明题目）',
        body: Type.Object(
          {
            title: Type.String({ minLength: 1, maxLength: 100 }),
            description: Type.Optional(Type.String({ maxLength: 1000 })),
            regionCode: Nullable(Type.String({ pattern: '^\\d{6}$' })),
            mode: Type.Union([Type.Literal('anonymous'), Type.Literal('identified')]),
            opensAt: Type.String({ format: 'date-time' }),
            closesAt: Type.String({ format: 'date-time' }),
            questions: Type.Array(QuestionSchema, { minItems: 1, maxItems: 100 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffSurveySchema, ...errors },
      },
    },
    async (request) => staffView(await app.surveys.create(managerOf(request), request.body)),
  )

  for (const action of ['publish', 'close'] as const) {
    app.post(
      `/api/admin/surveys/:id/${action}`,
      {
        preHandler: manage,
        schema: {
          tags: ['surveys'],
          summary: action === 'publish' ? '发布问卷' : '结束问卷',
          params: IdParams,
          response: { 200: StaffSurveySchema, ...errors },
        },
      },
      async (request) => staffView(await app.surveys[action](managerOf(request), request.params.id)),
    )
  }

  app.get(
    '/api/admin/surveys/:id/results',
    {
      preHandler: manage,
      schema: {
        tags: ['surveys'],
        summary: '调查结果：选择题计数、评分分布、NPS、文字答案分页',
        params: IdParams,
        querystring: Type.Object({ textPage: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })) }),
        response: {
          200: Type.Object({ survey: StaffSurveySchema, total: Type.Integer(), questions: Type.Array(ResultSchema) }),
          ...errors,
        },
      },
    },
    async (request) => {
      const r = await app.surveys.results(managerOf(request), request.params.id, request.query.textPage ?? 1)
      return { survey: staffView(r.survey), total: r.total, questions: r.questions }
    },
  )

  app.get(
    '/api/admin/surveys/:id/export',
    {
      preHandler: manage,
      schema: {
        tags: ['surveys'],
        summary: '导出答卷（CSV 或 XLSX，公式不会被执行）',
        params: IdParams,
        querystring: Type.Object({ format: Type.Union([Type.Literal('csv'), Type.Literal('xlsx')]) }),
        response: { 200: Type.String({ description: 'CSV text or XLSX bytes' }), ...errors },
      },
    },
    async (request, reply) => {
      const out = await app.surveys.export(managerOf(request), request.params.id, request.query.format)
      const type =
        request.query.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'
      return reply
        .type(type)
        .header('content-disposition', `attachment; filename="${out.filename}"`)
        .serializer((p: unknown) => p as string)
        .send(out.body as never)
    },
  )
})

export default surveyRoutes
