/**
 * Retrieval evaluation of the three rankers in ONE run: BM25 alone, dense alone and hybrid (RRF), through
 * the answer layer's Retriever (answer kinds, published, in force, region lineage, layer precedence), so the
 * figures are what an answer sees. Also scores alternative fusions (RRF k, weights) from the same two
 * candidate lists — for tuning on the dev split only. Cases: `{question, expectedIds | expectedArticleIds,
 * region?}`; a case whose expected ids are all absent from the store is skipped (a 公告 not bundled yet).
 */
import fs from 'node:fs'
import type { Retriever } from '../services/answer/retrieval.js'
import { fuseRankings, type EntryScore, type FuseOptions } from '../services/search/hybrid-fusion.js'
import { aggregate, type RankingMetrics } from './retrieval-metrics.js'
import { asExpected } from './expected-match.js'

export interface RetrievalCase {
  id: string
  question: string
  expected: string[]
  region?: string
}

/** Reads either dataset format: h15 taxpayer sets (`expectedIds`) or eval/datasets/retrieval.jsonl. */
export function readRetrievalCases(file: string): RetrievalCase[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .flatMap((l, i) => {
      const v = JSON.parse(l) as {
        id?: string
        question?: string
        expectedIds?: string[]
        expectedArticleIds?: string[]
        region?: string | null
      }
      const expected = v.expectedIds ?? v.expectedArticleIds ?? []
      if (!v.question || expected.length === 0) return []
      return [
        { id: v.id ?? `line-${i + 1}`, question: v.question, expected, ...(v.region ? { region: v.region } : {}) },
      ]
    })
}

/** Aggregate metrics plus hit@5: the share of questions with ANY expected entry in the top 5 (the recall@5). */
export interface ModeMetrics extends RankingMetrics {
  hitAt5: number
}

function metrics(rows: readonly Row[]): ModeMetrics {
  const hits = rows.filter((r) => r.ranked.slice(0, 5).some((id) => r.expected.includes(id))).length
  return { ...aggregate(rows), hitAt5: rows.length === 0 ? 0 : Math.round((hits / rows.length) * 10000) / 10000 }
}

export interface ModesReport {
  bm25: ModeMetrics
  dense: ModeMetrics | null
  hybrid: ModeMetrics
  /** Alternative fusions of the same candidates (key: label). */
  fusions: Record<string, ModeMetrics>
  skipped: number
  perCase: { id: string; question: string; expected: string[]; bm25: string[]; dense: string[]; hybrid: string[] }[]
}

export const FUSION_ALTERNATIVES: Record<string, FuseOptions> = {
  'rrf k=10': { k: 10 },
  'rrf k=30': { k: 30 },
  'rrf k=60': { k: 60 },
  'rrf k=100': { k: 100 },
  'rrf k=60 dense×1.5': { k: 60, weights: { bm25: 1, dense: 1.5 } },
  'rrf k=60 bm25×1.5': { k: 60, weights: { bm25: 1.5, dense: 1 } },
}

export async function evaluateModes(
  cases: readonly RetrievalCase[],
  retriever: Retriever,
  today: string,
  present: (id: string) => boolean,
  dense: boolean,
): Promise<ModesReport> {
  const rows = { bm25: [] as Row[], dense: [] as Row[], hybrid: [] as Row[] }
  const fusionRows: Record<string, Row[]> = Object.fromEntries(Object.keys(FUSION_ALTERNATIVES).map((k) => [k, []]))
  const perCase: ModesReport['perCase'] = []
  let skipped = 0
  for (const c of cases) {
    const expected = c.expected.filter(present)
    if (expected.length === 0) {
      skipped++
      continue
    }
    const base = { regionCode: c.region ?? null, today, synonyms: true, limit: 30 }
    const analysis = retriever.analyse(c.question, true)
    const run = async (mode: 'bm25' | 'dense' | 'hybrid') =>
      (await retriever.retrieve(c.question, { ...base, mode, ...(analysis ? { analysis } : {}) })).sources
    const b = await run('bm25')
    const d = dense ? await run('dense') : []
    const h = dense ? await run('hybrid') : b
    const ids = (s: typeof b) =>
      asExpected(
        s.map((x) => x.entry.id),
        expected,
      )
    rows.bm25.push({ ranked: ids(b), expected })
    rows.dense.push({ ranked: ids(d), expected })
    rows.hybrid.push({ ranked: ids(h).slice(0, 10), expected })
    const bl: EntryScore[] = b.map((x) => ({ id: x.entry.id, score: x.score }))
    const dl: EntryScore[] = d.map((x) => ({ id: x.entry.id, score: x.signals?.dense?.score ?? 0 }))
    for (const [label, f] of Object.entries(FUSION_ALTERNATIVES))
      fusionRows[label]!.push({
        ranked: asExpected(
          fuseRankings(bl, dl, f).map((x) => x.id),
          expected,
        ).slice(0, 10),
        expected,
      })
    perCase.push({
      id: c.id,
      question: c.question,
      expected,
      bm25: ids(b).slice(0, 5),
      dense: ids(d).slice(0, 5),
      hybrid: ids(h).slice(0, 5),
    })
  }
  return {
    bm25: metrics(rows.bm25),
    dense: dense ? metrics(rows.dense) : null,
    hybrid: metrics(rows.hybrid),
    fusions: dense ? Object.fromEntries(Object.entries(fusionRows).map(([k, r]) => [k, metrics(r)])) : {},
    skipped,
    perCase,
  }
}

interface Row {
  ranked: string[]
  expected: string[]
}
