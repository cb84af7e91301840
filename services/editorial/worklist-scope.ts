/**
 * Which consultations an editor's worklists may show: only questions of regions inside the caller's layer
 * (a city editor their city, a provincial editor their province and its cities, national staff all), and
 * never anything from a session that holds a report or complaint — the worklists quote taxpayers verbatim.
 * Pure; applied by the editorial service before the lists are grouped.
 */
import type { Layer } from '../../knowledge/entry.js'
import { confidentialSessions } from '../tickets/confidentiality.js'
import { canWorkOnScope, type Actor } from './permissions.js'
import type { LedgerRowLike, RatingLike } from './worklists.js'

function inScope(actor: Pick<Actor, 'role' | 'regionCode'> | undefined, regionCode: string | null): boolean {
  if (!actor) return true
  const layer: Layer = regionCode === null ? 'national' : regionCode.endsWith('0000') ? 'province' : 'city'
  return canWorkOnScope(actor, { layer, regionCode })
}

/** The ledger rows and ratings the actor's worklists are built from (no actor: every region). */
export function scopeWorkRows<L extends LedgerRowLike, R extends RatingLike>(
  actor: Pick<Actor, 'role' | 'regionCode'> | undefined,
  ledger: readonly L[],
  ratings: readonly R[],
): { ledger: L[]; ratings: R[] } {
  const secret = confidentialSessions(
    ledger.map((r) => ({ sessionId: r.sessionId, intent: r.intent ?? 'consult', ticketId: null })),
    [],
  )
  return {
    ledger: ledger.filter((r) => !secret.has(r.sessionId) && inScope(actor, r.regionCode)),
    ratings: ratings.filter((r) => !secret.has(r.sessionId) && inScope(actor, r.regionCode)),
  }
}
