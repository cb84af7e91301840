/**
 * Human handoff tickets (12366 工单). `createTicket` (called by the answering service's handoff) and
 * `get` are the stable entry points; the workflow (claim, reply, difficulty, transfer, escalate,
 * extend-with-notice, close, redirect, reopen, promote to a draft entry) is here too, each step one
 * serialised read-modify-write with an event (who, when, what) appended.
 *
 * Confidentiality: contact details are sealed with AES-256-GCM at rest (`contactSealed`) and only
 * `view()` for a viewer holding `confidential:read` opens them for reports and complaints. Lists never
 * carry contact, identity or the session id (knowing a session id is what authorises reading a chat).
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Entry } from '../../knowledge/entry.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'
import type { WorkingDayCalendar } from '../shared/working-day-calendar.js'
import type { Notifier, NotificationKind } from '../notify/notifier.js'
import type { ContactCipher, Contact } from './contact-cipher.js'
import {
  canSeeSeatGroup,
  isCenterGroup,
  isValidSeatGroup,
  provinceOfSeatGroup,
  visibleSeatGroups,
  type Viewer,
} from './routing.js'
import { dueAt, extendDue, isOverdue, SLA_RULES, type SlaKind } from './sla.js'
import { nextState, STATE_LABELS, TICKET_STATES, type TicketAction, type TicketState } from './transitions.js'
import type { Registry } from 'prom-client'
import { ticketCounters } from './ticket-metrics.js'
import {
  CONFIDENTIAL_TEXT,
  CONFIDENTIAL_TICKET_TYPES,
  isConfidentialSession,
  redactQuestion,
  redactTranscript,
} from './confidentiality.js'

export const TICKET_TYPES = ['consult', 'complaint', 'report', 'suggestion', 'callback'] as const
export type TicketType = (typeof TICKET_TYPES)[number]
export { TICKET_STATES, type TicketState } from './transitions.js'
export type Difficulty = 'general' | 'difficult'

export const TYPE_LABELS: Readonly<Record<TicketType, string>> = {
  consult: '咨询',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  callback: '预约回电',
}

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
  /** The turn's intent: report and complaint turns are redacted for readers without confidential:read. */
  intent?: string
}

export interface TicketNotice {
  at: string
  kind: NotificationKind
  text: string
  /** Whether it reached the chat session / the notifier. */
  chat: boolean
  notified: boolean
}

