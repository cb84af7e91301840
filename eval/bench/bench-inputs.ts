/**
 * Loads what the benchmark generates from: the bundled corpus (through the importer's own parsers and
 * validation), the regions, the lexicon and the retrieval evaluation questions. Then scales them.
 */
import fs from 'node:fs'
import path from 'node:path'
import { collectEntries } from '../../indexers/import-corpus.js'
import type { Entry } from '../../knowledge/entry.js'
import { loadLexicon, type Lexicon } from '../../knowledge/lexicon.js'
import { RegionTable, type Region } from '../../knowledge/regions.js'
import { REPO_ROOT, type Config } from '../../services/shared/config.js'
import { readEvalSet } from '../eval-set.js'
import { BENCH_UPDATED_AT, scaleCorpus } from './corpus-scale.js'
import { buildQuerySet, type BenchQuery } from './query-set.js'

export const CORPUS_SEED = 20261125
export const QUERY_SEED = 12366

export interface BenchInputs {
  base: Entry[]
  regions: RegionTable
  regionList: Region[]
  lexicon: Lexicon
  seeds: BenchQuery[]
  guideNames: string[]
}

export function loadBenchInputs(config: Config): BenchInputs {
  const regions = RegionTable.load(config.regionsFile)
  const { drafts, problems } = collectEntries(config.corpusDir, regions)
  if (problems.length > 0)
    throw new Error(
      `bundled corpus has ${problems.length} problem(s), first: ${problems[0]!.file}:${problems[0]!.line}: ${problems[0]!.message}`,
    )
  const base = drafts.map((d) => ({ ...d, version: 1, updatedAt: BENCH_UPDATED_AT }) as Entry)
  const lexicon = loadLexicon(config.lexiconDir)
  const evalFile = path.join(REPO_ROOT, 'eval', 'datasets', 'retrieval.jsonl')
  const seeds: BenchQuery[] = fs.existsSync(evalFile)
    ? readEvalSet(evalFile).map((c) => (c.region ? { q: c.question, region: c.region } : { q: c.question }))
    : []
  // The bundled FAQ questions are real taxpayer questions too.
  for (const e of base)
    if (e.kind === 'faq' && e.question)
      seeds.push(e.regionCode ? { q: e.question, region: e.regionCode } : { q: e.question })
  const guideNames = base.filter((e) => e.kind === 'guide').map((e) => e.title)
  return { base, regions, regionList: regions.all(), lexicon, seeds, guideNames }
}

export function benchCorpus(inputs: BenchInputs, size: number): Entry[] {
  return scaleCorpus(inputs.base, {
    size,
    seed: CORPUS_SEED,
    regions: inputs.regionList,
    synonymGroups: inputs.lexicon.synonymGroups,
  })
}

export function benchQueries(inputs: BenchInputs, n: number): BenchQuery[] {
  return buildQuerySet(inputs.seeds, {
    n,
    seed: QUERY_SEED,
    regions: inputs.regionList,
    synonymGroups: inputs.lexicon.synonymGroups,
    guideNames: inputs.guideNames,
  })
}
