/**
 * Ticket history lines for people (issue 20 item 11): Chinese event names, 「系统」 instead of the internal actor
 * id `system`, the agent's own name instead of their login, and the notification note
 * (`reply: 已推送至会话；log 已发送`, written by services/tickets/ticket-service.ts) as a sentence. Pure.
 */
const ACTION: Record<string, string> = {
  created: '创建工单',
  claim: '受理',
  reply: '答复',
  transfer: '转派',
  escalate: '升级',
  extend: '延期',
  close: '办结',
  redirect: '转办',
  reopen: '重新打开',
  difficulty: '设置难度',
  notified: '通知纳税人',
  promoted: '沉淀为知识草稿',
}
const NOTICE_KIND: Record<string, string> = { reply: '答复', extension: '延期告知', redirect: '转办告知' }
const CHANNEL: Record<string, string> = { log: '通知记录', webhook: '外部通知渠道', sms: '短信' }

export interface TicketEvent {
  action: string
  by: string
  note?: string
}

export function actorName(by: string, me: { id: string; name: string } | null): string {
  if (by === 'system') return '系统'
  if (me && by === me.id) return me.name
  return by
}

/** `reply: 已推送至会话；log 已发送` → `答复：已推送至会话；通知记录已发送`. Other notes are shown as they are. */
export function noticeText(note: string): string {
  const m = /^(\w+): (.*?)；(\w+) (.*)$/.exec(note)
  if (!m) return note
  const [, kind = '', chat = '', channel = '', result = ''] = m
  return `${NOTICE_KIND[kind] ?? kind}：${chat}；${CHANNEL[channel] ?? channel}${result}`
}

export function eventText(e: TicketEvent, me: { id: string; name: string } | null): string {
  const note = e.note ? `：${e.action === 'notified' ? noticeText(e.note) : e.note}` : ''
  return `${actorName(e.by, me)} ${ACTION[e.action] ?? e.action}${note}`
}
