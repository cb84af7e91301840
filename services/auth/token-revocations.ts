/**
 * Server-side revocation of staff tokens. Every staff token carries an id (`jti`); logout records it here
 * until the token would have expired anyway, and the auth plugin refuses a revoked id on every request.
 * Kept in the store (collection `meta`), so every API process sharing the store sees a logout at once.
 * A record is useless once its token has expired (the signer refuses it anyway): `prune()` deletes those,
 * in indexed batches (meta by `exp`); `taxkb serve` runs it at start and hourly with the retention sweep.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'

interface RevokedToken {
  id: string
  /** When the token expires, seconds since epoch (after that the record is only history). */
  exp: number
  at: string
}

const PREFIX = 'revoked-token:'
const keyOf = (jti: string) => `${PREFIX}${jti}`
const BATCH = 500

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

  /** Deletes the records of tokens that have expired by now; returns how many. Other meta docs are kept. */
  async prune(): Promise<number> {
    const nowSeconds = Math.floor(this.clock.now().getTime() / 1000)
    let removed = 0
    // Documents of other kinds that happen to carry an `exp` are stepped over, never deleted.
    let kept = 0
    for (;;) {
      const batch = await this.docs.list({
        range: { field: 'exp', lt: nowSeconds },
        sort: { field: 'exp', order: 'asc' },
        limit: BATCH,
        ...(kept > 0 ? { offset: kept } : {}),
      })
      const ids = batch.filter((d) => d.id.startsWith(PREFIX)).map((d) => d.id)
      kept += batch.length - ids.length
      if (ids.length > 0) removed += await this.docs.remove(ids)
      if (batch.length < BATCH) return removed
    }
  }
}
