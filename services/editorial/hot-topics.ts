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

export class HotTopicsService {
  private cache: { at: number; view: HotTopicsView } | undefined

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  invalidate(): void {
    this.cache = undefined
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

  async view(): Promise<HotTopicsView> {
    const now = this.clock.now()
    if (this.cache && now.getTime() - this.cache.at < CACHE_MS && now.getTime() >= this.cache.at) return this.cache.view
    const entries = this.store.collection<Entry>('entries')
    const pinsDoc = await this.pins()
    const pinnedEntries = new Map((await entries.getMany(pinsDoc.pins.map((p) => p.id))).map((e) => [e.id, e]))
    const pinned: PinnedTopic[] = []
    for (const p of pinsDoc.pins) {
      const e = pinnedEntries.get(p.id)
      // A pinned entry that was retired since drops out of the public list by itself.
      if (e && e.status === 'published') pinned.push({ id: e.id, kind: e.kind, title: e.title, question: e.question ?? null, pinnedAt: p.at, pinnedBy: p.by })
    }
    const since = new Date(now.getTime() - TRENDING_DAYS * 86400_000).toISOString()
    const ledger = await this.store.collection<LedgerRowLike & { id: string }>('ledger').list({ range: { field: 'at', gte: since } })
    const trending = trendingQuestions(ledger, since, 10)
    const cases = (await entries.list({ where: { kind: 'hot-topic', status: 'published' } }))
      .map((e) => ({ id: e.id, title: e.title, publishedAt: e.source.publishedAt ?? null }))
      .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.id.localeCompare(b.id))
      .slice(0, 10)
    const suggestions: string[] = []
    for (const s of [...pinned.map((p) => p.question ?? p.title), ...trending.map((t) => t.question)]) if (!suggestions.includes(s) && suggestions.length < 8) suggestions.push(s)
    const view = { pinned, trending, cases, suggestions }
    this.cache = { at: now.getTime(), view }
    return view
  }
}
