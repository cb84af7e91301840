/**
 * The benchmark query set: the retrieval evaluation questions (as taxpayers type them) plus seeded
 * variations — synonym re-wording, a place name in front, keyword-only fragments, service-guide
 * questions for a city — and a region filter on part of them, as the widget sends one when it knows it.
 * Pure and deterministic.
 */
import type { Region } from '../../knowledge/regions.js'
import { reword } from './corpus-scale.js'
import { seededRandom } from './seeded-random.js'

export interface BenchQuery {
  q: string
  region?: string
}

export interface QuerySetOptions {
  n: number
  seed: number
  regions: readonly Region[]
  synonymGroups: readonly (readonly string[])[]
  /** Names of service guides, to ask "how do I … in <city>". */
  guideNames?: readonly string[]
  /** Probability that a query naming no place still carries a region filter (default 0.3). */
  regionShare?: number
}

export function buildQuerySet(seeds: readonly BenchQuery[], opts: QuerySetOptions): BenchQuery[] {
  if (seeds.length === 0) throw new Error('buildQuerySet needs seed questions')
  const rng = seededRandom(opts.seed)
  const cities = opts.regions.filter((r) => r.level === 'city')
  const share = opts.regionShare ?? 0.3
  const guides = opts.guideNames ?? []
  const out: BenchQuery[] = []
  for (let i = 0; out.length < opts.n; i++) {
    // The first pass keeps every seed question as written.
    const s = i < seeds.length ? seeds[i]! : rng.pick(seeds)
    let q = s.q
    let region = s.region
    if (i >= seeds.length) {
      const op = rng.weighted([3, 2, 2, guides.length > 0 ? 2 : 0, 1])
      const city = rng.pick(cities)
      if (op === 0) q = reword(q, opts.synonymGroups, rng, 0.8)
      else if (op === 1) {
        q = `我在${city.shortName}，${q}`
        region = city.code
      } else if (op === 2)
        q = q
          .replace(/[？?。，,！!]/g, ' ')
          .trim()
          .slice(0, 6 + rng.int(8))
      else if (op === 3) {
        q = `${city.shortName}${rng.pick(guides)}${rng.pick(['需要什么材料', '怎么办理', '在哪里办', '多久能办好'])}`
        region = city.code
      } else q = q.replace(/[？?]$/, '') + rng.pick(['怎么办', '有什么规定', '谁能解答一下'])
    }
    // Questions that name no place get a region filter with probability `share` (the widget knows the city).
    if (region === undefined && rng.chance(share)) region = rng.pick(cities).code
    if (q.trim() === '') continue
    out.push(region === undefined ? { q } : { q, region })
  }
  return out
}
