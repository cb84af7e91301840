/**
 * Appointments: book, cancel, 我的预约, hall staff's list / look-up / check-in, automatic no-shows, the
 * reschedule proposal after a system failure (locks and unlock: person-locks.ts). Every rule is decided here on the server,
 * with China time from the injected clock; double booking is prevented by the store (Store.create on
 * deterministic claim ids), never by a check before an insert.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { SmsSender } from '../notify/sms-sender.js'
import type { Clock } from '../shared/clock.js'
import { AppError, isAppError } from '../shared/errors.js'
import { PROVISIONAL_NOTICE } from '../shared/statutory-holidays.js'
import { chinaDateOf, type WorkingDayCalendar } from '../shared/working-day-calendar.js'
import { type Appointment, type Claim, claimIds, type SlotRef } from './appointment.js'
import { bookingWindowViolation, cancelViolation, isNoShow, type RuleViolation } from './booking-rules.js'
import {
  type BookingFacts,
  cancelledMessage,
  confirmedMessage,
  proposalAnswerMessage,
  proposalMessage,
  type RenderedSms,
} from './booking-messages.js'
import type { Hall } from './hall.js'
import type { HallRegistry } from './hall-registry.js'
import { type IdentityKeys, maskedId, normalisePhone, normaliseTaxpayerId } from './identity-keys.js'
import { maskPii } from '../shared/mask.js'
import { PersonLocks, type StaffActor } from './person-locks.js'
import { slotsForDay, slotStartingAt } from './slot-rules.js'

export interface Sealer {
  seal(contact: { phone: string }): string | null
  open(sealed: string | null): { phone?: string } | null
}

export interface BookingRequest {
  hallId: string
  slotStart: string
  businessTypes: string[]
  taxpayerId: string
  taxpayerName: string
  /** Already verified by the caller (PhoneVerification.verify). */
  phone: string
}

export interface SlotView extends SlotRef {
  capacity: number
  remaining: number
  bookable: boolean
  /** Why not bookable now (the rule's sentence), when it is not. */
  reason: string | null
}

export type { StaffActor } from './person-locks.js'

function violationError(v: RuleViolation): AppError {
  return new AppError(v.code, v.message, { userMessage: v.message })
}

export class AppointmentService {
  constructor(
    private readonly store: Store,
    private readonly halls: HallRegistry,
    private readonly calendar: () => WorkingDayCalendar,
    private readonly clock: Clock,
    private readonly keys: IdentityKeys,
    private readonly sealer: Sealer,
    private readonly sms: SmsSender,
    private readonly signature: string,
  ) {
    this.personLocks = new PersonLocks(store, halls, clock, keys)
  }

  /** No-show counts and 90-day locks per person (person-locks.ts). */
  readonly personLocks: PersonLocks

  private get appointments() {
    return this.store.collection<Appointment>('appointments')
  }
  private get seats() {
    return this.store.collection<Claim>('seats')
  }

