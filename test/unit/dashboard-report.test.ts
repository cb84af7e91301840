/** On-time arithmetic of the dashboard: what counts as done for each ticket kind. */
import { describe, expect, it } from 'vitest'
import { handledAt, onTimeOutcome, slaKindOf } from '../../services/ops/dashboard-report.js'
import type { Ticket } from '../../services/tickets/ticket-service.js'

const due = '2026-11-05T09:30:00.000Z'
const now = new Date('2026-11-09T02:00:00Z')
const t = (over: Partial<Ticket>): Ticket =>
  ({
    type: 'consult',
    difficulty: 'general',
    state: 'assigned',
    dueAt: due,
    answeredAt: null,
    closedAt: null,
    events: [],
    ...over,
  }) as Ticket

describe('dashboard on-time outcome', () => {
  it('a complaint is on time when transferred by the deadline, even if answered later', () => {
    const c = t({
      type: 'complaint',
      answeredAt: '2026-11-06T02:00:00.000Z',
      events: [{ at: '2026-11-05T02:00:00.000Z', by: 'a', action: 'transfer' }],
    })
    expect(handledAt(c)).toBe('2026-11-05T02:00:00.000Z')
    expect(onTimeOutcome(c, now)).toBe(true)
  })

  it('a consult is judged by its answer only: a transfer does not stop the clock', () => {
    const c = t({ events: [{ at: '2026-11-05T02:00:00.000Z', by: 'a', action: 'transfer' }] })
    expect(handledAt(c)).toBeNull()
    expect(onTimeOutcome(c, now)).toBe(false)
    expect(onTimeOutcome(c, new Date('2026-11-05T03:00:00Z'))).toBeNull()
  })

  it('difficult consults have their own kind', () => {
    expect(slaKindOf(t({ difficulty: 'difficult' }))).toBe('consult-difficult')
    expect(slaKindOf(t({ type: 'report' }))).toBe('report')
  })
})
