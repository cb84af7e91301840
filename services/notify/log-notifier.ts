import type { Logger } from 'pino'
import { maskPii } from '../shared/mask.js'
import type { Notification, Notifier, NotifyResult } from './notifier.js'

/** Default notifier: one structured log line; never the contact itself, only whether there is one. */
export class LogNotifier implements Notifier {
  readonly kind = 'log' as const
  constructor(private readonly logger: Pick<Logger, 'info'>) {}

  async notify(n: Notification): Promise<NotifyResult> {
    this.logger.info(
      {
        notification: {
          kind: n.kind,
          ticketNumber: n.ticketNumber,
          hasContact: n.to !== null,
          chars: n.text.length,
          preview: maskPii(n.text.slice(0, 40)),
        },
      },
      'taxpayer notification',
    )
    return { ok: true, channel: 'log' }
  }
}
