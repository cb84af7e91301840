/** An appointment (collection `appointments`) and the claim documents (collection `seats`) that back it. */
export type AppointmentStatus = 'booked' | 'checked-in' | 'cancelled' | 'no-show'

export interface SlotRef {
  slotStart: string
  slotEnd: string
  /** China date and wall-clock label of the slot. */
  date: string
  label: string
}

export interface Proposal extends SlotRef {
  reason: string
  at: string
  by: string
  /** Claims held for the proposed slot until the taxpayer answers. */
  claims: string[]
}

export interface AppointmentEvent {
  at: string
  by: string
  action: string
  note?: string
}

export interface Appointment extends SlotRef {
  id: string
  /** 预约号, unique within the hall and day. */
  number: string
  hallId: string
  hallName: string
  businessTypes: string[]
  taxpayerName: string
  taxpayerKey: string
  taxpayerIdMasked: string
  phoneKey: string
  /** AES-GCM sealed `{phone}` (for SMS about this booking). */
  phoneSealed: string
  phoneMasked: string
  status: AppointmentStatus
  /** Ids of the `seats` documents this booking holds (seat, per-business capacity, taxpayer-per-slot). */
  claims: string[]
  proposal: Proposal | null
  /** The slot's day was computed from the statutory rule, not a loaded notice. */
  provisional: boolean
  createdAt: string
  checkedInAt: string | null
  cancelledAt: string | null
  noShowAt: string | null
  events: AppointmentEvent[]
}

export interface Claim {
  id: string
  kind: 'seat' | 'business' | 'taxpayer'
  appointmentId: string
  hallId: string
  slotStart: string
  date: string
  at: string
}

/** Deterministic claim ids: two creators of one id cannot both succeed (Store.create). */
export const claimIds = {
  seat: (hallId: string, slotStart: string, n: number): string => `${hallId}|${slotStart}|seat|${n}`,
  business: (hallId: string, slotStart: string, code: string, n: number): string =>
    `${hallId}|${slotStart}|${code}|${n}`,
  taxpayer: (taxpayerKey: string, slotStart: string): string => `taxpayer|${taxpayerKey}|${slotStart}`,
}
