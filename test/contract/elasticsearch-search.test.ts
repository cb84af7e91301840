/**
 * The SearchBackend contract on a real Elasticsearch node (both scoring modes). Runs when
 * ELASTICSEARCH_URL is set (`.ci/run` starts a local node with scripts/es-start.sh); skipped otherwise.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { afterAll, describe } from 'vitest'
import { loadLexicon } from '../../knowledge/lexicon.js'
import { RegionTable } from '../../knowledge/regions.js'
import { JiebaAnalyzer } from '../../services/search/analyzer.js'
import { ElasticsearchSearchBackend, type EsScoring } from '../../services/search/elasticsearch-backend.js'
import type { Embedder } from '../../services/search/embedder.js'
import { PassageVectors } from '../../services/search/passage-vectors.js'
import { VectorCache } from '../../services/search/vector-cache.js'
import { createEsClient } from '../../services/shared/elasticsearch/client.js'
import { loadConfig, REPO_ROOT } from '../../services/shared/config.js'
import { searchBackendContract } from './search-backend.contract.js'

const config = loadConfig()
const prefixes: string[] = []

describe.skipIf(!config.elasticsearchUrl)('Elasticsearch search backend', () => {
  const lexicon = loadLexicon(path.join(REPO_ROOT, 'knowledge', 'lexicon'))
  const regions = RegionTable.load(path.join(REPO_ROOT, 'knowledge', 'regions', 'regions.json'))
  const analyzer = new JiebaAnalyzer(lexicon)
  const open =
    (scoring: EsScoring) =>
    async (o: { embedder?: Embedder } = {}) => {
      const prefix = `taxkb-test-${crypto.randomBytes(4).toString('hex')}`
      prefixes.push(prefix)
      const vectors = o.embedder ? new PassageVectors(o.embedder, new VectorCache(o.embedder.modelId, null)) : null
      return new ElasticsearchSearchBackend({
        client: createEsClient(config),
        prefix,
        analyzer,
        lineage: (c) => regions.lineage(c),
        scoring,
        vectors,
      })
    }
  searchBackendContract('elasticsearch (BM25F impacts)', open('bm25f'))
  searchBackendContract('elasticsearch (per-field BM25)', open('fields'))
  afterAll(async () => {
    const client = createEsClient(config)
    if (prefixes.length > 0)
      await client.indices.delete({
        index: prefixes.flatMap((p) => [`${p}-search-entries-*`, `${p}-search-passages-*`]),
        ignore_unavailable: true,
        allow_no_indices: true,
      })
    await client.close()
  })
})
