/**
 * Signed, expiring tokens (HMAC-SHA256 over a base64url JSON payload). Used for staff bearer tokens / cookies
 * and for anonymous taxpayer chat sessions. Stateless, so several API processes share them through the
 * secret alone.
 */
import crypto from 'node:crypto'

export interface TokenPayload {
  sub: string
  /** expiry, seconds since epoch */
  exp: number
  iat: number
  [k: string]: unknown
}

export class TokenSigner {
  private readonly key: Buffer

  constructor(secret: string) {
    if (secret.length < 16) throw new Error('token secret must be at least 16 characters')
    this.key = Buffer.from(secret, 'utf8')
  }

  private mac(data: string): string {
    return crypto.createHmac('sha256', this.key).update(data).digest('base64url')
  }

  sign(claims: Record<string, unknown> & { sub: string }, ttlSeconds: number, now = Date.now()): string {
    const iat = Math.floor(now / 1000)
    const payload = Buffer.from(JSON.stringify({ ...claims, iat, exp: iat + ttlSeconds })).toString('base64url')
    return `${payload}.${this.mac(payload)}`
  }

  /**
   * A value bound to this secret and to `value` (e.g. the CSRF token of a login session: an HMAC of the
   * token id), so a client cannot choose it and it fits no other session.
   */
  bind(purpose: string, value: string): string {
    return crypto.createHmac('sha256', this.key).update(`${purpose}\u0000${value}`).digest('base64url')
  }

  /** The payload when the signature is valid and the token has not expired; otherwise null. */
  verify(token: string, now = Date.now()): TokenPayload | null {
    if (typeof token !== 'string' || token.length > 4096) return null
    const dot = token.indexOf('.')
    if (dot <= 0) return null
    const payload = token.slice(0, dot)
    const sig = Buffer.from(token.slice(dot + 1))
    const want = Buffer.from(this.mac(payload))
    if (sig.length !== want.length || !crypto.timingSafeEqual(sig, want)) return null
    try {
      const data = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as TokenPayload
      if (typeof data.sub !== 'string' || typeof data.exp !== 'number' || data.exp * 1000 <= now) return null
      return data
    } catch {
      return null
    }
  }
}
