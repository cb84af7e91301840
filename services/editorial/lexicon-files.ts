/**
 * The editable lexicon overlay. The bundled lexicon (TAXKB_LEXICON_DIR, in the repo) is never written at
 * runtime; editors' versions of a file live in TAXKB_DATA_DIR/lexicon/ and take precedence file by file.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseLexicon, type Lexicon } from '../../knowledge/lexicon.js'

export const LEXICON_FILES = ['user-dict.txt', 'synonyms.txt', 'stopwords.txt', 'expansions.txt'] as const
export type LexiconFileName = (typeof LEXICON_FILES)[number]

export function overlayDir(dataDir: string): string {
  return path.join(dataDir, 'lexicon')
}

/** The text of one lexicon file: the overlay's when present, else the bundled one. */
export function readLexiconFile(
  baseDir: string,
  dataDir: string,
  name: LexiconFileName | 'scopes.txt',
): { text: string; source: 'overlay' | 'bundled' | 'none' } {
  const o = path.join(overlayDir(dataDir), name)
  if (fs.existsSync(o)) return { text: fs.readFileSync(o, 'utf8'), source: 'overlay' }
  const b = path.join(baseDir, name)
  if (fs.existsSync(b)) return { text: fs.readFileSync(b, 'utf8'), source: 'bundled' }
  return { text: '', source: 'none' }
}

export function loadLexiconWithOverlay(baseDir: string, dataDir: string): Lexicon {
  const files: Record<string, string> = {
    userDict: readLexiconFile(baseDir, dataDir, 'user-dict.txt').text,
    synonyms: readLexiconFile(baseDir, dataDir, 'synonyms.txt').text,
    stopwords: readLexiconFile(baseDir, dataDir, 'stopwords.txt').text,
  }
  const expansions = readLexiconFile(baseDir, dataDir, 'expansions.txt')
  // Passed only when present, so this works whether or not the lexicon parser knows expansions.
  if (expansions.source !== 'none') files.expansions = expansions.text
  // Tax scopes (which laws govern which tax) are not editable in the console but must be loaded: without
  // them a question naming a tax is not scoped to its laws (the analyzer's scope tokens stay empty).
  const scopes = readLexiconFile(baseDir, dataDir, 'scopes.txt')
  if (scopes.source !== 'none') files.scopes = scopes.text
  return parseLexicon(files as unknown as Parameters<typeof parseLexicon>[0])
}

/** Writes an overlay file atomically (temp file + rename). */
export function writeOverlayFile(dataDir: string, name: LexiconFileName, text: string): void {
  const dir = overlayDir(dataDir)
  fs.mkdirSync(dir, { recursive: true })
  const file = path.join(dir, name)
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, text.endsWith('\n') ? text : `${text}\n`, 'utf8')
  fs.renameSync(tmp, file)
}
