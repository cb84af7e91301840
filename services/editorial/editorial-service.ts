/**
 * The editorial use cases behind one facade (routes, tickets and tests call it): each concern is its own
 * class, sharing EditorialRecords (collections, version / audit writes, validation):
 *  - lifecycle (entry-lifecycle.ts): drafting, four-eyes review, publishing, retiring, rollback, ripple
 *    acknowledgement, drafts promoted from tickets — each step under the entry's lock (entry-locks.ts);
 *  - bulk import / export (bulk-entries.ts);
 *  - lexicon editing (lexicon-editor.ts);
 *  - what editors look at: lists, history, audit, review and ripple queues, worklists (editorial-queues.ts);
 *  - policy documents (公告): intake drafts, JSONL import, missing 文号 (editorial-policies.ts);
 *  - hot-topic pins (hot-topics.ts).
 *
 * Model: the `entries` collection holds what is live (or, for an entry never published, its draft).
 * Editing a published or retired entry does not take it offline: the edit becomes a pending revision
 * (collection `meta`, id `revision:<entryId>`) that goes draft → review → published and then replaces
 * the live entry. Every save writes an EntryVersion into `versions` (same shape as the importer's), every
 * action an AuditRecord into `audit`. Permissions and layer scope are enforced here, not only in routes.
 */
import type { Lexicon } from '../../knowledge/lexicon.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import type { BackendBundle } from '../search/backend-bundle.js'
import type { Clock } from '../shared/clock.js'
import { BulkEntries, type ImportReport } from './bulk-entries.js'
import { EditorialPolicies, type PolicyImportReport } from './editorial-policies.js'
import { EditorialQueues, type EntryRow, type ListFilter } from './editorial-queues.js'
import { EditorialRecords, type AuditRecord } from './editorial-records.js'
import type { BulkFormat } from './entry-table.js'
import { EntryLifecycle } from './entry-lifecycle.js'
import { EntryLocks } from './entry-locks.js'
import { HotTopicsService } from './hot-topics.js'
import { IndexSync } from './index-sync.js'
import { readLexiconFile, type LexiconFileName } from './lexicon-files.js'
import { LexiconReview } from './lexicon-review.js'
import { LexiconEditor } from './lexicon-editor.js'
import { requirePermission, type Actor } from './permissions.js'

export type { AuditRecord, EntryRow, ImportReport, ListFilter, PolicyImportReport }
export { WORKLIST_MAX_ROWS } from './editorial-queues.js'

export interface EditorialOptions {
  dataDir: string
  lexiconDir: string
  persistDelayMs?: number
  /** Called with the new lexicon after an edit (the container keeps ctx.lexicon current). */
  onLexicon?: (lexicon: Lexicon) => void
  onError?: (e: unknown) => void
}

type Lifecycle = EntryLifecycle
type Queues = EditorialQueues

export class EditorialService {
  readonly hotTopics: HotTopicsService
  readonly lifecycle: EntryLifecycle
  readonly bulk: BulkEntries
  readonly lexiconEditor: LexiconEditor
  readonly queues: EditorialQueues
  /** Proposals, second approval and versions of global lexicon edits (lexicon-review.ts). */
  readonly lexiconReview: LexiconReview
  readonly policies: EditorialPolicies
  private readonly records: EditorialRecords
  private readonly sync: IndexSync

  constructor(store: Store, regions: RegionTable, clock: Clock, index: BackendBundle, options: EditorialOptions) {
    this.hotTopics = new HotTopicsService(store, clock, (code) => regions.lineage(code))
    this.sync = new IndexSync(index, options.persistDelayMs ?? 1000, options.onError)
    this.records = new EditorialRecords(store, regions, clock, this.sync, this.hotTopics)
    this.lifecycle = new EntryLifecycle(this.records, new EntryLocks())
    this.bulk = new BulkEntries(this.records)
    this.lexiconEditor = new LexiconEditor(this.records, index, options)
    this.queues = new EditorialQueues(this.records)
    const current = (name: LexiconFileName) => readLexiconFile(options.lexiconDir, options.dataDir, name).text
    const apply = (a: Actor, name: LexiconFileName, text: string) => this.saveLexiconFile(a, name, text)
    const validate = (name: LexiconFileName, text: string) => this.lexiconEditor.validateLexiconFile(name, text)
    this.lexiconReview = new LexiconReview(store, clock, apply, current, validate)
    this.policies = new EditorialPolicies(this.records, this.lifecycle)
  }

