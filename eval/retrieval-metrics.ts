/** Ranking metrics over ranked id lists (pure). Relevance is binary: an id is expected or not. */
export interface RankingMetrics {
  recallAt1: number
  recallAt5: number
  recallAt10: number
  mrr: number
  ndcgAt10: number
  n: number
}

export function recallAt(ranked: readonly string[], expected: readonly string[], k: number): number {
  if (expected.length === 0) return 0
  const top = new Set(ranked.slice(0, k))
  return expected.filter((id) => top.has(id)).length / expected.length
}

export function reciprocalRank(ranked: readonly string[], expected: readonly string[]): number {
  const want = new Set(expected)
  const i = ranked.findIndex((id) => want.has(id))
  return i < 0 ? 0 : 1 / (i + 1)
}

export function ndcgAt(ranked: readonly string[], expected: readonly string[], k: number): number {
  const want = new Set(expected)
  let dcg = 0
  ranked.slice(0, k).forEach((id, i) => {
    if (want.has(id)) dcg += 1 / Math.log2(i + 2)
  })
  let idcg = 0
  for (let i = 0; i < Math.min(k, want.size); i++) idcg += 1 / Math.log2(i + 2)
  return idcg === 0 ? 0 : dcg / idcg
}

export function aggregate(rows: readonly { ranked: readonly string[]; expected: readonly string[] }[]): RankingMetrics {
  const n = rows.length
  const mean = (f: (r: (typeof rows)[number]) => number) =>
    n === 0 ? 0 : Math.round((rows.reduce((s, r) => s + f(r), 0) / n) * 10000) / 10000
  return {
    recallAt1: mean((r) => recallAt(r.ranked, r.expected, 1)),
    recallAt5: mean((r) => recallAt(r.ranked, r.expected, 5)),
    recallAt10: mean((r) => recallAt(r.ranked, r.expected, 10)),
    mrr: mean((r) => reciprocalRank(r.ranked, r.expected)),
    ndcgAt10: mean((r) => ndcgAt(r.ranked, r.expected, 10)),
    n,
  }
}
