/**
 * A tax service hall (办税服务厅) as the booking service sees it: where it is, when it opens, how its day is
 * cut into slots and how many taxpayers each slot takes (in total and per business type).
 */
import type { WorkingPeriod } from '../shared/working-day-calendar.js'

export interface Hall {
  id: string
  name: string
  /** GB/T 2260 code of the hall's district or city. */
  regionCode: string
  address: string
  phone: string
  /** Opening hours on a working day, China wall clock; a lunch break is the gap between two periods. */
  periods: WorkingPeriod[]
  /** Windows serving booked taxpayers first (used for the queue's estimated wait too). */
  windows: number
  slotMinutes: number
  /** Bookings one slot takes in total. */
  capacityPerSlot: number
  /** Business type code → bookings of that type one slot takes (absent: only the total applies). */
  capacityByBusiness: Record<string, number>
  /** Extra closed days (YYYY-MM-DD, China time) on top of the holiday calendar. */
  blackoutDays: string[]
  /** Staff users (role hall-admin) who administer this hall. */
  adminUserIds: string[]
  /** scrypt hash of the queue-system API key (null: no key issued yet). */
  apiKeyHash: string | null
  /** True for the bundled sample halls (not real offices). */
  sample: boolean
}

export interface BusinessType {
  code: string
  name: string
  description: string
  /** Bundled service guide the type is based on (knowledge/corpus/guides). */
  guide: string | null
}
