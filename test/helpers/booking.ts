/** Booking test helpers: a built app whose SMS go to a local gateway, and a one-call "get code + book". */
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { createContainer, type Container } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import type { Config } from '../../services/shared/config.js'
import { startSmsGateway, type SmsGateway } from './sms-gateway.js'
import { testConfig } from './env.js'

export interface BookingEnv {
  app: FastifyInstance
  ctx: Container
  sms: SmsGateway
  clock: ReturnType<typeof fixedClock>
  close(): Promise<void>
}

/** Tue 2026-12-01 09:00 China time. */
export const NOW = '2026-12-01T01:00:00Z'

export async function bookingEnv(
  overrides: Partial<Record<keyof Config, unknown>> = {},
  now = NOW,
): Promise<BookingEnv> {
  const sms = await startSmsGateway()
  const clock = fixedClock(now)
  const ctx = await createContainer(testConfig({ notifier: 'webhook', notifierWebhookUrl: sms.url, ...overrides }), {
    skipIndexSync: true,
    clock,
  })
  const app = await build(ctx.config, { container: ctx, logger: false })
  await app.ready()
  return {
    app,
    ctx,
    sms,
    clock,
    async close() {
      await app.close()
      await ctx.close()
      await sms.close()
    },
  }
}

/** Asks for a code for `phone` and returns the one the gateway received. */
export async function codeFor(env: BookingEnv, phone: string): Promise<string> {
  const res = await env.app.inject({ method: 'POST', url: '/api/booking/verification-codes', payload: { phone } })
  if (res.statusCode !== 200) throw new Error(`code request failed: ${res.body}`)
  return env.sms.lastCode(phone)
}

export interface BookInput {
  hallId: string
  slotStart: string
  businessTypes?: string[]
  taxpayerId: string
  taxpayerName?: string
  phone: string
  code: string
}

export function book(env: BookingEnv, b: BookInput) {
  return env.app.inject({
    method: 'POST',
    url: '/api/booking/appointments',
    payload: { businessTypes: ['filing'], taxpayerName: '南京示例商贸有限公司', ...b },
  })
}

/** A valid-looking 18-character USCC-shaped id, distinct per n. */
export const taxpayerIdOf = (n: number): string => `91320100MA${String(n).padStart(7, '0')}X`
export const phoneOf = (n: number): string => `139${String(n).padStart(8, '0')}`
