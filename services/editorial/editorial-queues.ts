import type { Entry, EntryKind, EntryStatus, Layer } from '../../knowledge/entry.js'
import { versionId, type EntryVersion } from '../../knowledge/entry-version.js'
import { AppError } from '../shared/errors.js'
import { canWorkOnScope, type Actor } from './permissions.js'
import { needsReview, type NeedsReviewItem, type StaleCitation } from './ripple.js'
import { diffEntries, type EntryDiff } from './version-diff.js'
import { buildWorklists, type LedgerRowLike, type RatingLike, type Worklists } from './worklists.js'
import type { AuditRecord, EditorialRecords } from './editorial-records.js'
import { scopeWorkRows } from './worklist-scope.js'
import { auditQuery, type AuditFilter } from './audit-query.js'

export interface EntryRow {
  id: string
  kind: EntryKind
  title: string
  layer: Layer
  regionCode: string | null
  status: EntryStatus
  version: number
  updatedAt: string
  updatedBy: string | null
  effectiveFrom: string | null
  effectiveTo: string | null
  pendingRevision: { version: number; status: EntryStatus } | null
  needsReview: boolean
}

export interface EntryList {
  total: number
  counts: Partial<Record<EntryKind, number>>
  rows: EntryRow[]
}

export interface ListFilter {
  kind?: string | undefined
  layer?: string | undefined
  region?: string | undefined
  status?: string | undefined
  needsReview?: boolean | undefined
  tag?: string | undefined
  q?: string | undefined
  limit?: number | undefined
  offset?: number | undefined
}

/** Worklists read at most this many of the newest ledger rows (and ratings) of their window. */
export const WORKLIST_MAX_ROWS = 100_000

/** What editors look at: the entry list, one entry with its revision, history and audit, the queues. */
export class EditorialQueues {
  constructor(private readonly r: EditorialRecords) {}

  /**
   * `kind` may list several kinds (`faq,guide,notice`); `counts` are per kind under every other filter, so
   * the console's kind chips say how many each would show (issue 20 item 18).
   */
  async listEntries(filter: ListFilter = {}): Promise<EntryList> {
    const { items, all } = await this.r.ripple()
    const flagged = new Set(items.map((i) => i.id))
    const revisions = new Map<string, Entry>()
    for (const d of await this.r.meta.list()) if ('entry' in d) revisions.set(d.entryId, d.entry)
    const q = filter.q?.trim().toLowerCase()
    const region = filter.region?.trim()
    const kinds = new Set(
      (filter.kind ?? '')
        .split(',')
        .map((k) => k.trim())
        .filter(Boolean),
    )
    const counts: Partial<Record<EntryKind, number>> = {}
    const rows: EntryRow[] = []
    for (const e of all) {
      const rev = revisions.get(e.id)
      // clause passages are derived from their 公告 (edited through the document), listed only when searched for
      if (e.policy?.part === 'clause' && !filter.q) continue
      if (filter.layer && e.layer !== filter.layer) continue
      if (filter.status && e.status !== filter.status && rev?.status !== filter.status) continue
      if (region) {
        if (
          region === 'national'
            ? e.regionCode !== null
            : region.endsWith('0000')
              ? e.regionCode?.slice(0, 2) !== region.slice(0, 2)
              : e.regionCode !== region
        )
          continue
      }
      if (filter.needsReview && !flagged.has(e.id)) continue
      if (filter.tag && !e.tags.includes(filter.tag)) continue
      if (q && !`${e.id}\u0001${e.title}\u0001${e.question ?? ''}`.toLowerCase().includes(q)) continue
      counts[e.kind] = (counts[e.kind] ?? 0) + 1
      if (kinds.size > 0 && !kinds.has(e.kind)) continue
      rows.push({
        id: e.id,
        kind: e.kind,
        title: rev?.title ?? e.title,
        layer: e.layer,
        regionCode: e.regionCode,
        status: e.status,
        version: e.version,
        updatedAt: rev?.updatedAt ?? e.updatedAt,
        updatedBy: rev?.updatedBy ?? e.updatedBy ?? null,
        effectiveFrom: e.effectiveFrom,
        effectiveTo: e.effectiveTo,
        pendingRevision: rev ? { version: rev.version, status: rev.status } : null,
        needsReview: flagged.has(e.id),
      })
    }
    rows.sort((a, b) => (a.updatedAt < b.updatedAt ? 1 : a.updatedAt > b.updatedAt ? -1 : a.id.localeCompare(b.id)))
    const offset = filter.offset ?? 0
    const limit = Math.min(filter.limit ?? 50, 500)
    return { total: rows.length, counts, rows: rows.slice(offset, offset + limit) }
  }

