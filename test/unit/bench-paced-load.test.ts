import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { pacedLoad } from '../../eval/bench/paced-load.js'

let server: http.Server | undefined

afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A local server answering after `delayMs`; status 200 unless the body says "fail". */
async function serve(delayMs: number): Promise<{ url: string; seen: () => number; maxOpen: () => number }> {
  let seen = 0
  let open = 0
  let maxOpen = 0
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (d: Buffer) => (body += d.toString()))
    req.on('end', () => {
      seen++
      open++
      maxOpen = Math.max(maxOpen, open)
      setTimeout(() => {
        open--
        res.writeHead(body.includes('fail') ? 503 : 200, { 'content-type': 'application/json' })
        res.end('{}')
      }, delayMs)
    })
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return { url: `http://127.0.0.1:${port}`, seen: () => seen, maxOpen: () => maxOpen }
}

describe('pacedLoad (open-loop bench driver)', () => {
  it('offers the scheduled rate whatever the latency, over at most the given connections', async () => {
    const s = await serve(30)
    const r = await pacedLoad({
      url: s.url,
      connections: 5,
      rate: 100,
      durationS: 1,
      next: () => ({ path: '/x', body: '{}' }),
    })
    // 100 requests due over one second; 30 ms each on 5 connections keeps up (≈ 3 open at a time)
    expect(r.samples).toHaveLength(100)
    expect(s.seen()).toBe(100)
    expect(s.maxOpen()).toBeLessThanOrEqual(5)
    expect(r.backlogAtEnd).toBe(0)
    // every sample includes the server's 30 ms (less the timers' 1 ms granularity: CI saw 29.85)
    expect(Math.min(...r.samples)).toBeGreaterThanOrEqual(29)
  })

  it('counts the wait for a connection when the server falls behind (latency from the due time)', async () => {
    const s = await serve(50)
    const r = await pacedLoad({
      url: s.url,
      connections: 1,
      rate: 40,
      durationS: 1,
      next: () => ({ path: '/x', body: '{}' }),
    })
    // one connection serves 20/s; 40 are due in the first second, so the last waits about a second for it.
    // Measured from when it was sent, every request would read ≈ 50 ms.
    expect(r.samples).toHaveLength(40)
    expect(s.maxOpen()).toBe(1)
    expect(Math.max(...r.samples)).toBeGreaterThan(700)
    expect(r.backlogAtEnd).toBeGreaterThan(0)
    expect(r.achievedPerSec).toBeLessThan(30)
  })

  it('reports non-2xx answers apart from the latency samples', async () => {
    const s = await serve(1)
    let i = 0
    const r = await pacedLoad({
      url: s.url,
      connections: 2,
      rate: 50,
      durationS: 0.4,
      next: () => ({ path: '/x', body: i++ % 2 === 0 ? '{"fail":1}' : '{}' }),
    })
    expect(r.non2xx).toBe(10)
    expect(r.samples).toHaveLength(10)
    expect(r.errors).toBe(0)
  })
})
