/**
 * Booking start-up duties (the service itself is built in the composition root and reaches routes as the
 * `booking` decorator): load the bundled sample halls into an empty registry, and mark booked-but-absent
 * appointments as no-shows every minute (reads that depend on it also sweep first) and free claims that
 * no appointment holds (a crash between claiming a seat and writing the booking).
 */
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { type RouteServices, servicePluginName } from './services.js'

const SWEEP_MS = 60_000

export default fp(
  async function bookingPlugin(app: FastifyInstance) {
    // Decorated by the service plugins this one depends on.
    const { booking, config } = app as unknown as Pick<RouteServices, 'booking' | 'config'>
    const seeded = await booking.halls.seedIfEmpty(config.bookingHallsFile)
    if (seeded)
      app.log.info({ halls: seeded, file: config.bookingHallsFile }, 'booking: loaded the bundled halls (sample data)')
    let timer: NodeJS.Timeout | undefined
    app.addHook('onReady', async () => {
      timer = setInterval(() => {
        booking.appointments.sweepNoShows().catch((err: unknown) => app.log.error({ err }, 'no-show sweep failed'))
        booking.appointments
          .releaseOrphanClaims()
          .catch((err: unknown) => app.log.error({ err }, 'orphan claim sweep failed'))
      }, SWEEP_MS)
      timer.unref()
    })
    app.addHook('onClose', async () => clearInterval(timer))
  },
  { name: 'taxkb-booking', dependencies: [servicePluginName('booking'), servicePluginName('config')] },
)
