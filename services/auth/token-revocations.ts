/**
 * Server-side revocation of staff tokens. Every staff token carries an id (`jti`); logout records it here
 * until the token would have expired anyway, and the auth plugin refuses a revoked id on every request.
 * Kept in the store (collection `meta`), so every API process sharing the store sees a logout at once.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'

interface RevokedToken {
  id: string
  /** When the token expires, seconds since epoch (after that the record is only history). */
  exp: number
  at: string
}

const keyOf = (jti: string) => `revoked-token:${jti}`

export class TokenRevocations {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  private get docs() {
    return this.store.collection<RevokedToken>('meta')
  }

  async revoke(jti: string, exp: number): Promise<void> {
    await this.docs.put({ id: keyOf(jti), exp, at: this.clock.now().toISOString() })
  }

  async isRevoked(jti: string): Promise<boolean> {
    return (await this.docs.get(keyOf(jti))) !== undefined
  }
}
