/**
 * Phone verification codes (collection `phone_codes`): 6 digits, valid 10 minutes, one request per phone per
 * 60 s and at most 5 per hour, 5 wrong tries void the code. Stored as HMAC keys only (phone and code hashed
 * under the server secret). A code stays usable until it expires, so the taxpayer can book, look up
 * 我的预约 and cancel within one visit without waiting for another SMS.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { SmsSender } from '../notify/sms-sender.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { codeMessage } from './booking-messages.js'
import { type IdentityKeys, normalisePhone } from './identity-keys.js'

export const CODE_TTL_MINUTES = 10
export const RESEND_AFTER_SECONDS = 60
export const MAX_CODES_PER_HOUR = 5
export const MAX_WRONG_TRIES = 5

interface PhoneCodeDoc {
  id: string
  codeHash: string
  expiresAt: string
  wrongTries: number
  sentAt: string[]
}

export class PhoneVerification {
  constructor(
    private readonly store: Store,
    private readonly keys: IdentityKeys,
    private readonly sms: SmsSender,
    private readonly clock: Clock,
    private readonly signature: string,
  ) {}

  private get codes() {
    return this.store.collection<PhoneCodeDoc>('phone_codes')
  }

  async send(rawPhone: string): Promise<{ expiresInSeconds: number; resendAfterSeconds: number }> {
    const phone = normalisePhone(rawPhone)
    const now = this.clock.now()
    const id = this.keys.key('phone', phone)
    const code = String(crypto.randomInt(0, 1_000_000)).padStart(6, '0')
    const hourAgo = now.getTime() - 3_600_000
    await this.codes.update(
      id,
      (doc) => {
        const recent = doc.sentAt.filter((t) => Date.parse(t) > hourAgo)
        const last = recent.at(-1)
        if (last && now.getTime() - Date.parse(last) < RESEND_AFTER_SECONDS * 1000) {
          throw new AppError('CODE_TOO_FREQUENT', 'resend too soon', {
            userMessage: `请在${RESEND_AFTER_SECONDS}秒后再获取验证码`,
          })
        }
        if (recent.length >= MAX_CODES_PER_HOUR) {
          throw new AppError('CODE_TOO_FREQUENT', 'hourly limit', {
            userMessage: '该号码获取验证码次数过多，请1小时后再试',
          })
        }
        return this.#fresh(id, code, now, [...recent, now.toISOString()])
      },
      { createIfMissing: this.#fresh(id, code, now, [now.toISOString()]) },
    )
    const msg = codeMessage(this.signature, code, CODE_TTL_MINUTES)
    const result = await this.sms.send({ to: phone, ...msg, at: now.toISOString() })
    if (!result.ok) throw new AppError('SMS_FAILED', result.detail ?? 'sms failed')
    return { expiresInSeconds: CODE_TTL_MINUTES * 60, resendAfterSeconds: RESEND_AFTER_SECONDS }
  }

  /** Throws CODE_EXPIRED / CODE_INVALID unless `code` is the phone's current code. Returns the phone. */
  async verify(rawPhone: string, rawCode: string): Promise<string> {
    const phone = normalisePhone(rawPhone)
    const id = this.keys.key('phone', phone)
    const now = this.clock.now().getTime()
    const doc = await this.codes.get(id)
    if (!doc || Date.parse(doc.expiresAt) <= now || doc.wrongTries >= MAX_WRONG_TRIES)
      throw new AppError('CODE_EXPIRED')
    const want = Buffer.from(doc.codeHash)
    const got = Buffer.from(this.keys.key('code', `${id}:${rawCode.trim()}`))
    if (want.length === got.length && crypto.timingSafeEqual(want, got)) return phone
    await this.codes.update(id, (d) => ({ ...d, wrongTries: d.wrongTries + 1 }))
    throw new AppError('CODE_INVALID')
  }

  #fresh(id: string, code: string, now: Date, sentAt: string[]): PhoneCodeDoc {
    return {
      id,
      codeHash: this.keys.key('code', `${id}:${code}`),
      expiresAt: new Date(now.getTime() + CODE_TTL_MINUTES * 60_000).toISOString(),
      wrongTries: 0,
      sentAt,
    }
  }
}
