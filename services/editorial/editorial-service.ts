/**
 * The editorial use cases: drafting, four-eyes review, publishing, retiring, versions, diff, rollback,
 * audit, the law-change ripple queue, bulk import/export, worklists, lexicon editing and hot-topic pins.
 *
 * Model: the `entries` collection holds what is live (or, for an entry never published, its draft).
 * Editing a published or retired entry does not take it offline: the edit becomes a pending revision
 * (collection `meta`, id `revision:<entryId>`) that goes draft → review → published and then replaces
 * the live entry. Every save writes an EntryVersion into `versions` (same shape as the importer's), every
 * action an AuditRecord into `audit`. Permissions and layer scope are enforced here, not only in routes.
 */
import crypto from 'node:crypto'
import { contentKey, validateEntry, type Entry, type EntryKind, type EntryStatus, type Layer } from '../../knowledge/entry.js'
import { LexiconError, parseExpansionsSafe, parseStopwords, parseSynonyms, parseUserDict, type Lexicon } from './lexicon-parse.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import { versionId, type EntryVersion } from '../../indexers/import-corpus.js'
import type { BackendBundle } from '../search/create-search-backend.js'
import { chinaDate, type Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { HotTopicsService } from './hot-topics.js'
import { IndexSync } from './index-sync.js'
import { checkTransition, type EditorialAction } from './lifecycle.js'
import { LEXICON_FILES, loadLexiconWithOverlay, readLexiconFile, writeOverlayFile, type LexiconFileName } from './lexicon-files.js'
import { canWorkOnScope, requirePermission, requireScope, type Actor } from './permissions.js'
import { needsReview, staleArticles, type NeedsReviewItem, type StaleCitation } from './ripple.js'
import { parseEntries, writeEntries, type BulkFormat, type EntryInput } from './entry-table.js'
import { diffEntries, type EntryDiff } from './version-diff.js'
import { relinkPolicies } from '../../indexers/policy-links.js'
import { draftFromIntake, type IntakeDraft, type IntakeRequest } from './policy-intake.js'
import { lawTitlesOf, missingDocuments } from './policy-worklist.js'
import { policyInputFromRecord } from '../../indexers/sources/policy-source.js'
import { buildPolicy } from '../../knowledge/policy-entries.js'
import { buildWorklists, type LedgerRowLike, type RatingLike, type Worklists } from './worklists.js'

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

interface RevisionDoc {
  id: string
  entryId: string
  entry: Entry
}

interface AckDoc {
  id: string
  entryId: string
  articleIds: string[]
  at: string
  by: string
}

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

export interface ImportReport {
  format: BulkFormat
  dryRun: boolean
  ok: boolean
  rows: number
  valid: number
  created: number
  updated: number
  unchanged: number
  imported: number
  problems: { row: number; id: string | null; messages: string[] }[]
}

export interface PolicyImportReport {
  ok: boolean
  dryRun: boolean
  rows: number
  imported: number
  problems: { row: number; id: string | null; messages: string[] }[]
}

export interface EditorialOptions {
  dataDir: string
  lexiconDir: string
  persistDelayMs?: number
  /** Called with the new lexicon after an edit (the container keeps ctx.lexicon current). */
  onLexicon?: (lexicon: Lexicon) => void
  onError?: (e: unknown) => void
}

const revisionKey = (id: string) => `revision:${id}`
const ackKey = (id: string) => `ripple-ack:${id}`

export class EditorialService {
  readonly hotTopics: HotTopicsService
  private readonly sync: IndexSync
  private readonly entries
  private readonly versionsCol
  private readonly auditCol
  private readonly meta

  constructor(
    private readonly store: Store,
    private readonly regions: RegionTable,
    private readonly clock: Clock,
    private readonly index: BackendBundle,
    private readonly options: EditorialOptions,
  ) {
    this.entries = store.collection<Entry>('entries')
    this.versionsCol = store.collection<EntryVersion>('versions')
    this.auditCol = store.collection<AuditRecord>('audit')
    this.meta = store.collection<RevisionDoc | AckDoc>('meta')
    this.hotTopics = new HotTopicsService(store, clock, (code) => regions.lineage(code))
    this.sync = new IndexSync(index, options.persistDelayMs ?? 1000, options.onError)
  }

  async close(): Promise<void> {
    await this.sync.flush()
  }

  // ---------------------------------------------------------------- reading

  private async revision(id: string): Promise<RevisionDoc | undefined> {
    const d = await this.meta.get(revisionKey(id))
    return d && 'entry' in d ? d : undefined
  }

  private async mustGet(id: string): Promise<Entry> {
    const e = await this.entries.get(id)
    if (!e) throw new AppError('ENTRY_NOT_FOUND', `entry ${id}`)
    return e
  }

  private async ripple(): Promise<{ items: NeedsReviewItem[]; all: Entry[] }> {
    const all = await this.entries.list()
    const stale = staleArticles(all, chinaDate(this.clock.now()))
    const acks = new Map<string, Set<string>>()
    for (const d of await this.meta.list()) if ('articleIds' in d) acks.set(d.entryId, new Set(d.articleIds))
    return { items: needsReview(all, stale, acks), all }
  }

  async listEntries(filter: ListFilter = {}): Promise<{ total: number; rows: EntryRow[] }> {
    const { items, all } = await this.ripple()
    const flagged = new Set(items.map((i) => i.id))
    const revisions = new Map<string, Entry>()
    for (const d of await this.meta.list()) if ('entry' in d) revisions.set(d.entryId, d.entry)
    const q = filter.q?.trim().toLowerCase()
    const region = filter.region?.trim()
    const rows: EntryRow[] = []
    for (const e of all) {
      const rev = revisions.get(e.id)
      if (filter.kind && e.kind !== filter.kind) continue
      // clause passages are derived from their 公告 (edited through the document), listed only when searched for
      if (e.policy?.part === 'clause' && !filter.q) continue
      if (filter.layer && e.layer !== filter.layer) continue
      if (filter.status && e.status !== filter.status && rev?.status !== filter.status) continue
      if (region) {
        if (region === 'national' ? e.regionCode !== null : region.endsWith('0000') ? e.regionCode?.slice(0, 2) !== region.slice(0, 2) : e.regionCode !== region) continue
      }
      if (filter.needsReview && !flagged.has(e.id)) continue
      if (filter.tag && !e.tags.includes(filter.tag)) continue
      if (q && !`${e.id}\u0001${e.title}\u0001${e.question ?? ''}`.toLowerCase().includes(q)) continue
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
    return { total: rows.length, rows: rows.slice(offset, offset + limit) }
  }

  /** The live entry, its pending revision and what the actor may do with it. */
  async getEntry(actor: Actor, id: string): Promise<{ entry: Entry; revision: Entry | null; working: Entry; authors: string[]; stale: StaleCitation[]; canEdit: boolean; canApprove: boolean }> {
    const entry = await this.mustGet(id)
    const rev = await this.revision(id)
    const working = rev?.entry ?? entry
    const authors = await this.authorsOf(id, working)
    const { items } = await this.ripple()
    const stale = items.find((i) => i.id === id)?.stale ?? []
    const inScope = canWorkOnScope(actor, entry)
    return {
      entry,
      revision: rev?.entry ?? null,
      working,
      authors,
      stale,
      canEdit: inScope && actor.permissions.has('entries:draft'),
      canApprove: inScope && actor.permissions.has('entries:review') && working.status === 'review' && !authors.includes(actor.id),
    }
  }

  /** Everyone who saved the working copy since it was last published (the four-eyes exclusion list). */
  private async authorsOf(id: string, working: Entry): Promise<string[]> {
    if (working.status === 'published' || working.status === 'retired') return []
    const versions = await this.versionsCol.list({ where: { entryId: id } })
    const lastLive = Math.max(0, ...versions.filter((v) => v.entry.status === 'published' || v.entry.status === 'retired').map((v) => v.version))
    const authors = new Set(versions.filter((v) => v.version > lastLive).map((v) => v.savedBy))
    if (working.updatedBy) authors.add(working.updatedBy)
    return [...authors]
  }

  async versions(id: string): Promise<EntryVersion[]> {
    await this.mustGet(id)
    return this.versionsCol.list({ where: { entryId: id }, sort: { field: 'version', order: 'desc' } })
  }

  async diff(id: string, from: number, to: number): Promise<{ from: EntryVersion; to: EntryVersion; diff: EntryDiff }> {
    const [a, b] = await Promise.all([this.versionsCol.get(versionId(id, from)), this.versionsCol.get(versionId(id, to))])
    if (!a || !b) throw new AppError('NOT_FOUND', `version ${!a ? from : to} of ${id}`, { userMessage: '该版本不存在' })
    return { from: a, to: b, diff: diffEntries(a.entry, b.entry) }
  }

  async auditLog(filter: { entryId?: string | undefined; limit?: number | undefined } = {}): Promise<AuditRecord[]> {
    return this.auditCol.list({ ...(filter.entryId ? { where: { entryId: filter.entryId } } : {}), sort: { field: 'id', order: 'desc' }, limit: Math.min(filter.limit ?? 100, 1000) })
  }

  async reviewQueue(actor: Actor): Promise<{ id: string; kind: EntryKind; title: string; layer: Layer; regionCode: string | null; version: number; submittedBy: string | null; updatedAt: string; authors: string[]; canApprove: boolean; isRevision: boolean }[]> {
    const out = []
    const candidates: { working: Entry; isRevision: boolean }[] = (await this.entries.list({ where: { status: 'review' } })).map((working) => ({ working, isRevision: false }))
    for (const d of await this.meta.list()) if ('entry' in d && d.entry.status === 'review') candidates.push({ working: d.entry, isRevision: true })
    for (const { working, isRevision } of candidates) {
      if (!canWorkOnScope(actor, working)) continue
      const authors = await this.authorsOf(working.id, working)
      out.push({ id: working.id, kind: working.kind, title: working.title, layer: working.layer, regionCode: working.regionCode, version: working.version, submittedBy: working.updatedBy ?? null, updatedAt: working.updatedAt, authors, canApprove: actor.permissions.has('entries:review') && !authors.includes(actor.id), isRevision })
    }
    return out.sort((a, b) => a.updatedAt.localeCompare(b.updatedAt))
  }

  async needsReviewQueue(actor?: Actor): Promise<NeedsReviewItem[]> {
    const { items } = await this.ripple()
    return actor ? items.filter((i) => canWorkOnScope(actor, i)) : items
  }

  // ---------------------------------------------------------------- writing helpers

  private now(): string {
    return this.clock.now().toISOString()
  }

  private auditSeq = 0
  /** Sortable and unique: the timestamp, then a per-process sequence (clocks may repeat), then noise. */
  private auditId(at: string): string {
    return `${at}#${String(++this.auditSeq).padStart(9, '0')}${crypto.randomBytes(3).toString('hex')}`
  }

  private async audit(actor: Actor, action: EditorialAction, entryId: string | null, from: EntryStatus | null, to: EntryStatus | null, version: number | null, comment?: string | null): Promise<void> {
    const at = this.now()
    await this.auditCol.put({ id: this.auditId(at), at, actorId: actor.id, actorName: actor.name, action, entryId, from, to, version, comment: comment ?? null })
  }

  private async nextVersion(id: string, current: Entry | undefined, rev: RevisionDoc | undefined): Promise<number> {
    const last = await this.versionsCol.list({ where: { entryId: id }, sort: { field: 'version', order: 'desc' }, limit: 1 })
    return Math.max(current?.version ?? 0, rev?.entry.version ?? 0, last[0]?.version ?? 0) + 1
  }

  private async recordVersion(e: Entry, actor: Actor, note: string): Promise<void> {
    await this.versionsCol.put({ id: versionId(e.id, e.version), entryId: e.id, version: e.version, entry: e, savedAt: e.updatedAt, savedBy: actor.id, note })
  }

  private validate(candidate: Entry): void {
    const problems = validateEntry(candidate)
    if (candidate.regionCode && !this.regions.has(candidate.regionCode)) problems.push({ path: '/regionCode', message: `unknown region code ${candidate.regionCode}` })
    if (problems.length > 0) {
      throw new AppError('INVALID_ENTRY', problems.map((p) => `${p.path} ${p.message}`).join('; '), { userMessage: `条目校验未通过：${problems.map((p) => `${fieldLabel(p.path)} ${p.message}`).join('；')}`, details: problems })
    }
  }

  private clean(input: Record<string, unknown>): EntryInput {
    const { version: _v, updatedAt: _u, updatedBy: _b, status: _s, baseVersion: _bv, ...rest } = input
    return rest as unknown as EntryInput
  }

  /** Writes a working copy: into `entries` for a never-published entry, else as the pending revision. */
  private async writeWorking(current: Entry | undefined, next: Entry): Promise<void> {
    if (!current || current.status === 'draft' || current.status === 'review') {
      await this.entries.put(next)
      await this.sync.apply([next])
    } else {
      await this.meta.put({ id: revisionKey(next.id), entryId: next.id, entry: next })
    }
  }

  private async goLive(e: Entry): Promise<void> {
    await this.entries.put(e)
    await this.meta.remove([revisionKey(e.id)])
    await this.sync.apply([e])
    this.hotTopics.invalidate()
    if (e.kind === 'policy') await this.relinkPolicies()
  }

  // ---------------------------------------------------------------- policy documents (公告)

  /** Re-derives clause passages and repeal / amendment links after a policy document changes state. */
  private async relinkPolicies(): Promise<void> {
    const { changed } = await relinkPolicies(this.store, await lawTitlesOf(this.store), this.clock.now(), 'policy-links')
    if (changed.length > 0) await this.sync.apply(changed)
  }

  /** A pasted text / page HTML / JSON record → a document draft to check (nothing is written). */
  async policyDraft(actor: Actor, req: IntakeRequest): Promise<IntakeDraft> {
    requirePermission(actor, 'entries:draft')
    return draftFromIntake(req, await lawTitlesOf(this.store))
  }

  /** Creates the checked draft as a policy document entry in status draft (then submit → approve). */
  async createPolicyDraft(actor: Actor, req: IntakeRequest): Promise<{ entry: Entry; draft: IntakeDraft }> {
    const draft = await this.policyDraft(actor, req)
    if (!draft.entry || draft.problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'policy intake has problems', { userMessage: `公告草稿有问题：${draft.problems.join('；') || '无法识别'}` })
    }
    const entry = await this.create(actor, draft.entry as unknown as Record<string, unknown>)
    return { entry, draft }
  }

  /**
   * Bulk import of 公告 records in the shared JSONL format, published at once (reviewer permission):
   * all-or-nothing — every line is checked first, and one bad line means nothing is written.
   */
  async importPolicies(actor: Actor, req: { data: string; dryRun: boolean }): Promise<PolicyImportReport> {
    requirePermission(actor, 'entries:draft')
    if (!req.dryRun) requirePermission(actor, 'entries:publish')
    const problems: { row: number; id: string | null; messages: string[] }[] = []
    const inputs: { row: number; input: NonNullable<ReturnType<typeof policyInputFromRecord>> }[] = []
    const seen = new Map<string, number>()
    req.data.split('\n').forEach((raw, i) => {
      const line = raw.replace(/^\uFEFF/, '').trim()
      if (!line) return
      const row = i + 1
      const messages: string[] = []
      let value: unknown
      try {
        value = JSON.parse(line)
      } catch {
        problems.push({ row, id: null, messages: ['不是有效的 JSON'] })
        return
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) {
        problems.push({ row, id: null, messages: ['每行应为一个 JSON 对象'] })
        return
      }
      const input = policyInputFromRecord(value as Record<string, unknown>, (m) => messages.push(m))
      const id = input?.docNumber ?? null
      if (id && seen.has(id)) messages.push(`文号 ${id} 与第 ${seen.get(id)} 行重复`)
      if (id) seen.set(id, row)
      if (input && !canWorkOnScope(actor, { layer: 'national', regionCode: null })) messages.push('无权导入全国层的公告')
      if (messages.length > 0 || !input) problems.push({ row, id, messages })
      else inputs.push({ row, input })
    })
    if (inputs.length === 0 && problems.length === 0) problems.push({ row: 0, id: null, messages: ['文件为空'] })
    const report: PolicyImportReport = { ok: problems.length === 0, dryRun: req.dryRun, rows: inputs.length + problems.length, imported: 0, problems }
    if (!report.ok || req.dryRun) return report
    const laws = await lawTitlesOf(this.store)
    const ts = this.now()
    const existing = new Map((await this.entries.getMany(inputs.map((x) => x.input.docNumber))).map((e) => [e.id, e]))
    const docs = inputs.map(({ input }) => {
      const old = existing.get(input.docNumber)
      return { ...buildPolicy(input, laws).document, version: (old?.version ?? 0) + 1, updatedAt: ts, updatedBy: actor.id } as Entry
    })
    for (const d of docs) this.validate(d)
    await this.versionsCol.putMany(docs.map((e) => ({ id: versionId(e.id, e.version), entryId: e.id, version: e.version, entry: e, savedAt: ts, savedBy: actor.id, note: 'policy bulk import' })))
    await this.entries.putMany(docs)
    await this.auditCol.putMany(docs.map((e) => ({ id: this.auditId(ts), at: ts, actorId: actor.id, actorName: actor.name, action: 'import' as const, entryId: e.id, from: existing.get(e.id)?.status ?? null, to: 'published' as const, version: e.version, comment: 'policy bulk import (jsonl)' })))
    await this.relinkPolicies()
    return { ...report, imported: docs.length }
  }

  /** 文号 that FAQ, guides and local entries cite, or that a published 公告 repeals, but no document has. */
  async missingPolicies(): Promise<{ docNumber: string; citedBy: string[] }[]> {
    const all = await this.entries.list()
    return missingDocuments(all)
  }

  // ---------------------------------------------------------------- lifecycle

  private async createUnlocked(actor: Actor, raw: Record<string, unknown>): Promise<Entry> {
    requirePermission(actor, 'entries:draft')
    const input = this.clean(raw)
    requireScope(actor, { layer: input.layer, regionCode: input.regionCode ?? null })
    if (typeof input.id === 'string' && (await this.entries.get(input.id))) throw new AppError('CONFLICT', `entry ${input.id} exists`, { userMessage: `编号 ${input.id} 已存在，请换一个编号` })
    const entry = { ...input, status: 'draft', version: 1, updatedAt: this.now(), updatedBy: actor.id } as Entry
    this.validate(entry)
    await this.writeWorking(undefined, entry)
    await this.recordVersion(entry, actor, 'created')
    await this.audit(actor, 'create', entry.id, null, 'draft', 1)
    return entry
  }

  /** Saves an edit as a new version of the working copy (a submitted entry goes back to draft). */
  private async saveUnlocked(actor: Actor, id: string, raw: Record<string, unknown>, baseVersion?: number): Promise<Entry> {
    requirePermission(actor, 'entries:draft')
    const current = await this.mustGet(id)
    requireScope(actor, current)
    const input = this.clean({ ...raw, id })
    requireScope(actor, { layer: input.layer, regionCode: input.regionCode ?? null })
    const rev = await this.revision(id)
    const working = rev?.entry ?? current
    if (baseVersion !== undefined && baseVersion !== working.version) throw new AppError('CONFLICT', `entry ${id} is at version ${working.version}, not ${baseVersion}`)
    const next = { ...input, status: 'draft', version: await this.nextVersion(id, current, rev), updatedAt: this.now(), updatedBy: actor.id } as Entry
    this.validate(next)
    await this.writeWorking(current, next)
    await this.recordVersion(next, actor, current.status === 'published' || current.status === 'retired' ? 'revision' : 'saved')
    await this.audit(actor, 'save', id, working.status, 'draft', next.version)
    return next
  }

  private async submitUnlocked(actor: Actor, id: string, comment?: string): Promise<Entry> {
    requirePermission(actor, 'entries:draft')
    const current = await this.mustGet(id)
    requireScope(actor, current)
    const rev = await this.revision(id)
    const working = rev?.entry ?? current
    const to = checkTransition('submit', working.status)
    const next = { ...working, status: to }
    await this.writeWorking(current, next)
    await this.audit(actor, 'submit', id, working.status, to, next.version, comment)
    return next
  }

  /** Approving publishes: the reviewer must not be an author of the draft (four eyes). */
  private async approveUnlocked(actor: Actor, id: string, comment?: string): Promise<Entry> {
    requirePermission(actor, 'entries:review')
    requirePermission(actor, 'entries:publish')
    const current = await this.mustGet(id)
    requireScope(actor, current)
    const rev = await this.revision(id)
    const working = rev?.entry ?? current
    checkTransition('approve', working.status)
    const authors = await this.authorsOf(id, working)
    if (authors.includes(actor.id)) throw new AppError('FORBIDDEN', `four eyes: ${actor.id} authored this draft`, { userMessage: '不能审核自己起草或修改过的条目（双人复核）' })
    const live = { ...working, status: 'published', version: await this.nextVersion(id, current, rev), updatedAt: this.now(), updatedBy: actor.id } as Entry
    await this.goLive(live)
    await this.recordVersion(live, actor, comment ? `approved: ${comment}` : 'approved')
    await this.audit(actor, 'approve', id, 'review', 'published', live.version, comment)
    return live
  }

  private async rejectUnlocked(actor: Actor, id: string, comment: string): Promise<Entry> {
    requirePermission(actor, 'entries:review')
    if (!comment.trim()) throw new AppError('VALIDATION_FAILED', 'a rejection needs a comment', { userMessage: '退回时请填写意见' })
    const current = await this.mustGet(id)
    requireScope(actor, current)
    const rev = await this.revision(id)
    const working = rev?.entry ?? current
    const to = checkTransition('reject', working.status)
    const authors = await this.authorsOf(id, working)
    if (authors.includes(actor.id)) throw new AppError('FORBIDDEN', `four eyes: ${actor.id} authored this draft`, { userMessage: '不能审核自己起草或修改过的条目（双人复核）' })
    const next = { ...working, status: to }
    await this.writeWorking(current, next)
    await this.audit(actor, 'reject', id, 'review', to, next.version, comment)
    return next
  }

  /** Takes a published entry out of service now (or sets its end date when `effectiveTo` is given). */
  private async retireUnlocked(actor: Actor, id: string, opts: { effectiveTo?: string | undefined; comment?: string | undefined } = {}): Promise<Entry> {
    requirePermission(actor, 'entries:publish')
    const current = await this.mustGet(id)
    requireScope(actor, current)
    checkTransition('retire', current.status)
    const today = chinaDate(this.clock.now())
    // A future end date keeps the entry published until then (search stops finding it on that day).
    const scheduled = opts.effectiveTo !== undefined && opts.effectiveTo > today
    const to: EntryStatus = scheduled ? 'published' : 'retired'
    const effectiveTo = scheduled ? opts.effectiveTo! : current.effectiveTo && current.effectiveTo <= today ? current.effectiveTo : (opts.effectiveTo ?? today)
    const next = { ...current, status: to, effectiveTo, version: await this.nextVersion(id, current, await this.revision(id)), updatedAt: this.now(), updatedBy: actor.id } as Entry
    this.validate(next)
    await this.entries.put(next)
    await this.sync.apply([next])
    this.hotTopics.invalidate()
    await this.recordVersion(next, actor, to === 'retired' ? 'retired' : `expires ${effectiveTo}`)
    if (next.kind === 'policy') await this.relinkPolicies()
    let note = opts.comment ?? null
    if (current.kind === 'law-article' || current.kind === 'policy') {
      const affected = (await this.ripple()).items.filter((i) => i.stale.some((s) => s.articleId === id)).length
      note = `${note ? `${note}; ` : ''}${affected} citing entr${affected === 1 ? 'y' : 'ies'} need review`
    }
    await this.audit(actor, 'retire', id, current.status, to, next.version, note)
    return next
  }

  /**
   * Restores the content of an earlier version as a new version. Content that was live before goes live
   * again at once (it was reviewed then); content that never was becomes the working draft.
   */
  private async rollbackUnlocked(actor: Actor, id: string, toVersion: number, comment?: string): Promise<Entry> {
    requirePermission(actor, 'entries:publish')
    const current = await this.mustGet(id)
    requireScope(actor, current)
    const target = await this.versionsCol.get(versionId(id, toVersion))
    if (!target) throw new AppError('NOT_FOUND', `version ${toVersion} of ${id}`, { userMessage: '该版本不存在' })
    const rev = await this.revision(id)
    const wasLive = target.entry.status === 'published'
    const status: EntryStatus = wasLive && (current.status === 'published' || current.status === 'retired') ? 'published' : 'draft'
    const next = { ...target.entry, status, version: await this.nextVersion(id, current, rev), updatedAt: this.now(), updatedBy: actor.id } as Entry
    this.validate(next)
    if (status === 'published') {
      await this.entries.put(next)
      await this.sync.apply([next])
      this.hotTopics.invalidate()
    } else await this.writeWorking(current, next)
    await this.recordVersion(next, actor, `rollback to v${toVersion}`)
    await this.audit(actor, 'rollback', id, current.status, status, next.version, comment ?? `restored v${toVersion}`)
    return next
  }

  /** Marks the current stale citations of an entry as reviewed (it leaves the queue until a new one appears). */
  private async acknowledgeUnlocked(actor: Actor, id: string, comment?: string): Promise<void> {
    requirePermission(actor, 'entries:draft')
    const entry = await this.mustGet(id)
    requireScope(actor, entry)
    // law articles and policy documents can both be stale citations
    const stale = staleArticles(await this.entries.list(), chinaDate(this.clock.now()))
    const articleIds = entry.citedArticleIds.filter((a) => stale.has(a))
    await this.meta.put({ id: ackKey(id), entryId: id, articleIds, at: this.now(), by: actor.id })
    await this.audit(actor, 'acknowledge', id, entry.status, entry.status, entry.version, comment ?? `reviewed citations ${articleIds.join(', ')}`)
  }

  // ---------------------------------------------------------------- bulk

  async importEntries(actor: Actor, req: { format: BulkFormat; data: Buffer; dryRun: boolean; publish: boolean }): Promise<ImportReport> {
    requirePermission(actor, 'entries:draft')
    if (req.publish) requirePermission(actor, 'entries:publish')
    const parsed = await parseEntries(req.format, req.data)
    const problems = new Map<number, { row: number; id: string | null; messages: string[] }>()
    const add = (row: number, id: string | null, msg: string) => {
      const p = problems.get(row) ?? { row, id, messages: [] }
      p.messages.push(msg)
      problems.set(row, p)
    }
    for (const f of parsed.fileProblems) add(f.row, null, f.message)
    const ids = parsed.rows.map((r) => r.input?.id).filter((x): x is string => typeof x === 'string')
    const existing = new Map((await this.entries.getMany(ids)).map((e) => [e.id, e]))
    const seen = new Map<string, number>()
    const ts = this.now()
    const writes: { entry: Entry; old: Entry | undefined }[] = []
    let unchanged = 0
    for (const r of parsed.rows) {
      const id = typeof r.input?.id === 'string' && r.input.id ? r.input.id : null
      for (const m of r.problems) add(r.row, id, m)
      if (!r.input || r.problems.length > 0) continue
      if (id) {
        const first = seen.get(id)
        if (first !== undefined) add(r.row, id, `duplicate id ${id} (first in row ${first})`)
        else seen.set(id, r.row)
      }
      const old = id ? existing.get(id) : undefined
      const candidate = { ...r.input, status: req.publish ? 'published' : 'draft', version: (old?.version ?? 0) + 1, updatedAt: ts, updatedBy: actor.id } as Entry
      const check = validateEntry(candidate)
      for (const p of check) add(r.row, id, `${p.path} ${p.message}`)
      if (check.length > 0) continue
      if (candidate.regionCode && !this.regions.has(candidate.regionCode)) add(r.row, id, `unknown region code ${candidate.regionCode}`)
      if (!canWorkOnScope(actor, candidate)) add(r.row, id, `no permission for layer ${candidate.layer}${candidate.regionCode ? ` ${candidate.regionCode}` : ''}`)
      if (old && !canWorkOnScope(actor, old)) add(r.row, id, `no permission for the existing entry's layer ${old.layer}`)
      if (old && !req.publish && (old.status === 'published' || old.status === 'retired')) add(r.row, id, `entry ${old.id} is ${old.status}; import it with publish or edit it in the console`)
      if (problems.has(r.row)) continue
      if (old && contentKey({ ...candidate, version: old.version, updatedAt: old.updatedAt }) === contentKey({ ...old, updatedBy: actor.id })) {
        unchanged++
        continue
      }
      writes.push({ entry: candidate, old })
    }
    const list = [...problems.values()].sort((a, b) => a.row - b.row)
    const ok = list.length === 0
    const report: ImportReport = { format: req.format, dryRun: req.dryRun, ok, rows: parsed.rows.length, valid: parsed.rows.length - new Set(list.map((p) => p.row)).size, created: writes.filter((w) => !w.old).length, updated: writes.filter((w) => w.old).length, unchanged, imported: 0, problems: list }
    if (!ok || req.dryRun || writes.length === 0) return report
    // All rows are valid: one write per collection, then the index.
    const entries = writes.map((w) => w.entry)
    await this.versionsCol.putMany(entries.map((e) => ({ id: versionId(e.id, e.version), entryId: e.id, version: e.version, entry: e, savedAt: ts, savedBy: actor.id, note: `bulk import (${req.format})` })))
    await this.entries.putMany(entries)
    await this.sync.apply(entries)
    this.hotTopics.invalidate()
    await this.auditCol.putMany(writes.map((w, i) => ({ id: this.auditId(ts), at: ts, actorId: actor.id, actorName: actor.name, action: 'import' as const, entryId: w.entry.id, from: w.old?.status ?? null, to: w.entry.status, version: w.entry.version, comment: `bulk import (${req.format})` })))
    return { ...report, imported: entries.length }
  }

  async exportEntries(format: BulkFormat, filter: { kind?: string | undefined; layer?: string | undefined; region?: string | undefined } = {}): Promise<{ data: Buffer; count: number }> {
    const all = await this.entries.list({ where: { status: 'published', ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.layer ? { layer: filter.layer } : {}) }, sort: { field: 'id', order: 'asc' } })
    // CSV and XLSX cannot carry law fields; law articles are exported only as JSONL.
    const rows = all.filter((e) => (!filter.region || e.regionCode === filter.region) && (format === 'jsonl' || e.kind !== 'law-article'))
    return { data: await writeEntries(format, rows), count: rows.length }
  }

  // ---------------------------------------------------------------- worklists

  async worklists(days = 30): Promise<Worklists & { promoted: EntryRow[] }> {
    const span = Number.isFinite(days) ? Math.min(Math.max(Math.trunc(days), 1), 365) : 30
    const since = new Date(this.clock.now().getTime() - span * 86400_000).toISOString()
    const ledger = await this.store.collection<LedgerRowLike>('ledger').list({ range: { field: 'at', gte: since } })
    const ratings = await this.store.collection<RatingLike>('ratings').list({ range: { field: 'at', gte: since } })
    const lists = buildWorklists(ledger, ratings, since)
    const promoted = (await this.listEntries({ limit: 500 })).rows.filter((r) => r.status === 'draft' || r.status === 'review')
    const promotedIds = new Set((await this.entries.getMany(promoted.map((p) => p.id))).filter((e) => e.tags.includes('from-ticket') || e.tags.includes('工单沉淀') || /工单/.test(e.source.title)).map((e) => e.id))
    return { ...lists, promoted: promoted.filter((p) => promotedIds.has(p.id)) }
  }

  // ---------------------------------------------------------------- lexicon

  lexiconFiles(): { name: LexiconFileName; text: string; source: 'overlay' | 'bundled' | 'none' }[] {
    return LEXICON_FILES.map((name) => ({ name, ...readLexiconFile(this.options.lexiconDir, this.options.dataDir, name) }))
  }

  /** Validates, saves to the data-dir overlay and applies the lexicon without a restart. */
  async saveLexiconFile(actor: Actor, name: LexiconFileName, text: string): Promise<{ indexed: number; hash: string }> {
    requirePermission(actor, 'lexicon:edit')
    if (!LEXICON_FILES.includes(name)) throw new AppError('VALIDATION_FAILED', `unknown lexicon file ${name}`)
    if (!this.index.reloadLexicon) throw new AppError('BACKEND_UNAVAILABLE', 'this search backend cannot reload the lexicon live', { userMessage: '当前检索后端不支持在线更新词典，请重启服务' })
    try {
      if (name === 'user-dict.txt') parseUserDict(text, name)
      else if (name === 'synonyms.txt') parseSynonyms(text, name)
      else if (name === 'stopwords.txt') parseStopwords(text)
      else parseExpansionsSafe(text, name)
    } catch (e) {
      if (e instanceof LexiconError) throw new AppError('VALIDATION_FAILED', e.message, { userMessage: `第 ${e.line} 行：${e.message.replace(/^.*?:\d+: /, '')}` })
      throw e
    }
    writeOverlayFile(this.options.dataDir, name, text)
    const lexicon = loadLexiconWithOverlay(this.options.lexiconDir, this.options.dataDir)
    const res = await this.index.reloadLexicon(lexicon)
    this.options.onLexicon?.(lexicon)
    await this.audit(actor, 'lexicon', null, null, null, null, `${name} saved (${text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length} lines)`)
    return { indexed: res.indexed, hash: lexicon.hash }
  }

  // ---------------------------------------------------------------- hot topics

  async setPinned(actor: Actor, id: string, pinned: boolean): Promise<void> {
    requirePermission(actor, 'entries:draft')
    await this.hotTopics.setPinned(id, pinned, actor.id)
    await this.audit(actor, pinned ? 'pin' : 'unpin', id, null, null, null)
  }

  // ---------------------------------------------------------------- per-entry serialisation

  private readonly locks = new Map<string, Promise<unknown>>()

  /** Serialises the read-check-write of one entry, so two reviewers cannot both approve the same draft. */
  private async locked<T>(id: unknown, fn: () => Promise<T>): Promise<T> {
    const key = typeof id === 'string' ? id : ''
    const prev = this.locks.get(key) ?? Promise.resolve()
    const run = prev.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.locks.set(key, tail)
    try {
      return await run
    } finally {
      if (this.locks.get(key) === tail) this.locks.delete(key)
    }
  }

  create(actor: Actor, raw: Record<string, unknown>): Promise<Entry> {
    return this.locked(raw.id, () => this.createUnlocked(actor, raw))
  }
  save(actor: Actor, id: string, raw: Record<string, unknown>, baseVersion?: number): Promise<Entry> {
    return this.locked(id, () => this.saveUnlocked(actor, id, raw, baseVersion))
  }
  submit(actor: Actor, id: string, comment?: string): Promise<Entry> {
    return this.locked(id, () => this.submitUnlocked(actor, id, comment))
  }
  approve(actor: Actor, id: string, comment?: string): Promise<Entry> {
    return this.locked(id, () => this.approveUnlocked(actor, id, comment))
  }
  reject(actor: Actor, id: string, comment: string): Promise<Entry> {
    return this.locked(id, () => this.rejectUnlocked(actor, id, comment))
  }
  retire(actor: Actor, id: string, opts: { effectiveTo?: string | undefined; comment?: string | undefined } = {}): Promise<Entry> {
    return this.locked(id, () => this.retireUnlocked(actor, id, opts))
  }
  rollback(actor: Actor, id: string, toVersion: number, comment?: string): Promise<Entry> {
    return this.locked(id, () => this.rollbackUnlocked(actor, id, toVersion, comment))
  }
  acknowledge(actor: Actor, id: string, comment?: string): Promise<void> {
    return this.locked(id, () => this.acknowledgeUnlocked(actor, id, comment))
  }

  /** Drops the pending revision of a published entry (or nothing, when there is none). */
  discardRevision(actor: Actor, id: string): Promise<Entry> {
    return this.locked(id, async () => {
      requirePermission(actor, 'entries:draft')
      const current = await this.mustGet(id)
      requireScope(actor, current)
      const rev = await this.revision(id)
      if (!rev) throw new AppError('INVALID_TRANSITION', `entry ${id} has no pending revision`, { userMessage: '该条目没有待审修订' })
      await this.meta.remove([revisionKey(id)])
      await this.audit(actor, 'save', id, rev.entry.status, current.status, current.version, `discarded revision v${rev.entry.version}`)
      return current
    })
  }
}

const LABELS: Record<string, string> = { '/id': '编号', '/title': '标题', '/body': '正文', '/question': '问题', '/regionCode': '地区代码', '/layer': '层级', '/kind': '类型', '/effectiveFrom': '生效日期', '/effectiveTo': '失效日期', '/guide': '办税指南字段', '/law': '法规字段', '/source': '来源', '/source/title': '来源标题', '/tags': '标签', '/citedArticleIds': '引用条文' }
function fieldLabel(path: string): string {
  return LABELS[path] ?? path
}
