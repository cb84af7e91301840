/**
 * Ticket workflow on a real container: working-day deadline arithmetic through the service
 * (Friday 18:00, 国庆, 调休 Saturday, difficulty change, extension), overdue at read time, events.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Container } from '../../services/container.js'
import type { Viewer } from '../../services/tickets/routing.js'
import { containerWithCorpus } from '../helpers/env.js'

const cn = (local: string): Date => new Date(`${local}:00+08:00`)
const agent: Viewer & { name: string } = {
  id: 'nj1',
  name: '南京坐席1',
  regionCode: '320100',
  seatGroup: '320100-remote',
  permissions: new Set(['tickets:work']),
}

let ctx: Container
let clock: { set(at: Date | string): void }
beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, {}, '2025-11-14T10:00:00Z')
  clock = ctx.clock as unknown as { set(at: Date | string): void }
})
afterAll(async () => ctx.close())

describe('ticket deadlines on the working-day calendar', () => {
  it('created Friday 18:00: accepted Monday, general due Tuesday 17:30; difficult recomputes to Thursday', async () => {
    clock.set(cn('2025-11-14T18:00'))
    const t = await ctx.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: '个税专项附加扣除怎么填',
    })
    expect(new Date(t.dueAt)).toEqual(cn('2025-11-18T17:30'))
    expect(t.humansAvailableNow).toBe(false)
    expect(t.dueLabel).toBe('2025年11月18日（星期二）17:30')
    clock.set(cn('2025-11-17T09:30'))
    await ctx.tickets.claim(agent, t.id)
    const v = await ctx.tickets.setDifficulty(agent, t.id, 'difficult')
    expect(new Date(v.dueAt)).toEqual(cn('2025-11-20T17:30'))
    const back = await ctx.tickets.setDifficulty(agent, t.id, 'general')
    expect(new Date(back.dueAt)).toEqual(cn('2025-11-18T17:30'))
    expect(back.events.map((e) => e.action)).toEqual(['created', 'claim', 'difficulty', 'difficulty'])
    expect(back.events[1]).toMatchObject({ by: 'nj1', at: cn('2025-11-17T09:30').toISOString() })
  })

  it('国庆 2025: created Sep 30 10:00 → due Oct 9; extension of 2 working days lands on the 调休 Saturday Oct 11', async () => {
    clock.set(cn('2025-09-30T10:00'))
    const t = await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '国庆期间申报期限' })
    expect(new Date(t.dueAt)).toEqual(cn('2025-10-09T17:30'))
    clock.set(cn('2025-10-09T10:00'))
    await ctx.tickets.claim(agent, t.id)
    const v = await ctx.tickets.extend(agent, t.id, { days: 2, reason: '需要向政策法规部门确认' })
    expect(new Date(v.dueAt)).toEqual(cn('2025-10-11T17:30'))
    expect(v.state).toBe('extended')
    expect(v.extension).toMatchObject({ days: 2, reason: '需要向政策法规部门确认', by: 'nj1' })
    // The notice to the taxpayer is recorded in the ticket with the new deadline.
    expect(v.notices).toHaveLength(1)
    expect(v.notices[0]!.kind).toBe('extension')
    expect(v.notices[0]!.text).toContain('2025年10月11日（星期六）17:30')
    // A difficulty change keeps the granted extension: 3 working days from Sep 30 = Oct 11 (调休), +2 = Oct 14.
    const d = await ctx.tickets.setDifficulty(agent, t.id, 'difficult')
    expect(new Date(d.dueAt)).toEqual(cn('2025-10-14T17:30'))
  })

  it('created on the 调休 Saturday Oct 11 (a working day): due Monday Oct 13', async () => {
    clock.set(cn('2025-10-11T10:00'))
    const t = await ctx.tickets.createTicket({
      type: 'complaint',
      regionCode: '320000',
      question: '投诉办税服务厅态度',
    })
    expect(new Date(t.dueAt)).toEqual(cn('2025-10-13T17:30'))
    expect(t.humansAvailableNow).toBe(true)
  })

  it('overdue is computed at read time; a late answer stays overdue, an on-time one does not', async () => {
    clock.set(cn('2025-11-19T10:00'))
    const late = await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '迟答的问题' })
    const ontime = await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '按时答的问题' })
    await ctx.tickets.claim(agent, ontime.id)
    await ctx.tickets.reply(agent, ontime.id, '按时答复')
    expect((await ctx.tickets.view(agent, late.id)).overdue).toBe(false)
    clock.set(cn('2025-11-20T17:31'))
    expect((await ctx.tickets.view(agent, late.id)).overdue).toBe(true)
    expect((await ctx.tickets.view(agent, ontime.id)).overdue).toBe(false)
    await ctx.tickets.claim(agent, late.id)
    const answered = await ctx.tickets.reply(agent, late.id, '晚了一分钟的答复')
    expect(answered.overdue).toBe(true)
    const queue = await ctx.tickets.list(agent)
    const dues = queue.map((q) => q.dueAt)
    expect([...dues].sort()).toEqual(dues)
  })

  it('rejects illegal steps with a Chinese message and records nothing', async () => {
    clock.set(cn('2025-11-19T10:00'))
    const t = await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '非法流转' })
    await expect(ctx.tickets.reply(agent, t.id, '未受理就答复')).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
      userMessage: '工单当前状态为「待受理」，不能执行「答复」操作',
    })
    await ctx.tickets.claim(agent, t.id)
    await ctx.tickets.extend(agent, t.id, { days: 1, reason: '等待材料' })
    await expect(ctx.tickets.extend(agent, t.id, { days: 1, reason: '再等' })).rejects.toMatchObject({
      code: 'INVALID_TRANSITION',
    })
    await expect(ctx.tickets.extend(agent, t.id, { days: 1, reason: '  ' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    await expect(ctx.tickets.close(agent, t.id)).rejects.toMatchObject({ code: 'INVALID_TRANSITION' })
    const other = { ...agent, id: 'nj2' }
    await expect(ctx.tickets.reply(other, t.id, '别人的工单')).rejects.toMatchObject({ code: 'FORBIDDEN' })
    const v = await ctx.tickets.view(agent, t.id)
    expect(v.events.map((e) => e.action)).toEqual(['created', 'claim', 'extend', 'notified'])
  })
})
