import pino from 'pino'
import type { Config } from '../shared/config.js'
import { loggerOptions } from '../shared/logger.js'
import { LogNotifier } from './log-notifier.js'
import type { Notifier } from './notifier.js'
import { WebhookNotifier } from './webhook-notifier.js'
import { WebhookEndpoint } from './webhook-post.js'
import { LogSmsSender, WebhookSmsSender, type SmsSender } from './sms-sender.js'

/** The webhook gateway when TAXKB_NOTIFIER=webhook (ticket notices and booking SMS share it), else null. */
function webhookGateway(config: Config): WebhookEndpoint | null {
  if (config.notifier !== 'webhook') return null
  if (!config.notifierWebhookUrl) throw new Error('TAXKB_NOTIFIER_WEBHOOK_URL is required when TAXKB_NOTIFIER=webhook')
  return new WebhookEndpoint(config.notifierWebhookUrl)
}

/** The one place that picks the Notifier implementation from config. */
export function createNotifier(config: Config): Notifier {
  const gateway = webhookGateway(config)
  return gateway ? new WebhookNotifier(gateway) : new LogNotifier(pino(loggerOptions(config.logLevel)))
}

/** SMS for bookings goes through the same gateway choice as the notifier (TAXKB_NOTIFIER). */
export function createSmsSender(config: Config): SmsSender {
  const gateway = webhookGateway(config)
  return gateway ? new WebhookSmsSender(gateway) : new LogSmsSender(pino(loggerOptions(config.logLevel)))
}
