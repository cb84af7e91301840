/**
 * The dashboard's figures of the services around consultation (pure, already region-scoped): 网上预约办税
 * halls (utilisation, no-shows, cancellations — the booking service's own definitions, booking-metrics.ts),
 * online survey responses, 征纳互动 satisfaction (satisfaction-metrics.ts) and 回访 follow-ups.
 */
import type { Appointment } from '../booking/appointment.js'
import { computeBookingMetrics } from '../booking/booking-metrics.js'
import type { FollowUp } from '../feedback/feedback-service.js'
import { satisfactionBy, type RatedEvent } from '../feedback/satisfaction-metrics.js'
import { ratio } from './dashboard-report.js'

export interface HallDay {
  hallId: string
  hallName: string
  regionCode: string
  /** Bookable seats per China day of the range (open slots × capacity per slot). */
  offeredByDay: Record<string, number>
}

export interface BookingHallRow {
  hallId: string
  hallName: string
  regionCode: string
  offeredSeats: number
  booked: number
  utilisation: number | null
  checkedIn: number
  noShows: number
  noShowRate: number | null
  cancellations: number
}

export interface BookingDayRow {
  day: string
  offeredSeats: number
  booked: number
  utilisation: number | null
  noShows: number
  cancellations: number
}

export interface ServiceFigures {
  bookings: {
    halls: BookingHallRow[]
    days: BookingDayRow[]
    totals: {
      offeredSeats: number
      booked: number
      utilisation: number | null
      noShows: number
      noShowRate: number | null
      cancellations: number
    }
  }
  surveys: { surveyId: string; title: string; regionCode: string | null; responses: number }[]
  satisfaction: {
    channel: string
    count: number
    satisfied: number
    satisfiedRate: number | null
    meanScore: number | null
  }[]
  followUps: {
    opened: number
    closed: number
    openNow: number
    overdueNow: number
    days: { day: string; opened: number; closed: number }[]
  }
}

export interface ServiceInput {
  days: readonly string[]
  halls: readonly HallDay[]
  /** Appointments of the halls on the range's days. */
  appointments: readonly Appointment[]
  surveys: readonly { surveyId: string; title: string; regionCode: string | null; responses: number }[]
  /** 征纳互动 ratings of the range. */
  ratings: readonly RatedEvent[]
  /** Follow-ups created in the range, or done in it. */
  followUps: readonly FollowUp[]
  /** Follow-ups still open, whatever their creation date. */
  openFollowUps: readonly FollowUp[]
  range: { from: string; to: string }
  now: Date
}

const SATISFIED_LABEL = '合计'
const chinaDay = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)

function bookingFigures(input: ServiceInput): ServiceFigures['bookings'] {
  const from = input.days[0] ?? ''
  const to = input.days.at(-1) ?? ''
  const offered = (h: HallDay, day?: string): number =>
    day === undefined ? Object.values(h.offeredByDay).reduce((a, b) => a + b, 0) : (h.offeredByDay[day] ?? 0)
  const metrics = computeBookingMetrics({
    from,
    to,
    appointments: input.appointments,
    halls: input.halls.map((h) => ({ id: h.hallId, name: h.hallName, offeredSeats: offered(h) })),
    waits: new Map(),
  })
  const halls = metrics.halls.map((m, i) => ({
    hallId: m.hallId,
    hallName: m.hallName,
    regionCode: input.halls[i]?.regionCode ?? '',
    offeredSeats: m.offeredSeats,
    booked: m.booked,
    utilisation: ratio(m.booked, m.offeredSeats),
    checkedIn: m.checkedIn,
    noShows: m.noShows,
    noShowRate: ratio(m.noShows, m.noShows + m.checkedIn),
    cancellations: m.cancellations,
  }))
  const byDay = new Map<string, Appointment[]>()
  for (const a of input.appointments) byDay.set(a.date, [...(byDay.get(a.date) ?? []), a])
  const days = input.days.map((day) => {
    const seats = input.halls.reduce((s, h) => s + offered(h, day), 0)
    const mine = byDay.get(day) ?? []
    const cancellations = mine.filter((a) => a.status === 'cancelled').length
    const booked = mine.length - cancellations
    const noShows = mine.filter((a) => a.status === 'no-show').length
    return { day, offeredSeats: seats, booked, utilisation: ratio(booked, seats), noShows, cancellations }
  })
  const sum = (k: 'offeredSeats' | 'booked' | 'noShows' | 'cancellations' | 'checkedIn') =>
    halls.reduce((s, h) => s + h[k], 0)
  return {
    halls,
    days,
    totals: {
      offeredSeats: sum('offeredSeats'),
      booked: sum('booked'),
      utilisation: ratio(sum('booked'), sum('offeredSeats')),
      noShows: sum('noShows'),
      noShowRate: ratio(sum('noShows'), sum('noShows') + sum('checkedIn')),
      cancellations: sum('cancellations'),
    },
  }
}

function satisfactionFigures(ratings: readonly RatedEvent[]): ServiceFigures['satisfaction'] {
  const rows = [
    ...satisfactionBy(ratings, 'channel'),
    ...satisfactionBy(
      ratings.map((r) => ({ ...r, channel: SATISFIED_LABEL })),
      'channel',
    ),
  ]
  return rows.map((r) => ({
    channel: r.key,
    count: r.count,
    satisfied: r.levels['very-satisfied'] + r.levels.satisfied + r.levels.neutral,
    satisfiedRate: r.satisfiedRate,
    meanScore: r.meanScore,
  }))
}

function followUpFigures(input: ServiceInput): ServiceFigures['followUps'] {
  const inRange = (iso: string | null): boolean => iso !== null && iso >= input.range.from && iso < input.range.to
  const opened = input.followUps.filter((f) => inRange(f.createdAt))
  const closed = input.followUps.filter((f) => f.state === 'done' && inRange(f.doneAt))
  const now = input.now.toISOString()
  return {
    opened: opened.length,
    closed: closed.length,
    openNow: input.openFollowUps.length,
    overdueNow: input.openFollowUps.filter((f) => f.dueAt < now).length,
    days: input.days.map((day) => ({
      day,
      opened: opened.filter((f) => chinaDay(f.createdAt) === day).length,
      closed: closed.filter((f) => f.doneAt !== null && chinaDay(f.doneAt) === day).length,
    })),
  }
}

export function computeServiceFigures(input: ServiceInput): ServiceFigures {
  return {
    bookings: bookingFigures(input),
    surveys: [...input.surveys].sort((a, b) => b.responses - a.responses || a.title.localeCompare(b.title)),
    satisfaction: satisfactionFigures(input.ratings),
    followUps: followUpFigures(input),
  }
}
