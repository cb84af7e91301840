/**
 * Revoked staff tokens were kept forever: every logout added a `meta` record that nothing removed. They
 * are now pruned once their token has expired (the signer refuses it anyway) — by `TokenRevocations.prune`
 * and by `taxkb serve` at start and hourly. Clock injected; no sleeping.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { build } from '../../services/api/app.js'
import { startServer } from '../../services/api/server.js'
import { createContainer, type Container } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import { testConfig } from '../helpers/env.js'

const T0 = '2026-12-01T02:00:00Z'
let open: Container[] = []
afterEach(async () => {
  for (const c of open) await c.close()
  open = []
})

async function container(clock = fixedClock(T0)) {
  const ctx = await createContainer(testConfig(), { skipIndexSync: true, clock })
  open.push(ctx)
  return { ctx, clock }
}

const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000)
const meta = (ctx: Container) => ctx.store.collection<{ id: string; exp?: number }>('meta')

describe('revoked-token records', () => {
  it('a logged-out token stays refused until it expires, then its record is pruned', async () => {
    const { ctx, clock } = await container()
    await ctx.users.add({ username: 'prune-admin', role: 'admin', regionCode: null, password: 'password-123' })
    const app = await build(ctx.config, { container: ctx, logger: false })
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'prune-admin', password: 'password-123' },
      })
      const headers = { authorization: `Bearer ${login.json().token}` }
      expect((await app.inject({ method: 'POST', url: '/api/auth/logout', headers })).statusCode).toBeLessThan(300)
      const records = async () => (await meta(ctx).list()).filter((d) => d.id.startsWith('revoked-token:'))
      expect(await records()).toHaveLength(1)

      // Still valid: pruning keeps the record and the token stays refused.
      clock.set('2026-12-01T09:00:00Z')
      expect(await ctx.revocations.prune()).toBe(0)
      expect((await app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(401)
      expect(await records()).toHaveLength(1)

      // Past the token's 8 h: the record goes.
      clock.set('2026-12-01T10:00:01Z')
      expect(await ctx.revocations.prune()).toBe(1)
      expect(await records()).toHaveLength(0)
      expect((await app.inject({ url: '/api/auth/me', headers })).statusCode).toBe(401)
    } finally {
      await app.close()
    }
  })

  it('prunes in batches, only expired revocations, never other meta documents', async () => {
    const { ctx } = await container()
    const now = seconds(T0)
    const docs = []
    for (let i = 0; i < 1300; i++) docs.push({ id: `revoked-token:old-${i}`, exp: now - 10 - i, at: T0 })
    for (let i = 0; i < 40; i++) docs.push({ id: `revoked-token:live-${i}`, exp: now + 60 + i, at: T0 })
    // Foreign documents with an old `exp`, more than a batch of them, sorted among the expired ones.
    for (let i = 0; i < 700; i++) docs.push({ id: `other:${i}`, exp: now - 5 - i * 2 })
    await meta(ctx).putMany(docs)

    expect(await ctx.revocations.prune()).toBe(1300)
    const left = await meta(ctx).list()
    expect(left.filter((d) => d.id.startsWith('revoked-token:old-'))).toHaveLength(0)
    expect(left.filter((d) => d.id.startsWith('revoked-token:live-'))).toHaveLength(40)
    expect(left.filter((d) => d.id.startsWith('other:'))).toHaveLength(700)
    expect(await ctx.revocations.isRevoked('live-3')).toBe(true)
    expect(await ctx.revocations.prune()).toBe(0)
  })

  it('taxkb serve prunes at start', async () => {
    const config = { ...testConfig(), port: 0, host: '127.0.0.1' }
    let store: Container['store'] | undefined
    const server = await startServer(config, {
      prepare: async (c) => {
        store = c.store
        const expired = seconds(c.clock.now().toISOString()) - 60
        await c.store.collection<{ id: string; exp: number; at: string }>('meta').putMany([
          { id: 'revoked-token:gone', exp: expired, at: T0 },
          { id: 'revoked-token:kept', exp: expired + 7200, at: T0 },
        ])
      },
      signals: [],
      exit: () => {},
    })
    try {
      await expect
        .poll(async () => (await store!.collection('meta').get('revoked-token:gone')) === undefined)
        .toBe(true)
      expect(await store!.collection('meta').get('revoked-token:kept')).toBeDefined()
    } finally {
      await server.close()
    }
  })
})
