import { contentKey, validateEntry, type Entry } from '../../knowledge/entry.js'
import { versionOf } from '../../knowledge/entry-version.js'
import { importedStatus, isStatute, STATUTE_READ_ONLY_ZH } from './import-rules.js'
import { canWorkOnScope, requirePermission, type Actor } from './permissions.js'
import { parseEntries, writeEntries, type BulkFormat, type ParsedRow } from './entry-table.js'
import type { EditorialRecords } from './editorial-records.js'
import { columnLabel, fieldMessage, formatMismatch, valueAt } from './import-messages.js'

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
  /** Not blocking: citations of law-article ids that exist neither in the store nor in the file. */
  warnings: { row: number; id: string | null; messages: string[] }[]
}

/** Bulk import (CSV / XLSX / JSONL, all-or-nothing with per-row problems) and export of published entries. */
export class BulkEntries {
  constructor(private readonly r: EditorialRecords) {}

  async importEntries(
    actor: Actor,
    req: { format: BulkFormat; data: Buffer; dryRun: boolean; publish: boolean },
  ): Promise<ImportReport> {
    requirePermission(actor, 'entries:draft')
    if (req.publish) requirePermission(actor, 'entries:publish')
    const mismatch = formatMismatch(req.format, req.data)
    const parsed = mismatch
      ? { rows: [], fileProblems: [{ row: 0, message: mismatch }] }
      : await parseEntries(req.format, req.data)
    const col = (c: string) => columnLabel(c, req.format)
    const problems = new Map<number, { row: number; id: string | null; messages: string[] }>()
    const add = (row: number, id: string | null, msg: string) => {
      const p = problems.get(row) ?? { row, id, messages: [] }
      p.messages.push(msg)
      problems.set(row, p)
    }
    for (const f of parsed.fileProblems) add(f.row, null, f.message)
    const ids = parsed.rows.map((r) => r.input?.id).filter((x): x is string => typeof x === 'string')
    const existing = new Map((await this.r.entries.getMany(ids)).map((e) => [e.id, e]))
    const seen = new Map<string, number>()
    const ts = this.r.now()
    const writes: { entry: Entry; old: Entry | undefined }[] = []
    let unchanged = 0
    for (const r of parsed.rows) {
      const id = typeof r.input?.id === 'string' && r.input.id ? r.input.id : null
      for (const m of r.problems) add(r.row, id, m)
      if (!r.input || r.problems.length > 0) continue
      if (id) {
        const first = seen.get(id)
        if (first !== undefined) add(r.row, id, `${col('id')}：编号 ${id} 重复（第 ${first} 行已有）`)
        else seen.set(id, r.row)
      }
      const old = id ? existing.get(id) : undefined
      const candidate = {
        ...r.input,
        status: importedStatus(req.publish),
        version: (old?.version ?? 0) + 1,
        updatedAt: ts,
        updatedBy: actor.id,
      } as Entry
      const check = validateEntry(candidate)
      for (const p of check) add(r.row, id, fieldMessage(p, valueAt(candidate, p.path), req.format))
      if (check.length > 0) continue
      if (candidate.regionCode && !this.r.regions.has(candidate.regionCode))
        add(r.row, id, `${col('regionCode')}：地区代码 ${candidate.regionCode} 不存在`)
      if (!canWorkOnScope(actor, candidate))
        add(
          r.row,
          id,
          `无权导入此层级的条目（${candidate.layer}${candidate.regionCode ? ` ${candidate.regionCode}` : ''}），只能导入本人负责的层级`,
        )
      if (old && !canWorkOnScope(actor, old)) add(r.row, id, `无权修改已有条目 ${old.id}（层级 ${old.layer}）`)
      if (old && isStatute(old)) add(r.row, id, `条目 ${old.id}：${STATUTE_READ_ONLY_ZH}`)
      if (old && !req.publish && (old.status === 'published' || old.status === 'retired'))
        add(
          r.row,
          id,
          `条目 ${old.id} ${old.status === 'published' ? '已发布' : '已废止'}：请由审核人员以「导入并发布」导入（生成待审修订），或在编辑台中修改`,
        )
      if (problems.has(r.row)) continue
      if (
        old &&
        contentKey({ ...candidate, status: old.status, version: old.version, updatedAt: old.updatedAt }) ===
          contentKey({ ...old, updatedBy: actor.id })
      ) {
        unchanged++
        continue
      }
      writes.push({ entry: candidate, old })
    }
    const warnings = await this.missingCitations(parsed.rows, col('citedArticleIds'))
    const list = [...problems.values()].sort((a, b) => a.row - b.row)
    const ok = list.length === 0
    const report: ImportReport = {
      format: req.format,
      dryRun: req.dryRun,
      ok,
      rows: parsed.rows.length,
      valid: parsed.rows.length - new Set(list.map((p) => p.row)).size,
      created: writes.filter((w) => !w.old).length,
      updated: writes.filter((w) => w.old).length,
      unchanged,
      imported: 0,
      problems: list,
      warnings,
    }
    if (!ok || req.dryRun || writes.length === 0) return report
    // All rows are valid. Live entries get a pending revision (they stay live until a second person
    // approves); new and unpublished ones are written as drafts / submitted: one write per collection.
    const isLive = (w: { old: Entry | undefined }) => w.old?.status === 'published' || w.old?.status === 'retired'
    for (const w of writes) {
      if (isLive(w))
        w.entry = {
          ...w.entry,
          version: await this.r.nextVersion(w.entry.id, w.old, await this.r.revision(w.entry.id)),
        }
    }
    const entries = writes.map((w) => w.entry)
    await this.r.versionsCol.putMany(entries.map((e) => versionOf(e, ts, actor.id, `bulk import (${req.format})`)))
    const working = writes.filter((w) => !isLive(w)).map((w) => w.entry)
    await this.r.entries.putMany(working)
    for (const w of writes.filter(isLive)) await this.r.writeWorking(w.old, w.entry)
    await this.r.sync.apply(working)
    this.r.hotTopics.invalidate()
    await this.r.auditCol.putMany(
      writes.map((w, i) => ({
        id: this.r.auditId(ts),
        at: ts,
        actorId: actor.id,
        actorName: actor.name,
        action: 'import' as const,
        entryId: w.entry.id,
        from: w.old?.status ?? null,
        to: w.entry.status,
        version: w.entry.version,
        comment: `bulk import (${req.format})`,
      })),
    )
    return { ...report, imported: entries.length }
  }

