/**
 * SMS verification codes for a phone number (shared: feedback ticket look-up, and booking can reuse it).
 * A code is 6 random digits, valid 5 minutes, one resend a minute, 5 wrong tries burn it; only an HMAC of
 * the code is stored, under an HMAC of purpose + phone, so the collection holds no phone number in clear.
 * The code goes out through the Notifier (the SMS gateway in production).
 */
import crypto from 'node:crypto'
import type { Collection, Doc } from '../../knowledge/store/store.js'
import type { TokenSigner } from '../auth/tokens.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import type { Notifier } from './notifier.js'

interface PhoneCode extends Doc {
  codeMac: string
  sentAt: string
  expiresAt: string
  attempts: number
}

export const PHONE_PATTERN = /^1[3-9]\d{9}$/

export interface PhoneVerificationOptions {
  ttlMs?: number
  resendMs?: number
  maxAttempts?: number
}

export function normalisePhone(phone: unknown): string {
  const p = typeof phone === 'string' ? phone.replace(/[\s-]/g, '') : ''
  if (!PHONE_PATTERN.test(p))
    throw new AppError('VALIDATION_FAILED', 'bad phone', { userMessage: '请输入正确的 11 位手机号码' })
  return p
}

const WRONG_CODE = () =>
  new AppError('VALIDATION_FAILED', 'wrong or expired code', { userMessage: '验证码错误或已过期' })

export class PhoneVerification {
  readonly #ttlMs: number
  readonly #resendMs: number
  readonly #maxAttempts: number

  constructor(
    private readonly codes: Collection<PhoneCode>,
    private readonly tokens: Pick<TokenSigner, 'bind'>,
    private readonly notifier: Notifier,
    private readonly clock: Clock,
    options: PhoneVerificationOptions = {},
  ) {
    this.#ttlMs = options.ttlMs ?? 5 * 60_000
    this.#resendMs = options.resendMs ?? 60_000
    this.#maxAttempts = options.maxAttempts ?? 5
  }

  #id(purpose: string, phone: string): string {
    return `pv-${this.tokens.bind('phone-code', `${purpose}\u0000${phone}`).slice(0, 32)}`
  }

  #mac(id: string, code: string): string {
    return this.tokens.bind('phone-code-value', `${id}\u0000${code}`)
  }

  /** Sends a fresh code; refuses a resend within a minute. */
  async send(purpose: string, rawPhone: string): Promise<{ expiresAt: string }> {
    const phone = normalisePhone(rawPhone)
    const id = this.#id(purpose, phone)
    const now = this.clock.now()
    const existing = await this.codes.get(id)
    if (existing && now.getTime() - Date.parse(existing.sentAt) < this.#resendMs) {
      throw new AppError('RATE_LIMITED', 'code resent too soon', { userMessage: '验证码发送过于频繁，请 1 分钟后再试' })
    }
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0')
    const expiresAt = new Date(now.getTime() + this.#ttlMs).toISOString()
    await this.codes.put({ id, codeMac: this.#mac(id, code), sentAt: now.toISOString(), expiresAt, attempts: 0 })
    await this.notifier.notify({
      kind: 'verification',
      ticketId: '',
      ticketNumber: '',
      sessionId: null,
      to: { phone },
      text: `【12366】您的验证码为 ${code}，5 分钟内有效。如非本人操作请忽略。`,
      at: now.toISOString(),
    })
    return { expiresAt }
  }

  /** Checks and consumes a code; throws VALIDATION_FAILED (wrong / expired) or RATE_LIMITED (too many tries). */
  async verify(purpose: string, rawPhone: string, code: unknown): Promise<string> {
    const phone = normalisePhone(rawPhone)
    const id = this.#id(purpose, phone)
    const doc = await this.codes.get(id)
    if (!doc || Date.parse(doc.expiresAt) <= this.clock.now().getTime()) throw WRONG_CODE()
    if (doc.attempts >= this.#maxAttempts) {
      throw new AppError('RATE_LIMITED', 'too many attempts', { userMessage: '验证码错误次数过多，请重新获取' })
    }
    const want = Buffer.from(doc.codeMac)
    const got = Buffer.from(this.#mac(id, typeof code === 'string' ? code.trim() : ''))
    if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) {
      await this.codes.update(id, (c) => ({ ...c, attempts: c.attempts + 1 }))
      throw WRONG_CODE()
    }
    await this.codes.remove([id])
    return phone
  }
}
