/**
 * Staff accounts (agents, editors, reviewers, admins): stored in the `users` collection with scrypt hashes,
 * a region (null = national) and a seat group; login with lockout after repeated failures.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { hashPassword, validatePasswordStrength, verifyPassword } from './password.js'
import { isStaffRole, PERMISSIONS, ROLES, type StaffRole } from './roles.js'
import {
  LOCKOUT_MINUTES,
  MAX_FAILED_LOGINS,
  reserveAttempt,
  settleAttempt,
  type LoginAttempts,
} from './login-throttle.js'

export interface User {
  id: string
  name: string
  role: StaffRole
  /** GB/T 2260 code of the user's layer; null = national. */
  regionCode: string | null
  /** Seat group for agents, e.g. `320000-center` (provincial centre) or `320100-remote` (local remote seats). */
  seatGroup: string | null
  permissions: string[]
  passwordHash: string
  createdAt: string
  failedLogins: number
  lockedUntil: string | null
  disabled: boolean
}

export type PublicUser = Omit<User, 'passwordHash' | 'failedLogins' | 'lockedUntil'>

export { LOCKOUT_MINUTES, MAX_FAILED_LOGINS }

/** The one answer to every refused login (the lock is not announced: it would confirm the account). */
export const LOGIN_REFUSED = `用户名或密码错误（连续 ${MAX_FAILED_LOGINS} 次错误将锁定 ${LOCKOUT_MINUTES} 分钟）`
// A valid scrypt hash of nothing anyone knows: unknown and disabled users cost the same check.
const DECOY_HASH = 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'

export function publicUser(u: User): PublicUser {
  const { passwordHash: _h, failedLogins: _f, lockedUntil: _l, ...rest } = u
  return rest
}

export interface NewUser {
  username: string
  name?: string | undefined
  role: string
  regionCode?: string | null | undefined
  seatGroup?: string | null | undefined
  permissions?: string[] | undefined
  password: string
}

export class UserService {
  constructor(
    private readonly store: Store,
    private readonly regions: RegionTable,
    private readonly clock: Clock,
  ) {}

  private get users() {
    return this.store.collection<User>('users')
  }

  async add(input: NewUser): Promise<PublicUser> {
    const username = input.username.trim()
    if (!/^[\w.@-]{2,64}$/.test(username))
      throw new AppError('VALIDATION_FAILED', 'username must be 2–64 letters, digits, . _ @ -', {
        userMessage: '用户名只能包含字母、数字和 . _ @ -，长度 2–64',
      })
    if (!isStaffRole(input.role))
      throw new AppError('VALIDATION_FAILED', `role must be one of ${ROLES.join(', ')}`, {
        userMessage: `角色无效（${ROLES.join(' / ')}）`,
      })
    const region = input.regionCode ?? null
    if (region !== null) this.regions.require(region)
    const bad = (input.permissions ?? []).filter((p) => !(PERMISSIONS as readonly string[]).includes(p))
    if (bad.length > 0) throw new AppError('VALIDATION_FAILED', `unknown permission ${bad.join(', ')}`)
    const weak = validatePasswordStrength(input.password)
    if (weak) throw new AppError('VALIDATION_FAILED', weak)
    if (await this.users.get(username)) throw new AppError('USER_EXISTS', `user ${username}`)
    const user: User = {
      id: username,
      name: input.name?.trim() || username,
      role: input.role,
      regionCode: region,
      seatGroup:
        input.seatGroup ??
        (input.role === 'agent' && region ? `${region}-${region.endsWith('0000') ? 'center' : 'remote'}` : null),
      permissions: input.permissions ?? [],
      passwordHash: await hashPassword(input.password),
      createdAt: this.clock.now().toISOString(),
      failedLogins: 0,
      lockedUntil: null,
      disabled: false,
    }
    await this.users.put(user)
    return publicUser(user)
  }

  async get(id: string): Promise<User | undefined> {
    return this.users.get(id)
  }

  async list(): Promise<PublicUser[]> {
    return (await this.users.list({ sort: { field: 'id', order: 'asc' } })).map(publicUser)
  }

  /**
   * Verifies a password with atomic failure counting (login-throttle.ts). Unknown user, wrong password,
   * disabled and locked accounts all do the same work (two attempt-record writes and one scrypt check)
   * and get the same INVALID_CREDENTIALS answer, so neither the answer nor its timing tells them apart.
   */
  async authenticate(username: string, password: string): Promise<User> {
    const now = this.clock.now()
    const id = `login-attempts:${crypto.createHash('sha256').update(String(username).toLowerCase()).digest('hex')}`
    const attempts = this.store.collection<LoginAttempts>('meta')
    const fresh: LoginAttempts = { id, failures: 0, lockedUntil: null }
    // createIfMissing is stored as given (mutate does not run): the first attempt is allowed.
    let allowed = true
    await attempts.update(
      id,
      (cur) => {
        const r = reserveAttempt(cur, now)
        allowed = r.allowed
        return r.next
      },
      { createIfMissing: reserveAttempt(fresh, now).next },
    )
    const user = typeof username === 'string' ? await this.users.get(username) : undefined
    const usable = user !== undefined && !user.disabled
    const ok = (await verifyPassword(password, usable ? user.passwordHash : DECOY_HASH)) && usable && allowed
    let granted = false
    await attempts.update(
      id,
      (cur) => {
        const r = settleAttempt(cur, now, ok)
        granted = r.granted
        return r.next
      },
      { createIfMissing: fresh },
    )
    if (!granted || !user)
      throw new AppError('INVALID_CREDENTIALS', 'bad credentials or locked', { userMessage: LOGIN_REFUSED })
    return user
  }
}
