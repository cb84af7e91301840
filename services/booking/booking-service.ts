/**
 * 网上预约办税: the one service the booking routes use. It composes the halls registry, phone verification,
 * appointments and the queue board (each its own class) and computes the metrics; built once from its
 * dependencies, with the working-day calendar read through a getter because an administrator can replace it.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { SmsSender } from '../notify/sms-sender.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Appointment } from './appointment.js'
import { AppointmentService, type Sealer } from './appointment-service.js'
import { type BookingMetrics, computeBookingMetrics } from './booking-metrics.js'
import { HallRegistry, loadBusinessTypes, type RegionLookup } from './hall-registry.js'
import { IdentityKeys } from './identity-keys.js'
import { PhoneVerification } from './phone-verification.js'
import { QueueBoard } from './queue-board.js'
import { slotsForDay } from './slot-rules.js'

export interface BookingDeps {
  store: Store
  regions: RegionLookup
  calendar: () => WorkingDayCalendar
  clock: Clock
  sms: SmsSender
  sealer: Sealer
  /** Server secret for the HMAC keys of phones, taxpayer ids and codes. */
  secret: string
  businessTypesFile: string
  signature: string
  queueStaleSeconds: number
}

const DAY_MS = 86_400_000
const MAX_METRIC_DAYS = 366

export class BookingService {
  readonly halls: HallRegistry
  readonly codes: PhoneVerification
  readonly appointments: AppointmentService
  readonly queue: QueueBoard
  readonly #deps: BookingDeps

  constructor(deps: BookingDeps) {
    this.#deps = deps
    const keys = new IdentityKeys(deps.secret)
    this.halls = new HallRegistry(deps.store, deps.regions, loadBusinessTypes(deps.businessTypesFile))
    this.codes = new PhoneVerification(deps.store, keys, deps.sms, deps.clock, deps.signature)
    this.appointments = new AppointmentService(
      deps.store,
      this.halls,
      deps.calendar,
      deps.clock,
      keys,
      deps.sealer,
      deps.sms,
      deps.signature,
    )
    this.queue = new QueueBoard(deps.store, deps.clock, deps.queueStaleSeconds)
  }

  async metrics(from: string, to: string, hallIds?: readonly string[]): Promise<BookingMetrics> {
    const days = (Date.parse(to) - Date.parse(from)) / DAY_MS
    if (!(days >= 0 && days < MAX_METRIC_DAYS)) {
      throw new AppError('VALIDATION_FAILED', 'bad range', {
        userMessage: `统计区间须在1到${MAX_METRIC_DAYS}天之间，且开始不晚于结束`,
      })
    }
    const calendar = this.#deps.calendar()
    const halls = (await this.halls.list()).filter((h) => !hallIds || hallIds.includes(h.id))
    const dates: string[] = []
    for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) dates.push(new Date(t).toISOString().slice(0, 10))
    const offered = halls.map((h) => ({
      id: h.id,
      name: h.name,
      offeredSeats: dates.reduce((s, d) => s + slotsForDay(h, d, calendar).length * h.capacityPerSlot, 0),
    }))
    const appointments = await this.#deps.store
      .collection<Appointment>('appointments')
      .list({ range: { field: 'date', gte: from, lt: `${to}~` } })
    const mine = hallIds ? appointments.filter((a) => hallIds.includes(a.hallId)) : appointments
    return computeBookingMetrics({ from, to, appointments: mine, halls: offered, waits: await this.queue.dailyWaits() })
  }
}