  /** Slots of one day with what is left of them and whether they can be booked now. */
  async slots(hallId: string, date: string): Promise<{ hall: Hall; slots: SlotView[]; provisional: boolean }> {
    if (
      Number.isNaN(Date.parse(`${date}T00:00:00Z`)) ||
      new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10) !== date
    ) {
      throw new AppError('VALIDATION_FAILED', `bad date ${date}`, { userMessage: '日期无效' })
    }
    const hall = await this.halls.get(hallId)
    const calendar = this.calendar()
    const slots = slotsForDay(hall, date, calendar)
    const claims = slots.length ? await this.seats.list({ where: { hallId, date, kind: 'seat' } }) : []
    const taken = new Map<string, number>()
    for (const c of claims) taken.set(c.slotStart, (taken.get(c.slotStart) ?? 0) + 1)
    const now = this.clock.now()
    const views = slots.map((s) => {
      const remaining = Math.max(0, hall.capacityPerSlot - (taken.get(s.start) ?? 0))
      const rule = bookingWindowViolation(now, new Date(s.start))
      const reason = rule?.message ?? (remaining === 0 ? '已约满' : null)
      return {
        slotStart: s.start,
        slotEnd: s.end,
        date: s.date,
        label: s.label,
        capacity: hall.capacityPerSlot,
        remaining,
        bookable: reason === null,
        reason,
      }
    })
    return { hall, slots: views, provisional: calendar.isProvisional(date) }
  }

  async book(req: BookingRequest): Promise<Appointment> {
    const phone = normalisePhone(req.phone)
    const taxpayerId = normaliseTaxpayerId(req.taxpayerId)
    const taxpayerName = req.taxpayerName.trim()
    if (!taxpayerName)
      throw new AppError('VALIDATION_FAILED', 'taxpayerName is empty', { userMessage: '请输入纳税人（缴费人）名称' })
    const types = [...new Set(req.businessTypes)]
    if (types.length === 0)
      throw new AppError('VALIDATION_FAILED', 'no business type', { userMessage: '请至少选择一项业务' })
    const unknown = types.filter((t) => !this.halls.isBusinessType(t))
    if (unknown.length)
      throw new AppError('VALIDATION_FAILED', `unknown business type ${unknown.join(', ')}`, {
        userMessage: '业务类型无效',
      })

    const hall = await this.halls.get(req.hallId)
    const calendar = this.calendar()
    const slot = slotStartingAt(hall, req.slotStart, calendar)
    if (!slot) throw new AppError('SLOT_NOT_OFFERED', `no slot at ${req.slotStart}`)
    const now = this.clock.now()
    const rule = bookingWindowViolation(now, new Date(slot.start))
    if (rule) throw violationError(rule)

    const taxpayerKey = this.keys.key('taxpayer', taxpayerId)
    const phoneKey = this.keys.key('phone', phone)
    await this.sweepNoShows({ taxpayerKey })
    await this.sweepNoShows({ phoneKey })
    const locked = await this.personLocks.violation({ taxpayerKey, phoneKey }, now)
    if (locked) throw violationError(locked)

    const id = `ap_${crypto.randomBytes(9).toString('base64url')}`
    const at = now.toISOString()
    const base = { appointmentId: id, hallId: hall.id, slotStart: slot.start, date: slot.date, at }
    const claims = await this.#claimAll(hall, slot.start, types, base, taxpayerKey)
    let appointment: Appointment
    try {
      const seq = await this.store.nextSequence(`booking:${hall.id}:${slot.date}`)
      appointment = {
        id,
        number: `${slot.date.slice(5, 7)}${slot.date.slice(8, 10)}-${String(seq).padStart(3, '0')}`,
        hallId: hall.id,
        hallName: hall.name,
        slotStart: slot.start,
        slotEnd: slot.end,
        date: slot.date,
        label: slot.label,
        businessTypes: types,
        taxpayerName,
        taxpayerKey,
        taxpayerIdMasked: maskedId(taxpayerId),
        phoneKey,
        phoneSealed: this.sealer.seal({ phone }) ?? '',
        phoneMasked: maskPii(phone),
        status: 'booked',
        claims,
        proposal: null,
        provisional: calendar.isProvisional(slot.date),
        createdAt: at,
        checkedInAt: null,
        cancelledAt: null,
        noShowAt: null,
        events: [{ at, by: 'taxpayer', action: 'booked' }],
      }
      await this.appointments.create(appointment)
    } catch (error) {
      await this.seats.remove(claims)
      throw error
    }
    const note = appointment.provisional ? PROVISIONAL_NOTICE : null
    return this.#sms(appointment, confirmedMessage(this.signature, this.facts(appointment), note))
  }

  /** Claims the taxpayer-per-slot key, a seat and each capped business type; all or nothing. */
  async #claimAll(
    hall: Hall,
    slotStart: string,
    types: string[],
    base: Omit<Claim, 'id' | 'kind'>,
    taxpayerKey: string,
  ): Promise<string[]> {
    const held: string[] = []
    try {
      const tp = claimIds.taxpayer(taxpayerKey, slotStart)
      await this.#create({ ...base, id: tp, kind: 'taxpayer' }, 'TAXPAYER_SLOT_TAKEN')
      held.push(tp)
      held.push(
        await this.#claimOne(
          hall.capacityPerSlot,
          (n) => claimIds.seat(hall.id, slotStart, n),
          base,
          'seat',
          'SLOT_FULL',
        ),
      )
      for (const code of types) {
        const cap = hall.capacityByBusiness[code]
        if (cap === undefined) continue
        held.push(
          await this.#claimOne(
            cap,
            (n) => claimIds.business(hall.id, slotStart, code, n),
            base,
            'business',
            'BUSINESS_FULL',
          ),
        )
      }
      return held
    } catch (error) {
      if (held.length) await this.seats.remove(held)
      throw error
    }
  }

  async #claimOne(
    capacity: number,
    idOf: (n: number) => string,
    base: Omit<Claim, 'id' | 'kind'>,
    kind: Claim['kind'],
    full: 'SLOT_FULL' | 'BUSINESS_FULL',
  ): Promise<string> {
    for (let n = 1; n <= capacity; n++) {
      const id = idOf(n)
      try {
        await this.seats.create({ ...base, id, kind })
        return id
      } catch (error) {
        if (!(isAppError(error) && error.code === 'CONFLICT')) throw error
      }
    }
    throw new AppError(full)
  }

  async #create(claim: Claim, onConflict: 'TAXPAYER_SLOT_TAKEN'): Promise<void> {
    try {
      await this.seats.create(claim)
    } catch (error) {
      if (isAppError(error) && error.code === 'CONFLICT') throw new AppError(onConflict)
      throw error
    }
  }

  async get(id: string): Promise<Appointment> {
    const a = await this.appointments.get(id)
    if (!a) throw new AppError('APPOINTMENT_NOT_FOUND')
    return a
  }

  /** 我的预约: bookings made with a (verified) phone, newest slot first. */
  async mine(phone: string): Promise<Appointment[]> {
    const phoneKey = this.keys.key('phone', normalisePhone(phone))
    await this.sweepNoShows({ phoneKey })
    return this.appointments.list({ where: { phoneKey }, sort: { field: 'slotStart', order: 'desc' }, limit: 50 })
  }

  /** An appointment the (verified) phone owns; anything else looks like "not found". */
  async owned(id: string, phone: string): Promise<Appointment> {
    const a = await this.appointments.get(id)
    if (!a || a.phoneKey !== this.keys.key('phone', normalisePhone(phone))) throw new AppError('APPOINTMENT_NOT_FOUND')
    return a
  }

  async cancel(id: string, phone: string): Promise<Appointment> {
    const a = await this.owned(id, phone)
    if (a.status !== 'booked')
      throw new AppError('INVALID_TRANSITION', `appointment is ${a.status}`, { userMessage: '该预约已不能取消' })
    const now = this.clock.now()
    const late = cancelViolation(now, new Date(a.slotStart))
    if (late) throw violationError(late)
    const updated = await this.#transition(id, 'booked', (x) => ({
      ...x,
      status: 'cancelled',
      cancelledAt: now.toISOString(),
      claims: [],
      proposal: null,
      events: [...x.events, { at: now.toISOString(), by: 'taxpayer', action: 'cancelled' }],
    }))
    await this.seats.remove([...a.claims, ...(a.proposal?.claims ?? [])])
    return this.#sms(updated, cancelledMessage(this.signature, this.facts(updated)))
  }

  /**
   * Frees claims no appointment holds (a process that died between claiming and writing the appointment, or
   * between moving an appointment and releasing its old claims). Only claims older than `graceMs` are
   * considered, so a booking in flight is never touched. Returns how many were released.
   */
  async releaseOrphanClaims(graceMs = 120_000): Promise<number> {
    const now = this.clock.now()
    const cutoff = new Date(now.getTime() - graceMs).toISOString()
    const future = await this.seats.list({ range: { field: 'slotStart', gte: now.toISOString() } })
    const old = future.filter((c) => c.at < cutoff)
    if (old.length === 0) return 0
    const owners = new Map(
      (await this.appointments.getMany([...new Set(old.map((c) => c.appointmentId))])).map((a) => [a.id, a]),
    )
    const orphans = old.filter((c) => {
      const a = owners.get(c.appointmentId)
      return !a || !(a.claims.includes(c.id) || (a.proposal?.claims.includes(c.id) ?? false))
    })
    return orphans.length ? this.seats.remove(orphans.map((c) => c.id)) : 0
  }

  /** Marks every booked appointment whose slot has ended (optionally of one person or hall) as a no-show. */
  async sweepNoShows(scope: { taxpayerKey?: string; phoneKey?: string; hallId?: string } = {}): Promise<number> {
    const now = this.clock.now()
    const where: Record<string, string> = { status: 'booked' }
    if (scope.taxpayerKey) where.taxpayerKey = scope.taxpayerKey
    if (scope.phoneKey) where.phoneKey = scope.phoneKey
    if (scope.hallId) where.hallId = scope.hallId
    // isNoShow counts the end instant itself; the store's range is exclusive, hence +1 ms.
    const due = await this.appointments.list({
      where,
      range: { field: 'slotEnd', lt: new Date(now.getTime() + 1).toISOString() },
    })
    let marked = 0
    for (const a of due) {
      // A slot the hall could not serve (a pending reschedule proposal) is not the taxpayer's no-show.
      if (!isNoShow(now, a) || a.proposal) continue
      let changed = false
      await this.appointments.update(a.id, (x) => {
        changed = x.status === 'booked' && !x.proposal
        if (!changed) return x
        return {
          ...x,
          status: 'no-show',
          noShowAt: now.toISOString(),
          events: [...x.events, { at: now.toISOString(), by: 'system', action: 'no-show' }],
        }
      })
      if (!changed) continue
      marked++
      await this.personLocks.recordNoShow(a, now)
    }
    return marked
  }

  /** Lock state of a person (by taxpayer id and/or phone), for hall staff. */
  lockStatus(taxpayerId: string | undefined, phone: string | undefined) {
    return this.personLocks.status(taxpayerId, phone)
  }

  /** Unlock after the administrator checked the person's ID in person (see PersonLocks.unlock). */
  unlock(hallId: string, actor: StaffActor, input: { taxpayerId?: string; phone?: string; note: string }) {
    return this.personLocks.unlock(hallId, actor, input)
  }

  /** The hall's appointments of a day (default today), slot order. */
  async forHall(hallId: string, date: string): Promise<Appointment[]> {
    await this.halls.get(hallId)
    await this.sweepNoShows({ hallId })
    return this.appointments.list({ where: { hallId, date }, sort: { field: 'slotStart', order: 'asc' } })
  }

  /** Look-up at the hall by 纳税人名称 + 预约号 (both must match). */
  async lookup(hallId: string, taxpayerName: string, number: string): Promise<Appointment> {
    await this.sweepNoShows({ hallId })
    const hits = await this.appointments.list({ where: { hallId, number: number.trim() } })
    const name = taxpayerName.trim()
    const a = hits.find((h) => h.taxpayerName === name)
    if (!a)
      throw new AppError('APPOINTMENT_NOT_FOUND', 'no match', { userMessage: '未找到与该纳税人名称和预约号相符的预约' })
    return a
  }

  async checkIn(hallId: string, id: string, actor: StaffActor): Promise<Appointment> {
    const a = await this.get(id)
    if (a.hallId !== hallId) throw new AppError('APPOINTMENT_NOT_FOUND')
    await this.sweepNoShows({ hallId })
    const now = this.clock.now()
    if (chinaDateOf(now) !== a.date) {
      throw new AppError('INVALID_TRANSITION', 'not the booking day', {
        userMessage: `该预约为${a.date}，今天不能签到`,
      })
    }
    return this.#transition(
      id,
      'booked',
      (x) => ({
        ...x,
        status: 'checked-in',
        checkedInAt: now.toISOString(),
        events: [...x.events, { at: now.toISOString(), by: actor.id, action: 'checked-in' }],
      }),
      '该预约当前状态不能签到（已签到、已取消或已记为未到）',
    )
  }

  /** After a system failure the hall proposes another slot (holding its seat); the taxpayer answers. */
  async propose(
    hallId: string,
    id: string,
    actor: StaffActor,
    slotStart: string,
    reason: string,
  ): Promise<Appointment> {
    const a = await this.get(id)
    if (a.hallId !== hallId) throw new AppError('APPOINTMENT_NOT_FOUND')
    if (a.status !== 'booked')
      throw new AppError('INVALID_TRANSITION', a.status, { userMessage: '只能为尚未办理的预约提出改约' })
    if (a.proposal)
      throw new AppError('INVALID_TRANSITION', 'proposal pending', { userMessage: '已有待纳税人确认的改约建议' })
    const hall = await this.halls.get(hallId)
    const slot = slotStartingAt(hall, slotStart, this.calendar())
    if (!slot) throw new AppError('SLOT_NOT_OFFERED', `no slot at ${slotStart}`)
    const now = this.clock.now()
    if (Date.parse(slot.start) <= now.getTime())
      throw violationError({ code: 'SLOT_IN_PAST', message: '建议的时段已开始或已过去' })
    const base = { appointmentId: id, hallId, slotStart: slot.start, date: slot.date, at: now.toISOString() }
    // The same taxpayer key with another slot: the per-slot claim keeps them from holding two bookings then.
    const claims = await this.#claimAll(hall, slot.start, a.businessTypes, base, a.taxpayerKey)
    let updated: Appointment
    try {
      updated = await this.#transition(id, 'booked', (x) =>
        x.proposal
          ? x
          : {
              ...x,
              proposal: {
                slotStart: slot.start,
                slotEnd: slot.end,
                date: slot.date,
                label: slot.label,
                reason,
                at: now.toISOString(),
                by: actor.id,
                claims,
              },
              events: [
                ...x.events,
                {
                  at: now.toISOString(),
                  by: actor.id,
                  action: 'reschedule-proposed',
                  note: `${slot.date} ${slot.label}：${reason}`,
                },
              ],
            },
      )
      if (updated.proposal?.claims[0] !== claims[0])
        throw new AppError('INVALID_TRANSITION', 'proposal pending', { userMessage: '已有待纳税人确认的改约建议' })
    } catch (error) {
      await this.seats.remove(claims)
      throw error
    }
    return this.#sms(
      updated,
      proposalMessage(this.signature, this.facts(updated), `${slot.date} ${slot.label}`, reason),
    )
  }

  /** The taxpayer accepts (moves to the proposed slot) or declines (the booking ends, no no-show counted). */
  async answerProposal(id: string, phone: string, accept: boolean): Promise<Appointment> {
    const a = await this.owned(id, phone)
    const p = a.proposal
    if (!p || a.status !== 'booked')
      throw new AppError('INVALID_TRANSITION', 'no proposal', { userMessage: '该预约没有待确认的改约建议' })
    const now = this.clock.now().toISOString()
    const updated = await this.#transition(id, 'booked', (x) =>
      accept
        ? {
            ...x,
            slotStart: p.slotStart,
            slotEnd: p.slotEnd,
            date: p.date,
            label: p.label,
            claims: p.claims,
            proposal: null,
            events: [...x.events, { at: now, by: 'taxpayer', action: 'reschedule-accepted' }],
          }
        : {
            ...x,
            status: 'cancelled',
            cancelledAt: now,
            claims: [],
            proposal: null,
            events: [...x.events, { at: now, by: 'taxpayer', action: 'reschedule-declined' }],
          },
    )
    await this.seats.remove(accept ? a.claims : [...a.claims, ...p.claims])
    return this.#sms(updated, proposalAnswerMessage(this.signature, this.facts(updated), accept))
  }

  facts(a: Appointment): BookingFacts {
    return {
      hall: a.hallName,
      date: a.date,
      time: a.label,
      business: a.businessTypes.map((t) => this.halls.businessTypeName(t)).join('、'),
      number: a.number,
    }
  }

  async #transition(
    id: string,
    from: Appointment['status'],
    mutate: (a: Appointment) => Appointment,
    message?: string,
  ): Promise<Appointment> {
    let ok = false
    const out = await this.appointments.update(id, (x) => {
      ok = x.status === from
      return ok ? mutate(x) : x
    })
    if (!ok)
      throw new AppError(
        'INVALID_TRANSITION',
        `appointment is ${out.status}`,
        message ? { userMessage: message } : undefined,
      )
    return out
  }

  /** Sends an SMS about an appointment; the outcome is recorded on it, a failed delivery is not an error. */
  async #sms(a: Appointment, msg: RenderedSms): Promise<Appointment> {
    const phone = this.sealer.open(a.phoneSealed)?.phone
    const at = this.clock.now().toISOString()
    const result = phone ? await this.sms.send({ to: phone, ...msg, at }) : { ok: false, channel: 'none' }
    const event = { at, by: 'system', action: result.ok ? `sms:${msg.template}` : `sms-failed:${msg.template}` }
    return this.appointments.update(a.id, (x) => ({ ...x, events: [...x.events, event] }))
  }
}
