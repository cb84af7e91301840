/**
 * Latency summaries. Percentiles use the nearest-rank method (the smallest sample such that at least p% of
 * the samples are ≤ it), so every reported figure is a latency that was actually observed.
 */
export interface LatencySummary {
  n: number
  meanMs: number
  p50Ms: number
  p95Ms: number
  p99Ms: number
  maxMs: number
}

/** Nearest-rank percentile of already sorted (ascending) samples; p in (0, 100]. */
export function percentileSorted(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  if (!(p > 0 && p <= 100)) throw new RangeError(`percentile must be in (0, 100], got ${p}`)
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(Math.max(rank, 1), sorted.length) - 1]!
}

export function percentile(samples: readonly number[], p: number): number {
  return percentileSorted(
    [...samples].sort((a, b) => a - b),
    p,
  )
}

const round = (v: number, digits = 3) => (Number.isFinite(v) ? Math.round(v * 10 ** digits) / 10 ** digits : v)

export function summarize(samplesMs: readonly number[]): LatencySummary {
  const s = [...samplesMs].sort((a, b) => a - b)
  const mean = s.length === 0 ? Number.NaN : s.reduce((a, b) => a + b, 0) / s.length
  return {
    n: s.length,
    meanMs: round(mean),
    p50Ms: round(percentileSorted(s, 50)),
    p95Ms: round(percentileSorted(s, 95)),
    p99Ms: round(percentileSorted(s, 99)),
    maxMs: round(s.length === 0 ? Number.NaN : s[s.length - 1]!),
  }
}

/** Median, for repeated whole-run measurements (cold start). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const s = [...values].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