  /** Cited ids that are neither stored nor imported by this file: flagged per row, the import still runs. */
  private async missingCitations(rows: readonly ParsedRow[], label: string): Promise<ImportReport['warnings']> {
    const inFile = new Set(rows.map((r) => r.input?.id).filter((x): x is string => typeof x === 'string'))
    const cited = [
      ...new Set(rows.flatMap((r) => (Array.isArray(r.input?.citedArticleIds) ? r.input.citedArticleIds : []))),
    ]
    const wanted = new Set(cited.filter((id) => typeof id === 'string' && !inFile.has(id)))
    const stored = new Set((await this.r.entries.getMany([...wanted])).map((e) => e.id))
    const out: ImportReport['warnings'] = []
    for (const r of rows) {
      const missing = (Array.isArray(r.input?.citedArticleIds) ? r.input.citedArticleIds : []).filter(
        (id) => wanted.has(id) && !stored.has(id),
      )
      if (missing.length > 0)
        out.push({
          row: r.row,
          id: r.input?.id ?? null,
          messages: [`${label}：引用的条文不存在：${missing.join('、')}`],
        })
    }
    return out
  }

  async exportEntries(
    format: BulkFormat,
    filter: { kind?: string | undefined; layer?: string | undefined; region?: string | undefined } = {},
  ): Promise<{ data: Buffer; count: number }> {
    const all = await this.r.entries.list({
      where: {
        status: 'published',
        ...(filter.kind ? { kind: filter.kind } : {}),
        ...(filter.layer ? { layer: filter.layer } : {}),
      },
      sort: { field: 'id', order: 'asc' },
    })
    // CSV and XLSX cannot carry law fields; law articles are exported only as JSONL.
    const rows = all.filter(
      (e) => (!filter.region || e.regionCode === filter.region) && (format === 'jsonl' || e.kind !== 'law-article'),
    )
    return { data: await writeEntries(format, rows), count: rows.length }
  }
}