/** The stored ticket document (collection `tickets`). */
export interface Ticket {
  id: string
  /** Readable number, e.g. 12366-20261125-0007 (per China-time day). */
  number: string
  type: TicketType
  difficulty: Difficulty
  state: TicketState
  regionCode: string | null
  seatGroup: string
  channel: string
  question: string
  /** Masked transcript of the conversation before the handoff (empty for confidential tickets: see transcriptSealed). */
  transcript: TranscriptLine[]
  /** Reports and complaints: the transcript may name the reporter, so it is sealed like the contact. */
  transcriptSealed?: string | null
  /** Contact the taxpayer left, AES-256-GCM sealed (see contact-cipher.ts); never stored in clear. */
  contactSealed: string | null
  confidential: boolean
  sessionId: string | null
  assignee: string | null
  createdAt: string
  dueAt: string
  answeredAt: string | null
  closedAt: string | null
  answer: string | null
  answeredBy: string | null
  extension: { days: number; reason: string; at: string; by: string } | null
  redirect: { regionCode: string | null; note: string } | null
  notices: TicketNotice[]
  promotedEntryId: string | null
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

/** What a queue shows: no contact, no identity, no transcript, no session id. */
export interface TicketSummary {
  id: string
  number: string
  type: TicketType
  difficulty: Difficulty
  state: TicketState
  stateLabel: string
  regionCode: string | null
  seatGroup: string
  channel: string
  question: string
  confidential: boolean
  assignee: string | null
  createdAt: string
  dueAt: string
  dueLabel: string
  overdue: boolean
}

/** One ticket for a viewer who may see it. `contact` is present only when the viewer may read it. */
export interface TicketView extends TicketSummary {
  transcript: TranscriptLine[]
  answer: string | null
  answeredAt: string | null
  answeredBy: string | null
  closedAt: string | null
  extension: Ticket['extension']
  redirect: Ticket['redirect']
  notices: TicketNotice[]
  promotedEntryId: string | null
  events: TicketEvent[]
  hasSession: boolean
  hasContact: boolean
  contactVisible: boolean
  contact?: Contact | null
}

/** The part of the answering service's SessionService tickets use (docs/interfaces.md). */
export interface SessionTurnInput {
  id: string
  at: string
  role: 'agent' | 'system'
  text: string
  ticketId: string
  agentName?: string
}
export interface SessionsPort {
  appendTurn(sessionId: string, turn: SessionTurnInput): Promise<unknown>
  /** The session's turns (intents decide whether its tickets are confidential). */
  get?(sessionId: string): Promise<{ turns: { text: string; intent?: string | undefined }[] }>
}

export interface TicketDeps {
  /** Seals contact details at rest; built from the configured key (never a per-process random one). */
  cipher: ContactCipher
  notifier: Notifier
  /** Chat sessions the agents' replies are appended to (built before the ticket service). */
  sessions: SessionsPort
  /** The shared Prometheus registry the ticket counters register in (served at GET /metrics). */
  registry: Registry
  /** Where promoted answers go: the editorial lifecycle (versions, audit, review), never `entries` directly. */
  knowledge: TicketKnowledgePort
}

/** The part of the editorial service ticket promotion uses (EditorialService.draftFromTicket). */
export interface TicketKnowledgePort {
  draftFromTicket(actor: { id: string; name: string }, entry: Entry, ticketNumber: string): Promise<Entry>
}

export function slaKindOf(type: TicketType, difficulty: Difficulty): SlaKind {
  return type === 'consult' ? (difficulty === 'difficult' ? 'consult-difficult' : 'consult-general') : type
}

/** Default seat group of a region: local remote seats for a city, the provincial centre for a province. */
export function seatGroupFor(regions: RegionTable, regionCode: string | null): string {
  if (!regionCode) return 'national'
  const r = regions.get(regionCode)
  return r?.level === 'city' ? `${regionCode}-remote` : `${regions.provinceOf(regionCode)}-center`
}

const MAX_TEXT = 4000

function cleanText(text: string, what: string, max = MAX_TEXT): string {
  const t = typeof text === 'string' ? text.trim() : ''
  if (t === '') throw new AppError('VALIDATION_FAILED', `${what} is required`, { userMessage: `请填写${what}` })
  if (t.length > max)
    throw new AppError('VALIDATION_FAILED', `${what} too long`, { userMessage: `${what}不能超过 ${max} 个字` })
  return maskPii(t)
}

export class TicketService {
  private readonly counters: ReturnType<typeof ticketCounters>

  constructor(
    protected readonly store: Store,
    protected readonly regions: RegionTable,
    /** A swappable handle (shared/swappable.ts): admins replace the calendar at run time. */
    protected readonly calendar: WorkingDayCalendar,
    protected readonly clock: Clock,
    protected readonly deps: TicketDeps,
  ) {
    this.counters = ticketCounters(deps.registry)
  }

  protected get tickets() {
    return this.store.collection<Ticket>('tickets')
  }

