/**
 * Taxpayer ids and phone numbers are not kept in clear where they only serve as keys (claims, locks, codes):
 * they become HMAC-SHA256 keys under a server secret, so a copy of the store does not reveal them and a
 * 6-digit code hash cannot be brute-forced offline. Displayed forms are masked.
 */
import crypto from 'node:crypto'
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'

export class IdentityKeys {
  readonly #key: Buffer
  constructor(secret: string) {
    this.#key = crypto.createHmac('sha256', secret).update('taxkb-booking-v1').digest()
  }

  /** Deterministic key for a namespace + value (e.g. 'phone', '13800001111'). */
  key(namespace: string, value: string): string {
    return crypto.createHmac('sha256', this.#key).update(`${namespace}\u0000${value}`).digest('base64url').slice(0, 32)
  }
}

const PHONE = /^1[3-9]\d{9}$/
/** 18-char USCC, 18-digit resident id (last may be X), 15- or 20-char legacy TIN. */
const TAXPAYER_ID = /^(?:[0-9A-HJ-NPQRTUWXY]{18}|\d{17}[\dX]|[0-9A-Z]{15}|[0-9A-Z]{20})$/

export function normalisePhone(raw: string): string {
  const phone = raw.replace(/[\s-]/g, '').replace(/^\+?86/, '')
  if (!PHONE.test(phone))
    throw new AppError('VALIDATION_FAILED', 'phone must be a mainland mobile number', {
      userMessage: '请输入正确的11位手机号码',
    })
  return phone
}

export function normaliseTaxpayerId(raw: string): string {
  const id = raw.trim().toUpperCase()
  if (!TAXPAYER_ID.test(id)) {
    throw new AppError('VALIDATION_FAILED', 'taxpayerId must be a USCC, resident id or TIN', {
      userMessage: '请输入正确的纳税人识别号（统一社会信用代码）或身份证号码',
    })
  }
  return id
}

export function maskedId(id: string): string {
  const masked = maskPii(id)
  return masked === id ? `${id.slice(0, 4)}${'*'.repeat(Math.max(0, id.length - 8))}${id.slice(-4)}` : masked
}
