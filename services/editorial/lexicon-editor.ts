import {
  LexiconError,
  parseExpansionsSafe,
  parseStopwords,
  parseSynonyms,
  parseUserDict,
  type Lexicon,
} from './lexicon-parse.js'
import type { BackendBundle } from '../search/backend-bundle.js'
import { AppError } from '../shared/errors.js'
import {
  LEXICON_FILES,
  loadLexiconWithOverlay,
  readLexiconFile,
  writeOverlayFile,
  type LexiconFileName,
} from './lexicon-files.js'
import { requirePermission, type Actor } from './permissions.js'
import type { EditorialRecords } from './editorial-records.js'

/** Editors' lexicon files: read, validate, save to the data-dir overlay and apply without a restart. */
export class LexiconEditor {
  constructor(
    private readonly r: EditorialRecords,
    private readonly index: BackendBundle,
    private readonly options: {
      dataDir: string
      lexiconDir: string
      onLexicon?: ((lexicon: Lexicon) => void) | undefined
    },
  ) {}

  lexiconFiles(): { name: LexiconFileName; text: string; source: 'overlay' | 'bundled' | 'none' }[] {
    return LEXICON_FILES.map((name) => ({
      name,
      ...readLexiconFile(this.options.lexiconDir, this.options.dataDir, name),
    }))
  }

  /** Throws VALIDATION_FAILED (with the line, in Chinese) when the text is not a valid lexicon file. */
  validateLexiconFile(name: LexiconFileName, text: string): void {
    if (!LEXICON_FILES.includes(name)) throw new AppError('VALIDATION_FAILED', `unknown lexicon file ${name}`)
    try {
      if (name === 'user-dict.txt') parseUserDict(text, name)
      else if (name === 'synonyms.txt') parseSynonyms(text, name)
      else if (name === 'stopwords.txt') parseStopwords(text)
      else parseExpansionsSafe(text, name)
    } catch (e) {
      if (e instanceof LexiconError)
        throw new AppError('VALIDATION_FAILED', e.message, {
          userMessage: `第 ${e.line} 行：${e.message.replace(/^.*?:\d+: /, '')}`,
        })
      throw e
    }
  }

  /** Validates, saves to the data-dir overlay and applies the lexicon without a restart (after review). */
  async saveLexiconFile(actor: Actor, name: LexiconFileName, text: string): Promise<{ indexed: number; hash: string }> {
    requirePermission(actor, 'lexicon:edit')
    if (!LEXICON_FILES.includes(name)) throw new AppError('VALIDATION_FAILED', `unknown lexicon file ${name}`)
    if (!this.index.reloadLexicon)
      throw new AppError('BACKEND_UNAVAILABLE', 'this search backend cannot reload the lexicon live', {
        userMessage: '当前检索后端不支持在线更新词典，请重启服务',
      })
    this.validateLexiconFile(name, text)
    writeOverlayFile(this.options.dataDir, name, text)
    const lexicon = loadLexiconWithOverlay(this.options.lexiconDir, this.options.dataDir)
    const res = await this.index.reloadLexicon(lexicon)
    this.options.onLexicon?.(lexicon)
    await this.r.audit(
      actor,
      'lexicon',
      null,
      null,
      null,
      null,
      `${name} saved (${text.split('\n').filter((l) => l.trim() && !l.trim().startsWith('#')).length} lines)`,
    )
    return { indexed: res.indexed, hash: lexicon.hash }
  }
}
