/**
 * Roles and permissions. Routes ask for permissions, not roles, so a special grant (e.g. a report-handling
 * officer who may read reporter identities) does not need a new role.
 */
export const ROLES = ['agent', 'editor', 'reviewer', 'admin', 'hall-admin'] as const
export type StaffRole = (typeof ROLES)[number]
export type Role = StaffRole | 'taxpayer'

export const PERMISSIONS = [
  'chat', // ask questions, rate, hand off (taxpayers, anonymous)
  'kb:search-internal', // search drafts and entries under review, filter by any region
  'tickets:work', // see the queue of own seat group, claim, reply, transfer, extend, close
  'tickets:supervise', // see every queue of the province, reassign
  'confidential:read', // see reporter / complainant identity and contact
  'entries:draft', // create and edit drafts within own layer
  'entries:review', // approve / reject others' drafts within own layer
  'entries:publish', // publish, retire, roll back
  'lexicon:edit',
  'ledger:read', // ledger, metrics, exports
  'users:manage',
  'calendar:edit',
  'surveys:manage', // 网上调查: create, publish, close surveys and read results within own region
  'booking:hall', // hall staff: today's list, look-up, check-in, reschedule, unlock, capacity — own hall only
  'booking:manage', // halls registry, hall API keys, every hall, booking metrics
] as const
export type Permission = (typeof PERMISSIONS)[number]

const BY_ROLE: Record<Role, readonly Permission[]> = {
  taxpayer: ['chat'],
  agent: ['chat', 'kb:search-internal', 'tickets:work'],
  editor: ['chat', 'kb:search-internal', 'entries:draft', 'lexicon:edit'],
  reviewer: ['chat', 'kb:search-internal', 'entries:draft', 'entries:review', 'entries:publish', 'lexicon:edit'],
  admin: PERMISSIONS,
  'hall-admin': ['chat', 'booking:hall'],
}

export function permissionsOf(role: Role, extra: readonly string[] = []): Set<Permission> {
  const out = new Set<Permission>(BY_ROLE[role])
  for (const p of extra) if ((PERMISSIONS as readonly string[]).includes(p)) out.add(p as Permission)
  return out
}

export function isStaffRole(v: string): v is StaffRole {
  return (ROLES as readonly string[]).includes(v)
}
