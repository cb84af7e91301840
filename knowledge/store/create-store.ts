/**
 * The one place that picks the Store implementation from config. Embedded: SQLite (node:sqlite) for
 * operational records plus lowdb JSON for knowledge, see embedded-store.ts.
 */
import type { Config } from '../../services/shared/config.js'
import { EmbeddedStore } from './embedded-store.js'
import type { CollectionName, Store } from './store.js'

export interface CreateStoreOptions {
  /** Embedded backend: the knowledge files to read (default all; `taxkb search` needs only entries). */
  knowledge?: readonly CollectionName[]
}

export async function createStore(config: Config, options: CreateStoreOptions = {}): Promise<Store> {
  switch (config.backend) {
    case 'embedded':
      return EmbeddedStore.open(config.dataDir, {
        synchronous: config.sqliteSynchronous === 'normal' ? 'NORMAL' : 'FULL',
        ...(options.knowledge ? { knowledge: options.knowledge } : {}),
      })
    case 'elasticsearch': {
      const { ElasticsearchStore } = await import('./elasticsearch-store.js')
      return ElasticsearchStore.open(config)
    }
    default:
      throw new Error(`unknown backend ${String(config.backend)}`)
  }
}
