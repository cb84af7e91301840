/**
 * `taxkb demo seed`: one staff account per role, placed so README's walk-through works as written — the
 * demo portal (services/web/widget/demo.html) sends region 320000, so its handoffs reach the 江苏 provincial
 * centre, where the demo agent sits; editor and reviewer share the 南京 layer (four eyes needs two people).
 * Passwords are random and printed once; an account that already exists is left untouched.
 */
import { AppError } from '../shared/errors.js'
import { generatePassword } from './password.js'
import type { NewUser, UserService } from './user-service.js'

export const DEMO_USERS: readonly Omit<NewUser, 'password'>[] = [
  { username: 'demo-agent', name: '李坐席', role: 'agent', regionCode: '320000' },
  { username: 'demo-editor', name: '陈编辑', role: 'editor', regionCode: '320100' },
  { username: 'demo-reviewer', name: '周审核', role: 'reviewer', regionCode: '320100' },
  { username: 'demo-admin', name: '运维管理员', role: 'admin', regionCode: null },
]

export interface SeededUser {
  username: string
  name: string
  role: string
  regionCode: string | null
  seatGroup: string | null
  /** null when the account already existed (its password is not changed). */
  password: string | null
}

export async function seedDemoUsers(
  users: Pick<UserService, 'add'>,
  newPassword = generatePassword,
): Promise<SeededUser[]> {
  const out: SeededUser[] = []
  for (const demo of DEMO_USERS) {
    const password = newPassword()
    try {
      const u = await users.add({ ...demo, password })
      out.push({
        username: u.id,
        name: u.name,
        role: u.role,
        regionCode: u.regionCode,
        seatGroup: u.seatGroup ?? null,
        password,
      })
    } catch (e) {
      if (!(e instanceof AppError && e.code === 'USER_EXISTS')) throw e
      const regionCode = demo.regionCode ?? null
      out.push({
        username: demo.username,
        name: demo.name ?? demo.username,
        role: demo.role,
        regionCode,
        seatGroup: null,
        password: null,
      })
    }
  }
  return out
}
