/**
 * BM25F impacts computed in Node, so Elasticsearch ranks exactly like the embedded index.
 *
 * Why not ES's own BM25: ES scores each field separately and sums the saturated scores, while the embedded
 * index uses BM25F (field-weighted term frequencies summed *before* saturation) with length normalisation
 * per kind (a statute article is compared with other articles, not with 3,000-character case reports).
 * Neither is expressible in this ES build (no scripts, no per-group statistics). So, like the embedded
 * index, we compute each posting's tf~ at index time — with the same per-kind, per-field average lengths
 * (sums of `len.*` per kind are kept in the index, so several processes share them) — and store
 * tf~/(k1+tf~) in a `sparse_vector` field; a query is a `sparse_vector` query whose weights are
 * query weight × idf (df and N read from the index), so the ES score is Σ w·tf~/(k1+tf~), the embedded
 * formula. ES stores feature values with ~9 bits of mantissa, so candidates are over-fetched and re-scored
 * exactly from the float32 tf~ kept in _source. Mirrors services/search/bm25-index.ts; pure, no I/O.
 */
import type { Entry } from '../../../knowledge/entry.js'
import type { Analyzer } from '../analyzer.js'
import { DEFAULT_PARAMS, FIELDS, type Field, type FieldTokens } from '../bm25-index.js'

export type FieldLengths = Record<Field, number>

/** The tokens an entry contributes per field — the same as EmbeddedSearchBackend.fieldTokens. */
export { entryFieldTokens } from '../entry-fields.js'

export function lengthsOf(fields: FieldTokens): FieldLengths {
  return {
    title: fields.title?.length ?? 0,
    question: fields.question?.length ?? 0,
    tags: fields.tags?.length ?? 0,
    body: fields.body?.length ?? 0,
  }
}

/** Per-group (kind) sums of field lengths and document counts, as in Bm25Index. */
export class GroupStats {
  private readonly groups = new Map<string, { sum: FieldLengths; count: number }>()

  add(group: string, lens: FieldLengths, times = 1): void {
    const g = this.groups.get(group) ?? { sum: { title: 0, question: 0, tags: 0, body: 0 }, count: 0 }
    for (const f of FIELDS) g.sum[f] += lens[f] * times
    g.count += times
    this.groups.set(group, g)
  }

  setGroup(group: string, sum: FieldLengths, count: number): void {
    this.groups.set(group, { sum: { ...sum }, count })
  }

  avg(group: string): FieldLengths {
    const g = this.groups.get(group)
    const out = { title: 1, question: 1, tags: 1, body: 1 }
    if (!g) return out
    for (const f of FIELDS) out[f] = Math.max(g.sum[f] / Math.max(g.count, 1), 1)
    return out
  }
}

/** tf~ per term: Σ over fields of boost / (1 − b + b·len/avg) per occurrence, rounded to float32 like the embedded postings. */
export function termFrequencies(fields: FieldTokens, avg: FieldLengths, params = DEFAULT_PARAMS): Map<string, number> {
  const tfn = new Map<string, number>()
  const { b, boosts } = params
  for (const f of FIELDS) {
    const toks = fields[f]
    if (!toks || toks.length === 0) continue
    const norm = boosts[f] / (1 - b + (b * toks.length) / avg[f])
    for (const t of toks) tfn.set(t, (tfn.get(t) ?? 0) + norm)
  }
  for (const [t, v] of tfn) tfn.set(t, Math.fround(v))
  return tfn
}

export function saturate(tfn: number, params = DEFAULT_PARAMS): number {
  return tfn / (params.k1 + tfn)
}

export function idf(n: number, df: number): number {
  return Math.log(1 + (n - df + 0.5) / (df + 0.5))
}
