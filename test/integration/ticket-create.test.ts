import { describe, expect, it } from 'vitest'
import { containerWithCorpus } from '../helpers/env.js'

describe('TicketService.createTicket', () => {
  it('numbers tickets per China day, routes to the region seat group, masks PII and computes the SLA deadline', async () => {
    // Wednesday 2026-11-25 10:00 China time (02:00 UTC)
    const ctx = await containerWithCorpus(undefined, {}, '2026-11-25T02:00:00Z')
    const a = await ctx.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: '我的手机13812345678，身份证320102199001011234，请回电',
    })
    const b = await ctx.tickets.createTicket({
      type: 'report',
      regionCode: '320000',
      question: '举报某公司虚开发票',
      contact: { phone: '13900001111' },
    })
    expect(a.number).toBe('12366-20261125-0001')
    expect(b.number).toBe('12366-20261125-0002')
    expect(a.seatGroup).toBe('320100-remote')
    expect(b.seatGroup).toBe('320000-center')
    // 1 working day: end of Thursday 2026-11-26, 17:30 China time = 09:30 UTC
    expect(a.dueAt).toBe('2026-11-26T09:30:00.000Z')
    expect(a.dueLabel).toContain('2026年11月26日')
    expect(a.humansAvailableNow).toBe(true)
    const stored = await ctx.tickets.get(a.id)
    expect(stored.question).not.toContain('13812345678')
    expect(stored.question).not.toContain('320102199001011234')
    expect((await ctx.tickets.get(b.id)).confidential).toBe(true)
    await expect(ctx.tickets.get('nope')).rejects.toMatchObject({ code: 'TICKET_NOT_FOUND' })
    await ctx.close()
  })
})
