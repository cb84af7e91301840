/**
 * Policy documents (公告) in the editor: a pasted text / page / JSON record checked into a draft, the draft
 * created through the ordinary lifecycle, bulk JSONL import published at once, and the 文号 that entries
 * cite but no document has. Relinking after a state change lives in EditorialRecords (go-live, retire).
 */
import type { Entry } from '../../knowledge/entry.js'
import { versionOf } from '../../knowledge/entry-version.js'
import { buildPolicy } from '../../knowledge/policy-entries.js'
import { policyInputFromRecord } from '../../indexers/sources/policy-source.js'
import { AppError } from '../shared/errors.js'
import type { EditorialRecords } from './editorial-records.js'
import type { EntryLifecycle } from './entry-lifecycle.js'
import { canWorkOnScope, requirePermission, type Actor } from './permissions.js'
import { draftFromIntake, type IntakeDraft, type IntakeRequest } from './policy-intake.js'
import { lawTitlesOf, missingDocuments } from './policy-worklist.js'

export interface PolicyImportReport {
  ok: boolean
  dryRun: boolean
  rows: number
  imported: number
  problems: { row: number; id: string | null; messages: string[] }[]
}

export class EditorialPolicies {
  constructor(
    private readonly r: EditorialRecords,
    private readonly lifecycle: EntryLifecycle,
  ) {}

  /** A pasted text / page HTML / JSON record → a document draft to check (nothing is written). */
  async policyDraft(actor: Actor, req: IntakeRequest): Promise<IntakeDraft> {
    requirePermission(actor, 'entries:draft')
    return draftFromIntake(req, await lawTitlesOf(this.r.store))
  }

  /** Creates the checked draft as a policy document entry in status draft (then submit → approve). */
  async createPolicyDraft(actor: Actor, req: IntakeRequest): Promise<{ entry: Entry; draft: IntakeDraft }> {
    const draft = await this.policyDraft(actor, req)
    if (!draft.entry || draft.problems.length > 0) {
      throw new AppError('VALIDATION_FAILED', 'policy intake has problems', {
        userMessage: `公告草稿有问题：${draft.problems.join('；') || '无法识别'}`,
      })
    }
    const entry = await this.lifecycle.create(actor, draft.entry as unknown as Record<string, unknown>)
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
      if (input && !canWorkOnScope(actor, { layer: 'national', regionCode: null }))
        messages.push('无权导入全国层的公告')
      if (messages.length > 0 || !input) problems.push({ row, id, messages })
      else inputs.push({ row, input })
    })
    if (inputs.length === 0 && problems.length === 0) problems.push({ row: 0, id: null, messages: ['文件为空'] })
    const report: PolicyImportReport = {
      ok: problems.length === 0,
      dryRun: req.dryRun,
      rows: inputs.length + problems.length,
      imported: 0,
      problems,
    }
    if (!report.ok || req.dryRun) return report
    const laws = await lawTitlesOf(this.r.store)
    const ts = this.r.now()
    const existing = new Map((await this.r.entries.getMany(inputs.map((x) => x.input.docNumber))).map((e) => [e.id, e]))
    const docs = inputs.map(({ input }) => {
      const old = existing.get(input.docNumber)
      return {
        ...buildPolicy(input, laws).document,
        version: (old?.version ?? 0) + 1,
        updatedAt: ts,
        updatedBy: actor.id,
      } as Entry
    })
    for (const d of docs) this.r.validate(d)
    await this.r.versionsCol.putMany(docs.map((e) => versionOf(e, ts, actor.id, 'policy bulk import')))
    await this.r.entries.putMany(docs)
    await this.r.auditCol.putMany(
      docs.map((e) => ({
        id: this.r.auditId(ts),
        at: ts,
        actorId: actor.id,
        actorName: actor.name,
        action: 'import' as const,
        entryId: e.id,
        from: existing.get(e.id)?.status ?? null,
        to: 'published' as const,
        version: e.version,
        comment: 'policy bulk import (jsonl)',
      })),
    )
    await this.r.relinkPolicies()
    return { ...report, imported: docs.length }
  }

  /** 文号 that FAQ, guides and local entries cite, or that a published 公告 repeals, but no document has. */
  async missingPolicies(): Promise<{ docNumber: string; citedBy: string[] }[]> {
    return missingDocuments(await this.r.entries.list())
  }
}
