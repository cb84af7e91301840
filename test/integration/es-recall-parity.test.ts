/**
 * Same eval set, both backends: recall@5 on eval/datasets/retrieval.jsonl must agree within ±0.01.
 * The ES bundle is built over the very store the embedded container imported into, so both index the
 * same entries in the same order. Runs when ELASTICSEARCH_URL is set.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { readEvalSet } from '../../eval/eval-set.js'
import { evaluateRetrieval } from '../../eval/retrieval-eval.js'
import type { Container } from '../../services/container.js'
import {
  createElasticsearchBundle,
  type ElasticsearchSearchBackend,
  type EsScoring,
} from '../../services/search/elasticsearch-backend.js'
import { loadConfig, REPO_ROOT } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, containerWithCorpus } from '../helpers/env.js'

const base = loadConfig()
const EFFECTIVE_AT = '2026-11-25'

describe.skipIf(!base.elasticsearchUrl)('retrieval parity: embedded vs Elasticsearch', () => {
  let ctx: Container | undefined
  const cleanups: (() => Promise<void>)[] = []
  afterAll(async () => {
    for (const c of cleanups) await c()
    await ctx?.close()
  })

  it('recall@5 on the retrieval eval set is within ±0.01 (BM25F mode), and per-field BM25 is reported', async () => {
    ctx = await containerWithCorpus(BUNDLED_CORPUS)
    const cases = readEvalSet(path.join(REPO_ROOT, 'eval', 'datasets', 'retrieval.jsonl'))
    const c = ctx
    const embedded = await evaluateRetrieval(
      cases,
      async (q, filters) => (await c.index.backend.search(q, { filters, limit: 10 })).map((h) => h.id),
      EFFECTIVE_AT,
    )
    const results: Record<string, number> = { embedded: embedded.recallAt5 }
    for (const scoring of ['bm25f', 'fields'] as EsScoring[]) {
      const prefix = `taxkb-test-${crypto.randomBytes(4).toString('hex')}`
      const bundle = await createElasticsearchBundle(
        { ...c.config, backend: 'elasticsearch', elasticsearchUrl: base.elasticsearchUrl, esIndexPrefix: prefix },
        c.store,
        c.index.analyzer,
        c.regions,
        { scoring },
      )
      cleanups.push(async () => {
        await (bundle.backend as ElasticsearchSearchBackend).destroy()
        await bundle.backend.close()
      })
      await bundle.reindexAll()
      const es = await evaluateRetrieval(
        cases,
        async (q, filters) => (await bundle.backend.search(q, { filters, limit: 10 })).map((h) => h.id),
        EFFECTIVE_AT,
      )
      results[`es-${scoring}`] = es.recallAt5
      if (scoring === 'bm25f') {
        expect(Math.abs(es.recallAt5 - embedded.recallAt5)).toBeLessThanOrEqual(0.01)
        expect(Math.abs(es.mrr - embedded.mrr)).toBeLessThanOrEqual(0.01)
      }
    }
    console.log('recall@5 by backend', JSON.stringify(results))
  }, 240_000)
})
