import type { Notification, Notifier, NotifyResult } from './notifier.js'

/**
 * POSTs the notification as JSON to a gateway URL (e.g. an SMS gateway). A failed delivery is a
 * result, not an exception: the reply is already in the chat session, the ticket records the failure.
 */
export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook' as const
  constructor(
    private readonly url: string,
    private readonly timeoutMs = 5000,
  ) {
    if (!/^https?:\/\//.test(url)) throw new Error('TAXKB_NOTIFIER_WEBHOOK_URL must be an http(s) URL')
  }

  async notify(n: Notification): Promise<NotifyResult> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ kind: n.kind, ticketId: n.ticketId, ticketNumber: n.ticketNumber, to: n.to, text: n.text, at: n.at }),
        signal: AbortSignal.timeout(this.timeoutMs),
      })
      await res.arrayBuffer().catch(() => undefined)
      return res.ok ? { ok: true, channel: 'webhook' } : { ok: false, channel: 'webhook', detail: `HTTP ${res.status}` }
    } catch (error) {
      return { ok: false, channel: 'webhook', detail: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message }
    }
  }
}
