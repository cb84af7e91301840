/**
 * The lexicon is data: a jieba user dictionary, synonym groups and stopwords, as plain text files that
 * editors change. This module parses them (pure) and loads them from a directory (I/O).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'

export interface Lexicon {
  /** jieba user-dictionary lines `term freq pos`. */
  userDict: { term: string; freq: number; pos: string }[]
  /** Each group: the first member is the canonical term. */
  synonymGroups: string[][]
  stopwords: Set<string>
  /** One-directional query rewrites: colloquial triggers → statutory terms. */
  expansions: { triggers: string[]; terms: string[] }[]
  /** Tax name → the laws (short names) that govern it. */
  scopes: { tax: string; laws: string[] }[]
  /** Fingerprint of the three files; a changed lexicon invalidates the index snapshot. */
  hash: string
}

export class LexiconError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    message: string,
  ) {
    super(`${file}:${line}: ${message}`)
    this.name = 'LexiconError'
  }
}

function contentLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = []
  text.split(/\r?\n/).forEach((raw, i) => {
    const t = raw.replace(/^\uFEFF/, '').trim()
    if (t && !t.startsWith('#')) out.push({ line: i + 1, text: t })
  })
  return out
}

export function parseUserDict(text: string, file = 'user-dict.txt'): Lexicon['userDict'] {
  return contentLines(text).map(({ line, text: t }) => {
    const [term, freq, pos] = t.split(/\s+/)
    if (!term) throw new LexiconError(file, line, 'empty term')
    const f = freq === undefined ? 20000 : Number(freq)
    if (!Number.isFinite(f) || f <= 0) throw new LexiconError(file, line, `bad frequency "${freq}"`)
    return { term: term.normalize('NFKC').toLowerCase(), freq: f, pos: pos ?? 'n' }
  })
}

export function parseSynonyms(text: string, file = 'synonyms.txt'): string[][] {
  return contentLines(text).map(({ line, text: t }) => {
    const members = t
      .split(/[,，、=]/)
      .map((s) => s.trim().normalize('NFKC').toLowerCase())
      .filter(Boolean)
    if (members.length < 2) throw new LexiconError(file, line, 'a synonym group needs at least two terms')
    return [...new Set(members)]
  })
}

export function parseStopwords(text: string): Set<string> {
  return new Set(contentLines(text).map((l) => l.text.normalize('NFKC').toLowerCase()))
}

export function parseExpansions(text: string, file = 'expansions.txt'): Lexicon['expansions'] {
  return contentLines(text).map(({ line, text: t }) => {
    const [left, right, extra] = t.split('=>')
    if (left === undefined || right === undefined || extra !== undefined)
      throw new LexiconError(file, line, 'expected "triggers => terms"')
    const split = (side: string) =>
      side
        .split(/[,，]/)
        .map((x) => x.trim().normalize('NFKC').toLowerCase())
        .filter(Boolean)
    const triggers = split(left)
    const terms = split(right)
    if (triggers.length === 0 || terms.length === 0)
      throw new LexiconError(file, line, 'both sides need at least one term')
    return { triggers, terms }
  })
}

export function parseScopes(text: string, file = 'scopes.txt'): Lexicon['scopes'] {
  return parseExpansions(text, file).map((r) => {
    if (r.triggers.length !== 1) throw new LexiconError(file, 0, `one tax name per line: ${r.triggers.join(',')}`)
    return { tax: r.triggers[0]!, laws: r.terms }
  })
}

export interface LexiconFiles {
  userDict: string
  synonyms: string
  stopwords: string
  expansions?: string
  scopes?: string
}

export function parseLexicon(files: LexiconFiles): Lexicon {
  const h = crypto.createHash('sha1')
  for (const part of [files.userDict, files.synonyms, files.stopwords, files.expansions ?? '', files.scopes ?? ''])
    h.update(part).update('\0')
  return {
    userDict: parseUserDict(files.userDict),
    synonymGroups: parseSynonyms(files.synonyms),
    stopwords: parseStopwords(files.stopwords),
    expansions: parseExpansions(files.expansions ?? ''),
    scopes: parseScopes(files.scopes ?? ''),
    hash: h.digest('hex').slice(0, 16),
  }
}

export function loadLexicon(dir: string): Lexicon {
  const read = (name: string) => {
    const p = path.join(dir, name)
    return fs.existsSync(p) ? fs.readFileSync(p, 'utf8') : ''
  }
  return parseLexicon({
    userDict: read('user-dict.txt'),
    synonyms: read('synonyms.txt'),
    stopwords: read('stopwords.txt'),
    expansions: read('expansions.txt'),
    scopes: read('scopes.txt'),
  })
}
