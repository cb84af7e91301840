/**
 * 征纳互动 feedback: 我要评价 (one rating per service event, 回访 follow-ups for the two lowest levels,
 * satisfaction metrics) and 我要投诉 / 我要建议 (portal forms that become tickets with the 1-working-day
 * transfer deadline; the complainant's contact is sealed by the ticket service, and only an HMAC of the
 * phone is kept here so the taxpayer can look the ticket up with a verified phone).
 *
 * Collections: `feedback` (ratings and form records), `followups` (回访 tasks).
 */
import crypto from 'node:crypto'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import type { TokenSigner } from '../auth/tokens.js'
import type { Clock } from '../shared/clock.js'
import { AppError, isAppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'
import { formatChinaDeadline, type WorkingDayCalendar } from '../shared/working-day-calendar.js'
import { canSeeSeatGroup, type Viewer } from '../tickets/routing.js'
import { seatGroupFor, TYPE_LABELS, type TicketService } from '../tickets/ticket-service.js'
import { STATE_LABELS } from '../tickets/transitions.js'
import { normalisePhone } from '../booking/identity-keys.js'
import { eventKey, mintRatingToken, readRatingToken, type RatingEvent } from './rating-event.js'
import { LEVEL_LABELS, LEVEL_SCORES, needsFollowUp, validateLevelAndReason, type RatingLevel } from './rating-levels.js'
import { satisfactionBy, type Dimension, type RatedEvent, type SatisfactionRow } from './satisfaction-metrics.js'

/** A 回访 must be made within this many working days of the low rating. */
export const FOLLOWUP_WORKING_DAYS = 1

export interface StoredRating extends RatedEvent {
  id: string
  kind: 'rating'
  eventType: RatingEvent['type']
  score: number
  reason: string | null
  at: string
}

export interface FormRecord {
  id: string
  kind: 'complaint' | 'suggestion'
  ticketId: string
  number: string
  /** HMAC of the verified-able phone (never the phone): the look-up key. */
  phoneMac: string | null
  category: string
  createdAt: string
}

export interface FollowUp {
  id: string
  ratingId: string
  eventType: RatingEvent['type']
  level: RatingLevel
  levelLabel: string
  reason: string | null
  regionCode: string | null
  seatGroup: string
  agentId: string | null
  hallId: string | null
  createdAt: string
  dueAt: string
  dueLabel: string
  state: 'open' | 'done'
  doneAt: string | null
  doneBy: string | null
  note: string | null
}

/** The part of a chat session a rating token is minted from (answer/session-service.ts ChatSession). */
export interface ChatSessionView {
  id: string
  channel: string
  regionCode: string | null
  turns: { id: string; role: string; ticketId?: string; citations?: { id: string }[] }[]
}

export interface FormInput {
  category: string
  regionCode: string | null
  text: string
  /** Complaints: the office or person concerned. */
  concerned?: string | undefined
  contact?: { name?: string | undefined; phone?: string | undefined } | undefined
  consent?: boolean | undefined
}

export interface FormReceipt {
  number: string
  type: 'complaint' | 'suggestion'
  dueAt: string
  dueLabel: string
  lookupEnabled: boolean
}

export interface TicketStatus {
  number: string
  type: string
  typeLabel: string
  state: string
  stateLabel: string
  createdAt: string
  dueLabel: string
  answer: string | null
  answeredAt: string | null
  /** A single-use token to rate the reply (present once the ticket is answered). */
  ratingToken: string | null
}

const COMPLAINT_CATEGORIES = ['服务态度', '服务质量', '办税效率', '廉政纪律', '系统故障', '其他'] as const
const SUGGESTION_CATEGORIES = ['办税流程', '网上服务', '政策宣传', '服务厅环境', '其他'] as const
export const FORM_CATEGORIES = { complaint: COMPLAINT_CATEGORIES, suggestion: SUGGESTION_CATEGORIES } as const

const PHONE_TOKEN_KIND = 'feedback-phone'
const PHONE_TOKEN_TTL_SECONDS = 30 * 60

function requiredText(v: unknown, what: string, max: number): string {
  const t = typeof v === 'string' ? v.trim() : ''
  if (t === '') throw new AppError('VALIDATION_FAILED', `${what} required`, { userMessage: `请填写${what}` })
  if (t.length > max)
    throw new AppError('VALIDATION_FAILED', `${what} too long`, { userMessage: `${what}不能超过 ${max} 个字` })
  return t
}

export class FeedbackService {
  constructor(
    private readonly store: Store,
    private readonly tokens: TokenSigner,
    private readonly clock: Clock,
    private readonly calendar: WorkingDayCalendar,
    private readonly regions: RegionTable,
    private readonly tickets: TicketService,
  ) {}

  private get ratings() {
    return this.store.collection<StoredRating>('feedback')
  }
  private get forms() {
    return this.store.collection<FormRecord>('feedback')
  }
  private get followups() {
    return this.store.collection<FollowUp>('followups')
  }

  /**
   * Mints the rating token of a service event. Callers: the ticket reply look-up (below), the chat answer,
   * and the booking service's check-in (`mintRatingToken({ type: 'hall-visit', ref: checkInId, hallId, … })`).
   */
  mintToken(event: RatingEvent): string {
    return mintRatingToken(
      this.tokens,
      { ...event, entryIds: [...new Set(event.entryIds)].slice(0, 20) },
      this.clock.now().getTime(),
    )
  }

  /** The overall-service token of a chat session (one overall rating per session). */
  overallToken(sessionId: string, regionCode: string | null, channel: string): string {
    const event: RatingEvent = {
      type: 'overall',
      ref: sessionId,
      channel,
      regionCode,
      agentId: null,
      seatGroup: null,
      hallId: null,
      entryIds: [],
    }
    return this.mintToken(event)
  }

  /**
   * The token of one answer in a chat session (the last answer when `turnId` is omitted): an agent's turn
   * is the reply of its ticket (the same event as the portal look-up's), a bot turn a chat answer linked to
   * the entries it cited.
   */
  async chatTurnToken(session: ChatSessionView, turnId: string | undefined): Promise<string> {
    const answers = session.turns.filter((t) => t.role === 'assistant' || t.role === 'agent')
    const turn = turnId ? answers.find((t) => t.id === turnId) : answers.at(-1)
    if (!turn) throw new AppError('NOT_FOUND', 'no such answer in this session', { userMessage: '未找到要评价的答复' })
    const base = { channel: session.channel, regionCode: session.regionCode, hallId: null }
    if (turn.role === 'agent' && turn.ticketId) {
      const t = await this.tickets.get(turn.ticketId)
      return this.mintToken({
        ...base,
        type: 'ticket-reply',
        ref: t.id,
        agentId: t.answeredBy,
        seatGroup: t.seatGroup,
        entryIds: [],
      })
    }
    const entryIds = (turn.citations ?? []).map((c) => c.id)
    return this.mintToken({
      ...base,
      type: 'chat-answer',
      ref: `${session.id}:${turn.id}`,
      agentId: null,
      seatGroup: null,
      entryIds,
    })
  }

  /**
   * The token of a hall visit, minted once the taxpayer has checked in (网上预约办税); hall staff show it as a
   * link or QR code. The staff member who checked the taxpayer in is the event's agent.
   */
  hallVisitToken(
    appointment: { id: string; hallId: string; status: string; events: { by: string; action: string }[] },
    hall: { id: string; regionCode: string },
  ): string {
    if (appointment.status !== 'checked-in' || appointment.hallId !== hall.id) {
      throw new AppError('INVALID_TRANSITION', 'not checked in', { userMessage: '签到后才能邀请纳税人评价本次办理' })
    }
    const by = appointment.events.find((e) => e.action === 'checked-in')?.by ?? null
    const event: RatingEvent = {
      type: 'hall-visit',
      ref: appointment.id,
      channel: 'hall',
      regionCode: hall.regionCode,
      agentId: by,
      seatGroup: null,
      hallId: hall.id,
      entryIds: [],
    }
    return this.mintToken(event)
  }

  /** Records one rating of the token's event; a second use of any token of that event is refused. */
  async rate(
    token: string,
    level: unknown,
    reason: unknown,
  ): Promise<{ rating: StoredRating; followUp: FollowUp | null }> {
    const now = this.clock.now()
    const event = readRatingToken(this.tokens, token, now.getTime())
    const valid = validateLevelAndReason(level, reason)
    const rating: StoredRating = {
      id: eventKey(this.tokens, event.type, event.ref),
      kind: 'rating',
      eventType: event.type,
      level: valid.level,
      score: LEVEL_SCORES[valid.level],
      reason: valid.reason,
      channel: event.channel,
      regionCode: event.regionCode,
      seatGroup: event.seatGroup,
      agentId: event.agentId,
      hallId: event.hallId,
      entryIds: event.entryIds,
      at: now.toISOString(),
    }
    try {
      await this.ratings.create(rating)
    } catch (error) {
      if (isAppError(error) && error.code === 'CONFLICT') {
        throw new AppError('ALREADY_RATED', 'event already rated')
      }
      throw error
    }
    const followUp = needsFollowUp(valid.level) ? await this.openFollowUp(rating, now) : null
    return { rating, followUp }
  }

  private async openFollowUp(r: StoredRating, now: Date): Promise<FollowUp> {
    const due = this.calendar.addWorkingDays(now, FOLLOWUP_WORKING_DAYS)
    const f: FollowUp = {
      id: `fu-${r.id}`,
      ratingId: r.id,
      eventType: r.eventType,
      level: r.level,
      levelLabel: LEVEL_LABELS[r.level],
      reason: r.reason,
      regionCode: r.regionCode,
      seatGroup: r.seatGroup ?? seatGroupFor(this.regions, r.regionCode),
      agentId: r.agentId,
      hallId: r.hallId,
      createdAt: now.toISOString(),
      dueAt: due.toISOString(),
      dueLabel: formatChinaDeadline(due),
      state: 'open',
      doneAt: null,
      doneBy: null,
      note: null,
    }
    await this.followups.create(f)
    return f
  }

  /** 回访 tasks of the seat groups the viewer sees, soonest deadline first. */
  async listFollowUps(viewer: Viewer, includeDone = false): Promise<FollowUp[]> {
    const all = await this.followups.list({
      ...(includeDone ? {} : { where: { state: 'open' } }),
      sort: { field: 'dueAt', order: 'asc' },
    })
    return all.filter((f) => canSeeSeatGroup(viewer, f.seatGroup))
  }

  async completeFollowUp(viewer: Viewer, id: string, note: string): Promise<FollowUp> {
    const text = maskPii(requiredText(note, '回访记录', 1000))
    const current = await this.followups.get(id)
    if (!current || !canSeeSeatGroup(viewer, current.seatGroup)) throw new AppError('NOT_FOUND')
    return this.followups.update(id, (f) => {
      if (f.state === 'done') throw new AppError('INVALID_TRANSITION', 'follow-up already done')
      return { ...f, state: 'done', doneAt: this.clock.now().toISOString(), doneBy: viewer.id, note: text }
    })
  }

  /** Satisfaction by one dimension over ratings since `from` (ISO, inclusive) until `to` (exclusive). */
  async metrics(
    dimension: Dimension,
    range: { from?: string | undefined; to?: string | undefined } = {},
  ): Promise<SatisfactionRow[]> {
    const r =
      range.from || range.to
        ? { range: { field: 'at', ...(range.from ? { gte: range.from } : {}), ...(range.to ? { lt: range.to } : {}) } }
        : {}
    const rows = (await this.ratings.list({ where: { kind: 'rating' }, ...r })) as StoredRating[]
    return satisfactionBy(rows, dimension)
  }

  /** 我要投诉 / 我要建议: a ticket (complaints sealed as confidential) plus the look-up record. */
  async submitForm(kind: 'complaint' | 'suggestion', input: FormInput): Promise<FormReceipt> {
    const categories = FORM_CATEGORIES[kind] as readonly string[]
    if (!categories.includes(input.category)) {
      throw new AppError('VALIDATION_FAILED', 'unknown category', {
        userMessage: `请选择类别：${categories.join('、')}`,
      })
    }
    const text = requiredText(input.text, kind === 'complaint' ? '投诉内容' : '建议内容', 2000)
    const concerned = kind === 'complaint' ? requiredText(input.concerned, '被投诉的单位或人员', 100) : null
    const phone = input.contact?.phone ? normalisePhone(input.contact.phone) : null
    const name = input.contact?.name?.trim() ? requiredText(input.contact.name, '联系人', 40) : null
    if ((phone || name) && input.consent !== true) {
      throw new AppError('VALIDATION_FAILED', 'consent required', {
        userMessage: '留下联系方式前，请勾选同意我们使用它联系您',
      })
    }
    const question = concerned
      ? `【${input.category}】被投诉对象：${concerned}\n${text}`
      : `【${input.category}】${text}`
    const contact = phone || name ? { ...(name ? { name } : {}), ...(phone ? { phone } : {}) } : null
    const created = await this.tickets.createTicket({
      type: kind,
      regionCode: input.regionCode,
      question,
      contact,
      channel: 'portal',
      by: 'portal',
    })
    const record: FormRecord = {
      id: `form-${created.id}`,
      kind,
      ticketId: created.id,
      number: created.number,
      phoneMac: phone ? this.phoneMac(phone) : null,
      category: input.category,
      createdAt: this.clock.now().toISOString(),
    }
    await this.forms.put(record)
    return {
      number: created.number,
      type: kind,
      dueAt: created.dueAt,
      dueLabel: created.dueLabel,
      lookupEnabled: phone !== null,
    }
  }

  private phoneMac(phone: string): string {
    return this.tokens.bind('feedback-phone', phone)
  }

  /** After a verified SMS code: a short-lived token standing for "holder of this phone". */
  phoneToken(verifiedPhone: string): string {
    return this.tokens.sign(
      { sub: this.phoneMac(verifiedPhone), kind: PHONE_TOKEN_KIND },
      PHONE_TOKEN_TTL_SECONDS,
      this.clock.now().getTime(),
    )
  }

  /** Status of a complaint / suggestion for the holder of the phone given with it. */
  async lookup(number: string, phoneToken: string | undefined): Promise<TicketStatus> {
    const claims = phoneToken ? this.tokens.verify(phoneToken, this.clock.now().getTime()) : null
    if (!claims || claims.kind !== PHONE_TOKEN_KIND) {
      throw new AppError('UNAUTHENTICATED', 'phone not verified', { userMessage: '请先验证手机号码' })
    }
    const records = await this.forms.list({ where: { number } })
    const record = records.find((r) => r.kind === 'complaint' || r.kind === 'suggestion')
    const same =
      record?.phoneMac &&
      record.phoneMac.length === claims.sub.length &&
      crypto.timingSafeEqual(Buffer.from(record.phoneMac), Buffer.from(claims.sub))
    // One answer for "no such number" and "not your phone": the number alone reveals nothing.
    if (!record || !same)
      throw new AppError('TICKET_NOT_FOUND', 'no ticket for this number and phone', {
        userMessage: '未找到与该手机号码匹配的工单',
      })
    const t = await this.tickets.get(record.ticketId)
    const answered = t.answer !== null && t.answeredAt !== null
    const ratingToken = answered
      ? this.mintToken({
          type: 'ticket-reply',
          ref: t.id,
          channel: t.channel,
          regionCode: t.regionCode,
          agentId: t.answeredBy,
          seatGroup: t.seatGroup,
          hallId: null,
          entryIds: [],
        })
      : null
    return {
      number: t.number,
      type: t.type,
      typeLabel: TYPE_LABELS[t.type],
      state: t.state,
      stateLabel: STATE_LABELS[t.state],
      createdAt: t.createdAt,
      dueLabel: formatChinaDeadline(new Date(t.dueAt)),
      answer: t.answer,
      answeredAt: t.answeredAt,
      ratingToken,
    }
  }
}
