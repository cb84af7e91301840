/**
 * 网上预约办税 routes. Taxpayers (no login): halls, business types, slots, verification codes, booking,
 * cancel, 我的预约 and the answer to a reschedule proposal — each write proves the phone with its code.
 * Hall staff (booking:hall, only for halls listing them as administrators; booking:manage for every hall):
 * today's list, look-up by 纳税人名称 + 预约号, check-in, reschedule proposal, lock status and unlock,
 * capacity. Province administrators (booking:manage): CSV import, hall administrators, queue API keys,
 * metrics. The hall's queue system pushes with its per-hall API key (header x-hall-api-key, hallApiKey).
 * Routes only use the `booking` decorator (plugins/booking.ts).
 */
import { Type, type TSchema } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import type { Appointment } from '../../booking/appointment.js'
import { BOOKING_WINDOW_DAYS } from '../../booking/booking-rules.js'
import { AppError } from '../../shared/errors.js'
import { PROVISIONAL_NOTICE } from '../../shared/statutory-holidays.js'
import { chinaDateOf } from '../../shared/working-day-calendar.js'
import { declareAuth, HALL_API_KEY_HEADER } from '../auth-declaration.js'
import { routes } from '../plugins/services.js'
import { ErrorResponse } from '../schemas.js'

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()])
const DateStr = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'China calendar date YYYY-MM-DD' })
const HallId = Type.String({ minLength: 1, maxLength: 48, pattern: '^[a-z0-9-]+$' })
const Phone = Type.String({ minLength: 11, maxLength: 20, description: '经办人手机号码' })
const Code = Type.String({ minLength: 4, maxLength: 8, description: '短信验证码' })
const TaxpayerId = Type.String({
  minLength: 15,
  maxLength: 20,
  description: '纳税人识别号 / 统一社会信用代码 / 身份证号码',
})
const Proof = Type.Object({ phone: Phone, code: Code }, { additionalProperties: false })
const HallParams = Type.Object({ hallId: HallId })
const AppointmentId = Type.String({ pattern: '^ap_[A-Za-z0-9_-]{12}$', description: 'Appointment id (ap_…)' })
const IdParams = Type.Object({ id: AppointmentId })
const HallApptParams = Type.Object({ hallId: HallId, id: AppointmentId })

const errs = (...codes: (400 | 401 | 403 | 404 | 409 | 422 | 423 | 429 | 502)[]) =>
  Object.fromEntries([...new Set([400, 500, ...codes])].map((c) => [c, ErrorResponse]))

const Period = Type.Object({ start: Type.String(), end: Type.String() })
const HallSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  regionCode: Type.String(),
  address: Type.String(),
  phone: Type.String(),
  periods: Type.Array(Period),
  windows: Type.Integer(),
  slotMinutes: Type.Integer(),
  capacityPerSlot: Type.Integer(),
  capacityByBusiness: Type.Record(Type.String(), Type.Integer()),
  blackoutDays: Type.Array(Type.String()),
  sample: Type.Boolean({ description: 'Bundled sample data, not a real office' }),
})
const StaffHallSchema = Type.Intersect([
  HallSchema,
  Type.Object({ adminUserIds: Type.Array(Type.String()), hasApiKey: Type.Boolean() }),
])
const BusinessTypeSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  description: Type.String(),
  guide: Nullable(Type.String()),
})
const SlotSchema = Type.Object({
  slotStart: Type.String(),
  slotEnd: Type.String(),
  date: Type.String(),
  label: Type.String(),
  capacity: Type.Integer(),
  remaining: Type.Integer(),
  bookable: Type.Boolean(),
  reason: Nullable(Type.String()),
})
const ProposalView = Type.Object({
  slotStart: Type.String(),
  date: Type.String(),
  label: Type.String(),
  reason: Type.String(),
  at: Type.String(),
})
const AppointmentView = Type.Object({
  id: Type.String(),
  number: Type.String({ description: '预约号' }),
  hallId: Type.String(),
  hallName: Type.String(),
  slotStart: Type.String(),
  slotEnd: Type.String(),
  date: Type.String(),
  label: Type.String(),
  businessTypes: Type.Array(Type.String()),
  businessNames: Type.Array(Type.String()),
  taxpayerName: Type.String(),
  taxpayerIdMasked: Type.String(),
  phoneMasked: Type.String(),
  status: Type.Union([
    Type.Literal('booked'),
    Type.Literal('checked-in'),
    Type.Literal('cancelled'),
    Type.Literal('no-show'),
  ]),
  statusLabel: Type.String(),
  proposal: Nullable(ProposalView),
  provisional: Type.Boolean(),
  notice: Nullable(Type.String({ description: '节假日安排以国务院办公厅通知为准 when the day is provisional' })),
  createdAt: Type.String(),
  checkedInAt: Nullable(Type.String()),
})
const StaffAppointmentView = Type.Intersect([
  AppointmentView,
  Type.Object({
    events: Type.Array(
      Type.Object({ at: Type.String(), by: Type.String(), action: Type.String(), note: Type.Optional(Type.String()) }),
    ),
  }),
])
const QueueView = Type.Object({
  hallId: Type.String(),
  available: Type.Boolean(),
  waiting: Nullable(Type.Integer()),
  byBusiness: Type.Record(Type.String(), Type.Integer()),
  windowsOpen: Nullable(Type.Integer()),
  estimatedWaitMinutes: Nullable(Type.Integer()),
  reportedAt: Nullable(Type.String()),
  stale: Type.Boolean(),
  message: Type.String(),
})
const LockView = Type.Object({ locked: Type.Boolean(), lockedUntil: Nullable(Type.String()), noShows: Type.Integer() })

