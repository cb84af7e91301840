/**
 * The 操作日志 filter (issue 20 item 15) as a store query: editorial events by default, the raw HTTP
 * request rows of the staff audit trail (services/ops/audit.ts, action `http`) only when asked for; by
 * event type, entry, person and China-time date range. Pure: validation and the date arithmetic are here.
 */
import type { ListQuery, Scalar } from '../../knowledge/store/store.js'
import { AppError } from '../shared/errors.js'
import { ACTIONS, type EditorialAction } from './lifecycle.js'

export interface AuditFilter {
  /** `editorial` (default): lifecycle, import, lexicon, ripple events; `http`: request rows (admins). */
  kind?: 'editorial' | 'http' | undefined
  action?: string | undefined
  entryId?: string | undefined
  actorId?: string | undefined
  /** China-time dates (YYYY-MM-DD), both inclusive. */
  from?: string | undefined
  to?: string | undefined
  limit?: number | undefined
}

export const AUDIT_MAX_ROWS = 1000
const DAY_MS = 86_400_000
const CHINA_OFFSET_MS = 8 * 3_600_000

/** 00:00 China time of a YYYY-MM-DD date as a UTC ISO string; null for an impossible date (2026-02-30). */
export function chinaDayStart(date: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date)
  if (!m) return null
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])]
  const utc = Date.UTC(y, mo - 1, d)
  const back = new Date(utc)
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return null
  return new Date(utc - CHINA_OFFSET_MS).toISOString()
}

function dayBound(date: string, name: string): string {
  const at = chinaDayStart(date)
  if (!at)
    throw new AppError('VALIDATION_FAILED', `${name} ${date} is not a date`, {
      userMessage: `日期 ${date.slice(0, 20)} 无效，请按 年-月-日 填写`,
    })
  return at
}

export function auditQuery(filter: AuditFilter): ListQuery {
  const where: Record<string, Scalar | Scalar[]> = {}
  if (filter.kind === 'http') where.action = 'http'
  else if (filter.action) {
    if (!(ACTIONS as readonly string[]).includes(filter.action)) {
      throw new AppError('VALIDATION_FAILED', `unknown audit action ${filter.action}`, { userMessage: '操作类型无效' })
    }
    where.action = filter.action as EditorialAction
  } else where.action = [...ACTIONS]
  if (filter.entryId) where.entryId = filter.entryId
  if (filter.actorId) where.actorId = filter.actorId
  const q: ListQuery = {
    where,
    sort: { field: 'id', order: 'desc' },
    limit: Math.min(Math.max(filter.limit ?? 200, 1), AUDIT_MAX_ROWS),
  }
  if (filter.from || filter.to) {
    const gte = filter.from ? dayBound(filter.from, 'from') : undefined
    const lt = filter.to ? new Date(Date.parse(dayBound(filter.to, 'to')) + DAY_MS).toISOString() : undefined
    if (gte && lt && gte >= lt)
      throw new AppError('VALIDATION_FAILED', 'from is after to', { userMessage: '开始日期不能晚于结束日期' })
    q.range = { field: 'at', ...(gte ? { gte } : {}), ...(lt ? { lt } : {}) }
  }
  return q
}
