import type { Entry, EntryStatus } from '../../knowledge/entry.js'
import { versionId } from '../../knowledge/entry-version.js'
import { chinaDate } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { checkTransition } from './lifecycle.js'
import { requireNotStatute } from './import-rules.js'
import { requirePermission, requireScope, type Actor } from './permissions.js'
import { staleArticles } from './ripple.js'
import { ackKey, revisionKey, type EditorialRecords } from './editorial-records.js'
import type { EntryLocks } from './entry-locks.js'

/**
 * One entry's lifecycle: draft → review → published → retired, revisions of live entries, rollback,
 * ripple acknowledgement and drafts promoted from tickets. Each step is one read-check-write under the
 * entry's lock, with a version and an audit record.
 */
export class EntryLifecycle {
  constructor(
    private readonly r: EditorialRecords,
    private readonly locks: EntryLocks,
  ) {}

  create(actor: Actor, raw: Record<string, unknown>): Promise<Entry> {
    return this.locks.run(raw.id, async () => {
      requirePermission(actor, 'entries:draft')
      const input = this.r.clean(raw)
      requireScope(actor, { layer: input.layer, regionCode: input.regionCode ?? null })
      if (typeof input.id === 'string' && (await this.r.entries.get(input.id)))
        throw new AppError('CONFLICT', `entry ${input.id} exists`, {
          userMessage: `编号 ${input.id} 已存在，请换一个编号`,
        })
      const entry = { ...input, status: 'draft', version: 1, updatedAt: this.r.now(), updatedBy: actor.id } as Entry
      this.r.validate(entry)
      await this.r.writeWorking(undefined, entry)
      await this.r.recordVersion(entry, actor, 'created')
      await this.r.audit(actor, 'create', entry.id, null, 'draft', 1)
      return entry
    })
  }

