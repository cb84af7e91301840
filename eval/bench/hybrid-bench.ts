/**
 * `npm run bench:hybrid`: the cost of semantic retrieval on the bundled corpus, BM25-only baseline in the
 * same run — index build time and memory with vectors, cold embedding throughput (what a corpus change
 * without shipped vectors costs), dense top-k over the passage vectors (brute force), search and
 * single-client /api/chat latency (real HTTP on 127.0.0.1). The two variants alternate question by
 * question, so machine load affects both alike. Writes eval/results/bench-hybrid-latest.json.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runImport } from '../../indexers/run-import.js'
import { build } from '../../services/api/app.js'
import { createContainer, type Container } from '../../services/container.js'
import type { EmbeddedSearchBackend } from '../../services/search/embedded-backend.js'
import { fixedClock } from '../../services/shared/clock.js'
import { loadConfig, REPO_ROOT, type Config } from '../../services/shared/config.js'
import { summarize, type LatencySummary } from './percentiles.js'

const NOW = '2026-11-25T02:00:00Z'
const rssMb = () => Math.round(process.memoryUsage().rss / 1e6)

function questions(): string[] {
  const out = new Set<string>()
  for (const f of ['answers.jsonl', 'retrieval.jsonl', 'dev.jsonl']) {
    const file = path.join(REPO_ROOT, 'eval', 'datasets', f)
    if (!fs.existsSync(file)) continue
    for (const l of fs.readFileSync(file, 'utf8').split('\n'))
      if (l.trim()) out.add((JSON.parse(l) as { question: string }).question)
  }
  return [...out]
}

async function timedContainer(config: Config): Promise<{ ctx: Container; buildMs: number; rssMb: number }> {
  const before = rssMb()
  const t0 = performance.now()
  const ctx = await createContainer(config, { skipIndexSync: true, clock: fixedClock(NOW) })
  await runImport(ctx, config.corpusDir)
  return { ctx, buildMs: Math.round(performance.now() - t0), rssMb: rssMb() - before }
}

async function listen(ctx: Container): Promise<{ url: string; close: () => Promise<void> }> {
  const app = await build(ctx.config, { container: ctx })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const addr = app.server.address()
  return { url: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`, close: () => app.close() }
}

export interface HybridBenchReport {
  at: string
  loadAvg1: { start: number; end: number }
  cpus: number
  passages: number
  indexBuild: { bm25: { ms: number; rssMb: number }; hybrid: { ms: number; rssMb: number; embedded: number } }
  coldEmbedding: { passages: number; perSecond: number }
  denseTopK: LatencySummary
  search: { bm25: LatencySummary; hybrid: LatencySummary }
  chat: { bm25: LatencySummary; hybrid: LatencySummary; questions: number }
}

export async function runHybridBench(log: (m: string) => void = () => {}): Promise<HybridBenchReport> {
  const start = os.loadavg()[0] ?? 0
  const base = (embedder: 'none' | 'local') =>
    loadConfig(
      { TAXKB_LOG_LEVEL: 'silent', TAXKB_RATE_LIMIT_PER_MINUTE: '10000000' },
      // Answer cache off: this bench measures composing a reply (retrieval, ranking, abstention), question by question.
      { dataDir: fs.mkdtempSync(path.join(os.tmpdir(), `taxkb-bench-${embedder}-`)), embedder, answerCache: 0 },
    )
  log('index build: BM25 only …')
  const bm = await timedContainer(base('none'))
  log('index build: hybrid (shipped vectors) …')
  const hy = await timedContainer(base('local'))
  const backend = hy.ctx.index.backend as EmbeddedSearchBackend
  const vectors = backend.vectors
  if (!vectors) throw new Error('no model: run `npm run model:fetch` first')
  // Cold embedding: 128 corpus passages through the model, as if no vector had been stored.
  const sample = ['个人所得税法', '增值税法', '税收征收管理法', '企业所得税法']
    .flatMap((law) =>
      Array.from({ length: 12 }, (_, i) =>
        backend.passagesOf(
          `${law}#第${['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二'][i]}条`,
        ),
      ).flat(),
    )
    .slice(0, 128)
  const t0 = performance.now()
  await vectors.embedder.embed(sample.map((p) => `${p.text} `)) // the trailing space defeats the embedder's own cache
  const coldPerSecond = Math.round((sample.length / ((performance.now() - t0) / 1000)) * 10) / 10
  const qs = questions()
  log(`${qs.length} questions; dense top-k, search and chat …`)
  const dense: number[] = []
  for (const q of qs) {
    const qv = await vectors.queryVector(q)
    const t = performance.now()
    vectors.search(qv, 30, () => true)
    dense.push(performance.now() - t)
  }
  const filters = {
    status: 'published' as const,
    kind: ['law-article' as const, 'faq' as const, 'guide' as const, 'notice' as const],
    effectiveAt: '2026-11-25',
  }
  const search = { bm25: [] as number[], hybrid: [] as number[] }
  for (const q of qs) {
    for (const [k, b] of [
      ['bm25', bm.ctx.index.backend],
      ['hybrid', backend],
    ] as const) {
      const t = performance.now()
      await b.search(q, { limit: 10, filters, layerPrecedence: true })
      search[k].push(performance.now() - t)
    }
  }
  const servers = { bm25: await listen(bm.ctx), hybrid: await listen(hy.ctx) }
  const chat = { bm25: [] as number[], hybrid: [] as number[] }
  const ask = async (url: string, message: string) => {
    const t = performance.now()
    const res = await fetch(`${url}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ message }),
    })
    await res.text()
    if (res.status !== 200) throw new Error(`chat answered ${res.status}`)
    return performance.now() - t
  }
  // Warm-up (JIT, first model calls), then each question once per variant, alternating.
  for (const q of qs.slice(0, 20)) for (const s of Object.values(servers)) await ask(s.url, q)
  for (const q of qs) for (const k of ['bm25', 'hybrid'] as const) chat[k].push(await ask(servers[k].url, `${q} `))
  for (const s of Object.values(servers)) await s.close()
  const report: HybridBenchReport = {
    at: new Date().toISOString(),
    loadAvg1: { start: Math.round(start * 100) / 100, end: Math.round((os.loadavg()[0] ?? 0) * 100) / 100 },
    cpus: os.cpus().length,
    passages: vectors.size,
    indexBuild: {
      bm25: { ms: bm.buildMs, rssMb: bm.rssMb },
      hybrid: { ms: hy.buildMs, rssMb: hy.rssMb, embedded: vectors.stats.embedded },
    },
    coldEmbedding: { passages: sample.length, perSecond: coldPerSecond },
    denseTopK: summarize(dense),
    search: { bm25: summarize(search.bm25), hybrid: summarize(search.hybrid) },
    chat: { bm25: summarize(chat.bm25), hybrid: summarize(chat.hybrid), questions: qs.length },
  }
  await bm.ctx.close()
  await hy.ctx.close()
  return report
}

export function renderHybridMarkdown(r: HybridBenchReport): string {
  const row = (name: string, s: LatencySummary) =>
    `| ${name} | ${s.n} | ${s.p50Ms} | ${s.p95Ms} | ${s.p99Ms} | ${s.maxMs} |`
  return [
    `Run ${r.at} on ${r.cpus} cores, load average ${r.loadAvg1.start} → ${r.loadAvg1.end} (shared machine); ${r.passages} passage vectors.`,
    '',
    '| measure | n | p50 ms | p95 ms | p99 ms | max ms |',
    '|---|---|---|---|---|---|',
    row('/api/chat, BM25 only (single client)', r.chat.bm25),
    row('/api/chat, hybrid with bge-small-zh (single client)', r.chat.hybrid),
    row('search, BM25 only', r.search.bm25),
    row('search, hybrid', r.search.hybrid),
    row('dense top-30 over all passages (brute force)', r.denseTopK),
    '',
    `Index build of the bundled corpus (import + index): BM25 only ${r.indexBuild.bm25.ms} ms (+${r.indexBuild.bm25.rssMb} MB RSS); hybrid ${r.indexBuild.hybrid.ms} ms (+${r.indexBuild.hybrid.rssMb} MB RSS, model included; ${r.indexBuild.hybrid.embedded} passages embedded, the rest from the shipped vectors). Cold embedding: ${r.coldEmbedding.perSecond} passages/s.`,
  ].join('\n')
}

const isMain = process.argv[1] !== undefined && /hybrid-bench\.ts$/.test(process.argv[1])
if (isMain) {
  const r = await runHybridBench((m) => process.stderr.write(`${m}\n`))
  const file = path.join(REPO_ROOT, 'eval', 'results', 'bench-hybrid-latest.json')
  fs.writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`)
  console.log(renderHybridMarkdown(r))
}
