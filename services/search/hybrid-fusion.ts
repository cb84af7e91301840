/**
 * Pure pieces of hybrid retrieval shared by every backend: layer precedence on BM25 scores, passage hits
 * aggregated to entries (an entry is as close as its closest passage), and the fusion of the BM25 and the
 * dense entry rankings with Reciprocal Rank Fusion into per-hit signals the answer layer calibrates on.
 */
import type { Layer } from '../../knowledge/entry.js'
import { rrf } from './rank-fusion.js'
import { isScopeToken } from './analyzer.js'

/** City > province > national at comparable BM25 scores (the same factors the answer layer always used). */
export const LAYER_BOOST: Readonly<Record<Layer, number>> = { city: 1.25, province: 1.12, national: 1 }

/** RRF constant: 60 is the literature default and measured best on the dev split (see README → retrieval). */
export const RRF_K = 60
/** Both retrievers "agree" on an entry when each ranks it within this depth. */
export const AGREE_DEPTH = 10

/** Candidates each retriever contributes to the fusion, at least (both backends). */
export const FUSION_DEPTH = 30

export interface RankSignal {
  score: number
  /** 1-based rank in that retriever's list. */
  rank: number
}

export interface HitSignals {
  /** BM25 score (after layer precedence when asked) and rank; null when BM25 did not retrieve it. */
  bm25: RankSignal | null
  /** Cosine of the entry's closest passage and the entry's dense rank; null when dense did not retrieve it. */
  dense: RankSignal | null
  /** RRF score and the 1-based rank in the fused list. */
  fused: RankSignal
  /** Both retrievers ranked it within AGREE_DEPTH. */
  agree: boolean
}

export interface EntryScore {
  id: string
  score: number
}

export interface DenseEntryScore extends EntryScore {
  /** The passage that gave the entry its score. */
  passageId: string
}

/** Pure: scores × layer factor, re-sorted (ties by id, so the order is deterministic). */
export function applyLayerBoost<T extends { id: string; layer: Layer; score: number }>(hits: readonly T[]): T[] {
  return hits
    .map((h) => ({ ...h, score: h.score * LAYER_BOOST[h.layer] }))
    .sort((a, b) => b.score - a.score || a.id.localeCompare(b.id))
}

/** Pure: passage hits (best first) → entries (best first), each with its best passage. */
export function aggregatePassages(
  hits: readonly { id: string; entryId: string; score: number }[],
  limit: number,
): DenseEntryScore[] {
  const best = new Map<string, DenseEntryScore>()
  for (const h of hits) {
    const cur = best.get(h.entryId)
    if (!cur || h.score > cur.score) best.set(h.entryId, { id: h.entryId, score: h.score, passageId: h.id })
  }
  return [...best.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit)
}

export interface FuseOptions {
  k?: number
  /** Per-list weight on the reciprocal rank (1, 1 = plain RRF); tuned on the dev split only. */
  weights?: { bm25: number; dense: number }
}

/**
 * Pure: fuses the BM25 and dense entry rankings. With weights (1, 1) this is plain RRF; the signals keep
 * each retriever's own score and rank so a caller can tell a hit both agree on from one only one found.
 */
export function fuseRankings(
  bm25: readonly EntryScore[],
  dense: readonly EntryScore[],
  options: FuseOptions = {},
): { id: string; signals: HitSignals }[] {
  const k = options.k ?? RRF_K
  const w = options.weights ?? { bm25: 1, dense: 1 }
  const rankOf = (list: readonly EntryScore[]) => new Map(list.map((h, i) => [h.id, { score: h.score, rank: i + 1 }]))
  const b = rankOf(bm25)
  const d = rankOf(dense)
  let fused: { id: string; score: number }[]
  if (w.bm25 === 1 && w.dense === 1) fused = rrf([bm25, dense], k)
  else {
    const scores = new Map<string, number>()
    for (const [list, weight] of [
      [b, w.bm25],
      [d, w.dense],
    ] as const)
      for (const [id, s] of list) scores.set(id, (scores.get(id) ?? 0) + weight / (k + s.rank))
    fused = [...scores]
      .map(([id, score]) => ({ id, score }))
      .sort((x, y) => y.score - x.score || (b.get(x.id)?.rank ?? 1e9) - (b.get(y.id)?.rank ?? 1e9))
  }
  return fused.map((f, i) => {
    const bs = b.get(f.id) ?? null
    const ds = d.get(f.id) ?? null
    return {
      id: f.id,
      signals: {
        bm25: bs,
        dense: ds,
        fused: { score: f.score, rank: i + 1 },
        agree: bs !== null && ds !== null && bs.rank <= AGREE_DEPTH && ds.rank <= AGREE_DEPTH,
      },
    }
  })
}

/** Pure: the passage whose text holds the most query-term weight (BM25-only hits; ties → reading order). */
export function bestPassageByTerms<P extends { text: string }>(
  passages: readonly P[],
  weights: ReadonlyMap<string, number>,
): P | undefined {
  let best: P | undefined
  let bestScore = -1
  for (const p of passages) {
    const text = p.text.toLowerCase()
    let s = 0
    for (const [t, w] of weights) if (!isScopeToken(t) && text.includes(t)) s += w * Math.min(t.length, 4)
    // A whole-entry passage contains every term of its parts: prefer a part unless it holds strictly less.
    if (s > bestScore) {
      best = p
      bestScore = s
    }
  }
  return best
}

