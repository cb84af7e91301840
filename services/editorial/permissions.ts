/**
 * Who may touch which knowledge layer. A city editor works only on their city's entries, a provincial
 * editor on their province and its cities, national entries only by national staff (regionCode null).
 * Pure, so the rules are unit-tested without a server; the service calls it on every write.
 */
import type { Layer } from '../../knowledge/entry.js'
import type { Permission, Role } from '../auth/roles.js'
import { AppError } from '../shared/errors.js'

export interface Actor {
  id: string
  name: string
  role: Role
  regionCode: string | null
  permissions: ReadonlySet<Permission>
}

/** Whether `actor` may edit, review or publish an entry of this layer and region. */
export function canWorkOnScope(
  actor: Pick<Actor, 'role' | 'regionCode'>,
  scope: { layer: Layer; regionCode: string | null },
): boolean {
  if (actor.role === 'admin' || actor.regionCode === null) return true
  if (scope.layer === 'national' || scope.regionCode === null) return false
  if (actor.regionCode.endsWith('0000')) return scope.regionCode.slice(0, 2) === actor.regionCode.slice(0, 2)
  return scope.regionCode === actor.regionCode
}

export function requirePermission(actor: Actor, perm: Permission): void {
  if (!actor.permissions.has(perm))
    throw new AppError('FORBIDDEN', `missing permission ${perm}`, { userMessage: '没有权限执行此操作' })
}

export function requireScope(actor: Actor, scope: { layer: Layer; regionCode: string | null }): void {
  if (!canWorkOnScope(actor, scope)) {
    const where = scope.layer === 'national' ? '全国层' : `${scope.regionCode ?? ''} 地区`
    throw new AppError('FORBIDDEN', `scope ${scope.layer}/${scope.regionCode ?? '-'} is outside the user's region`, {
      userMessage: `无权编辑${where}的知识条目`,
    })
  }
}