  async createTicket(input: CreateTicketInput): Promise<CreatedTicket> {
    if (input.regionCode !== null) this.regions.require(input.regionCode)
    const now = this.clock.now()
    const day = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(0, 10).replace(/-/g, '')
    const seq = await this.store.nextSequence(`ticket-${day}`)
    const number = `12366-${day}-${String(seq).padStart(4, '0')}`
    const due = dueAt(this.calendar, now, slaKindOf(input.type, 'general'))
    const turns = await this.sessionTurns(input.sessionId ?? null)
    const confidentialType = CONFIDENTIAL_TICKET_TYPES.has(input.type)
    const confidential =
      confidentialType ||
      isConfidentialSession(turns) ||
      (await this.sessionHasConfidentialTicket(input.sessionId ?? null))
    const transcript = (input.transcript ?? []).map((t) => ({ ...t, text: maskPii(t.text) }))
    const question =
      confidential && !confidentialType ? redactQuestion(maskPii(input.question), turns) : maskPii(input.question)
    const ticket: Ticket = {
      id: crypto.randomUUID(),
      number,
      type: input.type,
      difficulty: 'general',
      state: 'new',
      regionCode: input.regionCode,
      seatGroup: seatGroupFor(this.regions, input.regionCode),
      channel: input.channel ?? 'web',
      question,
      // Reports and complaints: nothing in clear. Other tickets of a confidential session: the report turns
      // redacted in clear, the whole conversation sealed for holders of confidential:read.
      transcript: confidentialType ? [] : confidential ? redactTranscript(transcript) : transcript,
      transcriptSealed: confidential && transcript.length > 0 ? this.deps.cipher.sealJson(transcript) : null,
      contactSealed: this.deps.cipher.seal(input.contact),
      confidential,
      sessionId: input.sessionId ?? null,
      assignee: null,
      createdAt: now.toISOString(),
      dueAt: due.toISOString(),
      answeredAt: null,
      closedAt: null,
      answer: null,
      answeredBy: null,
      extension: null,
      redirect: null,
      notices: [],
      promotedEntryId: null,
      events: [{ at: now.toISOString(), by: input.by ?? 'system', action: 'created' }],
    }
    await this.tickets.put(ticket)
    if (confidential && ticket.sessionId) await this.sealSessionTickets(ticket.sessionId, ticket.id)
    this.counters.created.inc({ type: ticket.type })
    return {
      id: ticket.id,
      number,
      type: ticket.type,
      seatGroup: ticket.seatGroup,
      dueAt: ticket.dueAt,
      dueLabel: this.calendar.deadlineLabel(due),
      humansAvailableNow: this.calendar.isWorkingTime(now),
    }
  }

  protected async sessionTurns(sessionId: string | null): Promise<{ text: string; intent?: string | undefined }[]> {
    const port = this.deps.sessions
    if (!sessionId || !port?.get) return []
    return (await port.get(sessionId).catch(() => ({ turns: [] }))).turns
  }

  protected async sessionHasConfidentialTicket(sessionId: string | null): Promise<boolean> {
    if (!sessionId) return false
    return (await this.tickets.list({ where: { sessionId } })).some((t) => t.confidential)
  }

  /** A report or complaint arrived: the session's earlier tickets become confidential too. */
  protected async sealSessionTickets(sessionId: string, except: string): Promise<void> {
    for (const t of await this.tickets.list({ where: { sessionId } })) {
      if (t.id === except || t.confidential) continue
      await this.tickets.update(t.id, (cur) => ({
        ...cur,
        confidential: true,
        transcriptSealed:
          cur.transcriptSealed ?? (cur.transcript.length ? this.deps.cipher.sealJson(cur.transcript) : null),
        transcript: redactTranscript(cur.transcript),
      }))
    }
  }

  /** The stored document (contact sealed). For HTTP use `view()`. */
  async get(id: string): Promise<Ticket> {
    const t = await this.tickets.get(id)
    if (!t) throw new AppError('TICKET_NOT_FOUND', `ticket ${id}`)
    return t
  }

  // ------------------------------------------------------------------ reading

  isOverdue(t: Ticket, now = this.clock.now()): boolean {
    const done = t.answeredAt ?? (t.state === 'closed' ? t.closedAt : null)
    return isOverdue(this.calendar, new Date(t.dueAt), now, done ? new Date(done) : undefined)
  }

  /** One queue line; a confidential ticket's question reads 「（保密）」 for a viewer without confidential:read. */
  summarize(t: Ticket, now = this.clock.now(), viewer?: Viewer): TicketSummary {
    const question = viewer && !TicketService.mayReadContact(viewer, t) ? CONFIDENTIAL_TEXT : t.question
    return {
      id: t.id,
      number: t.number,
      type: t.type,
      difficulty: t.difficulty,
      state: t.state,
      stateLabel: STATE_LABELS[t.state],
      regionCode: t.regionCode,
      seatGroup: t.seatGroup,
      channel: t.channel,
      question: question.length > 120 ? `${question.slice(0, 120)}…` : question,
      confidential: t.confidential,
      assignee: t.assignee,
      createdAt: t.createdAt,
      dueAt: t.dueAt,
      dueLabel: this.calendar.deadlineLabel(new Date(t.dueAt)),
      overdue: this.isOverdue(t, now),
    }
  }

