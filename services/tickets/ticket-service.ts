/**
 * Human handoff tickets (12366 工单). This file is the stable entry point other services call:
 * `createTicket` (from the answering service's handoff) and `get`. The full workflow (assignment,
 * transfer, extension, confidentiality rules, agent console) builds on it.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'
import { formatChinaDeadline, type WorkingDayCalendar } from '../shared/working-day-calendar.js'
import { dueAt, type SlaKind } from './sla.js'

export const TICKET_TYPES = ['consult', 'complaint', 'report', 'suggestion', 'callback'] as const
export type TicketType = (typeof TICKET_TYPES)[number]
export const TICKET_STATES = ['new', 'assigned', 'answered', 'closed', 'transferred', 'extended', 'reopened'] as const
export type TicketState = (typeof TICKET_STATES)[number]

export interface TicketEvent {
  at: string
  by: string
  action: string
  note?: string
}

export interface TranscriptLine {
  role: 'user' | 'assistant' | 'agent' | 'system'
  text: string
  at: string
}

export interface Ticket {
  id: string
  /** Readable number, e.g. 12366-20261125-0007 (per China-time day). */
  number: string
  type: TicketType
  difficulty: 'general' | 'difficult'
  state: TicketState
  regionCode: string | null
  seatGroup: string
  channel: string
  question: string
  /** Masked transcript of the conversation before the handoff. */
  transcript: TranscriptLine[]
  /** Contact the taxpayer left (confidential for complaints and reports). */
  contact: { name?: string; phone?: string } | null
  confidential: boolean
  sessionId: string | null
  assignee: string | null
  createdAt: string
  dueAt: string
  answeredAt: string | null
  closedAt: string | null
  answer: string | null
  events: TicketEvent[]
}

export interface CreateTicketInput {
  type: TicketType
  regionCode: string | null
  question: string
  transcript?: TranscriptLine[]
  contact?: { name?: string; phone?: string } | null
  sessionId?: string | null
  channel?: string
  by?: string
}

export interface CreatedTicket {
  id: string
  number: string
  type: TicketType
  seatGroup: string
  dueAt: string
  /** e.g. 2026年11月26日（星期四）17:30 */
  dueLabel: string
  /** Whether a human seat is working right now (人机结合: the bot answers 7×24, humans on working days). */
  humansAvailableNow: boolean
}

export function slaKindOf(type: TicketType, difficulty: 'general' | 'difficult'): SlaKind {
  return type === 'consult' ? (difficulty === 'difficult' ? 'consult-difficult' : 'consult-general') : type
}

/** Default seat group of a region: local remote seats for a city, the provincial centre for a province. */
export function seatGroupFor(regions: RegionTable, regionCode: string | null): string {
  if (!regionCode) return 'national'
  const r = regions.get(regionCode)
  return r?.level === 'city' ? `${regionCode}-remote` : `${regions.provinceOf(regionCode)}-center`
}

export class TicketService {
  constructor(
    protected readonly store: Store,
    protected readonly regions: RegionTable,
    protected readonly calendar: WorkingDayCalendar,
    protected readonly clock: Clock,
  ) {}

  protected get tickets() {
    return this.store.collection<Ticket>('tickets')
  }

  async createTicket(input: CreateTicketInput): Promise<CreatedTicket> {
    if (input.regionCode !== null && !this.regions.has(input.regionCode)) throw new AppError('UNKNOWN_REGION', `地区代码 ${input.regionCode} 无效`)
    const now = this.clock.now()
    const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
    const seq = await this.store.nextSequence(`ticket-${day}`)
    const number = `12366-${day}-${String(seq).padStart(4, '0')}`
    const due = dueAt(this.calendar, now, slaKindOf(input.type, 'general'))
    const ticket: Ticket = {
      id: crypto.randomUUID(),
      number,
      type: input.type,
      difficulty: 'general',
      state: 'new',
      regionCode: input.regionCode,
      seatGroup: seatGroupFor(this.regions, input.regionCode),
      channel: input.channel ?? 'web',
      question: maskPii(input.question),
      transcript: (input.transcript ?? []).map((t) => ({ ...t, text: maskPii(t.text) })),
      contact: input.contact ?? null,
      confidential: input.type === 'report' || input.type === 'complaint',
      sessionId: input.sessionId ?? null,
      assignee: null,
      createdAt: now.toISOString(),
      dueAt: due.toISOString(),
      answeredAt: null,
      closedAt: null,
      answer: null,
      events: [{ at: now.toISOString(), by: input.by ?? 'system', action: 'created' }],
    }
    await this.tickets.put(ticket)
    return { id: ticket.id, number, type: ticket.type, seatGroup: ticket.seatGroup, dueAt: ticket.dueAt, dueLabel: formatChinaDeadline(due), humansAvailableNow: this.calendar.isWorkingTime(now) }
  }

  async get(id: string): Promise<Ticket> {
    const t = await this.tickets.get(id)
    if (!t) throw new AppError('TICKET_NOT_FOUND', `ticket ${id}`)
    return t
  }
}
