/**
 * Text analysis shared by every search backend, so the embedded index and Elasticsearch see the same
 * tokens: NFKC normalisation (full-width → half-width), lower case, jieba search-mode segmentation with the
 * tax user dictionary, stopword removal, and query-time synonym expansion.
 */
import fs from 'node:fs'
import { createRequire } from 'node:module'
import { Jieba } from '@node-rs/jieba'
import type { Lexicon } from '../../knowledge/lexicon.js'

export interface QueryTerms {
  /** term → weight; original terms weigh 1, synonym expansions less. */
  weights: Map<string, number>
  /** Terms typed by the user (before expansion), for highlighting. */
  original: string[]
  /**
   * The formal phrases of the lexicon's expansion rules the question fired (expansions.txt), in rule order and
   * not already in the question: the dense side embeds them with the question (see denseQueryText).
   */
  expansions?: string[]
}

/** Pseudo-token marking the articles of the laws that govern a tax (see knowledge/lexicon/scopes.txt). */
export const scopeToken = (tax: string) => `scope:${tax}`
export const isScopeToken = (t: string) => t.startsWith('scope:')

/** A query's word weights without its scope pseudo-tokens (for coverage of a text: no text contains them). */
export function wordWeights(weights: ReadonlyMap<string, number>): Map<string, number> {
  return new Map([...weights].filter(([t]) => !isScopeToken(t)))
}
export const SCOPE_WEIGHT = 1

/**
 * Two-character words that end where a tax name begins (「有关税费」 is 有关 + 税费, not 关税): an occurrence
 * of a tax name preceded by the first character of one of these is not a mention of that tax.
 */
const OVERLAPPING_WORDS = ['有关', '相关', '机关', '无关', '攸关']

/**
 * The taxes a text names, longest names first, each occurrence claimed once: 「土地增值税」 names 土地增值税,
 * not also 增值税; 「增值税和个人所得税」 names both; 「有关税费政策」 names none.
 */
export function taxesNamedIn(text: string, taxNames: readonly string[]): string[] {
  let rest = text
  const out: string[] = []
  for (const tax of [...taxNames].sort((a, b) => b.length - a.length)) {
    if (!tax || !rest.includes(tax)) continue
    let named = false
    let next = ''
    let from = 0
    for (let i = rest.indexOf(tax); i >= 0; i = rest.indexOf(tax, i + tax.length)) {
      const overlaps = i > 0 && OVERLAPPING_WORDS.includes(`${rest[i - 1]}${tax[0]}`)
      next += rest.slice(from, i) + (overlaps ? tax : '\u0000')
      from = i + tax.length
      named ||= !overlaps
    }
    rest = next + rest.slice(from)
    if (named) out.push(tax)
  }
  return out
}

export interface Analyzer {
  readonly name: string
  /** Scope tokens for an entry whose law has this short name (indexed in the tags field). */
  scopeTokens(lawShortName: string | undefined): string[]
  /** Scope tokens of the taxes a policy document's title names (土地增值税 does not also name 增值税). */
  taxScopeTokensIn(title: string): string[]
  /** Tokens to index (duplicates kept: they are term frequencies). */
  tokens(text: string): string[]
  query(text: string, options?: { synonyms?: boolean }): QueryTerms
}

export const SYNONYM_WEIGHT = 0.6
export const EXPANSION_WEIGHT = 0.5
const PUNCT_OR_SPACE = /^[\s\p{P}\p{S}]+$/u
/** Query analyses kept (first-in first-out). */
const QUERY_MEMO = 512

export function normalizeText(text: string): string {
  return text.normalize('NFKC').toLowerCase()
}

/**
 * jieba's default dictionary (dict.txt, 5 MB), read for each analyzer and dropped once jieba has parsed it. Not
 * `@node-rs/jieba/dict.js`: its module exports keep that buffer and the 6 MB TF-IDF table (idf.txt, unused here)
 * alive for the life of the process — 11 MB of a server's resident memory.
 */
const JIEBA_DICT_FILE = createRequire(import.meta.url).resolve('@node-rs/jieba/dict.txt')

export class JiebaAnalyzer implements Analyzer {
  readonly name = 'jieba'
  private readonly jieba: Jieba
  private readonly stop: Set<string>
  /** alias or canonical → all members of its group. */
  private readonly groupOf = new Map<string, string[]>()
  /** Group members sorted longest first, for substring scanning of queries. */
  private readonly members: string[]
  private readonly expansions: Lexicon['expansions']
  private readonly scopesByLaw = new Map<string, string[]>()
  private readonly taxNames: string[]
  private readonly memo = new Map<string, QueryTerms>()

