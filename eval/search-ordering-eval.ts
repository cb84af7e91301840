/**
 * The search endpoint's ordering rule (services/search/search-ranking.ts) against the retrievers' own order,
 * in the same run, on an eval split: hit@1 / hit@5 / MRR over the top 10 of `SearchService.search` (the
 * route's and the CLI's defaults: published, in force today, the question's region). Development tool:
 *
 *   npx tsx eval/search-ordering-eval.ts [--split dev] [--data-dir DIR]
 */
import fs from 'node:fs'
import path from 'node:path'
import { createSearchContainer } from '../services/search-container.js'
import { SearchService } from '../services/search/search-service.js'
import { loadConfig, processEnv, REPO_ROOT } from '../services/shared/config.js'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i >= 0 ? process.argv[i + 1] : undefined
}
const split = arg('--split') ?? 'dev'
const dataDir = arg('--data-dir')
const config = loadConfig(processEnv(), dataDir ? { dataDir } : {})
const lines = fs.readFileSync(path.join(REPO_ROOT, 'eval', 'datasets', `${split}.jsonl`), 'utf8').split('\n')
const cases = lines
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as { question: string; expectedIds?: string[]; region?: string })
  .filter((c) => (c.expectedIds?.length ?? 0) > 0)
const ctx = await createSearchContainer(config)
try {
  const plain = new SearchService(ctx.index.backend, ctx.regions, ctx.clock, config.maxQueryChars)
  const score = async (svc: SearchService) => {
    let hit1 = 0
    let hit5 = 0
    let rr = 0
    let n = 0
    for (const c of cases) {
      const ids = (await svc.search({ q: c.question, region: c.region, limit: 10 })).map((h) => h.id)
      const want = new Set(c.expectedIds)
      const rank = ids.findIndex((id) => want.has(id) || want.has(id.split('#')[0] ?? ''))
      n++
      if (rank === 0) hit1++
      if (rank >= 0 && rank < 5) hit5++
      if (rank >= 0) rr += 1 / (rank + 1)
    }
    const f = (x: number) => (x / n).toFixed(3)
    return `| ${n} | ${f(hit1)} | ${f(hit5)} | ${f(rr)} |`
  }
  console.log(`| ${split}: search endpoint order | n | hit@1 | hit@5 | MRR@10 |\n|---|---|---|---|---|`)
  console.log(`| retrievers' order (before) ${await score(plain)}`)
  console.log(`| with the ordering rule (after) ${await score(ctx.search)}`)
} finally {
  await ctx.close()
}
