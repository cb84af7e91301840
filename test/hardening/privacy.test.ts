/**
 * Privacy: resident ID numbers (valid GB 11643 checksum), mainland mobiles and unified social credit codes
 * (valid GB 32100 check character) typed by a taxpayer never reach the logs (pino output captured from the
 * real app), the ledger, sessions, tickets, exports (JSON and CSV) or metrics in clear.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { maskPii } from '../../services/shared/mask.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'

export function residentId(base17: string): string {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  const sum = [...base17].reduce((s, c, i) => s + Number(c) * w[i]!, 0)
  return base17 + '10X98765432'[sum % 11]!
}
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
export function uscc(base17: string): string {
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  const sum = [...base17].reduce((s, c, i) => s + USCC_CHARS.indexOf(c) * w[i]!, 0)
  return base17 + USCC_CHARS[(31 - (sum % 31)) % 31]!
}

const ID = residentId('32010219900307123')
const ID_X = residentId('11010519491231002') // check digit X
const MOBILE = '13812345678'
const MOBILE_SPACED = '+86 139 8765 4321'
const CREDIT = uscc('91320100MA1MXK7R3')
const RAW = [ID, ID_X, MOBILE, '13987654321', CREDIT]

let ctx: Container
let app: FastifyInstance
const logLines: string[] = []

beforeAll(async () => {
  ctx = await containerWithCorpus(undefined, { logLevel: 'debug' })
  app = await build(ctx.config, { container: ctx, logStream: { write: (l: string) => void logLines.push(l) } })
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

function leaks(text: string): string[] {
  return RAW.filter((r) => text.includes(r))
}

describe('masking (pure, property-based)', () => {
  it('samples are real-looking: 18-digit IDs with valid check digits, USCC with a valid check character', () => {
    expect(ID).toMatch(/^\d{17}[\dX]$/)
    expect(ID_X.endsWith('X')).toBe(true)
    expect(CREDIT).toMatch(/^[0-9A-HJ-NPQRTUWXY]{18}$/)
  })

  it('no valid ID, mobile or USCC embedded in arbitrary Chinese text survives maskPii', () => {
    const digits = (n: number) =>
      fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((a) => a.join(''))
    const date = fc
      .date({ min: new Date('1930-01-01'), max: new Date('2020-12-31'), noInvalidDate: true })
      .map((d) => d.toISOString().slice(0, 10).replace(/-/g, ''))
    const id = fc
      .tuple(fc.integer({ min: 110000, max: 659999 }), date, digits(3))
      .map(([a, d, s]) => residentId(`${a}${d}${s}`))
    const mobile = fc.tuple(fc.constantFrom('13', '15', '17', '18', '19'), digits(9)).map(([p, s]) => p + s)
    const credit = fc
      .tuple(
        fc.constantFrom('91', '92', '93', '11', '12'),
        digits(6),
        fc.array(fc.constantFrom(...USCC_CHARS), { minLength: 9, maxLength: 9 }),
      )
      .map(([a, r, t]) => uscc(`${a}${r}${t.join('')}`))
      .filter((c) => /[A-Z]/.test(c))
    const filler = fc.constantFrom('', '我的', '身份证号', '电话：', '，税号', ' ', '是', '请联系', '\n')
    fc.assert(
      fc.property(
        fc.array(fc.tuple(filler, fc.oneof(id, mobile, credit)), { minLength: 1, maxLength: 4 }),
        filler,
        (parts, tail) => {
          const text = parts.map(([f, v]) => f + v).join('') + tail
          const masked = maskPii(text)
          for (const [, v] of parts) expect(masked).not.toContain(v)
        },
      ),
      { numRuns: 2000 },
    )
  })
})

describe('masked everywhere a taxpayer message goes', () => {
  it('logs, ledger, sessions, tickets, exports and metrics hold no identifier in clear', async () => {
    const admin = await staffAuth(ctx, 'privacy-admin', 'admin')
    const message = `我的身份证${ID}，手机${MOBILE}，公司税号${CREDIT}，想问小规模纳税人增值税怎么申报`
    const chat = await app.inject({ method: 'POST', url: '/api/chat', payload: { message, region: '320100' } })
    expect(chat.statusCode).toBe(200)
    const { sessionId } = chat.json() as { sessionId: string }
    await app.inject({
      method: 'POST',
      url: '/api/chat',
      payload: { sessionId, message: `再问一下，我爸身份证${ID_X}，电话${MOBILE_SPACED}，个税怎么交` },
    })
    await app.inject({
      method: 'POST',
      url: `/api/chat/${sessionId}/handoff`,
      payload: { consent: true, contact: { phone: '13987654321' } },
    })
    await app.inject({ url: `/api/search?q=${encodeURIComponent(`身份证${ID}`)}` })
    await app.inject({ url: `/api/search?q=${encodeURIComponent(`${MOBILE}`.repeat(100))}` }) // an error path
    await app.inject({ method: 'POST', url: '/api/chat', payload: { message: `${CREDIT} `.repeat(200) } }) // too long: error path
    const transcript = await app.inject({ url: `/api/chat/${sessionId}` })
    const exports = await Promise.all(
      [
        '/api/admin/ledger',
        '/api/admin/ledger?format=csv',
        '/api/admin/tickets',
        '/api/admin/tickets?format=csv',
        '/api/admin/metrics',
        '/metrics',
        '/api/tickets',
      ].map((url) => app.inject({ url, headers: admin })),
    )
    for (const e of exports) expect([200, 404]).toContain(e.statusCode)
    await new Promise((r) => setTimeout(r, 200))
    const snapshot = await ctx.store.snapshot()
    const found = {
      logs: leaks(logLines.join('')),
      transcript: leaks(transcript.body),
      ledger: leaks(JSON.stringify(snapshot.ledger)),
      sessions: leaks(JSON.stringify(snapshot.sessions)),
      tickets: leaks(JSON.stringify(snapshot.tickets)),
      audit: leaks(JSON.stringify(snapshot.audit)),
      exports: exports.flatMap((e, i) => leaks(e.body).map((l) => `${i}:${l}`)),
    }
    expect(found).toEqual({ logs: [], transcript: [], ledger: [], sessions: [], tickets: [], audit: [], exports: [] })
    expect(snapshot.ledger.length).toBeGreaterThan(0)
    expect(logLines.length).toBeGreaterThan(5)
    // The log did record the requests (masked), so the check is not vacuous.
    expect(logLines.join('')).toMatch(/"method":"GET","url":"\/api\/search/)
  })
})
