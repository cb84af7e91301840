import path from 'node:path'
import { loadLexicon } from '../../knowledge/lexicon.js'
import { RegionTable } from '../../knowledge/regions.js'
import { JiebaAnalyzer } from '../../services/search/analyzer.js'
import { EmbeddedSearchBackend } from '../../services/search/embedded-backend.js'
import { PassageVectors } from '../../services/search/passage-vectors.js'
import { VectorCache } from '../../services/search/vector-cache.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { searchBackendContract } from './search-backend.contract.js'

const lexicon = loadLexicon(path.join(REPO_ROOT, 'knowledge', 'lexicon'))
const regions = RegionTable.load(path.join(REPO_ROOT, 'knowledge', 'regions', 'regions.json'))
const analyzer = new JiebaAnalyzer(lexicon)

searchBackendContract('embedded', async (o = {}) => {
  const vectors = o.embedder ? new PassageVectors(o.embedder, new VectorCache(o.embedder.modelId, null)) : null
  return new EmbeddedSearchBackend({ analyzer, lineage: (c) => regions.lineage(c), lexiconHash: lexicon.hash, vectors })
})
