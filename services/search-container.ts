/**
 * The knowledge-and-search half of the composition root: lexicon (with the editors' overlay), regions, the
 * store, the search backend (snapshot or rebuild) and the search use case. `createContainer` builds its
 * search side with this function, and `taxkb search` builds only this, so the CLI does not load or construct
 * tickets, editorial, booking … to answer one query (CLI start), and both see exactly the same search.
 */
import type { Entry } from '../knowledge/entry.js'
import type { Lexicon } from '../knowledge/lexicon.js'
import { RegionTable } from '../knowledge/regions.js'
import { createStore } from '../knowledge/store/create-store.js'
import type { Store } from '../knowledge/store/store.js'
import { loadLexiconWithOverlay } from './editorial/lexicon-files.js'
import type { BackendBundle } from './search/backend-bundle.js'
import { createSearchBackend } from './search/create-search-backend.js'
import { borrowedTitle, entryOwnText } from './search/entry-fields.js'
import { SearchService } from './search/search-service.js'
import { systemClock, type Clock } from './shared/clock.js'
import type { Config } from './shared/config.js'
import { protectDataDir } from './shared/private-files.js'
import { swappable, type Swappable } from './shared/swappable.js'

export interface SearchContainer {
  readonly config: Config
  readonly clock: Clock
  readonly store: Store
  /** Swappable handle: editors' lexicon edits swap what is behind it (see createContainer). */
  readonly lexicon: Swappable<Lexicon>
  readonly regions: RegionTable
  readonly index: BackendBundle
  readonly search: SearchService
  close(): Promise<void>
}

export interface SearchContainerOptions {
  clock?: Clock
  /** Skip bringing the index in step with the store (the importer does it itself). */
  skipIndexSync?: boolean
  /** Read-only search (`taxkb search`): open only the entries file, not the versions history. */
  entriesOnly?: boolean
  /** Decorates the store before anything uses it (the full container's dashboard invalidation). */
  wrapStore?: (store: Store, clock: Clock) => Store
}

export async function createSearchContainer(
  config: Config,
  options: SearchContainerOptions = {},
): Promise<SearchContainer> {
  const clock = options.clock ?? systemClock
  // Password hashes, sessions and keys live here: 0600 files in 0700 directories (shared/private-files.ts).
  protectDataDir(config.dataDir)
  // Editors' lexicon files in TAXKB_DATA_DIR/lexicon/ take precedence over the bundled ones, file by file.
  const lexicon = swappable(loadLexiconWithOverlay(config.lexiconDir, config.dataDir))
  const regions = RegionTable.load(config.regionsFile)
  const opened = await createStore(config, options.entriesOnly ? { knowledge: ['entries'] } : {})
  const store = options.wrapStore ? options.wrapStore(opened, clock) : opened
  try {
    const index = await createSearchBackend(config, store, lexicon.value, regions)
    if (!options.skipIndexSync) await index.reindexAll()
    // The endpoint's ordering rule (search-ranking.ts) reads the hits' own texts and borrowed titles.
    const entries = store.collection<Entry>('entries')
    const texts = async (ids: readonly string[]) =>
      new Map(
        (await entries.getMany(ids)).map(
          (e) => [e.id, { text: entryOwnText(e), borrowedTitle: borrowedTitle(e) }] as const,
        ),
      )
    const search = new SearchService(index.backend, regions, clock, config.maxQueryChars, {
      analyzer: index.analyzer,
      texts,
    })
    return Object.freeze({
      config,
      clock,
      store,
      lexicon,
      regions,
      index,
      search,
      async close() {
        try {
          await index.backend.close()
        } finally {
          await store.close()
        }
      },
    })
  } catch (e) {
    await store.close()
    throw e
  }
}
