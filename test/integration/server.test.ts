/** services/api/server.ts: builds, prepares, listens, and shuts down gracefully on a signal. */
import { describe, expect, it } from 'vitest'
import { startServer } from '../../services/api/server.js'
import type { Container } from '../../services/container.js'
import { testConfig } from '../helpers/env.js'

describe('startServer', () => {
  it('prepares the container before listening and closes everything on the signal', async () => {
    const config = { ...testConfig(), port: 0, host: '127.0.0.1' }
    let prepared: Container | undefined
    const exits: number[] = []
    const server = await startServer(config, {
      prepare: async (c) => {
        prepared = c
      },
      signals: ['SIGUSR2'],
      exit: (code) => void exits.push(code),
    })
    expect(prepared).toBeDefined()
    const res = await fetch(`${server.url}/healthz`)
    expect(res.status).toBe(200)
    expect(((await res.json()) as { store: string }).store).toBe('embedded')

    process.emit('SIGUSR2', 'SIGUSR2')
    await expect.poll(() => exits).toEqual([0])
    // The listener is gone.
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow()
    await server.close()
  })
})
