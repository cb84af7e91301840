/**
 * The other backend, in the same run: only when ELASTICSEARCH_URL is set (through the config module, the
 * one place that reads the environment). Indexes the same scaled corpus under a separate index prefix and
 * times the same queries through the same SearchService path. Any failure is reported, not thrown.
 */
import type { Entry } from '../../knowledge/entry.js'
import { createContainer } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import { loadConfig } from '../../services/shared/config.js'
import { benchDataDir } from './measure-process.js'
import { timeQueries, type SearchLatency } from './measure-search.js'
import type { BenchQuery } from './query-set.js'

export type EsResult =
  | { skipped: true; reason: string }
  | { skipped: false; size: number; indexPerSec: number; search: SearchLatency }
  | { skipped: false; size: number; error: string }

export async function measureElasticsearch(
  entries: readonly Entry[],
  queries: readonly BenchQuery[],
  opts: { warmup: number; passes: number; now: string },
): Promise<EsResult> {
  const env = loadConfig()
  if (!env.elasticsearchUrl) return { skipped: true, reason: 'ELASTICSEARCH_URL not set' }
  try {
    const config = loadConfig(undefined, {
      backend: 'elasticsearch',
      dataDir: benchDataDir('es'),
      esIndexPrefix: `${env.esIndexPrefix}-bench`,
      logLevel: 'silent',
    })
    const ctx = await createContainer(config, { skipIndexSync: true, clock: fixedClock(opts.now) })
    try {
      await ctx.store.collection<Entry>('entries').putMany(entries)
      const t0 = performance.now()
      await ctx.index.reindexAll()
      const indexPerSec = Math.round(entries.length / ((performance.now() - t0) / 1000))
      const search = await timeQueries(queries, (q) => ctx.search.search({ q: q.q, region: q.region, limit: 10 }), opts)
      return { skipped: false, size: entries.length, indexPerSec, search }
    } finally {
      await ctx.close()
    }
  } catch (e) {
    return { skipped: false, size: entries.length, error: (e as Error).message }
  }
}
