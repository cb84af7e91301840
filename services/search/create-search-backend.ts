/**
 * The one place that picks the SearchBackend implementation from config, and brings a backend in step
 * with the store at start-up (snapshot when it matches, rebuild otherwise).
 */
import path from 'node:path'
import type { Entry } from '../../knowledge/entry.js'
import type { Lexicon } from '../../knowledge/lexicon.js'
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import { lockHolder } from '../../knowledge/store/data-dir-lock.js'
import { KNOWLEDGE_LOCK } from '../../knowledge/store/embedded-store.js'
import type { Config } from '../shared/config.js'
import { JiebaAnalyzer, type Analyzer } from './analyzer.js'
import { CitationLinks } from './citation-links.js'
import type { BackendBundle } from './backend-bundle.js'
import { EmbeddedSearchBackend } from './embedded-backend.js'
import { entriesStamp } from './entry-fields.js'
import { swappableAnalyzer } from './swappable-analyzer.js'
import type { SearchBackend } from './search-backend.js'

// Declared in its own file so the backends can return it without importing this factory (no cycle).
export type { BackendBundle } from './backend-bundle.js'

export async function createSearchBackend(config: Config, store: Store, lexicon: Lexicon, regions: RegionTable): Promise<BackendBundle> {
  // One handle for everyone (backends, answering service); a lexicon edit swaps what is behind it.
  const { analyzer, swap } = swappableAnalyzer(new JiebaAnalyzer(lexicon))
  const lineage = (code: string) => regions.lineage(code)
  switch (config.backend) {
    case 'embedded': {
      let links = new CitationLinks()
      const backend = new EmbeddedSearchBackend({ analyzer, lineage, lexiconHash: lexicon.hash, snapshotFile: path.join(config.dataDir, 'index', 'embedded.v8'), linkedText: (id) => links.textFor(id) })
      const entries = store.collection<Entry>('entries')
      const stampNow = async () => entriesStamp(await entries.list())
      // The snapshot under data/index belongs to the process holding the knowledge lock; another process
      // on the same data dir uses it (or its own in-memory index) but never writes it.
      const lockFile = path.join(config.dataDir, KNOWLEDGE_LOCK)
      const saveSnapshot = (stamp: string) => {
        if (!lockHolder(lockFile)) backend.saveSnapshot(stamp)
      }
      const bundle: BackendBundle = {
        backend,
        analyzer,
        async reindexAll(onProgress) {
          const all = await entries.list()
          const stamp = entriesStamp(all)
          if (backend.tryLoadSnapshot(stamp)) return { indexed: all.length, fromSnapshot: true }
          links = CitationLinks.build(all)
          await backend.rebuild([])
          const batch = 500
          for (let i = 0; i < all.length; i += batch) {
            await backend.upsert(all.slice(i, i + batch))
            onProgress?.(Math.min(i + batch, all.length), all.length)
          }
          saveSnapshot(stamp)
          return { indexed: all.length, fromSnapshot: false }
        },
        async persist() {
          saveSnapshot(await stampNow())
        },
        async reloadLexicon(next) {
          const nextAnalyzer = new JiebaAnalyzer(next)
          const all = await entries.list()
          await backend.setAnalyzer(nextAnalyzer, next.hash, all)
          swap(nextAnalyzer)
          saveSnapshot(entriesStamp(all))
          return { indexed: all.length }
        },
      }
      return bundle
    }
    case 'elasticsearch': {
      const { createElasticsearchBundle } = await import('./elasticsearch-backend.js')
      return createElasticsearchBundle(config, store, analyzer, regions)
    }
    default:
      throw new Error(`unknown backend ${String(config.backend)}`)
  }
}