  async close(): Promise<void> {
    await this.sync.flush()
  }

  // ---------------------------------------------------------------- lifecycle (entry-lifecycle.ts)

  create: Lifecycle['create'] = (...a) => this.lifecycle.create(...a)
  save: Lifecycle['save'] = (...a) => this.lifecycle.save(...a)
  submit: Lifecycle['submit'] = (...a) => this.lifecycle.submit(...a)
  approve: Lifecycle['approve'] = (...a) => this.lifecycle.approve(...a)
  reject: Lifecycle['reject'] = (...a) => this.lifecycle.reject(...a)
  retire: Lifecycle['retire'] = (...a) => this.lifecycle.retire(...a)
  rollback: Lifecycle['rollback'] = (...a) => this.lifecycle.rollback(...a)
  acknowledge: Lifecycle['acknowledge'] = (...a) => this.lifecycle.acknowledge(...a)
  discardRevision: Lifecycle['discardRevision'] = (...a) => this.lifecycle.discardRevision(...a)
  draftFromTicket: Lifecycle['draftFromTicket'] = (...a) => this.lifecycle.draftFromTicket(...a)

  // ---------------------------------------------------------------- reading and queues (editorial-queues.ts)

  listEntries: Queues['listEntries'] = (...a) => this.queues.listEntries(...a)
  getEntry: Queues['getEntry'] = (...a) => this.queues.getEntry(...a)
  versions: Queues['versions'] = (...a) => this.queues.versions(...a)
  diff: Queues['diff'] = (...a) => this.queues.diff(...a)
  auditLog: Queues['auditLog'] = (...a) => this.queues.auditLog(...a)
  reviewQueue: Queues['reviewQueue'] = (...a) => this.queues.reviewQueue(...a)
  needsReviewQueue: Queues['needsReviewQueue'] = (...a) => this.queues.needsReviewQueue(...a)
  worklists: Queues['worklists'] = (...a) => this.queues.worklists(...a)

  // ---------------------------------------------------------------- bulk (bulk-entries.ts)

  importEntries(
    actor: Actor,
    req: { format: BulkFormat; data: Buffer; dryRun: boolean; publish: boolean },
  ): Promise<ImportReport> {
    return this.bulk.importEntries(actor, req)
  }

  exportEntries: BulkEntries['exportEntries'] = (...a) => this.bulk.exportEntries(...a)

  // ---------------------------------------------------------------- lexicon (lexicon-editor.ts)

  lexiconFiles: LexiconEditor['lexiconFiles'] = () => this.lexiconEditor.lexiconFiles()

  saveLexiconFile(actor: Actor, name: LexiconFileName, text: string): Promise<{ indexed: number; hash: string }> {
    return this.lexiconEditor.saveLexiconFile(actor, name, text)
  }

  // ---------------------------------------------------------------- policy documents (editorial-policies.ts)

  policyDraft: EditorialPolicies['policyDraft'] = (...a) => this.policies.policyDraft(...a)
  createPolicyDraft: EditorialPolicies['createPolicyDraft'] = (...a) => this.policies.createPolicyDraft(...a)
  importPolicies: EditorialPolicies['importPolicies'] = (...a) => this.policies.importPolicies(...a)
  missingPolicies: EditorialPolicies['missingPolicies'] = () => this.policies.missingPolicies()

  // ---------------------------------------------------------------- hot topics

  async setPinned(actor: Actor, id: string, pinned: boolean): Promise<void> {
    requirePermission(actor, 'entries:draft')
    await this.hotTopics.setPinned(id, pinned, actor.id)
    await this.records.audit(actor, pinned ? 'pin' : 'unpin', id, null, null, null)
  }
}
