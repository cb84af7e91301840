/** What the search factory hands the composition root: the backend, its analyzer and index upkeep. */
import type { Lexicon } from '../../knowledge/lexicon.js'
import type { Analyzer } from './analyzer.js'
import type { Embedder } from './embedder.js'
import type { PassageVectors, VectorSyncProgress } from './passage-vectors.js'
import type { SearchBackend } from './search-backend.js'

export interface BackendBundle {
  backend: SearchBackend
  analyzer: Analyzer
  /** The model behind the dense side (`none` when semantic retrieval is off; its reason says why). */
  embedder: Embedder
  /**
   * The dense side (query-vector LRU, passage vector cache), null when semantic retrieval is off: the answer
   * layer reads the vectors of the passages it quotes instead of embedding them again (s3-answers).
   */
  vectors?: PassageVectors | null
  /**
   * Re-reads every entry from the store and reindexes (after a bulk import or a lexicon change); passages
   * without a persisted vector are embedded (onEmbed reports that phase).
   */
  reindexAll(
    onProgress?: (done: number, total: number) => void,
    onEmbed?: (p: VectorSyncProgress) => void,
  ): Promise<{ indexed: number; fromSnapshot: boolean }>
  /** Persists the embedded snapshot (no-op elsewhere). */
  persist(): Promise<void>
  /**
   * Applies an edited lexicon without a restart: new analyzer, every entry re-tokenized, snapshot saved.
   * Optional so a backend without live reload still fits; the editorial service then reports it.
   */
  reloadLexicon?(lexicon: Lexicon): Promise<{ indexed: number }>
}
