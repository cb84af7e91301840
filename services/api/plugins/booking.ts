/**
 * Wires the booking service (网上预约办税) into the app as the typed decorator `booking`, separate from the
 * container so the composition-root refactor can adopt it as is: the calendar is read through a getter
 * (PUT /api/admin/calendar replaces it), the bundled sample halls are loaded into an empty registry, and
 * booked-but-absent appointments are marked no-shows every minute (and on every read that depends on it).
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { resolveSecret } from '../../auth/secret.js'
import { BookingService } from '../../booking/booking-service.js'
import { createSmsSender } from '../../notify/create-notifier.js'
import type { SmsSender } from '../../notify/sms-sender.js'
import { ContactCipher, resolveEncryptionKey } from '../../tickets/contact-cipher.js'

declare module 'fastify' {
  interface FastifyInstance {
    booking: BookingService
  }
}

export interface BookingPluginOptions {
  /** Tests pass their own sender; otherwise it follows TAXKB_NOTIFIER. */
  sms?: SmsSender
}

const SWEEP_MS = 60_000

export default fp(
  async function bookingPlugin(app: FastifyInstance, opts: BookingPluginOptions) {
    const { config } = app.ctx
    const cipher = new ContactCipher(resolveEncryptionKey(config.encryptionKey, config.dataDir))
    const booking = new BookingService({
      store: app.ctx.store,
      regions: app.ctx.regions,
      calendar: () => app.ctx.calendar,
      clock: app.ctx.clock,
      sms: opts.sms ?? createSmsSender(config),
      sealer: { seal: (c) => cipher.seal(c), open: (s) => cipher.open(s) },
      secret: resolveSecret(config.sessionSecret, config.dataDir),
      businessTypesFile: config.bookingBusinessTypesFile,
      signature: config.smsSignature,
      queueStaleSeconds: config.bookingQueueStaleSeconds,
    })
    app.decorate('booking', booking)
    const seeded = await booking.halls.seedIfEmpty(config.bookingHallsFile)
    if (seeded) app.log.info({ halls: seeded, file: config.bookingHallsFile }, 'booking: loaded the bundled halls (sample data)')
    let timer: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        booking.appointments.sweepNoShows().catch((err: unknown) => app.log.error({ err }, 'no-show sweep failed'))
      }, SWEEP_MS)
      timer.unref()
    })
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'taxkb-booking' },
)
