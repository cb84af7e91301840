/** Runs the Notifier contract against every implementation: log (captured lines) and webhook (local server). */
import http from 'node:http'
import { afterAll, beforeAll } from 'vitest'
import { LogNotifier } from '../../services/notify/log-notifier.js'
import { WebhookNotifier } from '../../services/notify/webhook-notifier.js'
import { WebhookEndpoint } from '../../services/notify/webhook-post.js'
import { notifierContract } from './notifier.contract.js'

let gateway: http.Server
let gatewayUrl = ''
let bodies: string[] = []
let failures = 0
beforeAll(async () => {
  gateway = http.createServer((req, res) => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (c: string) => (body += c))
    req.on('end', () => {
      if (failures > 0) {
        failures--
        res.writeHead(503).end()
        return
      }
      bodies.push(body)
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
    })
  })
  await new Promise<void>((resolve) => gateway.listen(0, '127.0.0.1', resolve))
  gatewayUrl = `http://127.0.0.1:${(gateway.address() as { port: number }).port}/sms`
})
afterAll(() => new Promise<void>((resolve) => gateway.close(() => resolve())))

notifierContract('log', async () => {
  const lines: string[] = []
  const logger = { info: (obj: unknown, msg?: string) => void lines.push(JSON.stringify({ obj, msg })) }
  return { notifier: new LogNotifier(logger as never), sent: () => lines, carriesContact: false }
})

notifierContract('webhook', async () => {
  bodies = []
  failures = 0
  return {
    notifier: new WebhookNotifier(new WebhookEndpoint(gatewayUrl, 2000)),
    sent: () => bodies,
    carriesContact: true,
    failNext: () => void (failures = 1),
  }
})
