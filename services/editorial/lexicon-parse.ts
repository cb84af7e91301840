/** Lexicon parsers re-exported for the editor, with expansions optional (not every build has them). */
import * as lex from '../../knowledge/lexicon.js'

export { LexiconError, parseStopwords, parseSynonyms, parseUserDict, type Lexicon } from '../../knowledge/lexicon.js'

export function parseExpansionsSafe(text: string, file: string): void {
  const fn = (lex as unknown as { parseExpansions?: (t: string, f: string) => unknown }).parseExpansions
  if (fn) fn(text, file)
}
