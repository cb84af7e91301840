import pino from 'pino'
import type { Config } from '../shared/config.js'
import { loggerOptions } from '../shared/logger.js'
import { LogNotifier } from './log-notifier.js'
import type { Notifier } from './notifier.js'
import { WebhookNotifier } from './webhook-notifier.js'

/** The one place that picks the Notifier implementation from config. */
export function createNotifier(config: Config): Notifier {
  if (config.notifier === 'webhook') {
    if (!config.notifierWebhookUrl) throw new Error('TAXKB_NOTIFIER_WEBHOOK_URL is required when TAXKB_NOTIFIER=webhook')
    return new WebhookNotifier(config.notifierWebhookUrl)
  }
  return new LogNotifier(pino(loggerOptions(config.logLevel)))
}
