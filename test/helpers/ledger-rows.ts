/** Ledger rows of one answered consultation (the kind that may trend), for seeding hot-topic tests. */
import type { LedgerRow } from '../../services/shared/consultation-records.js'

/** `asks` rows of `question`, a minute apart before `now`, spread over `sessions` chat sessions. */
export function consultRows(
  now: Date,
  prefix: string,
  question: string,
  regionCode: string | null,
  asks: number,
  sessions: number,
): LedgerRow[] {
  return Array.from({ length: asks }, (_, i) => ({
    id: `${prefix}-${i}`,
    at: new Date(now.getTime() - (i + 1) * 60_000).toISOString(),
    sessionId: `${prefix}-s${i % sessions}`,
    channel: 'web',
    regionCode,
    question,
    intent: 'consult',
    mode: 'faq',
    confidence: 0.9,
    citedIds: ['x'],
    latencyMs: 5,
    ticketId: null,
    topic: null,
  }))
}
