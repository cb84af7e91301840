/**
 * SMS port for messages that are not about a ticket (booking verification codes and confirmations).
 * Implementations: `log` (masked log line, the default) and `webhook` (POST JSON to the SMS gateway at
 * TAXKB_NOTIFIER_WEBHOOK_URL, the same gateway the webhook notifier uses), picked in create-notifier.ts.
 *
 * Wire format of the webhook: `{ "kind": "sms", "to": { "phone": "138…" }, "template": "booking-confirmed",
 * "params": { … }, "text": "【江苏税务】…", "at": "ISO instant" }`; any 2xx is delivery accepted.
 */
import type { Logger } from 'pino'
import { maskPii } from '../shared/mask.js'
import type { NotifyResult } from './notifier.js'
import type { WebhookEndpoint } from './webhook-post.js'

export interface SmsMessage {
  /** Mainland mobile number, 11 digits. */
  to: string
  /** Template id (see services/booking/booking-messages.ts), so a gateway can map to its registered templates. */
  template: string
  params: Record<string, string>
  /** The rendered text, signature included. */
  text: string
  at: string
}

export interface SmsSender {
  readonly kind: 'log' | 'webhook'
  send(message: SmsMessage): Promise<NotifyResult>
}

export class LogSmsSender implements SmsSender {
  readonly kind = 'log' as const
  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  async send(m: SmsMessage): Promise<NotifyResult> {
    this.logger.info({ sms: { template: m.template, to: maskPii(m.to), chars: m.text.length } }, 'sms (log only)')
    return { ok: true, channel: 'log' }
  }
}

export class WebhookSmsSender implements SmsSender {
  readonly kind = 'webhook' as const
  constructor(private readonly gateway: WebhookEndpoint) {}

  async send(m: SmsMessage): Promise<NotifyResult> {
    const body = { kind: 'sms', to: { phone: m.to }, template: m.template, params: m.params, text: m.text, at: m.at }
    return this.gateway.post(body)
  }
}
