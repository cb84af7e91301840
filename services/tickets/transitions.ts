/**
 * The ticket state machine as data: which action is allowed in which state and where it leads.
 * Pure, so illegal transitions are unit-tested without a store; the service only asks `nextState`.
 */
import { AppError } from '../shared/errors.js'

// The states live with the machine that moves between them (ticket-service.ts re-exports them).
export const TICKET_STATES = ['new', 'assigned', 'answered', 'closed', 'transferred', 'extended', 'reopened'] as const
export type TicketState = (typeof TICKET_STATES)[number]

export const TICKET_ACTIONS = [
  'claim',
  'reply',
  'transfer',
  'escalate',
  'extend',
  'close',
  'redirect',
  'reopen',
] as const
export type TicketAction = (typeof TICKET_ACTIONS)[number]

const OPEN: readonly TicketState[] = ['new', 'assigned', 'transferred', 'extended', 'reopened']

/** action → states it may start from, and the resulting state. */
export const TRANSITIONS: Readonly<Record<TicketAction, { from: readonly TicketState[]; to: TicketState }>> = {
  claim: { from: ['new', 'transferred', 'reopened'], to: 'assigned' },
  reply: { from: ['assigned', 'extended', 'reopened'], to: 'answered' },
  transfer: { from: OPEN, to: 'transferred' },
  escalate: { from: OPEN, to: 'transferred' },
  // One extension per ticket (延期答复只能申请一次): extended → extended is illegal.
  extend: { from: ['assigned', 'reopened'], to: 'extended' },
  close: { from: ['answered'], to: 'closed' },
  // A ticket that belongs to another region is closed with a note telling the taxpayer where to go.
  redirect: { from: OPEN, to: 'closed' },
  reopen: { from: ['answered', 'closed'], to: 'reopened' },
}

export const STATE_LABELS: Readonly<Record<TicketState, string>> = {
  new: '待受理',
  assigned: '处理中',
  answered: '已答复',
  closed: '已办结',
  transferred: '已转派',
  extended: '已延期',
  reopened: '重新打开',
}

export const ACTION_LABELS: Readonly<Record<TicketAction, string>> = {
  claim: '受理',
  reply: '答复',
  transfer: '转派',
  escalate: '升级到省级中心',
  extend: '延期',
  close: '办结',
  redirect: '转其他地区并办结',
  reopen: '重新打开',
}

export function canTransition(state: TicketState, action: TicketAction): boolean {
  return TRANSITIONS[action].from.includes(state)
}

/** The state after `action`, or AppError INVALID_TRANSITION (409) with a Chinese message. */
export function nextState(state: TicketState, action: TicketAction): TicketState {
  const rule = TRANSITIONS[action]
  if (!rule.from.includes(state)) {
    throw new AppError(
      'INVALID_TRANSITION',
      `工单当前状态为「${STATE_LABELS[state]}」，不能执行「${ACTION_LABELS[action]}」操作`,
      {
        details: { state, action, allowedFrom: rule.from },
      },
    )
  }
  return rule.to
}
