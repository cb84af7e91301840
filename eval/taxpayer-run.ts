/**
 * `taxkb eval --split dev|test`: runs one split of the taxpayer-question set through the answering service
 * (a fresh session per line, in the caller's scratch data directory) and the retriever, and prints the
 * metrics of eval/taxpayer-eval.ts. The test split is for reporting only (eval/datasets/README.md).
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Entry } from '../knowledge/entry.js'
import { Retriever } from '../services/answer/retrieval.js'
import type { Container } from '../services/container.js'
import { chinaDate } from '../services/shared/clock.js'
import { readJudgements, scoreCase, summarise, type CaseResult, type SplitMetrics } from './taxpayer-eval.js'
import { readTaxpayerSet } from './taxpayer-set.js'

export interface TaxpayerRunOptions {
  split: 'dev' | 'test'
  datasetsDir: string
  judgementsDir: string
  json?: boolean
  details?: boolean
  dumpAnswers?: string
}

export async function runTaxpayerEval(ctx: Container, o: TaxpayerRunOptions): Promise<SplitMetrics> {
  const cases = readTaxpayerSet(path.join(o.datasetsDir, `${o.split}.jsonl`))
  const today = chinaDate(ctx.clock.now())
  // The same retrieval the answering service starts from (BM25 today; hybrid once vectors are configured).
  const retriever = new Retriever(ctx.index.backend, ctx.store, ctx.regions, null)
  const results: CaseResult[] = []
  for (const c of cases) {
    const t0 = performance.now()
    const reply = await ctx.answer.ask({ message: c.question, region: c.region, channel: 'api' })
    const latencyMs = performance.now() - t0
    const r = await retriever.retrieve(c.question, { regionCode: c.region ?? null, today, synonyms: true, limit: 10 })
    results.push(
      scoreCase(
        c,
        reply,
        r.sources.map((s) => s.entry.id),
        latencyMs,
      ),
    )
  }
  const wanted = [...new Set(cases.flatMap((c) => c.expectedIds))]
  const have = new Set((await ctx.store.collection<Entry>('entries').getMany(wanted)).map((e) => e.id))
  const metrics = summarise(results, cases, (id) => have.has(id), readJudgements(o.judgementsDir, o.split))
  if (o.dumpAnswers) {
    const lines = results.map((r) =>
      JSON.stringify({
        id: r.id,
        question: r.question,
        behaviour: r.behaviour,
        answerHash: r.hash,
        mode: r.reply.mode,
        intent: r.reply.intent,
        handoffOffered: r.reply.handoffOffered,
        answer: r.reply.answer,
        citations: r.reply.citations.map((x) => ({ n: x.n, id: x.id, title: x.title })),
      }),
    )
    fs.writeFileSync(o.dumpAnswers, `${lines.join('\n')}\n`)
  }
  if (o.json)
    console.log(
      JSON.stringify(
        {
          split: o.split,
          date: today,
          ...metrics,
          ...(o.details ? { perCase: results.map(({ reply: _r, ...x }) => x) } : {}),
        },
        null,
        2,
      ),
    )
  else printTable(o.split, today, metrics, o.details ? results : [])
  return metrics
}

function printTable(split: string, date: string, m: SplitMetrics, details: readonly CaseResult[]): void {
  const label = split === 'dev' ? 'dev (tuned on)' : 'test (report only)'
  console.log(`taxpayer set, ${label}, ${date}: ${m.n} lines, ${m.answerLines} answerable`)
  console.log(
    '| recall@5 | MRR | behaviour acc. | expect acc. | abstain recall | over-refusal | wrong-confident (proxy) | key-fact coverage | citation recall | opening answers (proxy) | p50 ms | p99 ms |',
  )
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|')
  const f = (x: number) => x.toFixed(3)
  console.log(
    `| ${f(m.recallAt5)} (n=${m.recallN}) | ${f(m.mrr)} | ${f(m.behaviourAccuracy)} | ${f(m.expectAccuracy)} | ${f(m.abstainRecall)} | ${f(m.overRefusal)} | ${f(m.wrongConfidentProxy)} | ${f(m.keyFactCoverage)} | ${f(m.citationRecall)} | ${f(m.openingAnswers)} | ${m.p50Ms} | ${m.p99Ms} |`,
  )
  if (m.judged) {
    const j = m.judged
    console.log(
      `\njudged (rubric), ${j.judgedInScope} in-scope replies with matching hash${j.stale ? `, ${j.stale} judged replies changed since` : ''}:`,
    )
    console.log(
      '| good | partial | good+partial | honest-handoff | wrong-confident | over-refusal | opening answers |\n|---|---|---|---|---|---|---|',
    )
    console.log(
      `| ${f(j.good)} | ${f(j.partial)} | ${f(j.goodPlusPartial)} | ${f(j.honestHandoff)} | ${f(j.wrongConfident)} | ${f(j.overRefusal)} | ${f(j.openingAnswers)} |`,
    )
  }
  for (const r of details) {
    if (r.ok && !r.wrongConfident && (r.factCoverage ?? 1) === 1 && r.opening !== false) continue
    console.log(`\n${r.id} [${r.behaviour}→${r.shown}] ${r.question}`)
    if (r.missingFacts.length) console.log(`   missing ${r.missingFacts.join('、')}`)
    console.log(
      `   cited ${r.reply.citations.map((x) => x.id).join(', ') || '-'} · top5 ${r.rank.slice(0, 5).join(', ')}`,
    )
    console.log(`   ${r.reply.answer.replace(/\n/g, ' ⏎ ').slice(0, 220)}`)
  }
}
