/**
 * Operations dashboard: GET /api/admin/dashboard (figures of one China-date range and the period before,
 * scoped to the caller's region; `reports:read`) and the /admin page that draws them (admin.js is bundled
 * from services/web/admin at first request). The page itself is public like the other consoles' pages: it
 * holds no data and asks for a login.
 */
import fs from 'node:fs'
import path from 'node:path'
import { Type, type TSchema } from '@sinclair/typebox'
import { FIGURES, type FigureKey } from '../../ops/dashboard-definitions.js'
import { dashboardTables } from '../../ops/dashboard-tables.js'
import { toSafeCsv } from '../../shared/csv-export.js'
import { ADMIN_DIR, adminBundle } from '../../web/admin/bundle.js'
import { AppError } from '../../shared/errors.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const DateQ = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'China calendar date, inclusive' })
const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const Int = Type.Integer()
const Rate = Nullable(Type.Number())
const authErrors = { ...errorResponses, 401: errorResponses[400], 403: errorResponses[400] }
const Count = Type.Object({ key: Type.String(), label: Type.String(), count: Int })
const ByChannel = Type.Record(Type.String(), Int)
const Summary = Type.Object({
  volume: Int,
  autoAnswered: Int,
  automationRate: Rate,
  rated: Int,
  satisfied: Int,
  satisfactionRate: Rate,
  ticketsCreated: Int,
  outcomeKnown: Int,
  onTime: Int,
  onTimeRate: Rate,
  avgHandlingWorkingHours: Rate,
})

const DashboardSchema = Type.Object({
  from: Type.String(),
  to: Type.String(),
  previousFrom: Type.String(),
  previousTo: Type.String(),
  workingDays: Int,
  scope: Nullable(Type.Array(Type.String())),
  summary: Type.Object({ current: Summary, previous: Summary }),
  days: Type.Array(
    Type.Object({
      day: Type.String(),
      workingDay: Type.Boolean(),
      volume: Int,
      autoAnswered: Int,
      automationRate: Rate,
      byChannel: ByChannel,
    }),
  ),
  hours: Type.Array(Type.Object({ hour: Int, volume: Int, byChannel: ByChannel })),
  channels: Type.Array(Type.String()),
  intents: Type.Array(Count),
  handoffReasons: Type.Array(Count),
  ratings: Type.Object({ distribution: Type.Array(Count), dissatisfiedReasons: Type.Array(Count) }),
  tickets: Type.Object({
    onTime: Type.Array(
      Type.Object({
        kind: Type.String(),
        label: Type.String(),
        limitDays: Int,
        outcomeKnown: Int,
        onTime: Int,
        rate: Rate,
      }),
    ),
    overdue: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        type: Type.String(),
        typeLabel: Type.String(),
        seatGroup: Type.String(),
        regionCode: Nullable(Type.String()),
        question: Type.String(),
        dueAt: Type.String(),
        assignee: Nullable(Type.String()),
        link: Type.String(),
      }),
    ),
    extensions: Type.Array(
      Type.Object({
        id: Type.String(),
        number: Type.String(),
        days: Int,
        reason: Type.String(),
        at: Type.String(),
        notices: Int,
      }),
    ),
  }),
  seatGroups: Type.Array(
    Type.Object({ seatGroup: Type.String(), created: Int, answered: Int, open: Int, overdue: Int }),
  ),
  agents: Type.Array(Type.Object({ agent: Type.String(), answered: Int, avgHandlingWorkingHours: Rate })),
  knowledge: Type.Object({
    unansweredTopics: Type.Array(Type.Object({ topic: Type.String(), count: Int, draftLink: Type.String() })),
    mostCited: Type.Array(Count),
    badlyCited: Type.Array(Count),
  }),
  bookings: Type.Object({
    halls: Type.Array(
      Type.Object({
        hallId: Type.String(),
        hallName: Type.String(),
        regionCode: Type.String(),
        offeredSeats: Int,
        booked: Int,
        utilisation: Rate,
        checkedIn: Int,
        noShows: Int,
        noShowRate: Rate,
        cancellations: Int,
      }),
    ),
    days: Type.Array(
      Type.Object({
        day: Type.String(),
        offeredSeats: Int,
        booked: Int,
        utilisation: Rate,
        noShows: Int,
        cancellations: Int,
      }),
    ),
    totals: Type.Object({
      offeredSeats: Int,
      booked: Int,
      utilisation: Rate,
      noShows: Int,
      noShowRate: Rate,
      cancellations: Int,
    }),
  }),
  surveys: Type.Array(
    Type.Object({ surveyId: Type.String(), title: Type.String(), regionCode: Nullable(Type.String()), responses: Int }),
  ),
  satisfaction: Type.Array(
    Type.Object({ channel: Type.String(), count: Int, satisfied: Int, satisfiedRate: Rate, meanScore: Rate }),
  ),
  followUps: Type.Object({
    opened: Int,
    closed: Int,
    openNow: Int,
    overdueNow: Int,
    days: Type.Array(Type.Object({ day: Type.String(), opened: Int, closed: Int })),
  }),
  tables: Type.Record(
    Type.String(),
    Type.Object({
      columns: Type.Array(Type.String()),
      rows: Type.Array(Type.Array(Type.Union([Type.String(), Type.Number(), Type.Null()]))),
    }),
  ),
  definitions: Type.Record(Type.String(), Type.Object({ label: Type.String(), definition: Type.String() })),
})

