/**
 * The search endpoint's ordering rule over the retrievers' ranking (GET /api/search, `taxkb search`; the
 * answer path ranks with the retrievers alone). Pure: no I/O. Only the retrievers' top N are reordered, so
 * the hits are the same and each keeps its retriever score.
 *
 * 1. **A query without a region is a national question**: national entries come before province / city ones,
 *    which apply to that region's taxpayers only. With a region the lineage filter already chose.
 * 2. **A borrowed title is not a match**: a 公告 clause without a heading of its own is titled with its
 *    document's title, so every clause of 「关于起征点标准等增值税征管事项的公告」 matched 「起征点」 through the
 *    title, even one about invoices. Such a hit, when a query word is in the borrowed title but not in its own
 *    text, comes after the other hits of its class.
 *
 * Within a class the retrievers' order is kept (stable). Measured on the dev split (README, eval/search-
 * ordering-eval.ts); an "every query word in the text first" rule was tried and lowered hit@1 (colloquial
 * questions then favour FAQs repeating the asker's words), so it is not used.
 */
import { normalizeText } from './analyzer.js'

export interface RankableHit {
  id: string
  layer: string
}

/** What the rule needs of an entry beyond the hit. */
export interface RankingText {
  /** The entry's own text (body; FAQ: question + answer). */
  text: string
  /** The part of its title taken from elsewhere (a clause's document title); absent when the title is its own. */
  borrowedTitle?: string | undefined
}

export interface RankingInput<H extends RankableHit> {
  hits: readonly H[]
  /** The words the user typed, analysed (stopwords removed). */
  terms: readonly string[]
  textOf: (id: string) => RankingText | undefined
  /** Whether the request named a region. */
  regional: boolean
}

/** Whether a query word matches the entry only through its borrowed title. */
export function matchesOnlyByBorrowedTitle(t: RankingText | undefined, terms: readonly string[]): boolean {
  if (!t?.borrowedTitle) return false
  const title = normalizeText(t.borrowedTitle)
  const own = normalizeText(t.text)
  return terms.some((w) => w.length > 0 && title.includes(w) && !own.includes(w))
}

export function rankForSearch<H extends RankableHit>(input: RankingInput<H>): H[] {
  const keyed = input.hits.map((hit, i) => {
    const local = !input.regional && hit.layer !== 'national' ? 1 : 0
    const borrowed = matchesOnlyByBorrowedTitle(input.textOf(hit.id), input.terms) ? 1 : 0
    return { hit, key: local * 2 + borrowed, i }
  })
  keyed.sort((a, b) => a.key - b.key || a.i - b.i)
  return keyed.map((k) => k.hit)
}
