/** Placeholder until the Elasticsearch Store lands (issue: Elasticsearch backend). */
import type { Config } from '../../services/shared/config.js'
import { AppError } from '../../services/shared/errors.js'
import type { Store } from './store.js'

export const ElasticsearchStore = {
  async open(_config: Config): Promise<Store> {
    throw new AppError('BACKEND_UNAVAILABLE', 'the Elasticsearch store is not available in this build')
  },
}
