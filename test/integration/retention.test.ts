/**
 * Retention: transcripts whose last activity is older than the retention period are purged in bounded
 * batches, recent ones and every ledger row are kept; the ledger export streams a China-time date range.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { EmbeddedStore } from '../../knowledge/store/embedded-store.js'
import { fixedClock } from '../../services/shared/clock.js'
import { chinaDayBounds, exportLedger } from '../../services/ops/ledger-export.js'
import { purgeExpiredTranscripts, retentionCutoff } from '../../services/ops/retention.js'
import { tempDir } from '../helpers/env.js'

const NOW = '2026-12-01T02:00:00.000Z'
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86400_000).toISOString()

describe('transcript retention', () => {
  it('computes the cutoff and never goes below the 30 days a session stays readable', () => {
    expect(retentionCutoff(new Date(NOW), 180)).toBe(daysAgo(180))
    expect(retentionCutoff(new Date(NOW), 7)).toBe(daysAgo(30))
  })

  it('purges only sessions last active before the cutoff (more than one batch), keeps the ledger', async () => {
    const store = await EmbeddedStore.open(path.join(tempDir(), 'd'))
    const sessions = store.collection<{ id: string; createdAt: string; updatedAt: string; turns: unknown[] }>(
      'sessions',
    )
    const old = Array.from({ length: 1203 }, (_, i) => ({
      id: `old-${i}`,
      createdAt: daysAgo(400),
      updatedAt: daysAgo(181 + (i % 100)),
      turns: [{ text: '旧会话' }],
    }))
    // Opened long ago but active yesterday: kept (retention counts from the last activity).
    const recent = [
      { id: 'recent', createdAt: daysAgo(200), updatedAt: daysAgo(1), turns: [] },
      { id: 'edge', createdAt: daysAgo(180), updatedAt: daysAgo(179), turns: [] },
    ]
    await sessions.putMany([...old, ...recent])
    await store
      .collection<{ id: string; at: string; sessionId: string }>('ledger')
      .putMany(old.map((s) => ({ id: `l-${s.id}`, at: s.updatedAt, sessionId: s.id })))
    const clock = fixedClock(NOW)
    expect(await purgeExpiredTranscripts(store, clock, 180, { dryRun: true })).toEqual({
      cutoff: daysAgo(180),
      purged: 1203,
    })
    expect(await sessions.count()).toBe(1205)
    expect((await purgeExpiredTranscripts(store, clock, 180)).purged).toBe(1203)
    expect((await sessions.list({ sort: { field: 'id', order: 'asc' } })).map((s) => s.id)).toEqual(['edge', 'recent'])
    expect(await store.collection('ledger').count()).toBe(1203)
    expect((await purgeExpiredTranscripts(store, clock, 180)).purged).toBe(0)
    await store.close()
  })
})

describe('ledger export', () => {
  it('streams the rows of China-time days in time order, and refuses bad ranges with a Chinese message', async () => {
    expect(chinaDayBounds('2026-11-30', '2026-11-30')).toEqual(['2026-11-29T16:00:00.000Z', '2026-11-30T16:00:00.000Z'])
    expect(() => chinaDayBounds('2026-12-02', '2026-12-01')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED', userMessage: '开始日期不能晚于结束日期' }),
    )
    expect(() => chinaDayBounds('2026/12/01', '2026-12-01')).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    )
    const store = await EmbeddedStore.open(path.join(tempDir(), 'd'))
    await store.collection<{ id: string; at: string }>('ledger').putMany([
      { id: 'before', at: '2026-11-29T15:59:59.999Z' },
      { id: 'b', at: '2026-11-30T10:00:00.000Z' },
      { id: 'a', at: '2026-11-29T16:00:00.000Z' },
      { id: 'c', at: '2026-12-01T15:59:59.000Z' },
      { id: 'after', at: '2026-12-01T16:00:00.000Z' },
    ])
    const lines: string[] = []
    const n = await exportLedger(store, '2026-11-30', '2026-12-01', async (l) => void lines.push(l))
    expect(n).toBe(3)
    expect(lines.map((l) => (JSON.parse(l) as { id: string }).id)).toEqual(['a', 'b', 'c'])
    // One busy instant larger than a page: pages of 2 still give every row once, in order.
    const busy = Array.from({ length: 5 }, (_, i) => ({ id: `busy-${i}`, at: '2026-11-30T12:00:00.000Z' }))
    await store.collection<{ id: string; at: string }>('ledger').putMany(busy)
    const paged: string[] = []
    expect(await exportLedger(store, '2026-11-30', '2026-12-01', async (l) => void paged.push(l), 2)).toBe(8)
    const ids = paged.map((l) => (JSON.parse(l) as { id: string }).id)
    expect(ids).toEqual(['a', 'b', ...busy.map((b) => b.id), 'c'])
    await store.close()
  })
})
