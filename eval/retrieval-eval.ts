/**
 * Retrieval evaluation: ranks law articles for each question with a search function and scores them
 * against the expected article ids. The same cases run through the product's search and through the
 * character-bigram baseline, in one run.
 */
import type { Entry } from '../knowledge/entry.js'
import { BigramAnalyzer } from '../services/search/analyzer.js'
import { EmbeddedSearchBackend } from '../services/search/embedded-backend.js'
import type { SearchFilters } from '../services/search/search-backend.js'
import { aggregate, type RankingMetrics } from './retrieval-metrics.js'
import type { EvalCase } from './eval-set.js'

export type RankFn = (question: string, filters: SearchFilters) => Promise<string[]>

export interface RetrievalResult extends RankingMetrics {
  perCase: { id: string; question: string; expected: string[]; top5: string[]; rr: number }[]
}

export async function evaluateRetrieval(
  cases: readonly EvalCase[],
  rank: RankFn,
  effectiveAt: string,
): Promise<RetrievalResult> {
  const rows: { ranked: string[]; expected: string[] }[] = []
  const perCase: RetrievalResult['perCase'] = []
  for (const c of cases) {
    if (c.expectedArticleIds.length === 0) continue
    const filters: SearchFilters = {
      kind: 'law-article',
      status: 'published',
      effectiveAt,
      ...(c.region ? { regionCode: c.region } : {}),
    }
    const ranked = await rank(c.question, filters)
    rows.push({ ranked, expected: c.expectedArticleIds })
    const i = ranked.findIndex((id) => c.expectedArticleIds.includes(id))
    perCase.push({
      id: c.id,
      question: c.question,
      expected: c.expectedArticleIds,
      top5: ranked.slice(0, 5),
      rr: i < 0 ? 0 : 1 / (i + 1),
    })
  }
  return { ...aggregate(rows), perCase }
}

/** The character-bigram BM25 baseline over the same entries (no jieba, no synonyms, no stopwords). */
export async function bigramBaseline(entries: readonly Entry[], lineage: (code: string) => string[]): Promise<RankFn> {
  const backend = new EmbeddedSearchBackend({ analyzer: new BigramAnalyzer(), lineage, lexiconHash: 'none' })
  await backend.upsert(entries)
  return async (q, filters) => (await backend.search(q, { filters, limit: 10 })).map((h) => h.id)
}
