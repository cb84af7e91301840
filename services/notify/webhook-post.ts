import type { NotifyResult } from './notifier.js'

/**
 * The gateway both webhook senders (ticket notices, booking SMS) deliver to: the URL is checked once when
 * it is built, so a typo fails at start-up rather than on first delivery; every POST has the same timeout.
 */
export class WebhookEndpoint {
  constructor(
    readonly url: string,
    readonly timeoutMs = 5000,
  ) {
    if (!/^https?:\/\//.test(url)) throw new Error('TAXKB_NOTIFIER_WEBHOOK_URL must be an http(s) URL')
  }

  post(body: unknown): Promise<NotifyResult> {
    return postWebhook(this.url, body, this.timeoutMs)
  }
}

/**
 * POSTs one JSON message to the gateway. A failed delivery is a result, not an exception: callers record it
 * (the ticket's notice, the appointment's events) and carry on.
 */
export async function postWebhook(url: string, body: unknown, timeoutMs: number): Promise<NotifyResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    })
    await res.arrayBuffer().catch(() => undefined)
    return res.ok ? { ok: true, channel: 'webhook' } : { ok: false, channel: 'webhook', detail: `HTTP ${res.status}` }
  } catch (error) {
    return {
      ok: false,
      channel: 'webhook',
      detail: (error as Error).name === 'TimeoutError' ? 'timeout' : (error as Error).message,
    }
  }
}
