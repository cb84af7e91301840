/** Placeholder until the Elasticsearch SearchBackend lands (issue: Elasticsearch backend). */
import type { RegionTable } from '../../knowledge/regions.js'
import type { Store } from '../../knowledge/store/store.js'
import type { Config } from '../shared/config.js'
import { AppError } from '../shared/errors.js'
import type { Analyzer } from './analyzer.js'
import type { BackendBundle } from './create-search-backend.js'

export async function createElasticsearchBundle(_config: Config, _store: Store, _analyzer: Analyzer, _regions: RegionTable): Promise<BackendBundle> {
  throw new AppError('BACKEND_UNAVAILABLE', 'the Elasticsearch search backend is not available in this build')
}
