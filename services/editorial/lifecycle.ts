/**
 * The editorial lifecycle: draft → review → published → retired. Which action moves an entry from which
 * status, and what it needs. Pure data, shared by the service and the console (via the API).
 */
import type { EntryStatus } from '../../knowledge/entry.js'
import type { Permission } from '../auth/roles.js'
import { AppError } from '../shared/errors.js'

export const ACTIONS = [
  ...(['create', 'save', 'submit', 'approve', 'reject', 'retire', 'rollback', 'import', 'acknowledge'] as const),
  ...(['pin', 'unpin', 'lexicon'] as const),
  // an entry entered 法规变更待复核 because a change made one of its citations stale
  'ripple',
] as const
export type EditorialAction = (typeof ACTIONS)[number]

interface Rule {
  from: readonly EntryStatus[]
  to: EntryStatus
  permission: Permission
}

/** Status transitions of a working copy (a new entry, or the pending revision of a published one). */
export const TRANSITIONS = {
  submit: { from: ['draft'], to: 'review', permission: 'entries:draft' },
  approve: { from: ['review'], to: 'published', permission: 'entries:review' },
  reject: { from: ['review'], to: 'draft', permission: 'entries:review' },
  retire: { from: ['published'], to: 'retired', permission: 'entries:publish' },
} as const satisfies Record<string, Rule>

export type TransitionName = keyof typeof TRANSITIONS

export function checkTransition(name: TransitionName, from: EntryStatus): EntryStatus {
  const rule: Rule = TRANSITIONS[name]
  if (!rule.from.includes(from)) {
    const zh: Record<EntryStatus, string> = { draft: '草稿', review: '待审核', published: '已发布', retired: '已废止' }
    throw new AppError('INVALID_TRANSITION', `${name} is not allowed from ${from}`, {
      userMessage: `当前状态为「${zh[from]}」，不能执行此操作`,
    })
  }
  return rule.to
}
