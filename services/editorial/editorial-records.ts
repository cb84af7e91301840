/** Shared state and write helpers of the editorial parts (lifecycle, bulk import, lexicon, queues). */
import crypto from 'node:crypto'
import { validateEntry, type Entry, type EntryStatus } from '../../knowledge/entry.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import { relinkPolicies } from '../../indexers/policy-links.js'
import { versionOf, type EntryVersion } from '../../knowledge/entry-version.js'
import { chinaDate, type Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import type { HotTopicsService } from './hot-topics.js'
import type { IndexSync } from './index-sync.js'
import type { EditorialAction } from './lifecycle.js'
import type { Actor } from './permissions.js'
import { needsReview, staleArticles, type NeedsReviewItem } from './ripple.js'
import type { EntryInput } from './entry-table.js'
import { lawTitlesOf } from './policy-worklist.js'

export interface AuditRecord {
  id: string
  at: string
  actorId: string
  actorName: string
  action: EditorialAction
  entryId: string | null
  from: EntryStatus | null
  to: EntryStatus | null
  version: number | null
  comment: string | null
}

export interface RevisionDoc {
  id: string
  entryId: string
  entry: Entry
}

export interface AckDoc {
  id: string
  entryId: string
  articleIds: string[]
  at: string
  by: string
}

export const revisionKey = (id: string) => `revision:${id}`
export const ackKey = (id: string) => `ripple-ack:${id}`

/**
 * What every editorial part shares: the collections (entries, versions, audit, meta), the working-copy
 * and go-live writes, version and audit records, validation and the ripple (stale citations) view.
 */
export class EditorialRecords {
  readonly entries
  readonly versionsCol
  readonly auditCol
  readonly meta

  constructor(
    readonly store: Store,
    readonly regions: RegionTable,
    readonly clock: Clock,
    readonly sync: IndexSync,
    readonly hotTopics: HotTopicsService,
  ) {
    this.entries = store.collection<Entry>('entries')
    this.versionsCol = store.collection<EntryVersion>('versions')
    this.auditCol = store.collection<AuditRecord>('audit')
    this.meta = store.collection<RevisionDoc | AckDoc>('meta')
  }

  async revision(id: string): Promise<RevisionDoc | undefined> {
    const d = await this.meta.get(revisionKey(id))
    return d && 'entry' in d ? d : undefined
  }

  async mustGet(id: string): Promise<Entry> {
    const e = await this.entries.get(id)
    if (!e) throw new AppError('ENTRY_NOT_FOUND', `entry ${id}`)
    return e
  }

  async ripple(): Promise<{ items: NeedsReviewItem[]; all: Entry[] }> {
    const all = await this.entries.list()
    const stale = staleArticles(all, chinaDate(this.clock.now()))
    const acks = new Map<string, Set<string>>()
    for (const d of await this.meta.list()) if ('articleIds' in d) acks.set(d.entryId, new Set(d.articleIds))
    return { items: needsReview(all, stale, acks), all }
  }

  /** Everyone who saved the working copy since it was last published (the four-eyes exclusion list). */
  async authorsOf(id: string, working: Entry): Promise<string[]> {
    if (working.status === 'published' || working.status === 'retired') return []
    const versions = await this.versionsCol.list({ where: { entryId: id } })
    const lastLive = Math.max(
      0,
      ...versions.filter((v) => v.entry.status === 'published' || v.entry.status === 'retired').map((v) => v.version),
    )
    const authors = new Set(versions.filter((v) => v.version > lastLive).map((v) => v.savedBy))
    if (working.updatedBy) authors.add(working.updatedBy)
    return [...authors]
  }

  now(): string {
    return this.clock.now().toISOString()
  }

  private auditSeq = 0
  /** Sortable and unique: the timestamp, then a per-process sequence (clocks may repeat), then noise. */
  auditId(at: string): string {
    return `${at}#${String(++this.auditSeq).padStart(9, '0')}${crypto.randomBytes(3).toString('hex')}`
  }

  async audit(
    actor: Pick<Actor, 'id' | 'name'>,
    action: EditorialAction,
    entryId: string | null,
    from: EntryStatus | null,
    to: EntryStatus | null,
    version: number | null,
    comment?: string | null,
  ): Promise<void> {
    const at = this.now()
    await this.auditCol.put({
      id: this.auditId(at),
      at,
      actorId: actor.id,
      actorName: actor.name,
      action,
      entryId,
      from,
      to,
      version,
      comment: comment ?? null,
    })
  }

  async nextVersion(id: string, current: Entry | undefined, rev: RevisionDoc | undefined): Promise<number> {
    const last = await this.versionsCol.list({
      where: { entryId: id },
      sort: { field: 'version', order: 'desc' },
      limit: 1,
    })
    return Math.max(current?.version ?? 0, rev?.entry.version ?? 0, last[0]?.version ?? 0) + 1
  }

  async recordVersion(e: Entry, actor: Pick<Actor, 'id'>, note: string): Promise<void> {
    await this.versionsCol.put(versionOf(e, e.updatedAt, actor.id, note))
  }

  validate(candidate: Entry): void {
    const problems = validateEntry(candidate)
    if (candidate.regionCode && !this.regions.has(candidate.regionCode))
      problems.push({ path: '/regionCode', message: `unknown region code ${candidate.regionCode}` })
    if (problems.length > 0) {
      throw new AppError('INVALID_ENTRY', problems.map((p) => `${p.path} ${p.message}`).join('; '), {
        userMessage: `条目校验未通过：${problems.map((p) => `${fieldLabel(p.path)} ${p.message}`).join('；')}`,
        details: problems,
      })
    }
  }

  clean(input: Record<string, unknown>): EntryInput {
    const { version: _v, updatedAt: _u, updatedBy: _b, status: _s, baseVersion: _bv, ...rest } = input
    return rest as unknown as EntryInput
  }

  /** Writes a working copy: into `entries` for a never-published entry, else as the pending revision. */
  async writeWorking(current: Entry | undefined, next: Entry): Promise<void> {
    if (!current || current.status === 'draft' || current.status === 'review') {
      await this.entries.put(next)
      await this.sync.apply([next])
    } else {
      await this.meta.put({ id: revisionKey(next.id), entryId: next.id, entry: next })
    }
  }

  async goLive(e: Entry): Promise<void> {
    await this.entries.put(e)
    await this.meta.remove([revisionKey(e.id)])
    await this.sync.apply([e])
    this.hotTopics.invalidate()
    if (e.kind === 'policy') await this.relinkPolicies()
  }

  /** Re-derives clause passages and repeal / amendment links after a policy document changes state. */
  async relinkPolicies(): Promise<void> {
    const { changed } = await relinkPolicies(
      this.store,
      await lawTitlesOf(this.store),
      this.clock.now(),
      'policy-links',
    )
    if (changed.length > 0) await this.sync.apply(changed)
  }
}

const LABELS: Record<string, string> = {
  '/id': '编号',
  '/title': '标题',
  '/body': '正文',
  '/question': '问题',
  '/regionCode': '地区代码',
  '/layer': '层级',
  '/kind': '类型',
  '/effectiveFrom': '生效日期',
  '/effectiveTo': '失效日期',
  '/guide': '办税指南字段',
  '/law': '法规字段',
  '/source': '来源',
  '/source/title': '来源标题',
  '/tags': '标签',
  '/citedArticleIds': '引用条文',
}
function fieldLabel(path: string): string {
  return LABELS[path] ?? path
}
