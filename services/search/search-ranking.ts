/**
 * The search endpoint's ordering rule over the retrievers' ranking (GET /api/search, `taxkb search`; the
 * answer path ranks with the retrievers alone). Pure: no I/O.
 *
 * 1. **Coverage**: an entry whose own text (body; for a FAQ its question and answer) contains every word of the
 *    query comes before one that matches some words only through its title or not at all. A 公告 clause
 *    without a heading carries the document title, so every clause of 「关于起征点标准等…的公告」 matched
 *    「起征点」 by title even when its text is about invoices.
 * 2. **A query without a region is a national question**: then national entries come before province / city
 *    ones, which apply to that region's taxpayers only. With a region the lineage filter already chose.
 *
 * Within each class the retrievers' order is kept (stable), and each hit keeps its retriever score.
 */
import { normalizeText } from './analyzer.js'

export interface RankableHit {
  id: string
  layer: string
}

export interface RankingInput<H extends RankableHit> {
  hits: readonly H[]
  /** The words the user typed, analysed (stopwords removed). */
  terms: readonly string[]
  /** An entry's own text (body; FAQ: question + answer), by id; absent ids count as not covering. */
  textOf: (id: string) => string | undefined
  /** Whether the request named a region. */
  regional: boolean
}

/** Whether `text` contains every term (after the analyzer's normalisation). */
export function coversAll(text: string, terms: readonly string[]): boolean {
  const norm = normalizeText(text)
  return terms.every((t) => norm.includes(t))
}

export function rankForSearch<H extends RankableHit>(input: RankingInput<H>): H[] {
  const terms = input.terms.filter((t) => t.length > 0)
  const keyed = input.hits.map((hit, i) => {
    const text = input.textOf(hit.id)
    const partial = terms.length > 0 && !(text !== undefined && coversAll(text, terms)) ? 1 : 0
    const local = !input.regional && hit.layer !== 'national' ? 1 : 0
    return { hit, key: partial * 2 + local, i }
  })
  keyed.sort((a, b) => a.key - b.key || a.i - b.i)
  return keyed.map((k) => k.hit)
}