const STATUS_ZH: Record<Appointment['status'], string> = {
  booked: '已预约',
  'checked-in': '已签到',
  cancelled: '已取消',
  'no-show': '未到',
}

const bookingRoutes = routes('booking-routes', ['booking', 'clock'], async (app) => {
  const booking = app.booking
  const staff = app.requirePermission('booking:hall')
  const manage = app.requirePermission('booking:manage')

  const publicHall = (h: Awaited<ReturnType<typeof booking.halls.get>>) => {
    const { adminUserIds: _a, apiKeyHash: _k, ...rest } = h
    return rest
  }
  const view = (a: Appointment) => ({
    id: a.id,
    number: a.number,
    hallId: a.hallId,
    hallName: a.hallName,
    slotStart: a.slotStart,
    slotEnd: a.slotEnd,
    date: a.date,
    label: a.label,
    businessTypes: a.businessTypes,
    businessNames: a.businessTypes.map((t) => booking.halls.businessTypeName(t)),
    taxpayerName: a.taxpayerName,
    taxpayerIdMasked: a.taxpayerIdMasked,
    phoneMasked: a.phoneMasked,
    status: a.status,
    statusLabel: STATUS_ZH[a.status],
    proposal: a.proposal
      ? {
          slotStart: a.proposal.slotStart,
          date: a.proposal.date,
          label: a.proposal.label,
          reason: a.proposal.reason,
          at: a.proposal.at,
        }
      : null,
    provisional: a.provisional,
    notice: a.provisional ? PROVISIONAL_NOTICE : null,
    createdAt: a.createdAt,
    checkedInAt: a.checkedInAt,
  })
  const staffView = (a: Appointment) => ({ ...view(a), events: a.events })

  /** The caller administers this hall (booking:manage: every hall). */
  const hallScope = async (request: FastifyRequest<{ Params: { hallId: string } }>) => {
    const user = request.user
    if (!user) throw new AppError('UNAUTHENTICATED')
    const hall = await booking.halls.get(request.params.hallId)
    if (user.permissions.has('booking:manage')) return hall
    if (!user.permissions.has('booking:hall') || !hall.adminUserIds.includes(user.id)) {
      throw new AppError('FORBIDDEN', `not an administrator of hall ${hall.id}`, {
        userMessage: '您不是该办税服务厅的管理员',
      })
    }
    return hall
  }
  const actor = (request: FastifyRequest) => ({ id: request.user?.id ?? '', name: request.user?.name ?? '' })
  const staffHall = [
    staff,
    async (request: FastifyRequest<{ Params: { hallId: string } }>) => void (await hallScope(request)),
  ] as never

  // ----- taxpayers ------------------------------------------------------------------------------

  app.get(
    '/api/booking/halls',
    {
      schema: {
        tags: ['booking'],
        summary: '办税服务厅列表（按地区代码：市或省）',
        querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 12 })) }),
        response: {
          200: Type.Object({ halls: Type.Array(HallSchema), today: Type.String(), windowDays: Type.Integer() }),
          ...errs(),
        },
      },
    },
    async (request) => ({
      halls: (await booking.halls.list(request.query.region || undefined)).map(publicHall),
      today: chinaDateOf(app.clock.now()),
      windowDays: BOOKING_WINDOW_DAYS,
    }),
  )

  app.get(
    '/api/booking/business-types',
    {
      schema: {
        tags: ['booking'],
        summary: '可预约的业务类型',
        response: { 200: Type.Object({ types: Type.Array(BusinessTypeSchema) }), ...errs() },
      },
    },
    async () => ({ types: [...booking.halls.businessTypes()] }),
  )

  app.get(
    '/api/booking/halls/:hallId/slots',
    {
      schema: {
        tags: ['booking'],
        summary: '某日可预约时段（余号、是否可约及原因）',
        params: HallParams,
        querystring: Type.Object({ date: DateStr }),
        response: {
          200: Type.Object({
            hall: HallSchema,
            date: Type.String(),
            slots: Type.Array(SlotSchema),
            provisional: Type.Boolean(),
            notice: Nullable(Type.String()),
            windowDays: Type.Integer(),
            today: Type.String(),
          }),
          ...errs(404),
        },
      },
    },
    async (request) => {
      const r = await booking.appointments.slots(request.params.hallId, request.query.date)
      return {
        hall: publicHall(r.hall),
        date: request.query.date,
        slots: r.slots,
        provisional: r.provisional,
        notice: r.provisional ? PROVISIONAL_NOTICE : null,
        windowDays: BOOKING_WINDOW_DAYS,
        today: chinaDateOf(app.clock.now()),
      }
    },
  )

  app.post(
    '/api/booking/verification-codes',
    {
      schema: {
        tags: ['booking'],
        summary: '向经办人手机发送验证码（60秒一次，每小时最多5次，10分钟内有效）',
        body: Type.Object({ phone: Phone }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            sent: Type.Boolean(),
            expiresInSeconds: Type.Integer(),
            resendAfterSeconds: Type.Integer(),
          }),
          ...errs(429, 502),
        },
      },
    },
    async (request) => ({ sent: true, ...(await booking.codes.send(request.body.phone)) }),
  )

  app.post(
    '/api/booking/appointments',
    {
      schema: {
        tags: ['booking'],
        summary: '预约办税（一个预约号对应一个纳税人，可含多项业务）',
        body: Type.Object(
          {
            hallId: HallId,
            slotStart: Type.String({ maxLength: 40, description: 'ISO instant of the slot start' }),
            businessTypes: Type.Array(Type.String({ maxLength: 32 }), { minItems: 1, maxItems: 12 }),
            taxpayerId: TaxpayerId,
            taxpayerName: Type.String({ minLength: 1, maxLength: 100 }),
            phone: Phone,
            code: Code,
          },
          { additionalProperties: false },
        ),
        response: { 201: AppointmentView, ...errs(404, 409, 422, 423) },
      },
    },
    async (request, reply) => {
      const b = request.body
      const phone = await booking.codes.verify(b.phone, b.code)
      const a = await booking.appointments.book({
        hallId: b.hallId,
        slotStart: b.slotStart,
        businessTypes: b.businessTypes,
        taxpayerId: b.taxpayerId,
        taxpayerName: b.taxpayerName,
        phone,
      })
      return reply.code(201).send(view(a))
    },
  )

  app.post(
    '/api/booking/appointments/:id/cancel',
    {
      schema: {
        tags: ['booking'],
        summary: '取消预约（须在时段开始3小时前）',
        params: IdParams,
        body: Proof,
        response: { 200: AppointmentView, ...errs(404, 409) },
      },
    },
    async (request) => {
      const phone = await booking.codes.verify(request.body.phone, request.body.code)
      return view(await booking.appointments.cancel(request.params.id, phone))
    },
  )

  app.post(
    '/api/booking/my-appointments',
    {
      schema: {
        tags: ['booking'],
        summary: '我的预约（手机号 + 验证码）',
        body: Proof,
        response: { 200: Type.Object({ appointments: Type.Array(AppointmentView) }), ...errs() },
      },
    },
    async (request) => {
      const phone = await booking.codes.verify(request.body.phone, request.body.code)
      return { appointments: (await booking.appointments.mine(phone)).map(view) }
    },
  )

  for (const answer of ['accept', 'decline'] as const) {
    app.post(
      `/api/booking/appointments/:id/reschedule/${answer}`,
      {
        schema: {
          tags: ['booking'],
          summary: answer === 'accept' ? '同意办税服务厅的改约建议' : '拒绝改约建议（预约取消，不计未到）',
          params: IdParams,
          body: Proof,
          response: { 200: AppointmentView, ...errs(404, 409) },
        },
      },
      async (request) => {
        const phone = await booking.codes.verify(request.body.phone, request.body.code)
        return view(await booking.appointments.answerProposal(request.params.id, phone, answer === 'accept'))
      },
    )
  }

  app.get(
    '/api/booking/halls/:hallId/queue',
    {
      schema: {
        tags: ['booking'],
        summary: '办税服务厅实时排队情况（过时数据标明）',
        params: HallParams,
        response: { 200: QueueView, ...errs(404) },
      },
    },
    async (request) => {
      await booking.halls.get(request.params.hallId)
      return booking.queue.view(request.params.hallId)
    },
  )

  /** The hall whose API key the request carries (header x-hall-api-key); 401 HALL_KEY_INVALID otherwise. */
  const hallOf = (request: FastifyRequest) => {
    const key = request.headers[HALL_API_KEY_HEADER]
    const { hallId } = request.params as { hallId: string }
    return booking.halls.verifyApiKey(hallId, typeof key === 'string' ? key : undefined)
  }
  const hallKey = declareAuth(async (request: FastifyRequest) => void (await hallOf(request)), {
    anonymous: false,
    schemes: ['hallApiKey'],
    permissions: [],
  })

  app.post(
    '/api/booking/halls/:hallId/queue',
    {
      preValidation: hallKey as never,
      schema: {
        tags: ['booking'],
        summary: '排队叫号系统推送等候人数（每厅 API 密钥，请求头 x-hall-api-key）',
        description:
          "For queue-system vendors: POST the current waiting count every 30–60 s. Authenticated with the hall's " +
          'API key in the x-hall-api-key header (issued and rotated by a province administrator).',
        params: HallParams,
        body: Type.Object(
          {
            waiting: Type.Integer({ minimum: 0, maximum: 100000 }),
            byBusiness: Type.Optional(
              Type.Record(Type.String({ maxLength: 32 }), Type.Integer({ minimum: 0, maximum: 100000 })),
            ),
            windowsOpen: Type.Optional(Type.Integer({ minimum: 0, maximum: 500 })),
            averageServiceMinutes: Type.Optional(Type.Number({ minimum: 0.5, maximum: 240 })),
            averageWaitMinutes: Type.Optional(Type.Number({ minimum: 0, maximum: 1440 })),
            reportedAt: Type.Optional(Type.String({ format: 'date-time' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: QueueView, ...errs(401, 404) },
      },
    },
    async (request) => {
      const hall = await hallOf(request)
      const b = request.body
      return booking.queue.push(hall, {
        waiting: b.waiting,
        ...(b.byBusiness ? { byBusiness: b.byBusiness } : {}),
        ...(b.windowsOpen !== undefined ? { windowsOpen: b.windowsOpen } : {}),
        ...(b.averageServiceMinutes !== undefined ? { averageServiceMinutes: b.averageServiceMinutes } : {}),
        ...(b.averageWaitMinutes !== undefined ? { averageWaitMinutes: b.averageWaitMinutes } : {}),
        ...(b.reportedAt ? { reportedAt: b.reportedAt } : {}),
      })
    },
  )

  // ----- hall staff -----------------------------------------------------------------------------

  app.get(
    '/api/booking/staff/halls',
    {
      preValidation: staff,
      schema: {
        tags: ['booking'],
        summary: '我管理的办税服务厅',
        response: { 200: Type.Object({ halls: Type.Array(StaffHallSchema) }), ...errs(401, 403) },
      },
    },
    async (request) => {
      const user = request.user
      const all = await booking.halls.list()
      const mine = user?.permissions.has('booking:manage')
        ? all
        : all.filter((h) => user && h.adminUserIds.includes(user.id))
      return {
        halls: mine.map((h) => ({ ...publicHall(h), adminUserIds: h.adminUserIds, hasApiKey: h.apiKeyHash !== null })),
      }
    },
  )

  app.get(
    '/api/booking/halls/:hallId/appointments',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '本厅某日（默认今天）预约清单',
        params: HallParams,
        querystring: Type.Object({ date: Type.Optional(DateStr) }),
        response: {
          200: Type.Object({ date: Type.String(), appointments: Type.Array(StaffAppointmentView) }),
          ...errs(401, 403, 404),
        },
      },
    },
    async (request) => {
      const date = request.query.date ?? chinaDateOf(app.clock.now())
      return { date, appointments: (await booking.appointments.forHall(request.params.hallId, date)).map(staffView) }
    },
  )

  app.post(
    '/api/booking/halls/:hallId/appointments/lookup',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '按纳税人名称 + 预约号查询预约',
        params: HallParams,
        body: Type.Object(
          {
            taxpayerName: Type.String({ minLength: 1, maxLength: 100 }),
            number: Type.String({ pattern: '^\\s*\\d{4}-\\d{3,6}\\s*$', description: '预约号, e.g. 1202-001' }),
          },
          { additionalProperties: false },
        ),
        response: { 200: StaffAppointmentView, ...errs(401, 403, 404) },
      },
    },
    async (request) =>
      staffView(
        await booking.appointments.lookup(request.params.hallId, request.body.taxpayerName, request.body.number),
      ),
  )

  app.post(
    '/api/booking/halls/:hallId/appointments/:id/check-in',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '签到（预约当天、时段结束前）',
        params: HallApptParams,
        response: { 200: StaffAppointmentView, ...errs(401, 403, 404, 409) },
      },
    },
    async (request) =>
      staffView(await booking.appointments.checkIn(request.params.hallId, request.params.id, actor(request))),
  )

  app.post(
    '/api/booking/halls/:hallId/appointments/:id/reschedule',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '系统故障等原因向纳税人提出改约建议（办税服务厅不能单方取消）',
        params: HallApptParams,
        body: Type.Object(
          { slotStart: Type.String({ maxLength: 40 }), reason: Type.String({ minLength: 2, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: StaffAppointmentView, ...errs(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      staffView(
        await booking.appointments.propose(
          request.params.hallId,
          request.params.id,
          actor(request),
          request.body.slotStart,
          request.body.reason,
        ),
      ),
  )

  const Person = { taxpayerId: Type.Optional(TaxpayerId), phone: Type.Optional(Phone) }
  app.post(
    '/api/booking/halls/:hallId/locks/status',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '查询某人是否因3次未到被锁定',
        params: HallParams,
        body: Type.Object(Person, { additionalProperties: false }),
        response: { 200: LockView, ...errs(401, 403, 404) },
      },
    },
    async (request) => booking.appointments.lockStatus(request.body.taxpayerId, request.body.phone),
  )

  app.post(
    '/api/booking/halls/:hallId/unlock',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '现场核验身份证件后解除锁定（记录审计）',
        params: HallParams,
        body: Type.Object(
          {
            ...Person,
            idChecked: Type.Literal(true, { description: '已现场核验有效身份证件' }),
            note: Type.String({ minLength: 2, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ unlocked: Type.Integer() }), ...errs(401, 403, 404) },
      },
    },
    async (request) => {
      const b = request.body
      return booking.appointments.unlock(request.params.hallId, actor(request), {
        note: b.note,
        ...(b.taxpayerId ? { taxpayerId: b.taxpayerId } : {}),
        ...(b.phone ? { phone: b.phone } : {}),
      })
    },
  )

  app.put(
    '/api/booking/halls/:hallId/capacity',
    {
      preValidation: staffHall,
      schema: {
        tags: ['booking'],
        summary: '本厅号源设置（每时段容量、分业务容量、停止预约日期、时段长度、开放时间、窗口数）',
        params: HallParams,
        body: Type.Object(
          {
            capacityPerSlot: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
            capacityByBusiness: Type.Optional(
              Type.Record(Type.String({ maxLength: 32 }), Type.Integer({ minimum: 0, maximum: 1000 })),
            ),
            blackoutDays: Type.Optional(Type.Array(DateStr, { maxItems: 366 })),
            slotMinutes: Type.Optional(Type.Integer({ minimum: 5, maximum: 240 })),
            periods: Type.Optional(Type.String({ maxLength: 100, description: 'HH:MM-HH:MM;HH:MM-HH:MM' })),
            windows: Type.Optional(Type.Integer({ minimum: 1, maximum: 200 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: HallSchema, ...errs(401, 403, 404) },
      },
    },
    async (request) => {
      const b = request.body
      const clean = Object.fromEntries(Object.entries(b).filter(([, v]) => v !== undefined))
      return publicHall(await booking.halls.updateCapacity(request.params.hallId, clean))
    },
  )

  // ----- province administrators ----------------------------------------------------------------

  app.post(
    '/api/booking/halls/import',
    {
      preValidation: manage,
      schema: {
        tags: ['booking'],
        summary: '导入办税服务厅（CSV，整份校验后写入）',
        body: Type.Object({ csv: Type.String({ minLength: 1, maxLength: 200_000 }) }, { additionalProperties: false }),
        response: { 200: Type.Object({ imported: Type.Integer(), ids: Type.Array(Type.String()) }), ...errs(401, 403) },
      },
    },
    async (request) => booking.halls.importCsv(request.body.csv),
  )

  app.put(
    '/api/booking/halls/:hallId/admins',
    {
      preValidation: manage,
      schema: {
        tags: ['booking'],
        summary: '设置办税服务厅管理员（hall-admin 角色的用户）',
        params: HallParams,
        body: Type.Object(
          { userIds: Type.Array(Type.String({ minLength: 2, maxLength: 64 }), { maxItems: 50 }) },
          { additionalProperties: false },
        ),
        response: { 200: StaffHallSchema, ...errs(401, 403, 404) },
      },
    },
    async (request) => {
      const h = await booking.halls.setAdmins(request.params.hallId, request.body.userIds)
      return { ...publicHall(h), adminUserIds: h.adminUserIds, hasApiKey: h.apiKeyHash !== null }
    },
  )

  app.post(
    '/api/booking/halls/:hallId/api-key',
    {
      preValidation: manage,
      schema: {
        tags: ['booking'],
        summary: '生成或轮换排队系统接口密钥（仅显示一次，旧密钥立即失效）',
        params: HallParams,
        response: { 200: Type.Object({ hallId: Type.String(), apiKey: Type.String() }), ...errs(401, 403, 404) },
      },
    },
    async (request) => ({
      hallId: request.params.hallId,
      apiKey: await booking.halls.rotateApiKey(request.params.hallId),
    }),
  )

  const HallMetrics = Type.Object({
    hallId: Type.String(),
    hallName: Type.String(),
    offeredSeats: Type.Integer(),
    booked: Type.Integer(),
    utilisation: Type.Number(),
    checkedIn: Type.Integer(),
    noShows: Type.Integer(),
    noShowRate: Type.Number(),
    cancellations: Type.Integer(),
    averageWaitMinutes: Nullable(Type.Number()),
  })
  app.get(
    '/api/booking/metrics',
    {
      preValidation: staff,
      schema: {
        tags: ['booking'],
        summary: '预约统计：每日预约量、各厅号源利用率、未到率、取消数、平均等候（厅管理员只看本厅）',
        querystring: Type.Object({ from: DateStr, to: DateStr }),
        response: {
          200: Type.Object({
            from: Type.String(),
            to: Type.String(),
            bookingsPerDay: Type.Array(Type.Object({ date: Type.String(), bookings: Type.Integer() })),
            halls: Type.Array(HallMetrics),
            totals: Type.Object({
              bookings: Type.Integer(),
              cancellations: Type.Integer(),
              noShows: Type.Integer(),
              noShowRate: Type.Number(),
            }),
          }),
          ...errs(401, 403),
        },
      },
    },
    async (request) => {
      const user = request.user
      let scope: string[] | undefined
      if (!user?.permissions.has('booking:manage'))
        scope = (await booking.halls.list()).filter((h) => user && h.adminUserIds.includes(user.id)).map((h) => h.id)
      return booking.metrics(request.query.from, request.query.to, scope)
    },
  )
})

export default bookingRoutes