  /** May the viewer read this ticket's contact and the reporter's identity? */
  static mayReadContact(viewer: Viewer, t: Ticket): boolean {
    return !t.confidential || viewer.permissions.has('confidential:read')
  }

  async list(
    viewer: Viewer,
    options: { scope?: 'queue' | 'mine'; includeClosed?: boolean; state?: TicketState } = {},
  ): Promise<TicketSummary[]> {
    // The store filters by state (indexed), so the queue costs the open tickets, not all of history.
    const states: TicketState[] = options.state
      ? [options.state]
      : options.includeClosed
        ? []
        : TICKET_STATES.filter((s) => s !== 'closed')
    const all = await this.tickets.list({
      ...(states.length > 0 ? { where: { state: states } } : {}),
      sort: { field: 'dueAt', order: 'asc' },
    })
    const now = this.clock.now()
    return all
      .filter((t) => canSeeSeatGroup(viewer, t.seatGroup))
      .filter((t) => (options.scope === 'mine' ? t.assignee === viewer.id : true))
      .filter((t) => (options.state ? t.state === options.state : options.includeClosed ? true : t.state !== 'closed'))
      .map((t) => this.summarize(t, now, viewer))
  }

  async view(viewer: Viewer, id: string): Promise<TicketView> {
    return this.toView(viewer, await this.visible(viewer, id))
  }

  toView(viewer: Viewer, t: Ticket): TicketView {
    const contactVisible = TicketService.mayReadContact(viewer, t)
    const view: TicketView = {
      ...this.summarize(t, undefined, viewer),
      question: contactVisible ? t.question : CONFIDENTIAL_TEXT,
      // A report's conversation may name the reporter: only the question is shown without the permission.
      // Without the permission: the clear transcript, which is empty for reports and complaints and has the
      // report turns redacted for other tickets of a confidential session.
      transcript: !contactVisible
        ? redactTranscript(t.transcript)
        : t.transcriptSealed
          ? (this.deps.cipher.openJson<TranscriptLine[]>(t.transcriptSealed) ?? [])
          : t.transcript,
      answer: t.answer,
      answeredAt: t.answeredAt,
      answeredBy: t.answeredBy,
      closedAt: t.closedAt,
      extension: t.extension,
      redirect: t.redirect,
      notices: t.notices,
      promotedEntryId: t.promotedEntryId,
      events: t.events,
      hasSession: t.sessionId !== null,
      hasContact: t.contactSealed !== null,
      contactVisible,
    }
    if (contactVisible) view.contact = this.deps.cipher.open(t.contactSealed)
    return view
  }

  protected async visible(viewer: Viewer, id: string): Promise<Ticket> {
    const t = await this.tickets.get(id)
    // Another group's ticket is reported as missing, so ids from other queues reveal nothing.
    if (!t || !canSeeSeatGroup(viewer, t.seatGroup)) throw new AppError('TICKET_NOT_FOUND', `ticket ${id}`)
    return t
  }

  // ------------------------------------------------------------------ workflow

  /** One serialised step: checks visibility and the transition inside the store's update. */
  protected async step(
    viewer: Viewer,
    id: string,
    action: TicketAction | null,
    mutate: (t: Ticket, now: Date) => void,
    note?: string,
    eventName?: string,
  ): Promise<Ticket> {
    await this.visible(viewer, id)
    const now = this.clock.now()
    const updated = await this.tickets.update(id, (t) => {
      if (!canSeeSeatGroup(viewer, t.seatGroup)) throw new AppError('TICKET_NOT_FOUND', `ticket ${id}`)
      if (action) t.state = nextState(t.state, action)
      mutate(t, now)
      const ev: TicketEvent = { at: now.toISOString(), by: viewer.id, action: eventName ?? action ?? 'update' }
      if (note !== undefined) ev.note = note
      t.events.push(ev)
      return t
    })
    if (action) this.counters.transitions.inc({ action })
    return updated
  }

