/**
 * The one place that picks the SearchBackend implementation from config, and brings a backend in step
 * with the store at start-up (snapshot when it matches, rebuild otherwise).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
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
import { createEmbedder, LocalEmbedder, NoEmbedder, type Embedder } from './embedder.js'
import { entriesStamp } from './entry-fields.js'
import { PassageVectors } from './passage-vectors.js'
import { VectorCache } from './vector-cache.js'
import { swappable } from '../shared/swappable.js'

// Declared in its own file so the backends can return it without importing this factory (no cycle).
export type { BackendBundle } from './backend-bundle.js'

/**
 * The embedder, loaded (so a broken or missing model turns semantic retrieval off at start-up with a
 * reason instead of failing the first question), and the vector cache for its model id.
 */
export async function createDenseSide(
  config: Config,
  embedder: Embedder = createEmbedder(config),
): Promise<PassageVectors | null> {
  let e = embedder
  if (e instanceof LocalEmbedder) {
    try {
      await e.load()
    } catch (err) {
      e = new NoEmbedder(`模型加载失败 (model failed to load): ${(err as Error).message}`)
    }
  }
  if (e.name === 'none') {
    denseOff.set(config, e as NoEmbedder)
    return null
  }
  const own = path.join(
    config.dataDir,
    'index',
    `vectors-${crypto.createHash('sha1').update(e.modelId).digest('hex').slice(0, 12)}.v8`,
  )
  const shippedDir = path.join(config.corpusDir, 'vectors')
  const shipped = fs.existsSync(shippedDir)
    ? fs
        .readdirSync(shippedDir)
        .filter((f) => f.endsWith('.v8'))
        .map((f) => path.join(shippedDir, f))
    : []
  return new PassageVectors(e, new VectorCache(e.modelId, own, shipped))
}

/** Why the dense side is off, per config (read by the bundle). */
const denseOff = new WeakMap<Config, NoEmbedder>()

export async function createSearchBackend(
  config: Config,
  store: Store,
  lexicon: Lexicon,
  regions: RegionTable,
): Promise<BackendBundle> {
  // One handle for everyone (backends, answering service); a lexicon edit swaps what is behind it.
  const handle = swappable<Analyzer>(new JiebaAnalyzer(lexicon))
  const analyzer = handle.value
  const lineage = (code: string) => regions.lineage(code)
  const vectors = await createDenseSide(config)
  const embedder: Embedder = vectors?.embedder ?? denseOff.get(config) ?? new NoEmbedder()
  switch (config.backend) {
    case 'embedded': {
      let links = new CitationLinks()
      const backend = new EmbeddedSearchBackend({
        analyzer,
        lineage,
        lexiconHash: lexicon.hash,
        snapshotFile: path.join(config.dataDir, 'index', 'embedded.v8'),
        linkedText: (id) => links.textFor(id),
        vectors,
      })
      const persistVectors = () => vectors?.cache.persist()
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
        embedder,
        vectors,
        async reindexAll(onProgress, onEmbed) {
          const all = await entries.list()
          const stamp = entriesStamp(all)
          // citation links feed the BM25 fields of entries indexed later (publish, edit) on both paths
          links = CitationLinks.build(all)
          if (backend.tryLoadSnapshot(stamp)) {
            await backend.attachPassages(all, onEmbed)
            persistVectors()
            return { indexed: all.length, fromSnapshot: true }
          }
          await backend.rebuild([])
          const batch = 500
          for (let i = 0; i < all.length; i += batch) {
            await backend.upsert(all.slice(i, i + batch), onEmbed && ((p) => onEmbed({ done: p.done, total: p.total })))
            onProgress?.(Math.min(i + batch, all.length), all.length)
          }
          saveSnapshot(stamp)
          persistVectors()
          return { indexed: all.length, fromSnapshot: false }
        },
        async persist() {
          saveSnapshot(await stampNow())
          persistVectors()
        },
        async reloadLexicon(next) {
          const nextAnalyzer = new JiebaAnalyzer(next)
          const all = await entries.list()
          await backend.setAnalyzer(nextAnalyzer, next.hash, all)
          handle.swap(nextAnalyzer)
          saveSnapshot(entriesStamp(all))
          return { indexed: all.length }
        },
      }
      return bundle
    }
    case 'elasticsearch': {
      const { createElasticsearchBundle } = await import('./elasticsearch-backend.js')
      return createElasticsearchBundle(config, store, analyzer, regions, { embedder, vectors })
    }
    default:
      throw new Error(`unknown backend ${String(config.backend)}`)
  }
}
