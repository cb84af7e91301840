import pino from 'pino'
import type { Config } from '../shared/config.js'
import { loggerOptions } from '../shared/logger.js'
import { LogNotifier } from './log-notifier.js'
import type { Notifier } from './notifier.js'
import { WebhookNotifier } from './webhook-notifier.js'
import { LogSmsSender, WebhookSmsSender, type SmsSender } from './sms-sender.js'

/** The one place that picks the Notifier implementation from config. */
export function createNotifier(config: Config): Notifier {
  if (config.notifier === 'webhook') {
    if (!config.notifierWebhookUrl) throw new Error('TAXKB_NOTIFIER_WEBHOOK_URL is required when TAXKB_NOTIFIER=webhook')
    return new WebhookNotifier(config.notifierWebhookUrl)
  }
  return new LogNotifier(pino(loggerOptions(config.logLevel)))
}

/** SMS for bookings goes through the same gateway choice as the notifier (TAXKB_NOTIFIER). */
export function createSmsSender(config: Config): SmsSender {
  if (config.notifier === 'webhook') {
    if (!config.notifierWebhookUrl) throw new Error('TAXKB_NOTIFIER_WEBHOOK_URL is required when TAXKB_NOTIFIER=webhook')
    return new WebhookSmsSender(config.notifierWebhookUrl)
  }
  return new LogSmsSender(pino(loggerOptions(config.logLevel)))
}
