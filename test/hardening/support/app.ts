/** One app over the fixture corpus per test file, built before the tests and closed after them. */
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll } from 'vitest'
import { build } from '../../../services/api/app.js'
import type { Container } from '../../../services/container.js'
import type { Config } from '../../../services/shared/config.js'
import { containerWithCorpus } from '../../helpers/env.js'

/** Registers the hooks; `ready` receives the container and app (and may seed data) before any test. */
export function useApp(
  ready: (ctx: Container, app: FastifyInstance) => void | Promise<void>,
  overrides: Partial<Record<keyof Config, unknown>> = {},
  now = '2026-11-25T02:00:00Z',
): void {
  let ctx: Container | undefined
  let app: FastifyInstance | undefined
  beforeAll(async () => {
    ctx = await containerWithCorpus(undefined, overrides, now)
    app = await build(ctx.config, { container: ctx, logger: false })
    await ready(ctx, app)
  })
  afterAll(async () => {
    await app?.close()
    await ctx?.close()
  })
}