  /** The live entry, its pending revision and what the actor may do with it. */
  async getEntry(
    actor: Actor,
    id: string,
  ): Promise<{
    entry: Entry
    revision: Entry | null
    working: Entry
    authors: string[]
    stale: StaleCitation[]
    canEdit: boolean
    canApprove: boolean
  }> {
    const entry = await this.r.mustGet(id)
    const rev = await this.r.revision(id)
    const working = rev?.entry ?? entry
    const authors = await this.r.authorsOf(id, working)
    const { items } = await this.r.ripple()
    const stale = items.find((i) => i.id === id)?.stale ?? []
    const inScope = canWorkOnScope(actor, entry)
    return {
      entry,
      revision: rev?.entry ?? null,
      working,
      authors,
      stale,
      canEdit: inScope && actor.permissions.has('entries:draft'),
      canApprove:
        inScope &&
        actor.permissions.has('entries:review') &&
        working.status === 'review' &&
        !authors.includes(actor.id),
    }
  }

  async versions(id: string): Promise<EntryVersion[]> {
    await this.r.mustGet(id)
    return this.r.versionsCol.list({ where: { entryId: id }, sort: { field: 'version', order: 'desc' } })
  }

  async diff(id: string, from: number, to: number): Promise<{ from: EntryVersion; to: EntryVersion; diff: EntryDiff }> {
    const [a, b] = await Promise.all([
      this.r.versionsCol.get(versionId(id, from)),
      this.r.versionsCol.get(versionId(id, to)),
    ])
    if (!a || !b) throw new AppError('NOT_FOUND', `version ${!a ? from : to} of ${id}`, { userMessage: '该版本不存在' })
    return { from: a, to: b, diff: diffEntries(a.entry, b.entry) }
  }

  /** Newest first. Raw request rows (`kind: 'http'`) only for user administrators (audit-query.ts). */
  async auditLog(filter: AuditFilter = {}, actor?: Actor): Promise<AuditRecord[]> {
    if (filter.kind === 'http' && actor && !actor.permissions.has('users:manage')) {
      throw new AppError('FORBIDDEN', 'request log needs users:manage', { userMessage: '只有管理员可以查看请求日志' })
    }
    return this.r.auditCol.list(auditQuery(filter))
  }

  async reviewQueue(actor: Actor): Promise<
    {
      id: string
      kind: EntryKind
      title: string
      layer: Layer
      regionCode: string | null
      version: number
      submittedBy: string | null
      updatedAt: string
      authors: string[]
      canApprove: boolean
      isRevision: boolean
    }[]
  > {
    const out = []
    const candidates: { working: Entry; isRevision: boolean }[] = (
      await this.r.entries.list({ where: { status: 'review' } })
    ).map((working) => ({ working, isRevision: false }))
    for (const d of await this.r.meta.list())
      if ('entry' in d && d.entry.status === 'review') candidates.push({ working: d.entry, isRevision: true })
    for (const { working, isRevision } of candidates) {
      if (!canWorkOnScope(actor, working)) continue
      const authors = await this.r.authorsOf(working.id, working)
      out.push({
        id: working.id,
        kind: working.kind,
        title: working.title,
        layer: working.layer,
        regionCode: working.regionCode,
        version: working.version,
        submittedBy: working.updatedBy ?? null,
        updatedAt: working.updatedAt,
        authors,
        canApprove: actor.permissions.has('entries:review') && !authors.includes(actor.id),
        isRevision,
      })
    }
    return out.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
  }

  async needsReviewQueue(actor?: Actor): Promise<NeedsReviewItem[]> {
    const { items } = await this.r.ripple()
    return actor ? items.filter((i) => canWorkOnScope(actor, i)) : items
  }

  /** With an actor: only the actor's regions (see worklist-scope.ts); report sessions never appear. */
  async worklists(days = 30, actor?: Actor): Promise<Worklists & { promoted: EntryRow[] }> {
    const span = Number.isFinite(days) ? Math.min(Math.max(Math.trunc(days), 1), 365) : 30
    const since = new Date(this.r.clock.now().getTime() - span * 86400_000).toISOString()
    // Newest first and bounded (indexed on `at`): a year of a province's ledger is not loaded per request.
    const newest = { sort: { field: 'at', order: 'desc' }, limit: WORKLIST_MAX_ROWS } as const
    const ledger = await this.r.store
      .collection<LedgerRowLike>('ledger')
      .list({ range: { field: 'at', gte: since }, ...newest })
    const ratings = await this.r.store
      .collection<RatingLike>('ratings')
      .list({ range: { field: 'at', gte: since }, ...newest })
    const scoped = scopeWorkRows(actor, ledger, ratings)
    const lists = buildWorklists(scoped.ledger, scoped.ratings, since)
    const promoted = (await this.listEntries({ limit: 500 })).rows
      .filter((r) => r.status === 'draft' || r.status === 'review')
      .filter((r) => !actor || canWorkOnScope(actor, r))
    const promotedIds = new Set(
      (await this.r.entries.getMany(promoted.map((p) => p.id)))
        .filter((e) => e.tags.includes('from-ticket') || e.tags.includes('工单沉淀') || /工单/.test(e.source.title))
        .map((e) => e.id),
    )
    return { ...lists, promoted: promoted.filter((p) => promotedIds.has(p.id)) }
  }
}
