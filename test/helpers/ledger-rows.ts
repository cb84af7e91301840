/**
 * Building blocks of the operations fixtures (ledger, exports, dashboard): China-time instants, the 江苏
 * provincial-centre seat that works the fixture tickets, and a ledger row with the answering service's
 * shape (override what a case needs).
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
