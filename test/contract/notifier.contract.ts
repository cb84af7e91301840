/**
 * The Notifier contract: every implementation (log, webhook) passes these unchanged. `open()` gives the
 * notifier and what left the process through it (log lines for `log`, request bodies for `webhook`).
 */
import { describe, expect, it } from 'vitest'
import type { Notification, Notifier } from '../../services/notify/notifier.js'

const PHONE = '13812345678'

export function notification(over: Partial<Notification> = {}): Notification {
  return {
    kind: 'reply',
    ticketId: 't-1',
    ticketNumber: '12366-20261125-0001',
    sessionId: 'sess-1',
    to: { name: '张三', phone: PHONE },
    text: `${PHONE} 您好，您咨询的问题已答复：小规模纳税人季度销售额30万元以下免征增值税。`,
    at: '2026-11-25T02:00:00.000Z',
    ...over,
  }
}

export interface NotifierHarness {
  notifier: Notifier
  /** Everything that left the process through the notifier so far, as text. */
  sent(): string[]
  /** Whether the channel is a delivery channel that must carry the contact (an SMS gateway) or not (a log). */
  carriesContact: boolean
  /** Makes the channel fail for the next notification (gateway down); undefined when it cannot fail. */
  failNext?: () => void
}

export function notifierContract(name: string, open: () => Promise<NotifierHarness>): void {
  describe(`Notifier contract: ${name}`, () => {
    it('delivers one message per notification, naming the ticket, and reports ok with its channel', async () => {
      const h = await open()
      const r = await h.notifier.notify(notification())
      expect(r).toMatchObject({ ok: true, channel: expect.any(String) })
      expect(h.sent()).toHaveLength(1)
      expect(h.sent()[0]).toContain('12366-20261125-0001')
    })

    it('carries the contact only where it is needed to deliver; a log never shows the number', async () => {
      const h = await open()
      await h.notifier.notify(notification())
      const out = h.sent().join('\n')
      if (h.carriesContact) expect(out).toContain(PHONE)
      else expect(out).not.toContain(PHONE)
    })

    it('handles a taxpayer who left no contact', async () => {
      const h = await open()
      const r = await h.notifier.notify(notification({ to: null, text: '您的工单已延期答复。', kind: 'extension' }))
      expect(typeof r.ok).toBe('boolean')
      expect(r.channel).toEqual(expect.any(String))
    })

    it('reports a failed delivery as a result, never by throwing', async () => {
      const h = await open()
      if (!h.failNext) return
      h.failNext()
      const r = await h.notifier.notify(notification())
      expect(r.ok).toBe(false)
      expect(r.detail).toEqual(expect.any(String))
    })
  })
}