  /** Saves an edit as a new version of the working copy (a submitted entry goes back to draft). */
  save(actor: Actor, id: string, raw: Record<string, unknown>, baseVersion?: number): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:draft')
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      requireNotStatute(current)
      const input = this.r.clean({ ...raw, id })
      requireScope(actor, { layer: input.layer, regionCode: input.regionCode ?? null })
      const rev = await this.r.revision(id)
      const working = rev?.entry ?? current
      if (baseVersion !== undefined && baseVersion !== working.version)
        throw new AppError('CONFLICT', `entry ${id} is at version ${working.version}, not ${baseVersion}`)
      const next = {
        ...input,
        status: 'draft',
        version: await this.r.nextVersion(id, current, rev),
        updatedAt: this.r.now(),
        updatedBy: actor.id,
      } as Entry
      this.r.validate(next)
      await this.r.writeWorking(current, next)
      await this.r.recordVersion(
        next,
        actor,
        current.status === 'published' || current.status === 'retired' ? 'revision' : 'saved',
      )
      await this.r.audit(actor, 'save', id, working.status, 'draft', next.version)
      return next
    })
  }

  submit(actor: Actor, id: string, comment?: string): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:draft')
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      const rev = await this.r.revision(id)
      const working = rev?.entry ?? current
      const to = checkTransition('submit', working.status)
      const next = { ...working, status: to }
      await this.r.writeWorking(current, next)
      await this.r.audit(actor, 'submit', id, working.status, to, next.version, comment)
      return next
    })
  }

  /** Approving publishes: the reviewer must not be an author of the draft (four eyes). */
  approve(actor: Actor, id: string, comment?: string): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:review')
      requirePermission(actor, 'entries:publish')
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      const rev = await this.r.revision(id)
      const working = rev?.entry ?? current
      checkTransition('approve', working.status)
      const authors = await this.r.authorsOf(id, working)
      if (authors.includes(actor.id))
        throw new AppError('FORBIDDEN', `four eyes: ${actor.id} authored this draft`, {
          userMessage: '不能审核自己起草或修改过的条目（双人复核）',
        })
      const live = {
        ...working,
        status: 'published',
        version: await this.r.nextVersion(id, current, rev),
        updatedAt: this.r.now(),
        updatedBy: actor.id,
      } as Entry
      // A 公告 that repeals or amends another (or a law article with replacedBy) queues the citers of its target.
      const queuedBefore = live.kind === 'law-article' || live.kind === 'policy' ? await this.#queued() : null
      await this.r.goLive(live)
      await this.r.recordVersion(live, actor, comment ? `approved: ${comment}` : 'approved')
      await this.r.audit(actor, 'approve', id, 'review', 'published', live.version, comment)
      if (queuedBefore) await this.#rippleEvents(actor, queuedBefore)
      return live
    })
  }

  reject(actor: Actor, id: string, comment: string): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:review')
      if (!comment.trim())
        throw new AppError('VALIDATION_FAILED', 'a rejection needs a comment', { userMessage: '退回时请填写意见' })
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      const rev = await this.r.revision(id)
      const working = rev?.entry ?? current
      const to = checkTransition('reject', working.status)
      const authors = await this.r.authorsOf(id, working)
      if (authors.includes(actor.id))
        throw new AppError('FORBIDDEN', `four eyes: ${actor.id} authored this draft`, {
          userMessage: '不能审核自己起草或修改过的条目（双人复核）',
        })
      const next = { ...working, status: to }
      await this.r.writeWorking(current, next)
      await this.r.audit(actor, 'reject', id, 'review', to, next.version, comment)
      return next
    })
  }

  /** Takes a published entry out of service now (or sets its end date when `effectiveTo` is given). */
  retire(
    actor: Actor,
    id: string,
    opts: { effectiveTo?: string | undefined; comment?: string | undefined } = {},
  ): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:publish')
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      checkTransition('retire', current.status)
      const queuedBefore = current.kind === 'law-article' || current.kind === 'policy' ? await this.#queued() : null
      const today = chinaDate(this.r.clock.now())
      // A future end date keeps the entry published until then (search stops finding it on that day).
      const scheduled = opts.effectiveTo !== undefined && opts.effectiveTo > today
      const to: EntryStatus = scheduled ? 'published' : 'retired'
      const effectiveTo = scheduled
        ? opts.effectiveTo!
        : current.effectiveTo && current.effectiveTo <= today
          ? current.effectiveTo
          : (opts.effectiveTo ?? today)
      const next = {
        ...current,
        status: to,
        effectiveTo,
        version: await this.r.nextVersion(id, current, await this.r.revision(id)),
        updatedAt: this.r.now(),
        updatedBy: actor.id,
      } as Entry
      this.r.validate(next)
      await this.r.entries.put(next)
      await this.r.sync.apply([next])
      this.r.hotTopics.invalidate()
      await this.r.recordVersion(next, actor, to === 'retired' ? 'retired' : `expires ${effectiveTo}`)
      if (next.kind === 'policy') await this.r.relinkPolicies()
      let note = opts.comment ?? null
      if (current.kind === 'law-article' || current.kind === 'policy') {
        const affected = (await this.r.ripple()).items.filter((i) => i.stale.some((s) => s.articleId === id)).length
        note = `${note ? `${note}; ` : ''}${affected} citing entr${affected === 1 ? 'y' : 'ies'} need review`
      }
      await this.r.audit(actor, 'retire', id, current.status, to, next.version, note)
      if (queuedBefore) await this.#rippleEvents(actor, queuedBefore)
      return next
    })
  }

  /** The (entry, stale citation) pairs in 法规变更待复核 now, to tell which ones a change adds. */
  async #queued(): Promise<Set<string>> {
    const { items } = await this.r.ripple()
    return new Set(items.flatMap((i) => i.stale.map((s) => `${i.id}\u0000${s.articleId}`)))
  }

  /** A 'ripple' event on each entry the change queued, naming the citation that went stale (操作日志). */
  async #rippleEvents(actor: Actor, before: ReadonlySet<string>): Promise<void> {
    const { items, all } = await this.r.ripple()
    const versions = new Map(all.map((e) => [e.id, e.version]))
    for (const i of items) {
      for (const s of i.stale) {
        if (before.has(`${i.id}\u0000${s.articleId}`)) continue
        const version = versions.get(i.id) ?? null
        await this.r.audit(actor, 'ripple', i.id, i.status, i.status, version, `cites ${s.articleId}`)
      }
    }
  }

  /**
   * Restores the content of an earlier version as a new version. Content that was live before goes live
   * again at once (it was reviewed then); content that never was becomes the working draft.
   */
  rollback(actor: Actor, id: string, toVersion: number, comment?: string): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:publish')
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      const target = await this.r.versionsCol.get(versionId(id, toVersion))
      if (!target) throw new AppError('NOT_FOUND', `version ${toVersion} of ${id}`, { userMessage: '该版本不存在' })
      const rev = await this.r.revision(id)
      const wasLive = target.entry.status === 'published'
      const status: EntryStatus =
        wasLive && (current.status === 'published' || current.status === 'retired') ? 'published' : 'draft'
      const next = {
        ...target.entry,
        status,
        version: await this.r.nextVersion(id, current, rev),
        updatedAt: this.r.now(),
        updatedBy: actor.id,
      } as Entry
      this.r.validate(next)
      if (status === 'published') {
        await this.r.entries.put(next)
        await this.r.sync.apply([next])
        this.r.hotTopics.invalidate()
      } else await this.r.writeWorking(current, next)
      await this.r.recordVersion(next, actor, `rollback to v${toVersion}`)
      await this.r.audit(
        actor,
        'rollback',
        id,
        current.status,
        status,
        next.version,
        comment ?? `restored v${toVersion}`,
      )
      return next
    })
  }

  /** Marks the current stale citations of an entry as reviewed (it leaves the queue until a new one appears). */
  acknowledge(actor: Actor, id: string, comment?: string): Promise<void> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:draft')
      const entry = await this.r.mustGet(id)
      requireScope(actor, entry)
      // law articles and policy documents can both be stale citations
      const stale = staleArticles(await this.r.entries.list(), chinaDate(this.r.clock.now()))
      const articleIds = entry.citedArticleIds.filter((a) => stale.has(a))
      await this.r.meta.put({ id: ackKey(id), entryId: id, articleIds, at: this.r.now(), by: actor.id })
      await this.r.audit(
        actor,
        'acknowledge',
        id,
        entry.status,
        entry.status,
        entry.version,
        comment ?? `reviewed citations ${articleIds.join(', ')}`,
      )
    })
  }

  /** Drops the pending revision of a published entry (or nothing, when there is none). */
  discardRevision(actor: Actor, id: string): Promise<Entry> {
    return this.locks.run(id, async () => {
      requirePermission(actor, 'entries:draft')
      const current = await this.r.mustGet(id)
      requireScope(actor, current)
      const rev = await this.r.revision(id)
      if (!rev)
        throw new AppError('INVALID_TRANSITION', `entry ${id} has no pending revision`, {
          userMessage: '该条目没有待审修订',
        })
      await this.r.meta.remove([revisionKey(id)])
      await this.r.audit(
        actor,
        'save',
        id,
        rev.entry.status,
        current.status,
        current.version,
        `discarded revision v${rev.entry.version}`,
      )
      return current
    })
  }

  /**
   * The knowledge loop: a draft FAQ from an answered ticket, through the same lifecycle as any draft
   * (version, audit record, then editors' review and four-eyes publishing). The ticket service has already
   * checked that the agent may see and promote the ticket; promoting again saves a new draft version.
   */
  draftFromTicket(actor: Pick<Actor, 'id' | 'name'>, entry: Entry, ticketNumber: string): Promise<Entry> {
    return this.locks.run(entry.id, async () => {
      const existing = await this.r.entries.get(entry.id)
      if (existing && existing.status !== 'draft') {
        throw new AppError('CONFLICT', 'entry already beyond draft', {
          userMessage: '该工单的知识条目已进入审核或已发布',
        })
      }
      const version = existing ? await this.r.nextVersion(entry.id, existing, undefined) : 1
      const next: Entry = { ...entry, status: 'draft', version, updatedAt: this.r.now(), updatedBy: actor.id }
      this.r.validate(next)
      await this.r.writeWorking(existing, next)
      await this.r.recordVersion(next, actor, `promoted from ticket ${ticketNumber}`)
      const comment = `工单 ${ticketNumber} 转为知识条目`
      await this.r.audit(
        actor,
        existing ? 'save' : 'create',
        next.id,
        existing ? 'draft' : null,
        'draft',
        version,
        comment,
      )
      return next
    })
  }
}
