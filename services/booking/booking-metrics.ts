/**
 * Booking metrics (pure): bookings per day, utilisation per hall (booked seats ÷ offered seats), no-show
 * rate (no-shows ÷ appointments whose slot has ended and were not cancelled), cancellations, and the
 * average wait reported by the halls' queue feeds.
 */
import type { Appointment } from './appointment.js'

export interface HallMetrics {
  hallId: string
  hallName: string
  offeredSeats: number
  booked: number
  utilisation: number
  checkedIn: number
  noShows: number
  noShowRate: number
  cancellations: number
  averageWaitMinutes: number | null
}

export interface BookingMetrics {
  from: string
  to: string
  bookingsPerDay: { date: string; bookings: number }[]
  halls: HallMetrics[]
  totals: { bookings: number; cancellations: number; noShows: number; noShowRate: number }
}

const ratio = (a: number, b: number): number => (b === 0 ? 0 : Math.round((a / b) * 1000) / 1000)

export function computeBookingMetrics(input: {
  from: string
  to: string
  appointments: readonly Appointment[]
  halls: readonly { id: string; name: string; offeredSeats: number }[]
  waits: ReadonlyMap<string, Record<string, { samples: number; waitMinutes: number }>>
}): BookingMetrics {
  const inRange = input.appointments.filter((a) => a.date >= input.from && a.date <= input.to)
  const perDay = new Map<string, number>()
  for (const a of inRange) perDay.set(a.date, (perDay.get(a.date) ?? 0) + 1)
  const halls = input.halls.map((h) => {
    const mine = inRange.filter((a) => a.hallId === h.id)
    const cancellations = mine.filter((a) => a.status === 'cancelled').length
    const noShows = mine.filter((a) => a.status === 'no-show').length
    const checkedIn = mine.filter((a) => a.status === 'checked-in').length
    const booked = mine.length - cancellations
    let samples = 0
    let minutes = 0
    for (const [date, v] of Object.entries(input.waits.get(h.id) ?? {})) {
      if (date < input.from || date > input.to) continue
      samples += v.samples
      minutes += v.waitMinutes
    }
    return {
      hallId: h.id,
      hallName: h.name,
      offeredSeats: h.offeredSeats,
      booked,
      utilisation: ratio(booked, h.offeredSeats),
      checkedIn,
      noShows,
      noShowRate: ratio(noShows, noShows + checkedIn),
      cancellations,
      averageWaitMinutes: samples ? Math.round((minutes / samples) * 10) / 10 : null,
    }
  })
  const noShows = halls.reduce((s, h) => s + h.noShows, 0)
  const checkedIn = halls.reduce((s, h) => s + h.checkedIn, 0)
  return {
    from: input.from,
    to: input.to,
    bookingsPerDay: [...perDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, bookings]) => ({ date, bookings })),
    halls,
    totals: {
      bookings: inRange.length,
      cancellations: halls.reduce((s, h) => s + h.cancellations, 0),
      noShows,
      noShowRate: ratio(noShows, noShows + checkedIn),
    },
  }
}
