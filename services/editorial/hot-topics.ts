/**
 * Hot topics for the widget and the portal: entries editors pinned, questions trending in the ledger over
 * the last 7 days, and the 税案通报 feed (published hot-topic entries, newest first).
 */
import type { Entry } from '../../knowledge/entry.js'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { trendingQuestions } from './trending-rules.js'
import { isWithinRegion, welcomeTopics, type WelcomeTopic } from './welcome-topics.js'
import { normalizeQuestion, type LedgerRowLike } from './worklists.js'

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
  /** The widget's opening list (services/editorial/welcome-topics.ts): never case reports. */
  welcome: WelcomeTopic[]
}

interface PinsDoc {
  id: string
  pins: { id: string; at: string; by: string }[]
}

/** Trending questions editors took off the public list (keyed by the normalised question). */
export interface BlockedTopic {
  key: string
  question: string
  at: string
  by: string
}

interface BlocksDoc {
  id: string
  blocks: BlockedTopic[]
}

const PINS_ID = 'hot-topics:pins'
const BLOCKS_ID = 'hot-topics:blocks'
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
      if (!e || e.status !== 'published')
        throw new AppError('ENTRY_NOT_FOUND', `entry ${entryId} is not published`, {
          userMessage: '只能置顶已发布的知识条目',
        })
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

  async blocked(): Promise<BlockedTopic[]> {
    return ((await this.store.collection<BlocksDoc>('meta').get(BLOCKS_ID)) ?? { blocks: [] }).blocks
  }

  /** Blocks (or unblocks) a trending question; pinned entries are a separate list and stay as they are. */
  async setBlocked(question: string, blocked: boolean, actorId: string): Promise<BlockedTopic[]> {
    const key = normalizeQuestion(question)
    if (!key) throw new AppError('VALIDATION_FAILED', 'empty question', { userMessage: '请填写要屏蔽的问题' })
    const entry: BlockedTopic = { key, question: question.trim(), at: this.clock.now().toISOString(), by: actorId }
    const doc = await this.store.collection<BlocksDoc>('meta').update(
      BLOCKS_ID,
      (cur) => {
        const rest = cur.blocks.filter((b) => b.key !== key)
        return { ...cur, blocks: blocked ? [entry, ...rest] : rest }
      },
      { createIfMissing: { id: BLOCKS_ID, blocks: blocked ? [entry] : [] } as BlocksDoc },
    )
    this.invalidate()
    return doc.blocks
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
      if (e && e.status === 'published' && visible(e.regionCode))
        pinned.push({
          id: e.id,
          kind: e.kind,
          title: e.title,
          question: e.question ?? null,
          pinnedAt: p.at,
          pinnedBy: p.by,
        })
    }
    const since = new Date(now.getTime() - TRENDING_DAYS * 86400_000).toISOString()
    // Newest rows first, bounded: the cost of a view does not grow with a busy week (indexed on `at`).
    const sample = await this.store.collection<LedgerRowLike & { id: string }>('ledger').list({
      range: { field: 'at', gte: since },
      sort: { field: 'at', order: 'desc' },
      limit: TRENDING_SAMPLE_ROWS,
    })
    const ledger = sample.filter((r) => visible(r.regionCode))
    const blocked = new Set((await this.blocked()).map((b) => b.key))
    const trending = trendingQuestions(ledger, since, { limit: 10, blocked })
    // With a region, 本地 is the region's own rows and 全国 the rows asked without one; without, all is 全国.
    // A province's taxpayers include its cities': a 南京 question is a 江苏 question on the 江苏 portal.
    const regional = (code: string | null) => code !== null && (lineage?.has(code) || isWithinRegion(code, region))
    const regionalTrending = lineage
      ? trendingQuestions(
          sample.filter((r) => regional(r.regionCode)),
          since,
          { limit: 10, blocked },
        )
      : []
    const nationalTrending = lineage
      ? trendingQuestions(
          ledger.filter((r) => r.regionCode === null),
          since,
          { limit: 10, blocked },
        )
      : trending
    const pinnedRegion = (id: string) => pinnedEntries.get(id)?.regionCode ?? null
    const welcome = welcomeTopics({
      pinned: pinned.map((p) => ({ ...p, regionCode: pinnedRegion(p.id) })),
      regionalTrending,
      nationalTrending,
    })
    const cases = (await entries.list({ where: { kind: 'hot-topic', status: 'published' } }))
      .filter((e) => visible(e.regionCode))
      .map((e) => ({ id: e.id, title: e.title, publishedAt: e.source.publishedAt ?? null }))
      .sort((a, b) => (b.publishedAt ?? '').localeCompare(a.publishedAt ?? '') || a.id.localeCompare(b.id))
      .slice(0, 10)
    const suggestions: string[] = []
    // Suggestions are questions to ask: a pinned case report (税案通报) is news, not a question.
    const askable = pinned.filter((p) => p.kind !== 'hot-topic')
    for (const s of [...askable.map((p) => p.question ?? p.title), ...trending.map((t) => t.question)]) {
      if (!suggestions.includes(s) && suggestions.length < 8) suggestions.push(s)
    }
    const view = { pinned, trending, cases, suggestions, welcome }
    if (this.cache.size > 500) this.cache.clear()
    this.cache.set(key, { at: now.getTime(), view })
    return view
  }
}
