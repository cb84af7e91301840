/**
 * Audit trail of staff writes (collection `audit`), written by the security plugin's onResponse hook for
 * every successful non-GET request by a logged-in staff member. The record has the same fields as the
 * editorial service's AuditRecord (actorId, actorName, action, entryId, from, to, version, comment) so
 * one audit view shows both, plus what the HTTP layer knows: method, route pattern, status, target id.
 * Never the request body: bodies carry taxpayer questions and contact details.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { maskPii } from '../shared/mask.js'

export interface HttpAuditRecord {
  id: string
  at: string
  kind: 'http'
  actorId: string
  actorName: string
  actorRole: string
  action: 'http'
  method: string
  route: string
  status: number
  targetId: string | null
  requestId: string
  entryId: null
  from: null
  to: null
  version: null
  comment: string
}

export interface StaffWrite {
  user: { id: string; name: string; role: string }
  method: string
  route: string
  status: number
  params: Record<string, unknown>
  requestId: string
}

/**
 * A chat session id is a bearer capability (knowing it opens the transcript), so the audit keeps only a
 * non-reversible reference: writes on one session still share a reference, and it opens nothing.
 */
export function sessionRef(sessionId: string): string {
  return `session:${crypto.createHash('sha256').update(`taxkb audit\u0000${sessionId}`).digest('hex').slice(0, 16)}`
}

/** The target of a write: the first id-like route parameter (`:id`, `:sessionId`, `:name`, …). */
export function targetIdOf(params: Record<string, unknown>): string | null {
  const keys = Object.keys(params)
  const key = keys.find((k) => k === 'id') ?? keys.find((k) => /id$/i.test(k)) ?? keys[0]
  const v = key === undefined ? undefined : params[key]
  if (typeof v !== 'string' && typeof v !== 'number') return null
  if (key !== undefined && /session/i.test(key)) return sessionRef(String(v))
  return maskPii(String(v)).slice(0, 200)
}

export function httpAuditRecord(w: StaffWrite, now: Date): HttpAuditRecord {
  const at = now.toISOString()
  const targetId = targetIdOf(w.params)
  return {
    id: `${at}#http-${crypto.randomBytes(5).toString('hex')}`,
    at,
    kind: 'http',
    actorId: w.user.id,
    actorName: maskPii(w.user.name),
    actorRole: w.user.role,
    action: 'http',
    method: w.method,
    route: w.route,
    status: w.status,
    targetId,
    requestId: w.requestId,
    entryId: null,
    from: null,
    to: null,
    version: null,
    comment: `${w.method} ${w.route} → ${w.status}${targetId ? ` (${targetId})` : ''}`,
  }
}

export async function recordStaffWrite(store: Store, clock: Clock, w: StaffWrite): Promise<HttpAuditRecord> {
  const rec = httpAuditRecord(w, clock.now())
  await store.collection<HttpAuditRecord>('audit').put(rec)
  return rec
}

/** The audit trail of staff writes, as handed to the HTTP layer (which never sees the store). */
export class StaffAuditTrail {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  record(w: StaffWrite): Promise<HttpAuditRecord> {
    return recordStaffWrite(this.store, this.clock, w)
  }
}
