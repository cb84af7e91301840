/** What the search factory hands the composition root: the backend, its analyzer and index upkeep. */
import type { Lexicon } from '../../knowledge/lexicon.js'
import type { Analyzer } from './analyzer.js'
import type { SearchBackend } from './search-backend.js'

export interface BackendBundle {
  backend: SearchBackend
  analyzer: Analyzer
  /** Re-reads every entry from the store and reindexes (after a bulk import or a lexicon change). */
  reindexAll(onProgress?: (done: number, total: number) => void): Promise<{ indexed: number; fromSnapshot: boolean }>
  /** Persists the embedded snapshot (no-op elsewhere). */
  persist(): Promise<void>
  /**
   * Applies an edited lexicon without a restart: new analyzer, every entry re-tokenized, snapshot saved.
   * Optional so a backend without live reload still fits; the editorial service then reports it.
   */
  reloadLexicon?(lexicon: Lexicon): Promise<{ indexed: number }>
}
