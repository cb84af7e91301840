/**
 * Hot topics for the widget and the portal: entries editors pinned, questions trending in the ledger over
 * the last 7 days, and the 税案通报 feed (published hot-topic entries, newest first).
 */
import type { Entry } from '../../knowledge/entry.js'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { trendingQuestions, type LedgerRowLike } from './worklists.js'

export interface PinnedTopic {
  id: string
  kind: Entry['kind']
  title: string
  question: string | null
  pinnedAt: string
  pinnedBy: string
}

export interface HotTopicsView {
  pinned: PinnedTopic[]
  trending: { question: string; count: number }[]
  cases: { id: string; title: string; publishedAt: string | null }[]
  suggestions: string[]
}

interface PinsDoc {
  id: string
  pins: { id: string; at: string; by: string }[]
}

const PINS_ID = 'hot-topics:pins'
const CACHE_MS = 5000
export const TRENDING_DAYS = 7
/** At most this many of the newest ledger rows of the window feed the trending list. */
export const TRENDING_SAMPLE_ROWS = 20_000

export class HotTopicsService {
  private readonly cache = new Map<string, { at: number; view: HotTopicsView }>()

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Region → its lineage (city → [city, province]); entries and questions of other regions are left out. */
    private readonly lineage: (code: string) => string[] = (c) => [c],
  ) {}

  invalidate(): void {
    this.cache.clear()
  }

  private async pins(): Promise<PinsDoc> {
    return (await this.store.collection<PinsDoc>('meta').get(PINS_ID)) ?? { id: PINS_ID, pins: [] }
  }

  async setPinned(entryId: string, pinned: boolean, actorId: string): Promise<PinsDoc> {
    if (pinned) {
      const e = await this.store.collection<Entry>('entries').get(entryId)
      if (!e || e.status !== 'published') throw new AppError('ENTRY_NOT_FOUND', `entry ${entryId} is not published`, { userMessage: '只能置顶已发布的知识条目' })
    }
    const at = this.clock.now().toISOString()
    const doc = await this.store.collection<PinsDoc>('meta').update(
      PINS_ID,
      (cur) => {
        const rest = cur.pins.filter((p) => p.id !== entryId)
        return { ...cur, pins: pinned ? [{ id: entryId, at, by: actorId }, ...rest] : rest }
      },
      { createIfMissing: { id: PINS_ID, pins: pinned ? [{ id: entryId, at, by: actorId }] : [] } as PinsDoc },
    )
    this.invalidate()
    return doc
  }

  /** The public view; with a region, only what a taxpayer of that region would see (national + lineage). */
  async view(region?: string): Promise<HotTopicsView> {
    const now = this.clock.now()
    const key = region ?? ''
    const cached = this.cache.get(key)
    if (cached && now.getTime() - cached.at < CACHE_MS && now.getTime() >= cached.at) return cached.view
    const lineage = region ? new Set(this.lineage(region)) : undefined
    const visible = (code: string | null) => code === null || !lineage || lineage.has(code)
    const entries = this.store.collection<Entry>('entries')
    const pinsDoc = await this.pins()
    const pinnedEntries = new Map((await entries.getMany(pinsDoc.pins.map((p) => p.id))).map((e) => [e.id, e]))
    const pinned: PinnedTopic[] = []
    for (const p of pinsDoc.pins) {
      const e = pinnedEntries.get(p.id)
      // A pinned entry that was retired since drops out of the public list by itself.
      if (e && e.status === 'published' && visible(e.regionCode)) pinned.push({ id: e.id, kind: e.kind, title: e.title, question: e.question ?? null, pinnedAt: p.at, pinnedBy: p.by })
    }
    const since = new Date(now.getTime() - TRENDING_DAYS * 86400_000).toISOString()
    // Newest rows first, bounded: the cost of a view does not grow with a busy week (indexed on `at`).
    const ledger = (await this.store.collection<LedgerRowLike & { id: string }>('ledger').list({ range: { field: 'at', gte: since }, sort: { field: 'at', order: 'desc' }, limit: TRENDING_SAMPLE_ROWS })).filter((r) => visible(r.regionCode))
    const trending = trendingQuestions(ledger, since, 10)
    const cases = (await entries.list({ where: { kind: 'hot-topic', status: 'published' } }))
      .filter((e) => visible(e.regionCode))
      .map((e) => ({ id: e.id, title: e.title, publishedAt: e.source.publishedAt ?? null }))
      .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.id.localeCompare(b.id))
      .slice(0, 10)
    const suggestions: string[] = []
    for (const s of [...pinned.map((p) => p.question ?? p.title), ...trending.map((t) => t.question)]) if (!suggestions.includes(s) && suggestions.length < 8) suggestions.push(s)
    const view = { pinned, trending, cases, suggestions }
    if (this.cache.size > 500) this.cache.clear()
    this.cache.set(key, { at: now.getTime(), view })
    return view
  }
}
