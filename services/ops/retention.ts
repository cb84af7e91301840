/**
 * Retention of operational records. Chat transcripts (collection `sessions`) are personal data with a
 * purpose that ends with the conversation: they are purged (deleted, not archived) once the session's last
 * activity is older than TAXKB_TRANSCRIPT_RETENTION_DAYS. What the service keeps is the consultation
 * ledger (台账): one row per turn with the question PII-masked, never purged, exportable
 * (`taxkb ledger export`, GET /api/admin/ledger). Tickets keep their own transcript copies under their
 * own rules. The sweep reads bounded, indexed batches (sessions by `updatedAt`), so it costs the expired
 * sessions, not the whole history.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'

/** Sessions stay readable 30 days (session-service.ts); a transcript is never purged before that. */
export const MIN_RETENTION_DAYS = 30
const BATCH = 500

/** The instant before which a session's last activity makes its transcript expire. Pure. */
export function retentionCutoff(now: Date, days: number): string {
  const d = Math.max(MIN_RETENTION_DAYS, Math.trunc(days))
  return new Date(now.getTime() - d * 86400_000).toISOString()
}

export interface SweepResult {
  cutoff: string
  purged: number
}

export async function purgeExpiredTranscripts(
  store: Store,
  clock: Clock,
  days: number,
  opts: { dryRun?: boolean } = {},
): Promise<SweepResult> {
  const cutoff = retentionCutoff(clock.now(), days)
  const sessions = store.collection<{ id: string; updatedAt: string }>('sessions')
  if (opts.dryRun) return { cutoff, purged: await sessions.count({ range: { field: 'updatedAt', lt: cutoff } }) }
  let purged = 0
  for (;;) {
    const batch = await sessions.list({
      range: { field: 'updatedAt', lt: cutoff },
      sort: { field: 'updatedAt', order: 'asc' },
      limit: BATCH,
    })
    if (batch.length === 0) break
    purged += await sessions.remove(batch.map((s) => s.id))
    if (batch.length < BATCH) break
  }
  return { cutoff, purged }
}

/**
 * Runs a background job now and then every `everyMs` (unref'd: it never keeps a process alive), one run at a time;
 * the returned stop aborts the run's signal and waits for a run in progress to end.
 */
export function startRetentionTimer(
  run: (signal: AbortSignal) => Promise<unknown>,
  onError: (e: unknown) => void,
  everyMs = 3600_000,
): () => Promise<void> {
  const abort = new AbortController()
  let running: Promise<void> | null = null
  const tick = () => {
    running ??= run(abort.signal)
      .then(() => undefined, onError)
      .finally(() => {
        running = null
      })
  }
  tick()
  const timer = setInterval(tick, everyMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    abort.abort()
    await running
  }
}
