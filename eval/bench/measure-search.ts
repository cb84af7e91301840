/** Search latency: each query timed on its own, one at a time (single client), after a warm-up. */
import { summarize, type LatencySummary } from './percentiles.js'
import type { BenchQuery } from './query-set.js'

export interface SearchLatency extends LatencySummary {
  qps: number
  withRegion: number
}

export async function timeQueries(
  queries: readonly BenchQuery[],
  run: (q: BenchQuery) => unknown,
  opts: { warmup: number; passes: number },
): Promise<SearchLatency> {
  for (let i = 0; i < Math.min(opts.warmup, queries.length); i++) await run(queries[i]!)
  const samples: number[] = []
  const t0 = performance.now()
  for (let p = 0; p < opts.passes; p++) {
    for (const q of queries) {
      const t = performance.now()
      await run(q)
      samples.push(performance.now() - t)
    }
  }
  const total = performance.now() - t0
  return {
    ...summarize(samples),
    qps: Math.round(samples.length / (total / 1000)),
    withRegion: queries.filter((q) => q.region).length * opts.passes,
  }
}
