/** Indexing throughput (entries/s) and tokenisation throughput (chars/s) next to raw jieba. */
import { Jieba } from '@node-rs/jieba'
import { dict } from '@node-rs/jieba/dict.js'
import type { Entry } from '../../knowledge/entry.js'
import type { Lexicon } from '../../knowledge/lexicon.js'
import type { Analyzer } from '../../services/search/analyzer.js'
import { BigramAnalyzer } from '../../services/search/analyzer.js'
import { EmbeddedSearchBackend } from '../../services/search/embedded-backend.js'
import { entryFields } from '../../services/search/entry-fields.js'

/** Same batch size as the product's reindexAll. */
export const INDEX_BATCH = 500

export interface IndexBuild {
  backend: EmbeddedSearchBackend
  ms: number
  entriesPerSec: number
  charsPerSec: number
}

export function indexedChars(entries: readonly Entry[]): number {
  let n = 0
  for (const e of entries) {
    const f = entryFields(e)
    n += f.title.length + f.question.length + f.tags.length + f.body.length
  }
  return n
}

export async function buildIndex(
  entries: readonly Entry[],
  analyzer: Analyzer,
  lineage: (c: string) => string[],
  lexiconHash: string,
  snapshotFile?: string,
): Promise<IndexBuild> {
  const backend = new EmbeddedSearchBackend({
    analyzer,
    lineage,
    lexiconHash,
    ...(snapshotFile ? { snapshotFile } : {}),
  })
  const t0 = performance.now()
  for (let i = 0; i < entries.length; i += INDEX_BATCH) await backend.upsert(entries.slice(i, i + INDEX_BATCH))
  const ms = performance.now() - t0
  return { backend, ms, entriesPerSec: entries.length / (ms / 1000), charsPerSec: indexedChars(entries) / (ms / 1000) }
}

export interface TokenizeThroughput {
  chars: number
  /** The product's analyzer (NFKC, lower case, cutForSearch + user dict, stopwords): chars/s. */
  analyzerCharsPerSec: number
  /** Raw @node-rs/jieba with the same dictionaries, no normalisation or filtering. */
  rawCutForSearchCharsPerSec: number
  rawCutCharsPerSec: number
  bigramCharsPerSec: number
}

function rawJieba(lexicon: Lexicon): Jieba {
  const j = Jieba.withDict(dict)
  const lines = lexicon.userDict.map((d) => `${d.term} ${d.freq} ${d.pos}`)
  for (const g of lexicon.synonymGroups)
    for (const m of g) if (m.length >= 2 && !/\s/.test(m)) lines.push(`${m} 20000 n`)
  if (lines.length > 0) j.loadDict(Buffer.from(lines.join('\n'), 'utf8'))
  return j
}

/** Best of `rounds` passes over the same texts (the field strings the indexer tokenizes). */
export function tokenizeThroughput(
  entries: readonly Entry[],
  analyzer: Analyzer,
  lexicon: Lexicon,
  rounds: number,
): TokenizeThroughput {
  const texts: string[] = []
  for (const e of entries) {
    const f = entryFields(e)
    for (const t of [f.title, f.question, f.tags, f.body]) if (t) texts.push(t)
  }
  const chars = texts.reduce((s, t) => s + t.length, 0)
  const best = (fn: (t: string) => unknown) => {
    let min = Infinity
    for (let r = 0; r < rounds; r++) {
      const t0 = performance.now()
      for (const t of texts) fn(t)
      min = Math.min(min, performance.now() - t0)
    }
    return chars / (min / 1000)
  }
  const jieba = rawJieba(lexicon)
  const bigram = new BigramAnalyzer()
  return {
    chars,
    analyzerCharsPerSec: best((t) => analyzer.tokens(t)),
    rawCutForSearchCharsPerSec: best((t) => jieba.cutForSearch(t, true)),
    rawCutCharsPerSec: best((t) => jieba.cut(t, true)),
    bigramCharsPerSec: best((t) => bigram.tokens(t)),
  }
}