  protected requireHandler(viewer: Viewer, t: Ticket): void {
    if (t.assignee !== viewer.id && !viewer.permissions.has('tickets:supervise')) {
      throw new AppError('FORBIDDEN', 'not the assignee', {
        userMessage: t.assignee ? `该工单由 ${t.assignee} 处理，请先转派或由班长操作` : '请先受理该工单',
      })
    }
  }

  async claim(viewer: Viewer, id: string): Promise<TicketView> {
    const t = await this.step(viewer, id, 'claim', (t) => {
      t.assignee = viewer.id
    })
    return this.toView(viewer, t)
  }

  async setDifficulty(viewer: Viewer, id: string, difficulty: Difficulty): Promise<TicketView> {
    if (difficulty !== 'general' && difficulty !== 'difficult')
      throw new AppError('VALIDATION_FAILED', 'difficulty must be general or difficult', {
        userMessage: '难度只能是一般或疑难',
      })
    const t = await this.step(
      viewer,
      id,
      null,
      (t) => {
        if (t.type !== 'consult')
          throw new AppError('INVALID_TRANSITION', 'difficulty applies to consultations', {
            userMessage: '只有咨询类工单可以设置难度',
          })
        if (t.state === 'answered' || t.state === 'closed')
          throw new AppError('INVALID_TRANSITION', 'ticket already answered', {
            userMessage: `工单当前状态为「${STATE_LABELS[t.state]}」，不能修改难度`,
          })
        t.difficulty = difficulty
        // The deadline follows the rule for the new difficulty from acceptance, plus any granted extension.
        const base = dueAt(this.calendar, new Date(t.createdAt), slaKindOf(t.type, difficulty))
        t.dueAt = extendDue(this.calendar, base, t.extension?.days ?? 0).toISOString()
      },
      difficulty === 'difficult' ? '疑难咨询（3个工作日）' : '一般咨询（1个工作日）',
      'difficulty',
    )
    return this.toView(viewer, t)
  }

  async reply(viewer: Viewer, id: string, text: string): Promise<TicketView> {
    const answer = cleanText(text, '答复内容')
    const t = await this.step(viewer, id, 'reply', (t, now) => {
      this.requireHandler(viewer, t)
      t.answer = answer
      t.answeredBy = viewer.id
      t.answeredAt = now.toISOString()
    })
    this.counters.replies.inc({ onTime: String(!this.isOverdue(t)) })
    const agentName = (viewer as Viewer & { name?: string }).name ?? viewer.id
    return this.toView(viewer, await this.tellTaxpayer(viewer, t, 'reply', answer, 'agent', agentName))
  }

  async transfer(
    viewer: Viewer,
    id: string,
    target: { seatGroup?: string | undefined; regionCode?: string | undefined; note: string },
  ): Promise<TicketView> {
    const note = cleanText(target.note, '转派说明', 500)
    let seatGroup: string
    let regionCode: string | null | undefined
    if (target.regionCode) {
      this.regions.require(target.regionCode)
      regionCode = target.regionCode
      seatGroup = seatGroupFor(this.regions, target.regionCode)
    } else if (target.seatGroup) {
      if (!isValidSeatGroup(this.regions, target.seatGroup))
        throw new AppError('VALIDATION_FAILED', 'unknown seat group', {
          userMessage: `座席组 ${target.seatGroup.slice(0, 30)} 不存在`,
        })
      seatGroup = target.seatGroup
    } else
      throw new AppError('VALIDATION_FAILED', 'seatGroup or regionCode required', {
        userMessage: '请选择要转派的座席组或地区',
      })
    const t = await this.step(
      viewer,
      id,
      'transfer',
      (t) => {
        if (t.seatGroup === seatGroup)
          throw new AppError('INVALID_TRANSITION', 'same seat group', { userMessage: '工单已在该座席组' })
        t.seatGroup = seatGroup
        if (regionCode !== undefined) t.regionCode = regionCode
        t.assignee = null
      },
      `转至 ${seatGroup}：${note}`,
    )
    return this.afterMove(viewer, t)
  }

