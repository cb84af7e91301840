/**
 * No-shows and the province-wide lock: every no-show is counted on the person's taxpayer key and phone key;
 * the third (since the last lock or unlock) locks both for 90 days in every hall (booking-rules.ts), until
 * a hall administrator unlocks after checking the person's ID in person. The history of each lock is kept
 * on its record (`person_locks`), notes PII-masked.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'
import { afterNoShow, type LockState, lockViolation, type RuleViolation } from './booking-rules.js'
import type { HallRegistry } from './hall-registry.js'
import { type IdentityKeys, normalisePhone, normaliseTaxpayerId } from './identity-keys.js'

export interface PersonLock extends LockState {
  id: string
  history: {
    at: string
    action: 'no-show' | 'lock' | 'unlock'
    appointmentId?: string
    by?: string
    hallId?: string
    note?: string
  }[]
}

export interface StaffActor {
  id: string
  name: string
}

/** The two keys a person is locked by (an appointment's, or a booking request's after normalising). */
export interface PersonKeys {
  taxpayerKey: string
  phoneKey: string
}

const lockIdsOf = (p: PersonKeys): string[] => [`tp:${p.taxpayerKey}`, `ph:${p.phoneKey}`]

export class PersonLocks {
  constructor(
    private readonly store: Store,
    private readonly halls: HallRegistry,
    private readonly clock: Clock,
    private readonly keys: IdentityKeys,
  ) {}

  private get locks() {
    return this.store.collection<PersonLock>('person_locks')
  }

  /** The rule a booking by this person breaks now (an active lock on either key), or null. */
  async violation(person: PersonKeys, now: Date): Promise<RuleViolation | null> {
    for (const lockId of lockIdsOf(person)) {
      const locked = lockViolation(now, await this.locks.get(lockId))
      if (locked) return locked
    }
    return null
  }

  /** Counts one no-show of the appointment's person on both keys; the third locks (history says so). */
  async recordNoShow(appointment: PersonKeys & { id: string }, now: Date): Promise<void> {
    for (const lockId of lockIdsOf(appointment)) {
      const fresh: PersonLock = { id: lockId, noShows: 0, lockedUntil: null, history: [] }
      const apply = (l: PersonLock): PersonLock => {
        const next = afterNoShow(l, now)
        const at = now.toISOString()
        const history = [...l.history, { at, action: 'no-show' as const, appointmentId: appointment.id }]
        if (next.lockedUntil !== l.lockedUntil) history.push({ at, action: 'lock', appointmentId: appointment.id })
        return { ...l, ...next, history }
      }
      await this.locks.update(lockId, apply, { createIfMissing: apply(fresh) })
    }
  }

  /** Lock state of a person (by taxpayer id and/or phone), for hall staff. */
  async status(
    taxpayerId: string | undefined,
    phone: string | undefined,
  ): Promise<{ locked: boolean; lockedUntil: string | null; noShows: number }> {
    const docs = await this.locks.getMany(this.#lockIds(taxpayerId, phone))
    const now = this.clock.now()
    const active = docs.filter((d) => lockViolation(now, d) !== null)
    const until =
      active
        .map((d) => d.lockedUntil ?? '')
        .sort()
        .at(-1) ?? null
    return { locked: active.length > 0, lockedUntil: until, noShows: Math.max(0, ...docs.map((d) => d.noShows)) }
  }

  /** Unlock after the administrator checked the person's ID in person; recorded in the lock's history. */
  async unlock(
    hallId: string,
    actor: StaffActor,
    input: { taxpayerId?: string; phone?: string; note: string },
  ): Promise<{ unlocked: number }> {
    await this.halls.get(hallId)
    const ids = this.#lockIds(input.taxpayerId, input.phone)
    const now = this.clock.now()
    let unlocked = 0
    for (const id of ids) {
      const doc = await this.locks.get(id)
      if (!doc || !lockViolation(now, doc)) continue
      await this.locks.update(id, (l) => ({
        ...l,
        noShows: 0,
        lockedUntil: null,
        history: [
          ...l.history,
          { at: now.toISOString(), action: 'unlock', by: actor.id, hallId, note: maskPii(input.note) },
        ],
      }))
      unlocked++
    }
    return { unlocked }
  }

  #lockIds(taxpayerId: string | undefined, phone: string | undefined): string[] {
    const ids: string[] = []
    if (taxpayerId) ids.push(`tp:${this.keys.key('taxpayer', normaliseTaxpayerId(taxpayerId))}`)
    if (phone) ids.push(`ph:${this.keys.key('phone', normalisePhone(phone))}`)
    if (ids.length === 0)
      throw new AppError('VALIDATION_FAILED', 'taxpayerId or phone required', {
        userMessage: '请输入纳税人识别号或手机号码',
      })
    return ids
  }
}
