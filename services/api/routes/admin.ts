/**
 * Operations routes: the consultation ledger (JSON / CSV), the ticket export, operations metrics
 * (ledger:read), and the working-day calendar (calendar:edit). Exports never contain contact details,
 * identities or session ids; report and complaint questions are replaced by 「（保密）」.
 */
import { Type } from '@sinclair/typebox'
import { Readable } from 'node:stream'
import type { FastifyReply } from 'fastify'
import { csvChunks, jsonChunks, LEDGER_COLUMNS, TICKET_COLUMNS, type Columns } from '../../ops/export-format.js'
import type { ExportStream } from '../../ops/operations-service.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const DateQ = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'China calendar date, inclusive' })
const RangeQuery = Type.Object({
  from: Type.Optional(DateQ),
  to: Type.Optional(DateQ),
  format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
})
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const authErrors = { ...errorResponses, 401: errorResponses[400], 403: errorResponses[400] }

const LedgerLineSchema = Type.Object({
  at: Type.String(),
  channel: Type.String(),
  regionCode: Nullable(Type.String()),
  intent: Type.String(),
  mode: Type.String(),
  handledBy: Type.String(),
  topic: Nullable(Type.String()),
  question: Type.String(),
  ticketNumber: Nullable(Type.String()),
  ticketType: Nullable(Type.String()),
  ticketState: Nullable(Type.String()),
  onTime: Nullable(Type.Boolean()),
  outcome: Type.String(),
  outcomeLabel: Type.String(),
})

const TicketExportSchema = Type.Object({
  number: Type.String(),
  type: Type.String(),
  typeLabel: Type.String(),
  difficulty: Type.String(),
  state: Type.String(),
  stateLabel: Type.String(),
  regionCode: Nullable(Type.String()),
  seatGroup: Type.String(),
  channel: Type.String(),
  question: Type.String(),
  assignee: Nullable(Type.String()),
  createdAt: Type.String(),
  dueAt: Type.String(),
  answeredAt: Nullable(Type.String()),
  closedAt: Nullable(Type.String()),
  overdue: Type.Boolean(),
  extended: Type.Boolean(),
})

/** Streams an export as it is read from the store: CSV for a spreadsheet, or the JSON envelope. */
function sendExport<T extends object>(
  reply: FastifyReply,
  exported: ExportStream<T>,
  format: 'json' | 'csv' | undefined,
  key: string,
  columns: Columns,
  file: string,
): FastifyReply {
  if (format === 'csv') {
    reply.type('text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${file}"`)
    return reply.send(Readable.from(csvChunks(columns, exported.pages)))
  }
  const head = { from: exported.range.from, to: exported.range.to, total: exported.total }
  return reply.type('application/json; charset=utf-8').send(Readable.from(jsonChunks(head, key, exported.pages)))
}

const adminRoutes = routes('admin-routes', ['operations', 'calendars'], async (app) => {
  const ledgerRead = app.requirePermission('ledger:read')

  app.get(
    '/api/admin/ledger',
    {
      preHandler: ledgerRead,
      schema: {
        tags: ['admin'],
        summary: '咨询台账（JSON 或 CSV 导出）',
        querystring: RangeQuery,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            total: Type.Integer(),
            rows: Type.Array(LedgerLineSchema),
          }),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const exported = await app.operations.ledgerExport(request.query.from, request.query.to)
      const file = `ledger-${request.query.from ?? 'from'}-${request.query.to ?? 'to'}.csv`
      return sendExport(reply, exported, request.query.format, 'rows', LEDGER_COLUMNS, file)
    },
  )

  app.get(
    '/api/admin/tickets',
    {
      preHandler: ledgerRead,
      schema: {
        tags: ['admin'],
        summary: '工单导出（不含联系方式与身份信息）',
        querystring: RangeQuery,
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            total: Type.Integer(),
            tickets: Type.Array(TicketExportSchema),
          }),
          ...authErrors,
        },
      },
    },
    async (request, reply) => {
      const exported = await app.operations.ticketExport(request.query.from, request.query.to)
      return sendExport(reply, exported, request.query.format, 'tickets', TICKET_COLUMNS, 'tickets.csv')
    },
  )

  app.get(
    '/api/admin/metrics',
    {
      preHandler: ledgerRead,
      schema: {
        tags: ['admin'],
        summary: '运营指标：咨询量、话务分流量、满意率、按期答复率、平均处理时长（工作小时）、未解答热点',
        querystring: Type.Object({ from: Type.Optional(DateQ), to: Type.Optional(DateQ) }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            volume: Type.Integer(),
            autoAnswered: Type.Integer(),
            humanHandled: Type.Integer(),
            automationRate: Nullable(Type.Number()),
            rated: Type.Integer(),
            goodRatings: Type.Integer(),
            goodRatingShare: Nullable(Type.Number()),
            tickets: Type.Object({
              created: Type.Integer(),
              answered: Type.Integer(),
              answeredOnTime: Type.Integer(),
              outcomeKnown: Type.Integer(),
              onTimeRate: Nullable(Type.Number()),
              open: Type.Integer(),
              overdueOpen: Type.Integer(),
              byType: Type.Record(Type.String(), Type.Integer()),
            }),
            avgHandlingWorkingHours: Nullable(Type.Number()),
            topUnansweredTopics: Type.Array(Type.Object({ topic: Type.String(), count: Type.Integer() })),
          }),
          ...authErrors,
        },
      },
    },
    async (request) => {
      return app.operations.metrics(request.query.from, request.query.to)
    },
  )

  const calendarEdit = app.requirePermission('calendar:edit')
  const CalendarBody = Type.Object({
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    years: Type.Record(Type.String({ pattern: '^\\d{4}$' }), Type.Unknown()),
  })
  const calendarResponse = Type.Object({
    origin: Type.String(),
    years: Type.Array(Type.String()),
    data: Type.Unknown(),
  })

  app.get(
    '/api/admin/calendar',
    {
      preHandler: calendarEdit,
      schema: { tags: ['admin'], summary: '节假日与调休日历', response: { 200: calendarResponse, ...authErrors } },
    },
    async () => {
      return app.calendars.view()
    },
  )

  app.put(
    '/api/admin/calendar',
    {
      preHandler: calendarEdit,
      schema: {
        tags: ['admin'],
        summary: '新增或替换某年的节假日安排（保存到数据目录，覆盖随附文件）',
        body: CalendarBody,
        response: { 200: calendarResponse, ...authErrors },
      },
    },
    async (request) => {
      const view = app.calendars.save(request.body.years, request.body.note)
      request.log.info({ user: request.user?.id, years: Object.keys(request.body.years) }, 'calendar updated')
      return view
    },
  )
})
export default adminRoutes
