/**
 * Staff accounts (agents, editors, reviewers, admins): stored in the `users` collection with scrypt hashes,
 * a region (null = national) and a seat group; login with lockout after repeated failures.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { hashPassword, validatePasswordStrength, verifyPassword } from './password.js'
import { isStaffRole, PERMISSIONS, type StaffRole } from './roles.js'

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

export const MAX_FAILED_LOGINS = 5
export const LOCKOUT_MINUTES = 15

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
    if (!/^[\w.@-]{2,64}$/.test(username)) throw new AppError('VALIDATION_FAILED', 'username must be 2–64 letters, digits, . _ @ -', { userMessage: '用户名只能包含字母、数字和 . _ @ -，长度 2–64' })
    if (!isStaffRole(input.role)) throw new AppError('VALIDATION_FAILED', `role must be one of agent, editor, reviewer, admin`, { userMessage: '角色无效（agent / editor / reviewer / admin）' })
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
      seatGroup: input.seatGroup ?? (input.role === 'agent' && region ? `${region}-${region.endsWith('0000') ? 'center' : 'remote'}` : null),
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

  /** Verifies a password; counts failures and locks the account for a while after MAX_FAILED_LOGINS. */
  async authenticate(username: string, password: string): Promise<User> {
    const user = typeof username === 'string' ? await this.users.get(username) : undefined
    const now = this.clock.now()
    if (!user || user.disabled) {
      // Same work as a real check so response time does not reveal which usernames exist.
      await verifyPassword(password, 'scrypt$16384$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')
      throw new AppError('INVALID_CREDENTIALS')
    }
    if (user.lockedUntil && new Date(user.lockedUntil) > now) throw new AppError('ACCOUNT_LOCKED', `locked until ${user.lockedUntil}`)
    if (!(await verifyPassword(password, user.passwordHash))) {
      await this.users.update(user.id, (u) => {
        const failed = u.failedLogins + 1
        return { ...u, failedLogins: failed >= MAX_FAILED_LOGINS ? 0 : failed, lockedUntil: failed >= MAX_FAILED_LOGINS ? new Date(now.getTime() + LOCKOUT_MINUTES * 60_000).toISOString() : u.lockedUntil }
      })
      throw new AppError('INVALID_CREDENTIALS')
    }
    if (user.failedLogins > 0 || user.lockedUntil) await this.users.update(user.id, (u) => ({ ...u, failedLogins: 0, lockedUntil: null }))
    return user
  }
}
