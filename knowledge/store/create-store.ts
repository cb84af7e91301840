/** The one place that picks the Store implementation from config. */
import type { Config } from '../../services/shared/config.js'
import { LowdbStore } from './lowdb-store.js'
import type { Store } from './store.js'

export async function createStore(config: Config): Promise<Store> {
  switch (config.backend) {
    case 'embedded':
      return LowdbStore.open(config.dataDir)
    case 'elasticsearch': {
      const { ElasticsearchStore } = await import('./elasticsearch-store.js')
      return ElasticsearchStore.open(config)
    }
    default:
      throw new Error(`unknown backend ${String(config.backend)}`)
  }
}
