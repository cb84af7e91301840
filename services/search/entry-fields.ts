/**
 * What an entry contributes to a search index, shared by every backend (embedded BM25F, Elasticsearch)
 * so they index the same text: its fields, their tokens, and the fingerprint of an indexed entry set.
 */
import crypto from 'node:crypto'
import type { Entry } from '../../knowledge/entry.js'
import type { Analyzer } from './analyzer.js'
import type { FieldTokens } from './bm25-index.js'

/** The text fields an entry contributes to the index (shared with the Elasticsearch backend). */
export function entryFields(
  e: Entry,
  linkedText = '',
): { title: string; question: string; tags: string; body: string } {
  const tags = [...e.tags, linkedText]
  if (e.law) tags.push(e.law.shortName, e.law.chapter ?? '')
  if (e.guide) tags.push(e.guide.code)
  const body = e.guide
    ? [e.body, ...e.guide.conditions, ...e.guide.materials, ...e.guide.steps, e.guide.timeLimit].join('\n')
    : e.body
  // A 公告 clause without a heading borrows its document's title: indexed as a tag, not as the clause's title, so
  // every clause of 「…小型微利企业所得税优惠政策征管问题的公告」 does not outrank the clause that states the rate.
  const borrowed = borrowedTitle(e)
  if (borrowed) tags.unshift(borrowed)
  const title = borrowed ? e.title.slice(borrowed.length).trim() : e.title
  return { title, question: e.question ?? '', tags: tags.filter(Boolean).join(' '), body }
}

/** An entry's own text, without title or tags (FAQ: question + answer): what the snippet is cut from. */
export function entryOwnText(e: Entry): string {
  return e.kind === 'faq' ? `${e.question ?? ''} ${e.body}` : entryFields(e).body
}

/**
 * The part of an entry's title it does not own: a 公告 clause without a heading of its own is titled
 * 「<document title> <label>」 (knowledge/policy-entries.ts), and that document title is borrowed.
 */
export function borrowedTitle(e: Entry): string | undefined {
  const p = e.policy
  if (e.kind !== 'policy' || p?.part !== 'clause' || !p.label) return undefined
  const suffix = ` ${p.label === '正文' ? '序言' : p.label}`
  return e.title.endsWith(suffix) ? e.title.slice(0, -suffix.length) : undefined
}

/** The tokens of each field of an entry — what every backend indexes (Elasticsearch joins them with spaces). */
export function entryFieldTokens(e: Entry, a: Analyzer, linkedText = ''): Required<FieldTokens> {
  const f = entryFields(e, linkedText)
  return {
    title: a.tokens(f.title),
    question: f.question ? a.tokens(f.question) : [],
    tags: [...a.tokens(f.tags), ...scopeTokensOf(e, a)],
    body: a.tokens(f.body),
  }
}

/**
 * The tax scopes an entry is indexed under: a law article by its law (scopes.txt), a 公告 clause by the taxes
 * its document's title names — so 「个体户…免增值税」 prefers the VAT 公告 over an income-tax 公告 about 个体工商户.
 */
export function scopeTokensOf(e: Entry, a: Pick<Analyzer, 'scopeTokens' | 'taxScopeTokensIn'>): string[] {
  // a clause's title is its own heading or the document's title; the document's title is then its 2nd tag
  if (e.kind === 'policy') {
    const byTitle = a.taxScopeTokensIn(`${e.title} ${e.tags.slice(0, 2).join(' ')}`)
    // a document whose title names no tax (「…有关税费政策的公告」): each clause by the taxes its own text names
    return byTitle.length > 0 || e.policy?.part !== 'clause' ? byTitle : a.taxScopeTokensIn(e.body)
  }
  return a.scopeTokens(e.law?.shortName)
}

/** Bump when what entryFieldTokens produces changes, so stored indexes are rebuilt. */
export const FIELD_TOKENS_VERSION = 5

/** Fingerprint of what is indexed, to know whether a snapshot matches the store. */
export function entriesStamp(entries: Iterable<Pick<Entry, 'id' | 'version' | 'status' | 'updatedAt'>>): string {
  const h = crypto.createHash('sha1')
  const rows: string[] = []
  for (const e of entries) rows.push(`${e.id}\u0001${e.version}\u0001${e.status}\u0001${e.updatedAt}`)
  rows.sort()
  for (const r of rows) h.update(r).update('\n')
  return h.digest('hex')
}
