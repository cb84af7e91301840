/**
 * A service event a taxpayer may rate once (a chat answer, a ticket reply, a hall visit, or the overall
 * service of a session), and its single-use rating token: an HMAC-signed claim set naming the event and
 * what it involved. The token proves the event happened; the store's insert-if-absent `create()` on the
 * event's key makes it single-use (see FeedbackService.rate).
 */
import crypto from 'node:crypto'
import type { TokenSigner } from '../auth/tokens.js'
import { AppError } from '../shared/errors.js'

export const EVENT_TYPES = ['chat-answer', 'ticket-reply', 'hall-visit', 'overall'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export const EVENT_LABELS: Readonly<Record<EventType, string>> = {
  'chat-answer': '智能咨询答复',
  'ticket-reply': '人工答复',
  'hall-visit': '办税服务厅办理',
  overall: '整体服务',
}

export interface RatingEvent {
  type: EventType
  /** Id of the event within its type (ledger row, ticket id, check-in id, session id). Never stored. */
  ref: string
  channel: string
  regionCode: string | null
  agentId: string | null
  seatGroup: string | null
  hallId: string | null
  entryIds: string[]
}

const TOKEN_KIND = 'rating-event'
/** A taxpayer may rate within 30 days of the event. */
export const RATING_TOKEN_TTL_SECONDS = 30 * 24 * 3600

/** Stable, non-reversible key of an event: the rating's document id (so two ratings of one event collide). */
export function eventKey(tokens: Pick<TokenSigner, 'bind'>, type: EventType, ref: string): string {
  return `rating-${crypto
    .createHash('sha256')
    .update(tokens.bind('rating-event', `${type}\u0000${ref}`))
    .digest('hex')
    .slice(0, 40)}`
}

export function mintRatingToken(tokens: Pick<TokenSigner, 'sign'>, event: RatingEvent, nowMs: number): string {
  return tokens.sign(
    { sub: `${event.type}:${event.ref}`, kind: TOKEN_KIND, ev: event },
    RATING_TOKEN_TTL_SECONDS,
    nowMs,
  )
}

export function readRatingToken(tokens: Pick<TokenSigner, 'verify'>, token: string, nowMs: number): RatingEvent {
  const claims = tokens.verify(token, nowMs)
  const ev = claims?.ev as RatingEvent | undefined
  if (!claims || claims.kind !== TOKEN_KIND || !ev || !(EVENT_TYPES as readonly string[]).includes(ev.type)) {
    throw new AppError('VALIDATION_FAILED', 'invalid rating token', { userMessage: '评价链接无效或已过期' })
  }
  return ev
}
