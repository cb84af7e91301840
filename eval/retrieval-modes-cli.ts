/** `taxkb eval-retrieval`: the BM25 / dense / hybrid table per split (see retrieval-modes.ts). */
import fs from 'node:fs'
import path from 'node:path'
import type { Entry } from '../knowledge/entry.js'
import { Retriever } from '../services/answer/retrieval.js'
import type { Container } from '../services/container.js'
import { chinaDate } from '../services/shared/clock.js'
import { REPO_ROOT } from '../services/shared/config.js'
import { evaluateModes, readRetrievalCases, type ModeMetrics } from './retrieval-modes.js'

export async function runRetrievalModes(
  ctx: Container,
  o: { split: string; set?: string; json?: boolean; details?: boolean },
): Promise<void> {
  const files = o.set
    ? [[path.basename(o.set, '.jsonl'), path.resolve(o.set)]]
    : o.split.split(',').map((s) => [s.trim(), path.join(REPO_ROOT, 'eval', 'datasets', `${s.trim()}.jsonl`)])
  const ids = new Set((await ctx.store.collection<Entry>('entries').list()).map((e) => e.id))
  const retriever = new Retriever(ctx.index.backend, ctx.store, ctx.regions, ctx.index.analyzer)
  const today = chinaDate(ctx.clock.now())
  const out: Record<string, unknown> = { model: ctx.embedder.modelId, dense: ctx.index.backend.dense }
  const table: string[] = [
    '| split | ranker | n | hit@5 (any expected in top 5) | recall@5 | MRR | recall@10 |',
    '|---|---|---|---|---|---|---|',
  ]
  const row = (split: string, name: string, m: ModeMetrics) =>
    table.push(
      `| ${split} | ${name} | ${m.n} | ${m.hitAt5.toFixed(3)} | ${m.recallAt5.toFixed(3)} | ${m.mrr.toFixed(3)} | ${m.recallAt10.toFixed(3)} |`,
    )
  for (const [split, file] of files as [string, string][]) {
    if (!fs.existsSync(file)) {
      console.error(`跳过 skipped: ${file} not found`)
      continue
    }
    const t0 = performance.now()
    const r = await evaluateModes(
      readRetrievalCases(file),
      retriever,
      today,
      (id) => ids.has(id),
      ctx.index.backend.dense,
    )
    const ms = Math.round(performance.now() - t0)
    const tuning = split !== 'test'
    out[split] = {
      bm25: r.bm25,
      dense: r.dense,
      hybrid: r.hybrid,
      skipped: r.skipped,
      ms,
      ...(tuning ? { fusions: r.fusions } : {}),
    }
    row(split, 'BM25', r.bm25)
    if (r.dense) row(split, 'dense', r.dense)
    row(split, 'hybrid (RRF k=60)', r.hybrid)
    if (tuning) for (const [label, m] of Object.entries(r.fusions)) row(split, `· ${label}`, m)
    if (o.details && tuning)
      for (const c of r.perCase.filter((p) => !p.hybrid.some((id) => p.expected.includes(id))))
        table.push(
          `  miss ${c.id} ${c.question}\n    want ${c.expected.join(', ')}\n    bm25 ${c.bm25.join(', ')}\n    dense ${c.dense.join(', ')}\n    hybrid ${c.hybrid.join(', ')}`,
        )
  }
  if (o.json) console.log(JSON.stringify(out, null, 2))
  else
    console.log(
      `model: ${ctx.embedder.modelId}${ctx.index.backend.dense ? '' : ' (dense off: BM25 only)'}\n${table.join('\n')}`,
    )
}
