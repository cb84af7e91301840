/**
 * `taxkb import`: source files → validated entries → store → search index.
 * All-or-nothing: every file is parsed and validated first; one bad line anywhere means nothing is written
 * and the caller gets every problem with its file and line number. Idempotent: an entry whose content is
 * unchanged keeps its version and timestamp; a changed one gets a new version and its previous version is
 * kept in the `versions` collection.
 */
import { validateEntry, contentKey, type Entry } from '../knowledge/entry.js'
import { versionOf, type EntryVersion } from '../knowledge/entry-version.js'
import { clauseId, docNumberKey } from '../knowledge/policy-info.js'
import { sameClause } from '../knowledge/policy-validity.js'
import type { RegionTable } from '../knowledge/regions.js'
import type { Store } from '../knowledge/store/store.js'
import { corpusFiles, type DraftEntry } from './sources/corpus-sources.js'
import type { LineProblem } from './sources/jsonl.js'

export interface ImportProgress {
  phase: 'parse' | 'store' | 'index'
  done: number
  total: number
}

export interface ImportReport {
  files: { file: string; entries: number }[]
  total: number
  added: number
  updated: number
  unchanged: number
}

export class ImportValidationError extends Error {
  constructor(readonly problems: LineProblem[]) {
    super(`import rejected: ${problems.length} problem(s); nothing was written`)
    this.name = 'ImportValidationError'
  }
}

/** Parses and validates every source file of a corpus directory. Pure apart from reading the files. */
export function collectEntries(
  dir: string,
  regions: RegionTable,
  onProgress?: (p: ImportProgress) => void,
): { drafts: DraftEntry[]; files: ImportReport['files']; problems: LineProblem[] } {
  const files = corpusFiles(dir)
  const problems: LineProblem[] = []
  const drafts: DraftEntry[] = []
  const report: ImportReport['files'] = []
  const seen = new Map<string, string>()
  if (files.length === 0)
    problems.push({
      file: dir,
      line: 0,
      message:
        'no known corpus files (laws/articles.jsonl, faq/faq.jsonl, guides/guides.jsonl, hot-topics/cases.jsonl, policies/documents.jsonl, policies/announcements.jsonl, entries/*.jsonl)',
    })
  files.forEach(({ file, parse }, i) => {
    const res = parse(file)
    problems.push(...res.problems)
    for (const { entry, line } of res.entries) {
      const check = validateEntry({ ...entry, version: 1, updatedAt: '1970-01-01T00:00:00.000Z' })
      for (const p of check) problems.push({ file, line, message: `${entry.id ?? '(no id)'}: ${p.path} ${p.message}` })
      if (entry.regionCode && !regions.has(entry.regionCode))
        problems.push({ file, line, message: `${entry.id}: unknown region code ${entry.regionCode}` })
      const prev = seen.get(entry.id)
      if (prev) problems.push({ file, line, message: `duplicate id ${entry.id} (first seen at ${prev})` })
      else seen.set(entry.id, `${file}:${line}`)
      if (check.length === 0) drafts.push(entry)
    }
    report.push({ file, entries: res.entries.length })
    onProgress?.({ phase: 'parse', done: i + 1, total: files.length })
  })
  canonicalCitations(drafts)
  return { drafts, files: report, problems }
}

/**
 * A FAQ may write a 文号 with other spacing or brackets than the document's id, and name a clause as
 * 「第一条」 where the 公告 numbers it 「一、」: cite the entry ids (the clause when it exists, else the document).
 */
function canonicalCitations(drafts: DraftEntry[]): void {
  const docs = new Map<string, { id: string; labels: string[] }>()
  for (const d of drafts)
    if (d.kind === 'policy' && d.policy?.part === 'document')
      docs.set(docNumberKey(d.id), { id: d.id, labels: (d.policy.clauses ?? []).map((c) => c.label) })
  if (docs.size === 0) return
  for (const d of drafts) {
    if (d.kind === 'policy' || d.citedArticleIds.length === 0) continue
    d.citedArticleIds = [...new Set(d.citedArticleIds.map((c) => resolveCitation(c, docs)))]
  }
}

function resolveCitation(cited: string, docs: Map<string, { id: string; labels: string[] }>): string {
  const [no, clause] = cited.split('#') as [string, string | undefined]
  const doc = docs.get(docNumberKey(no))
  if (!doc) return cited
  if (!clause) return doc.id
  const label = doc.labels.find((l) => l === clause || sameClause(clause, l))
  return label ? clauseId(doc.id, label) : doc.id
}

/** Writes drafts into the store, keeping unchanged entries untouched. Returns the entries that changed. */
export async function storeEntries(
  store: Store,
  drafts: readonly DraftEntry[],
  now: Date,
  actor = 'import',
): Promise<{ changed: Entry[]; added: number; updated: number; unchanged: number }> {
  const entries = store.collection<Entry>('entries')
  const versions = store.collection<EntryVersion>('versions')
  const existing = new Map((await entries.getMany(drafts.map((d) => d.id))).map((e) => [e.id, e]))
  const changed: Entry[] = []
  const history: EntryVersion[] = []
  let added = 0
  let updated = 0
  let unchanged = 0
  const ts = now.toISOString()
  for (const d of drafts) {
    const old = existing.get(d.id)
    if (!old) {
      const e = { ...d, version: 1, updatedAt: ts, updatedBy: actor } as Entry
      changed.push(e)
      history.push(versionOf(e, ts, actor, 'imported'))
      added++
      continue
    }
    const next = {
      ...d,
      version: old.version,
      updatedAt: old.updatedAt,
      ...(old.updatedBy ? { updatedBy: old.updatedBy } : {}),
    } as Entry
    if (contentKey(next) === contentKey(old)) {
      unchanged++
      continue
    }
    const e = { ...d, version: old.version + 1, updatedAt: ts, updatedBy: actor } as Entry
    changed.push(e)
    history.push(versionOf(e, ts, actor, 're-imported with changes'))
    updated++
  }
  if (changed.length > 0) {
    await versions.putMany(history)
    await entries.putMany(changed)
  }
  return { changed, added, updated, unchanged }
}