const dashboardRoutes = routes('dashboard-routes', ['dashboard'], async (app) => {
  app.get(
    '/api/admin/dashboard',
    {
      preHandler: app.requirePermission('reports:read'),
      schema: {
        tags: ['admin'],
        summary:
          '运营看板：本辖区咨询量、智能应答占比、满意度、工单按期办理、座席工作量、知识缺口（含上一周期对比）、' +
          '预约办税利用率与爽约、网上调查答卷、征纳互动满意度与回访',
        querystring: Type.Object({
          from: Type.Optional(DateQ),
          to: Type.Optional(DateQ),
          region: Type.Optional(Type.String({ pattern: '^\\d{6}$', description: 'GB/T 2260 code inside own scope' })),
          format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
          figure: Type.Optional(Type.Union(Object.keys(FIGURES).map((k) => Type.Literal(k)))),
        }),
        response: {
          200: Type.Union([DashboardSchema, Type.String({ description: 'CSV of one figure' })]),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const viewer = { regionCode: request.user?.regionCode ?? null }
      const { format, figure, ...q } = request.query
      const d = await app.dashboard.dashboard(viewer, q)
      if (format !== 'csv') return { ...d, tables: dashboardTables(d), definitions: FIGURES }
      if (!figure)
        throw new AppError('VALIDATION_FAILED', 'figure required for csv', { userMessage: '导出 CSV 时请指定图表' })
      const table = dashboardTables(d)[figure as FigureKey]
      const csv = toSafeCsv(
        table.rows.map((r) => r.map((c) => (c === null ? '' : c))),
        table.columns,
      )
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${figure}-${d.from.slice(0, 10)}.csv"`)
        .serializer((p: unknown) => p as string)
        .send(csv as never)
    },
  )

  const page = fs.readFileSync(path.join(ADMIN_DIR, 'index.html'))
  app.get('/admin', { schema: { hide: true } }, (_request, reply) => reply.redirect('/admin/'))
  app.get('/admin/', { schema: { hide: true } }, async (_request, reply) => {
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(page)
  })
  const css = fs.readFileSync(path.join(ADMIN_DIR, 'admin.css'))
  app.get('/admin/admin.css', { schema: { tags: ['admin'], summary: '运营看板样式' } }, async (_request, reply) => {
    return reply.type('text/css; charset=utf-8').header('cache-control', 'no-cache').send(css)
  })
  app.get('/admin/admin.js', { schema: { tags: ['admin'], summary: '运营看板页面脚本' } }, async (_request, reply) => {
    return reply
      .type('application/javascript; charset=utf-8')
      .header('cache-control', 'no-cache')
      .send(await adminBundle())
  })
})
export default dashboardRoutes
