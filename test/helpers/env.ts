/** Test helpers: temporary data directories and a container over a corpus directory. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'
import { afterAll, beforeAll, expect } from 'vitest'
import { build } from '../../services/api/app.js'
import { createContainer, type Container } from '../../services/container.js'
import { REPO_ROOT, loadConfig, type Config } from '../../services/shared/config.js'
import { fixedClock } from '../../services/shared/clock.js'
import { runImport } from '../../indexers/run-import.js'

export const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures')
export const BUNDLED_CORPUS = path.join(REPO_ROOT, 'knowledge', 'corpus')

export function tempDir(prefix = 'taxkb-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix))
}

/**
 * Tests run BM25-only unless they ask for an embedder (`{ embedder: 'local' }` = the real model, see
 * test/integration/hybrid-real-model.test.ts): the answer suites' expectations were calibrated on BM25, and
 * a machine without the model folder must give the same results as one with it.
 */
export function testConfig(overrides: Partial<Record<keyof Config, unknown>> = {}): Config {
  return loadConfig(
    { TAXKB_LOG_LEVEL: 'silent', TAXKB_RATE_LIMIT_PER_MINUTE: '1000000' },
    { dataDir: tempDir(), embedder: 'none', ...overrides },
  )
}

/** A container whose store holds the given corpus (default: the small fixture corpus). */
export async function containerWithCorpus(
  corpusDir = path.join(FIXTURES, 'corpus'),
  overrides: Partial<Record<keyof Config, unknown>> = {},
  now = '2026-11-25T02:00:00Z',
): Promise<Container> {
  const config = testConfig(overrides)
  const ctx = await createContainer(config, { skipIndexSync: true, clock: fixedClock(now) })
  await runImport(ctx, corpusDir)
  return ctx
}

/** One shared, read-only container over the real bundled corpus per test file. */
let bundled: Promise<Container> | undefined
export function bundledContainer(): Promise<Container> {
  bundled ??= containerWithCorpus(BUNDLED_CORPUS)
  return bundled
}

/** Creates a staff user and returns a bearer header for it. */
export async function staffAuth(
  ctx: Container,
  username: string,
  role: string,
  regionCode: string | null = null,
  extra: { seatGroup?: string; permissions?: string[] } = {},
): Promise<{ authorization: string }> {
  if (!(await ctx.users.get(username)))
    await ctx.users.add({
      username,
      role,
      regionCode,
      seatGroup: extra.seatGroup,
      permissions: extra.permissions,
      password: 'password-123',
    })
  const token = ctx.tokens.sign({ sub: username, kind: 'staff', role }, 3600, ctx.clock.now().getTime())
  return { authorization: `Bearer ${token}` }
}

/**
 * A container over the bundled corpus with the app built on it, for a test file that drives the HTTP routes:
 * `beforeAll(async () => ({ ctx, app } = await bundledApp()))`, `afterAll(() => closeApp(ctx, app))`; or useBundledApp below.
 */
export async function bundledApp(now?: string): Promise<{ ctx: Container; app: FastifyInstance }> {
  const ctx = await containerWithCorpus(BUNDLED_CORPUS, {}, now)
  const app = await build(ctx.config, { container: ctx, logger: false })
  return { ctx, app }
}

export async function closeApp(ctx: Container | undefined, app: FastifyInstance | undefined): Promise<void> {
  await app?.close()
  await ctx?.close()
}

/** What useBundledApp gives a test file: the container and app (set in its beforeAll) and a chat turn over them. */
export interface BundledAppHandle {
  ctx: Container
  app: FastifyInstance
  /** POST /api/chat with `payload`; the status must be 200; the reply body. */
  chat<T>(payload: Record<string, unknown>): Promise<T>
}

/** bundledApp for the whole test file: built in beforeAll, closed in afterAll. */
export function useBundledApp(now?: string): BundledAppHandle {
  const handle = {
    async chat<T>(payload: Record<string, unknown>): Promise<T> {
      const res = await handle.app.inject({ method: 'POST', url: '/api/chat', payload })
      expect(res.statusCode).toBe(200)
      return res.json() as T
    },
  } as BundledAppHandle
  beforeAll(async () => {
    Object.assign(handle, await bundledApp(now))
  }, 120_000)
  afterAll(() => closeApp(handle.ctx, handle.app))
  return handle
}
