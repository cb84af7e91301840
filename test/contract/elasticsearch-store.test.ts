/**
 * The Store contract on a real Elasticsearch node. Runs when ELASTICSEARCH_URL is set (`.ci/run` starts a
 * local node with scripts/es-start.sh); skipped otherwise. Every store gets its own index prefix.
 */
import crypto from 'node:crypto'
import { afterAll, describe } from 'vitest'
import { ElasticsearchStore } from '../../knowledge/store/elasticsearch-store.js'
import { loadConfig } from '../../services/shared/config.js'
import { storeContract } from './store.contract.js'

const base = loadConfig()
const opened: ElasticsearchStore[] = []

describe.skipIf(!base.elasticsearchUrl)('Elasticsearch store', () => {
  storeContract('elasticsearch', async () => {
    const store = await ElasticsearchStore.open({
      ...base,
      esIndexPrefix: `taxkb-test-${crypto.randomBytes(4).toString('hex')}`,
    })
    opened.push(store)
    return store
  })
  afterAll(async () => {
    // The contract closes each store; clean up through a fresh client per prefix.
    for (const s of opened) {
      const again = await ElasticsearchStore.open({ ...base, esIndexPrefix: s.prefix })
      await again.destroy()
      await again.close()
    }
  })
})