  constructor(lexicon: Lexicon) {
    this.jieba = Jieba.withDict(fs.readFileSync(JIEBA_DICT_FILE))
    const lines = lexicon.userDict.map((d) => `${d.term} ${d.freq} ${d.pos}`)
    // Synonym members are words too: without this jieba splits colloquial forms like 房贷利息.
    for (const g of lexicon.synonymGroups)
      for (const m of g) if (m.length >= 2 && !/\s/.test(m)) lines.push(`${m} 20000 n`)
    if (lines.length > 0) this.jieba.loadDict(Buffer.from(lines.join('\n'), 'utf8'))
    this.stop = lexicon.stopwords
    for (const g of lexicon.synonymGroups) for (const m of g) this.groupOf.set(m, g)
    this.expansions = lexicon.expansions
    for (const { tax, laws } of lexicon.scopes)
      for (const law of laws) this.scopesByLaw.set(law, [...(this.scopesByLaw.get(law) ?? []), scopeToken(tax)])
    this.taxNames = lexicon.scopes.map((s) => s.tax)
    this.members = [...this.groupOf.keys()].filter((m) => m.length >= 2).sort((a, b) => b.length - a.length)
  }

  private keep(t: string): boolean {
    return t.length > 0 && !PUNCT_OR_SPACE.test(t) && !this.stop.has(t)
  }

  scopeTokens(lawShortName: string | undefined): string[] {
    return lawShortName ? (this.scopesByLaw.get(lawShortName) ?? []) : []
  }

  taxScopeTokensIn(title: string): string[] {
    return taxesNamedIn(title, this.taxNames).map(scopeToken)
  }

  tokens(text: string): string[] {
    return this.jieba.cutForSearch(normalizeText(text), true).filter((t) => this.keep(t.trim()))
  }

  /**
   * Analyses a query; repeated calls with the same text and flag return the same (read-only) result from a
   * small memo, so the steps of one answer that look at the question again do not re-run jieba. A lexicon
   * edit builds a new analyzer, so the memo never outlives the dictionary it was computed with.
   */
  query(text: string, options: { synonyms?: boolean } = {}): QueryTerms {
    const key = `${options.synonyms === false ? 0 : 1}\u0001${text}`
    const hit = this.memo.get(key)
    if (hit) return hit
    const out = this.analyse(text, options)
    this.memo.set(key, out)
    if (this.memo.size > QUERY_MEMO) this.memo.delete(this.memo.keys().next().value as string)
    return out
  }

  private analyse(text: string, options: { synonyms?: boolean }): QueryTerms {
    const norm = normalizeText(text)
    const original = this.jieba
      .cutForSearch(norm, true)
      .map((t) => t.trim())
      .filter((t) => this.keep(t))
    const weights = new Map<string, number>()
    const expanded: string[] = []
    for (const t of original) weights.set(t, (weights.get(t) ?? 0) + 1)
    // terms only an expansion rule added: a tax among them is related to the words, not asked about
    const onlyExpanded = new Set<string>()
    if (options.synonyms !== false && this.members.length > 0) {
      const groups = new Set<string[]>()
      for (const t of original) {
        const g = this.groupOf.get(t)
        if (g) groups.add(g)
      }
      for (const m of this.members) if (norm.includes(m)) groups.add(this.groupOf.get(m)!)
      for (const g of groups) {
        for (const member of g) {
          if (norm.includes(member)) continue
          for (const t of this.tokens(member)) if (!weights.has(t)) weights.set(t, SYNONYM_WEIGHT)
        }
      }
      for (const rule of this.expansions) {
        if (!rule.triggers.some((t) => norm.includes(t))) continue
        for (const term of rule.terms) {
          if (!norm.includes(normalizeText(term)) && !expanded.includes(term)) expanded.push(term)
          for (const t of this.tokens(term)) {
            if (weights.has(t)) continue
            weights.set(t, EXPANSION_WEIGHT)
            onlyExpanded.add(t)
          }
        }
      }
    }
    // A named tax (typed, or reached through a synonym) scopes the question to the laws that govern it; a tax an
    // expansion rule only relates to the words (账本 → 营业账簿 印花税) does not: the taxpayer did not ask about it.
    for (const tax of this.taxNames)
      if (weights.has(tax) && !onlyExpanded.has(tax)) weights.set(scopeToken(tax), SCOPE_WEIGHT)
    return { weights, original: [...new Set(original)], ...(expanded.length > 0 ? { expansions: expanded } : {}) }
  }
}

/** Baseline analyzer: overlapping CJK character bigrams (plus ASCII words), no dictionary, no synonyms. */
export class BigramAnalyzer implements Analyzer {
  readonly name = 'bigram'

  scopeTokens(): string[] {
    return []
  }

  taxScopeTokensIn(): string[] {
    return []
  }

  tokens(text: string): string[] {
    const out: string[] = []
    for (const run of normalizeText(text).match(/[\p{Script=Han}]+|[a-z0-9]+/gu) ?? []) {
      if (/^[a-z0-9]/.test(run) || run.length === 1) out.push(run)
      else for (let i = 0; i + 1 < run.length; i++) out.push(run.slice(i, i + 2))
    }
    return out
  }

  query(text: string): QueryTerms {
    const original = this.tokens(text)
    const weights = new Map<string, number>()
    for (const t of original) weights.set(t, (weights.get(t) ?? 0) + 1)
    return { weights, original: [...new Set(original)] }
  }
}