  async escalate(viewer: Viewer, id: string, note: string): Promise<TicketView> {
    const why = cleanText(note, '升级原因', 500)
    const t = await this.step(
      viewer,
      id,
      'escalate',
      (t) => {
        const province = t.regionCode ? this.regions.provinceOf(t.regionCode) : provinceOfSeatGroup(t.seatGroup)
        if (!province || isCenterGroup(t.seatGroup))
          throw new AppError('INVALID_TRANSITION', 'already at a provincial centre', {
            userMessage: '工单已在省级中心，无法再升级',
          })
        t.seatGroup = `${province}-center`
        t.assignee = null
      },
      why,
    )
    return this.afterMove(viewer, t)
  }

  /** After a move the viewer may no longer see the ticket: return what they may see, or a summary. */
  protected afterMove(viewer: Viewer, t: Ticket): TicketView {
    if (canSeeSeatGroup(viewer, t.seatGroup)) return this.toView(viewer, t)
    const v = this.toView({ ...viewer, permissions: new Set() }, t)
    return { ...v, transcript: [], events: [], notices: [] }
  }

  async extend(
    viewer: Viewer,
    id: string,
    input: { days: number; reason: string; notice?: string | undefined },
  ): Promise<TicketView> {
    const reason = cleanText(input.reason, '延期原因', 500)
    if (!Number.isInteger(input.days) || input.days < 1 || input.days > 10)
      throw new AppError('VALIDATION_FAILED', 'days must be 1..10', { userMessage: '延期天数应为 1–10 个工作日' })
    let noticeText = ''
    const t = await this.step(
      viewer,
      id,
      'extend',
      (t, now) => {
        this.requireHandler(viewer, t)
        t.dueAt = extendDue(this.calendar, new Date(t.dueAt), input.days).toISOString()
        t.extension = { days: input.days, reason, at: now.toISOString(), by: viewer.id }
        const custom = input.notice?.trim()
        noticeText = custom
          ? maskPii(custom)
          : `您的工单 ${t.number} 因${reason}，需要延期答复，我们将在 ${this.calendar.deadlineLabel(new Date(t.dueAt))} 前答复您。感谢您的耐心等待。`
      },
      `延期 ${input.days} 个工作日：${reason}`,
    )
    return this.toView(viewer, await this.tellTaxpayer(viewer, t, 'extension', noticeText, 'system'))
  }

  async close(viewer: Viewer, id: string, note?: string): Promise<TicketView> {
    const t = await this.step(
      viewer,
      id,
      'close',
      (t, now) => {
        this.requireHandler(viewer, t)
        t.closedAt = now.toISOString()
      },
      note?.trim() ? maskPii(note.trim()).slice(0, 500) : undefined,
    )
    return this.toView(viewer, t)
  }

  /** A ticket that belongs to another region: closed with a note telling the taxpayer where to turn. */
  async redirect(
    viewer: Viewer,
    id: string,
    input: { regionCode?: string | null | undefined; note: string },
  ): Promise<TicketView> {
    const note = cleanText(input.note, '转办说明', 1000)
    const to = input.regionCode ?? null
    if (to !== null) this.regions.require(to)
    const t = await this.step(
      viewer,
      id,
      'redirect',
      (t, now) => {
        t.closedAt = now.toISOString()
        t.redirect = { regionCode: to, note }
      },
      note,
    )
    const place = to ? (this.regions.get(to)?.name ?? to) : ''
    const text = `您的问题属于${place || '其他地区'}税务机关管辖：${note}`
    return this.toView(viewer, await this.tellTaxpayer(viewer, t, 'redirect', text, 'system'))
  }

  async reopen(viewer: Viewer, id: string, reason: string): Promise<TicketView> {
    const why = cleanText(reason, '重新打开原因', 500)
    const t = await this.step(
      viewer,
      id,
      'reopen',
      (t, now) => {
        t.closedAt = null
        t.answeredAt = null
        t.redirect = null
        t.dueAt = this.calendar
          .addWorkingDays(now, SLA_RULES[slaKindOf(t.type, t.difficulty)].workingDays)
          .toISOString()
      },
      why,
    )
    return this.toView(viewer, t)
  }

