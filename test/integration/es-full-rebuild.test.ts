/**
 * A full rebuild on Elasticsearch is exact: passages of entries that no longer exist, and passage ids an
 * entry no longer has, are gone after `rebuildInto` (they used to stay in the one shared passage index and
 * kept answering dense queries). Also: a passage index of the old layout (a concrete index under the name
 * that is now the alias) is replaced in the same atomic swap. Runs when ELASTICSEARCH_URL is set.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import { loadLexicon } from '../../knowledge/lexicon.js'
import { RegionTable } from '../../knowledge/regions.js'
import { JiebaAnalyzer } from '../../services/search/analyzer.js'
import { ElasticsearchSearchBackend } from '../../services/search/elasticsearch-backend.js'
import { DENSE_KINDS, PassageVectors } from '../../services/search/passage-vectors.js'
import { splitPassages } from '../../services/search/passages.js'
import { VectorCache } from '../../services/search/vector-cache.js'
import { loadConfig, REPO_ROOT } from '../../services/shared/config.js'
import { createEsClient } from '../../services/shared/elasticsearch/client.js'
import { sampleEntries } from '../contract/search-backend.contract.js'
import { ConceptEmbedder } from '../helpers/concept-embedder.js'

const config = loadConfig()
const prefixes: string[] = []
const client = config.elasticsearchUrl ? createEsClient(config) : undefined

describe.skipIf(!config.elasticsearchUrl)('Elasticsearch full rebuild', () => {
  const lexicon = loadLexicon(path.join(REPO_ROOT, 'knowledge', 'lexicon'))
  const regions = RegionTable.load(path.join(REPO_ROOT, 'knowledge', 'regions', 'regions.json'))
  const analyzer = new JiebaAnalyzer(lexicon)

  function open(): ElasticsearchSearchBackend {
    const prefix = `taxkb-test-rebuild-${crypto.randomBytes(4).toString('hex')}`
    prefixes.push(prefix)
    const embedder = new ConceptEmbedder()
    const vectors = new PassageVectors(embedder, new VectorCache(embedder.modelId, null))
    return new ElasticsearchSearchBackend({
      client: createEsClient(config),
      prefix,
      analyzer,
      lineage: (c) => regions.lineage(c),
      vectors,
    })
  }

  async function passageIds(b: ElasticsearchSearchBackend): Promise<string[]> {
    const index = b.passageIndex as string
    await client!.indices.refresh({ index })
    const res = await client!.search({ index, size: 10_000, _source: false, query: { match_all: {} } })
    return res.hits.hits.map((h) => h._id as string).sort()
  }

  const expectedIds = (entries: readonly Entry[]) =>
    entries
      .filter((e) => DENSE_KINDS.has(e.kind))
      .flatMap((e) => splitPassages(e).map((p) => p.id))
      .sort()

  it('leaves no passage of a removed entry and no old passage id of a changed one', async () => {
    const b = open()
    try {
      const all = sampleEntries()
      // A long FAQ: several passages (a whole-entry passage plus parts).
      const long = { ...all[3]!, id: 'faq-long', body: '江苏省契税申报说明。'.repeat(120) } as Entry
      await b.rebuildInto([...all, long], { stamp: 'one' })
      const first = await passageIds(b)
      expect(first).toEqual(expectedIds([...all, long]))
      expect(first.filter((id) => id.startsWith('faq-long')).length).toBeGreaterThan(2)
      expect(first.some((id) => id.startsWith('faq-zj'))).toBe(true)

      // Second full rebuild: faq-zj deleted, faq-long shortened to one passage.
      const short = { ...long, body: '江苏省契税申报说明。' } as Entry
      const next = [...all.filter((e) => e.id !== 'faq-zj'), short]
      await b.rebuildInto(next, { stamp: 'two' })
      const second = await passageIds(b)
      expect(second.some((id) => id.startsWith('faq-zj'))).toBe(false)
      expect(second.filter((id) => id.startsWith('faq-long'))).toEqual(splitPassages(next.at(-1)!).map((p) => p.id))
      expect(second).toEqual(expectedIds(next))
      // A dense query about 浙江契税 no longer finds the deleted entry.
      const hits = await b.search('浙江省电子税务局契税', { limit: 20, mode: 'dense' })
      expect(hits.map((h) => h.id)).not.toContain('faq-zj')
      // Upserts after the rebuild still write through (to the index behind the alias).
      await b.upsert([{ ...all[6]!, id: 'faq-zj2' } as Entry])
      expect((await passageIds(b)).some((id) => id.startsWith('faq-zj2'))).toBe(true)
      await b.remove(['faq-zj2'])
      expect((await passageIds(b)).some((id) => id.startsWith('faq-zj2'))).toBe(false)
    } finally {
      await b.destroy()
      await b.close()
    }
  }, 60_000)

  it('replaces a passage index of the old layout in the swap', async () => {
    const b = open()
    try {
      const name = b.passageIndex as string
      await client!.indices.create({ index: name })
      await client!.index({ index: name, id: 'ghost#1', document: { entryId: 'ghost' }, refresh: true })
      await b.rebuildInto(sampleEntries(), { stamp: 'one' })
      const ids = await passageIds(b)
      expect(ids).not.toContain('ghost#1')
      expect(ids).toEqual(expectedIds(sampleEntries()))
      expect(Object.keys(await client!.indices.getAlias({ name }))).toHaveLength(1)
    } finally {
      await b.destroy()
      await b.close()
    }
  }, 60_000)
})

afterAll(async () => {
  if (!client) return
  if (prefixes.length > 0)
    await client.indices.delete({
      index: prefixes.flatMap((p) => [`${p}-search-entries-*`, `${p}-search-passages-*`]),
      ignore_unavailable: true,
      allow_no_indices: true,
    })
  await client.close()
})
