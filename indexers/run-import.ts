/** The import use case shared by `taxkb import` and `npm start`: collect → store → reindex → snapshot. */
import path from 'node:path'
import type { RegionTable } from '../knowledge/regions.js'
import type { Store } from '../knowledge/store/store.js'
import type { Clock } from '../services/shared/clock.js'
import { relinkPolicies } from './policy-links.js'
import { lawTitlesFrom } from './sources/policy-source.js'
import {
  collectEntries,
  ImportValidationError,
  storeEntries,
  type ImportProgress,
  type ImportReport,
} from './import-corpus.js'

/** What an import needs (the composition root's container fits): regions, the store, a clock and the index. */
export interface ImportTarget {
  regions: RegionTable
  store: Store
  clock: Clock
  index: { reindexAll(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number }> }
}

export async function runImport(
  ctx: ImportTarget,
  sourceDir: string,
  onProgress?: (p: ImportProgress) => void,
): Promise<ImportReport & { indexed: number }> {
  const { drafts, files, problems } = collectEntries(sourceDir, ctx.regions, onProgress)
  if (problems.length > 0) throw new ImportValidationError(problems)
  onProgress?.({ phase: 'store', done: 0, total: drafts.length })
  const res = await storeEntries(ctx.store, drafts, ctx.clock.now())
  // documents published by editors may repeal bundled ones (and vice versa): link across the whole store
  const linked = await relinkPolicies(
    ctx.store,
    lawTitlesFrom(path.join(sourceDir, 'laws', 'articles.jsonl')),
    ctx.clock.now(),
  )
  res.updated += linked.changed.filter((e) => e.version > 1).length
  onProgress?.({ phase: 'store', done: drafts.length, total: drafts.length })
  // Always re-sync the index: the lexicon may have changed even when no entry did.
  const idx = await ctx.index.reindexAll((done, total) => onProgress?.({ phase: 'index', done, total }))
  return {
    files,
    total: drafts.length,
    added: res.added,
    updated: res.updated,
    unchanged: res.unchanged,
    indexed: idx.indexed,
  }
}
