/**
 * Ledger rows for seeding tests, typed by the real LedgerRow: one row with the answering service's shape
 * (override what a case needs), the rows of one answered consultation (the kind that may trend, for the
 * hot-topic tests), China-time instants and the 江苏 provincial-centre seat of the operations fixtures.
 */
import type { LedgerRow } from '../../services/shared/consultation-records.js'
import type { Viewer } from '../../services/tickets/routing.js'

/** `2026-11-03T14:00` China time → ISO instant. */
export const cn = (local: string): string => new Date(`${local}:00+08:00`).toISOString()

export const JIANGSU_SEAT: Viewer & { name: string } = {
  id: 'js1',
  name: '江苏坐席',
  regionCode: '320000',
  seatGroup: '320000-center',
  permissions: new Set(['tickets:work']),
}

export function ledgerRow(id: string, at: string, extra: Partial<LedgerRow> = {}): LedgerRow {
  return {
    id,
    at: cn(at),
    sessionId: `s-${id}`,
    channel: 'web',
    regionCode: '320000',
    question: `问题${id}`,
    intent: 'consult',
    mode: 'faq',
    confidence: 0.8,
    citedIds: [],
    latencyMs: 40,
    ticketId: null,
    topic: null,
    ...extra,
  }
}

/** Runs `fn` with the container's fixed clock set to a China-time instant (fixtures made "at" a time). */
export function atChinaTime(clock: unknown): <T>(local: string, fn: () => Promise<T>) => Promise<T> {
  const fixed = clock as { set(v: string): void }
  return async (local, fn) => {
    fixed.set(cn(local))
    return fn()
  }
}

/** `asks` rows of `question`, a minute apart before `now`, spread over `sessions` chat sessions. */
export function consultRows(
  now: Date,
  prefix: string,
  question: string,
  regionCode: string | null,
  asks: number,
  sessions: number,
): LedgerRow[] {
  return Array.from({ length: asks }, (_, i) =>
    ledgerRow(`${prefix}-${i}`, '2026-01-01T00:00', {
      at: new Date(now.getTime() - (i + 1) * 60_000).toISOString(),
      sessionId: `${prefix}-s${i % sessions}`,
      regionCode,
      question,
      confidence: 0.9,
      citedIds: ['x'],
      latencyMs: 5,
    }),
  )
}
