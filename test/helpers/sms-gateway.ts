/**
 * A real local HTTP SMS gateway for tests: accepts the webhook notifier's JSON (POST /), answers 200 and keeps
 * every message, so tests read the verification code and the confirmation the taxpayer would receive.
 */
import http from 'node:http'
import type { AddressInfo } from 'node:net'

export interface CapturedSms {
  kind: string
  to: { phone?: string } | null
  template?: string
  params?: Record<string, string>
  text: string
  at: string
}

export interface SmsGateway {
  url: string
  messages: CapturedSms[]
  /** The last 6-digit code sent to `phone`. */
  lastCode(phone: string): string
  /** Makes the gateway answer 503 (delivery refused) while true. */
  failing: boolean
  close(): Promise<void>
}

export async function startSmsGateway(): Promise<SmsGateway> {
  const gw = { messages: [] as CapturedSms[], failing: false }
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c: Buffer) => chunks.push(c))
    req.on('end', () => {
      if (req.method !== 'POST' || !String(req.headers['content-type']).startsWith('application/json'))
        return void res.writeHead(415).end()
      if (gw.failing) return void res.writeHead(503).end()
      gw.messages.push(JSON.parse(Buffer.concat(chunks).toString('utf8')) as CapturedSms)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  return Object.assign(gw, {
    url,
    lastCode(phone: string): string {
      const m = [...gw.messages].reverse().find((x) => x.to?.phone === phone && x.template === 'booking-code')
      if (!m?.params?.code) throw new Error(`no code sent to ${phone}`)
      return m.params.code
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  })
}
