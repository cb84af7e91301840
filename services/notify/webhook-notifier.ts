import type { Notification, Notifier, NotifyResult } from './notifier.js'
import type { WebhookEndpoint } from './webhook-post.js'

/**
 * POSTs the notification as JSON to a gateway URL (e.g. an SMS gateway). A failed delivery is a
 * result, not an exception: the reply is already in the chat session, the ticket records the failure.
 */
export class WebhookNotifier implements Notifier {
  readonly kind = 'webhook' as const
  constructor(private readonly gateway: WebhookEndpoint) {}

  async notify(n: Notification): Promise<NotifyResult> {
    const body = { kind: n.kind, ticketId: n.ticketId, ticketNumber: n.ticketNumber, to: n.to, text: n.text, at: n.at }
    return this.gateway.post(body)
  }
}