  /** Knowledge loop: a good answer becomes a draft FAQ for editors (never indexed publicly as a draft). */
  async promote(
    viewer: Viewer & { name?: string },
    id: string,
    input: { title?: string | undefined; tags?: string[] | undefined } = {},
  ): Promise<Entry> {
    const t = await this.visible(viewer, id)
    if (t.confidential)
      throw new AppError('INVALID_TRANSITION', 'confidential tickets are not promoted', {
        userMessage: '举报、投诉工单不能转为知识条目',
      })
    if (!t.answer || (t.state !== 'answered' && t.state !== 'closed'))
      throw new AppError('INVALID_TRANSITION', 'ticket not answered', { userMessage: '工单答复后才能转为知识条目' })
    const now = this.clock.now()
    const region = t.regionCode ? this.regions.get(t.regionCode) : undefined
    const title = (input.title?.trim() || t.question).slice(0, 120)
    const tags = [
      ...new Set(['工单沉淀', ...(input.tags ?? []).map((s) => s.trim()).filter((s) => s && s.length <= 50)]),
    ].slice(0, 20)
    const entry: Entry = {
      id: `faq-ticket-${t.number}`,
      kind: 'faq',
      title: maskPii(title),
      body: t.answer,
      question: t.question.slice(0, 2000),
      source: {
        title: `12366 工单 ${t.number} 坐席答复`,
        provenance: `ticket ${t.number} answered by ${t.answeredBy ?? viewer.id}`,
      },
      layer: !region ? 'national' : region.level === 'city' ? 'city' : 'province',
      regionCode: region ? region.code : null,
      effectiveFrom: null,
      effectiveTo: null,
      status: 'draft',
      version: 1,
      tags,
      citedArticleIds: [],
      updatedAt: now.toISOString(),
      updatedBy: viewer.id,
    }
    const saved = await this.deps.knowledge.draftFromTicket(
      { id: viewer.id, name: viewer.name ?? viewer.id },
      entry,
      t.number,
    )
    await this.step(
      viewer,
      id,
      null,
      (t) => {
        t.promotedEntryId = saved.id
      },
      saved.id,
      'promoted',
    )
    return saved
  }

  // ------------------------------------------------------------------ telling the taxpayer

  /** Appends to the chat session and sends through the Notifier, then records the notice and outcome. */
  protected async tellTaxpayer(
    viewer: Viewer,
    t: Ticket,
    kind: NotificationKind,
    text: string,
    role: 'agent' | 'system',
    agentName?: string,
  ): Promise<Ticket> {
    const now = this.clock.now().toISOString()
    let chat = false
    const sessions = this.deps.sessions
    if (t.sessionId) {
      try {
        const turn: SessionTurnInput = { id: crypto.randomUUID(), at: now, role, text, ticketId: t.id }
        if (agentName !== undefined) turn.agentName = agentName
        await sessions.appendTurn(t.sessionId, turn)
        chat = true
      } catch {
        chat = false
      }
    }
    const result = await this.deps.notifier.notify({
      kind,
      ticketId: t.id,
      ticketNumber: t.number,
      sessionId: t.sessionId,
      to: this.deps.cipher.open(t.contactSealed),
      text,
      at: now,
    })
    this.counters.notifications.inc({ kind, channel: result.channel, ok: String(result.ok) })
    return this.tickets.update(t.id, (cur) => {
      cur.notices.push({ at: now, kind, text, chat, notified: result.ok })
      cur.events.push({
        at: now,
        by: viewer.id,
        action: 'notified',
        note: `${kind}: ${chat ? '已推送至会话' : t.sessionId ? '会话推送失败' : '无会话'}；${result.channel} ${result.ok ? '已发送' : `发送失败 ${result.detail ?? ''}`.trim()}`,
      })
      return cur
    })
  }

  /** Seat groups a viewer may pick as a transfer target (their province's groups + every centre). */
  transferTargets(viewer: Viewer): string[] {
    const v = visibleSeatGroups(viewer)
    const out = new Set<string>()
    for (const r of this.regions.all()) {
      if (r.level === 'province') out.add(`${r.code}-center`)
      else if (
        v.all ||
        (!v.all && v.province !== null && this.regions.provinceOf(r.code) === v.province) ||
        (!v.all && v.own !== null && provinceOfSeatGroup(v.own) === this.regions.provinceOf(r.code))
      )
        out.add(`${r.code}-remote`)
    }
    return [...out].sort()
  }
}
