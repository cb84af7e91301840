import { describe, expect, it } from 'vitest'
import { canTransition, nextState, TICKET_ACTIONS, TRANSITIONS } from '../../services/tickets/transitions.js'
import { TICKET_STATES } from '../../services/tickets/ticket-service.js'
import { canSeeSeatGroup, isValidSeatGroup, visibleSeatGroups, type Viewer } from '../../services/tickets/routing.js'
import { ContactCipher } from '../../services/tickets/contact-cipher.js'
import crypto from 'node:crypto'

describe('ticket state machine', () => {
  it('follows new → assigned → answered → closed, with transfer, extension and reopening', () => {
    let s = nextState('new', 'claim')
    expect(s).toBe('assigned')
    s = nextState(s, 'extend')
    expect(s).toBe('extended')
    s = nextState(s, 'reply')
    expect(s).toBe('answered')
    s = nextState(s, 'close')
    expect(s).toBe('closed')
    s = nextState(s, 'reopen')
    expect(s).toBe('reopened')
    expect(nextState('assigned', 'transfer')).toBe('transferred')
    expect(nextState('transferred', 'claim')).toBe('assigned')
    expect(nextState('new', 'redirect')).toBe('closed')
  })

  it('rejects illegal transitions with INVALID_TRANSITION (409) and a Chinese message', () => {
    const cases: [(typeof TICKET_STATES)[number], (typeof TICKET_ACTIONS)[number]][] = [
      ['new', 'reply'], // must be claimed first
      ['new', 'close'],
      ['closed', 'reply'],
      ['closed', 'claim'],
      ['answered', 'extend'],
      ['extended', 'extend'], // one extension only
      ['closed', 'transfer'],
      ['assigned', 'reopen'],
    ]
    for (const [state, action] of cases) {
      expect(canTransition(state, action)).toBe(false)
      try {
        nextState(state, action)
        expect.unreachable(`${state} → ${action} should fail`)
      } catch (error) {
        expect(error).toMatchObject({ code: 'INVALID_TRANSITION', status: 409 })
        expect((error as { userMessage: string }).userMessage).toMatch(/^工单当前状态为「.+」，不能执行「.+」操作$/)
      }
    }
  })

  it('every action has at least one source state and every target is a known state', () => {
    for (const a of TICKET_ACTIONS) {
      expect(TRANSITIONS[a].from.length).toBeGreaterThan(0)
      expect(TICKET_STATES).toContain(TRANSITIONS[a].to)
    }
  })
})

describe('seat-group visibility', () => {
  const v = (seatGroup: string | null, regionCode: string | null, perms: string[] = ['tickets:work']): Viewer => ({
    id: 'x',
    seatGroup,
    regionCode,
    permissions: new Set(perms),
  })
  it('a remote seat sees only its own group', () => {
    const nj = v('320100-remote', '320100')
    expect(canSeeSeatGroup(nj, '320100-remote')).toBe(true)
    expect(canSeeSeatGroup(nj, '320500-remote')).toBe(false)
    expect(canSeeSeatGroup(nj, '320000-center')).toBe(false)
  })
  it('a provincial-centre seat and a supervisor see every group of their province, not others', () => {
    for (const viewer of [
      v('320000-center', '320000'),
      v('320100-remote', '320100', ['tickets:work', 'tickets:supervise']),
    ]) {
      expect(canSeeSeatGroup(viewer, '320500-remote')).toBe(true)
      expect(canSeeSeatGroup(viewer, '320000-center')).toBe(true)
      expect(canSeeSeatGroup(viewer, '330100-remote')).toBe(false)
      expect(canSeeSeatGroup(viewer, 'national')).toBe(false)
    }
  })
  it('a national supervisor sees everything', () => {
    expect(visibleSeatGroups(v(null, null, ['tickets:supervise']))).toEqual({ all: true })
  })
})

describe('ContactCipher (AES-256-GCM)', () => {
  it('round-trips, never contains the clear text, and rejects tampering and the wrong key', () => {
    const c = new ContactCipher(crypto.randomBytes(32))
    const sealed = c.seal({ name: '张三', phone: '13900001111' })!
    expect(sealed).not.toContain('13900001111')
    expect(Buffer.from(sealed, 'utf8').toString()).not.toContain('张三')
    expect(c.open(sealed)).toEqual({ name: '张三', phone: '13900001111' })
    const parts = sealed.split('.')
    const body = Buffer.from(parts[3]!, 'base64url')
    body[0] = body[0]! ^ 1
    expect(() => c.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'))).toThrow()
    expect(() => new ContactCipher(crypto.randomBytes(32)).open(sealed)).toThrow()
    expect(c.seal(null)).toBeNull()
    expect(c.seal({})).toBeNull()
  })
})

describe('isValidSeatGroup', () => {
  it('needs a real province for -center and a real city for -remote', async () => {
    const { RegionTable } = await import('../../knowledge/regions.js')
    const { REPO_ROOT } = await import('../../services/shared/config.js')
    const regions = RegionTable.load(`${REPO_ROOT}/knowledge/regions/regions.json`)
    expect(isValidSeatGroup(regions, '320000-center')).toBe(true)
    expect(isValidSeatGroup(regions, '320100-remote')).toBe(true)
    expect(isValidSeatGroup(regions, '320100-center')).toBe(false)
    expect(isValidSeatGroup(regions, '999900-remote')).toBe(false)
    expect(isValidSeatGroup(regions, 'national')).toBe(true)
  })
})