/**
 * Pure: the fused list in the order of the asked ranker — hybrid keeps the RRF order; `bm25` / `dense`
 * sort by that retriever's own rank (hits it did not retrieve last).
 */
export function orderFor<T extends { signals: HitSignals }>(fused: T[], mode: 'hybrid' | 'bm25' | 'dense'): T[] {
  if (mode === 'hybrid') return fused
  const rank = (s: HitSignals) => (mode === 'bm25' ? s.bm25?.rank : s.dense?.rank) ?? Number.MAX_SAFE_INTEGER
  return [...fused].sort((a, b) => rank(a.signals) - rank(b.signals))
}

/** Pure: the score a hit reports in a mode (RRF in hybrid, the retriever's own score otherwise). */
export function scoreFor(s: HitSignals, mode: 'hybrid' | 'bm25' | 'dense'): number {
  return mode === 'hybrid' ? s.fused.score : mode === 'dense' ? (s.dense?.score ?? 0) : (s.bm25?.score ?? 0)
}

/**
 * Pure: the second text the dense side embeds for a query that fired lexicon expansion rules — the question,
 * then the rules' formal phrases (「每个月销售额多少以内免…」 + 起征点 月销售额 小规模纳税人); null when none fired
 * (or synonyms are off). The model alone places a colloquial question near passages in the same everyday words;
 * the curated phrases pull it towards the rule's own wording. Both vectors search, and an entry keeps its
 * closer one (mergeDenseLists), so the expansion can add candidates but never loses what the question found.
 */
export function expandedDenseText(query: string, terms?: { expansions?: readonly string[] }): string | null {
  const extra = terms?.expansions ?? []
  return extra.length === 0 ? null : `${query} ${extra.join(' ')}`
}

/** Pure: the texts the dense side embeds for a query — the question, and its expanded text when rules fired. */
export function denseQueryTexts(query: string, terms?: { expansions?: readonly string[] }): string[] {
  const expanded = expandedDenseText(query, terms)
  return expanded === null ? [query] : [query, expanded]
}

/** Pure: dense entry lists merged by each entry's best score (ties by id), the best `limit`. */
export function mergeDenseLists<T extends EntryScore>(lists: readonly (readonly T[])[], limit: number): T[] {
  const best = new Map<string, T>()
  for (const list of lists)
    for (const d of list) {
      const cur = best.get(d.id)
      if (!cur || d.score > cur.score) best.set(d.id, d)
    }
  return [...best.values()].sort((a, b) => b.score - a.score || a.id.localeCompare(b.id)).slice(0, limit)
}

/** Pure: the tax scopes a query asks about (its scope pseudo-tokens). */
export function askedScopes(weights: ReadonlyMap<string, number>): string[] {
  return [...weights.keys()].filter(isScopeToken)
}

/**
 * Pure: whether a dense candidate is out of the question's scope — the question names a tax and the entry is
 * scoped only to other taxes (an income-tax 公告 on 个体工商户 for 「…免增值税」). Cosine rewards shared everyday
 * words (个体户) regardless of the tax; such entries are left to BM25, which still ranks them on their words.
 * An entry without a scope (FAQ, guide, a law outside scopes.txt) is never out of scope.
 */
export function outOfDenseScope(entryScopes: readonly string[], asked: readonly string[]): boolean {
  return asked.length > 0 && entryScopes.length > 0 && !entryScopes.some((s) => asked.includes(s))
}

/** Clauses of one 公告 a hybrid ranking keeps before moving that document's further clauses down. */
export const CLAUSES_PER_DOCUMENT = 1

/** The 公告 a policy clause id belongs to (「财政部 税务总局公告2026年第10号#一」 → its 文号); null otherwise. */
export function policyDocumentOf(id: string, kind: string): string | null {
  if (kind !== 'policy') return null
  const i = id.indexOf('#')
  return i > 0 ? id.slice(0, i) : null
}

/**
 * Pure: a hybrid ranking with at most `perDocument` clauses of any one 公告 ahead of the other sources; a
 * document's further clauses follow, in their order. Every clause of 「…城市维护建设税征收管理有关事项的公告」 carries
 * the words 城市维护建设税 in its borrowed title, so without this seven of its clauses fill the candidates and the
 * statute that answers (计税依据) never reaches the answer layer. Law articles are not grouped: one question often
 * needs several articles of the same law.
 */
export function spreadDocuments<T>(
  ranked: readonly T[],
  documentOf: (item: T) => string | null,
  perDocument = CLAUSES_PER_DOCUMENT,
): T[] {
  const seen = new Map<string, number>()
  const head: T[] = []
  const tail: T[] = []
  for (const item of ranked) {
    const doc = documentOf(item)
    const n = doc === null ? 0 : (seen.get(doc) ?? 0) + 1
    if (doc !== null) seen.set(doc, n)
    ;(n > perDocument ? tail : head).push(item)
  }
  return [...head, ...tail]
}

/**
 * Pure: the final order of a search — orderFor's, and in hybrid mode with a 公告's further clauses moved down
 * (spreadDocuments). `kindOf` gives a hit's entry kind (only policy clauses are grouped by document).
 */
export function rankFor<T extends { id: string; signals: HitSignals }>(
  fused: T[],
  mode: 'hybrid' | 'bm25' | 'dense',
  kindOf: (id: string) => string,
): T[] {
  const ordered = orderFor(fused, mode)
  return mode === 'hybrid' ? spreadDocuments(ordered, ({ id }) => policyDocumentOf(id, kindOf(id))) : ordered
}
