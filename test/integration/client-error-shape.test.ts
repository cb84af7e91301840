/**
 * Issue 20 item 2: a request Node's HTTP parser rejects (raw UTF-8 in the URL, as README's first curl sent)
 * answers in the documented `{error:{code,message,requestId}}` shape, not Fastify's `Client Error` one.
 */
import net from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import { testConfig } from '../helpers/env.js'

let app: FastifyInstance
let port: number

beforeAll(async () => {
  app = await build(testConfig(), { logger: false })
  await app.listen({ port: 0, host: '127.0.0.1' })
  port = (app.server.address() as net.AddressInfo).port
})
afterAll(() => app.close())

function rawRequest(requestLine: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(Buffer.concat([requestLine, Buffer.from('\r\nHost: localhost\r\nConnection: close\r\n\r\n')]))
    })
    socket.on('data', (c) => chunks.push(c))
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    socket.on('error', reject)
  })
}

describe('requests the HTTP parser rejects', () => {
  it('raw UTF-8 in the query string → 400 in our envelope, with a Chinese hint on how to encode', async () => {
    const raw = await rawRequest(Buffer.from('GET /api/search?q=小规模纳税人 HTTP/1.1', 'utf8'))
    const [head, body] = raw.split('\r\n\r\n')
    expect(head).toMatch(/^HTTP\/1\.1 400 /)
    expect(head).toMatch(/content-type: application\/json/i)
    const parsed = JSON.parse(body as string)
    expect(parsed.error.code).toBe('VALIDATION_FAILED')
    expect(parsed.error.message).toContain('--data-urlencode')
    expect(parsed.error.requestId).toMatch(/^[0-9a-f-]{36}$/)
    expect(head).toContain(`X-Request-Id: ${parsed.error.requestId}`)
  })

  it('the same query percent-encoded reaches the route (its own error, same envelope)', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/api/search?q=${encodeURIComponent('？？')}`)
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; requestId: string } }
    expect(body.error.code).toBe('QUERY_EMPTY')
  })
})
