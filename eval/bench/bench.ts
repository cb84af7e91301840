/**
 * The benchmark run behind `npm run bench` and `taxkb bench`: scaled corpora (10k, and 100k in the full
 * run), the product's search path next to the baselines measured in the same process, indexing and
 * tokenisation throughput, cold start and resident memory in child processes, and /api/chat under load.
 * Prints a markdown table and writes a small JSON file to eval/results/.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import type { Entry } from '../../knowledge/entry.js'
import { createContainer, type Container } from '../../services/container.js'
import { BigramAnalyzer } from '../../services/search/analyzer.js'
import { EmbeddedSearchBackend } from '../../services/search/embedded-backend.js'
import { entriesStamp } from '../../services/search/entry-fields.js'
import type { SearchFilters } from '../../services/search/search-backend.js'
import { SearchService } from '../../services/search/search-service.js'
import { chinaDate, fixedClock } from '../../services/shared/clock.js'
import { REPO_ROOT, loadConfig } from '../../services/shared/config.js'
import { benchCorpus, benchQueries, loadBenchInputs, type BenchInputs } from './bench-inputs.js'
import { corpusMix } from './corpus-scale.js'
import { machineInfo, machineLine, type MachineInfo } from './machine.js'
import { measureChat, type ChatResult } from './measure-chat.js'
import { measureElasticsearch, type EsResult } from './measure-elasticsearch.js'
import { buildIndex, indexedChars, tokenizeThroughput, type TokenizeThroughput } from './measure-index.js'
import {
  benchDataDir,
  fillStore,
  loadContainer,
  loadIndexOnly,
  loadSteps,
  snapshotPath,
  type LoadSteps,
} from './measure-process.js'
import { timeQueries, type SearchLatency } from './measure-search.js'
import { median } from './percentiles.js'
import type { BenchQuery } from './query-set.js'

/** Search runs "today" = this instant, so effective-date filters do not drift between runs. */
export const BENCH_NOW = '2026-11-25T02:00:00Z'

export const TARGETS = {
  searchP99Ms10k: 10,
  searchP99Ms100k: 30,
  chatP99Ms50: 50,
  indexPerSec: 10_000,
  coldStartMs10k: 2000,
} as const

export interface BenchOptions {
  quick: boolean
  log?: (message: string) => void
  resultsDir?: string
}

export interface SizeReport {
  size: number
  mix: ReturnType<typeof corpusMix>
  indexedChars: number
  generateMs: number
  /** Jieba figures time the product's reindexAll up to its last batch (store list, citation links, tokenize, index); the snapshot save is separate. */
  index: {
    entriesPerSec: number
    charsPerSec: number
    ms: number
    bigramEntriesPerSec: number
    snapshotSaveMs: number
    snapshotMb: number
  }
  search: {
    embedded: SearchLatency
    bigram: SearchLatency
    exhaustive: SearchLatency
    maxScoreAgreesWithExhaustive: { same: number; n: number }
  }
  coldStart: {
    medianMs: number
    runsMs: number[]
    processReadyMs: number
    fromSnapshot: boolean
    steps: LoadSteps['steps']
    snapshotMb: number
  }
  /** rssIndexOnlyMb: a process holding only the search index (snapshot loaded), no store. */
  memory: {
    rssMb: number
    rssEmptyMb: number
    rssMbPer10k: number
    heapUsedMb: number
    rssIndexOnlyMb: number
    indexOnlyMbPer10k: number
  }
}

export interface BenchReport {
  kind: 'quick' | 'full'
  machine: MachineInfo
  loadAvg1AtEnd: number
  durationS: number
  queries: { n: number; withRegion: number; passes: number }
  tokenize: TokenizeThroughput
  sizes: SizeReport[]
  chat: ChatResult
  elasticsearch: EsResult[]
}

export interface QuickSummary {
  searchP99Ms: number
  chatP99Ms: number | null
  indexPerSec: number
  coldStartMs: number
  rssMbPer10k: number
  baselineSearchP99Ms: number
}

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const r1 = (n: number) => Math.round(n * 10) / 10

async function measureSize(
  inputs: BenchInputs,
  size: number,
  queries: readonly BenchQuery[],
  opts: { passes: number; warmup: number; coldRuns: number; rssEmptyMb: number },
  log: (m: string) => void,
): Promise<{ report: SizeReport; entries: Entry[]; dataDir: string; ctx: Container }> {
  const tg = performance.now()
  const entries = benchCorpus(inputs, size)
  const generateMs = performance.now() - tg
  log(`  ${size}: generated in ${Math.round(generateMs)} ms; indexing (jieba, the product's reindexAll)…`)
  const dataDir = benchDataDir(String(size))
  await fillStore(dataDir, entries)
  // The product's own wiring (lexicon overlay, citation-linked text, snapshot path), so the snapshot it
  // writes is the one a restart loads and the search path is the one /api/search uses.
  const ctx = await createContainer(loadConfig({ TAXKB_LOG_LEVEL: 'silent' }, { dataDir }), {
    skipIndexSync: true,
    clock: fixedClock(BENCH_NOW),
  })
  const backend = ctx.index.backend
  if (!(backend instanceof EmbeddedSearchBackend))
    throw new Error(`the benchmark needs the embedded backend, got ${backend.name}`)
  gc()
  let indexedAt = 0
  const t0 = performance.now()
  // reindexAll = list the store, build citation links, upsert in batches of 500, save the snapshot.
  await ctx.index.reindexAll((done, total) => {
    if (done === total) indexedAt = performance.now()
  })
  const ms = indexedAt - t0
  const snapshotSaveMs = performance.now() - indexedAt
  const jieba = { ms, entriesPerSec: entries.length / (ms / 1000), charsPerSec: indexedChars(entries) / (ms / 1000) }
  const snapshotMb = fs.statSync(snapshotPath(dataDir)).size / 2 ** 20
  log(`  ${size}: ${Math.round(jieba.entriesPerSec)} entries/s; indexing (bigram baseline)…`)
  gc()
  const bigram = await buildIndex(entries, new BigramAnalyzer(), (c) => inputs.regions.lineage(c), 'none')

  const clock = fixedClock(BENCH_NOW)
  const today = chinaDate(clock.now())
  const bigramService = new SearchService(bigram.backend, inputs.regions, clock, 500)
  const filtersOf = (q: BenchQuery): SearchFilters => ({
    status: ['published'],
    effectiveAt: today,
    ...(q.region ? { regionCode: q.region } : {}),
  })
  const timing = { warmup: opts.warmup, passes: opts.passes }
  log(`  ${size}: search latency (embedded, bigram, exhaustive)…`)
  gc()
  const embedded = await timeQueries(queries, (q) => ctx.search.search({ q: q.q, region: q.region, limit: 10 }), timing)
  gc()
  const bigramLat = await timeQueries(
    queries,
    (q) => bigramService.search({ q: q.q, region: q.region, limit: 10 }),
    timing,
  )
  gc()
  const exhaustive = await timeQueries(
    queries,
    (q) => backend.searchExhaustive(q.q, { filters: filtersOf(q), limit: 10 }),
    timing,
  )
  let same = 0
  for (const q of queries) {
    const a = (await backend.search(q.q, { filters: filtersOf(q), limit: 10 })).map((h) => h.id).join('|')
    const b = backend
      .searchExhaustive(q.q, { filters: filtersOf(q), limit: 10 })
      .map((h) => h.id)
      .join('|')
    if (a === b) same++
  }

  log(`  ${size}: cold start and memory (child processes)…`)
  const loads = []
  for (let i = 0; i < opts.coldRuns; i++) loads.push(await loadContainer(dataDir))
  const steps = await loadSteps(dataDir)
  const indexOnly = await loadIndexOnly(dataDir, entriesStamp(entries))
  const first = loads[0]!
  const rssMb = median(loads.map((l) => l.rssAfterMb))
  const report: SizeReport = {
    size,
    mix: corpusMix(entries),
    indexedChars: indexedChars(entries),
    generateMs: Math.round(generateMs),
    index: {
      entriesPerSec: Math.round(jieba.entriesPerSec),
      charsPerSec: Math.round(jieba.charsPerSec),
      ms: Math.round(jieba.ms),
      bigramEntriesPerSec: Math.round(bigram.entriesPerSec),
      snapshotSaveMs: Math.round(snapshotSaveMs),
      snapshotMb: r1(snapshotMb),
    },
    search: { embedded, bigram: bigramLat, exhaustive, maxScoreAgreesWithExhaustive: { same, n: queries.length } },
    coldStart: {
      medianMs: Math.round(median(loads.map((l) => l.loadMs))),
      runsMs: loads.map((l) => Math.round(l.loadMs)),
      processReadyMs: Math.round(median(loads.map((l) => l.processReadyMs))),
      fromSnapshot: loads.every((l) => l.fromSnapshot) && steps.fromSnapshot,
      steps: steps.steps,
      snapshotMb: steps.snapshotMb,
    },
    memory: {
      rssMb,
      rssEmptyMb: opts.rssEmptyMb,
      rssMbPer10k: r1((rssMb - opts.rssEmptyMb) / (size / 10_000)),
      heapUsedMb: first.heapUsedAfterMb,
      rssIndexOnlyMb: indexOnly.rssAfterMb,
      indexOnlyMbPer10k: r1((indexOnly.rssAfterMb - opts.rssEmptyMb) / (size / 10_000)),
    },
  }
  return { report, entries, dataDir, ctx }
}

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const log = opts.log ?? (() => {})
  const t0 = performance.now()
  const machine = machineInfo()
  const loadAtEnd = () => Math.round((os.loadavg()[0] ?? 0) * 100) / 100
  const config = loadConfig({ TAXKB_LOG_LEVEL: 'silent' })
  const inputs = loadBenchInputs(config)
  const sizes = opts.quick ? [10_000] : [10_000, 100_000]
  const queries = benchQueries(inputs, opts.quick ? 400 : 1000)
  const passes = opts.quick ? 1 : 2
  log(`taxkb bench (${opts.quick ? 'quick' : 'full'}) on ${machineLine(machine)}`)
  log(`  ${queries.length} queries, ${queries.filter((q) => q.region).length} with a region filter`)

  const empty = benchDataDir('empty')
  await fillStore(empty, [])
  const rssEmptyMb = median([(await loadContainer(empty)).rssAfterMb, (await loadContainer(empty)).rssAfterMb])
  const dirs = [empty]
  const reports: SizeReport[] = []
  const esResults: EsResult[] = []
  let tokenize: TokenizeThroughput | undefined
  let chat: ChatResult = { skipped: true, reason: 'not run' }
  try {
    for (const size of sizes) {
      gc()
      const m = await measureSize(
        inputs,
        size,
        queries,
        { passes, warmup: 50, coldRuns: opts.quick ? 3 : 5, rssEmptyMb },
        log,
      )
      dirs.push(m.dataDir)
      reports.push(m.report)
      if (size === 10_000) {
        log('  tokenisation throughput…')
        tokenize = tokenizeThroughput(m.entries, m.ctx.index.analyzer, m.ctx.lexicon, opts.quick ? 1 : 3)
        log('  /api/chat under load…')
        chat = await measureChat(m.dataDir, queries, { concurrency: [1, 10, 50], durationS: opts.quick ? 3 : 10 })
        if (chat.skipped) log(`  /api/chat: skipped (${chat.reason})`)
      }
      await m.ctx.close()
      if (size === 10_000 || !opts.quick)
        esResults.push(await measureElasticsearch(m.entries, queries, { warmup: 50, passes, now: BENCH_NOW }))
    }
  } finally {
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true })
  }
  return {
    kind: opts.quick ? 'quick' : 'full',
    machine,
    loadAvg1AtEnd: loadAtEnd(),
    durationS: Math.round((performance.now() - t0) / 1000),
    queries: { n: queries.length, withRegion: queries.filter((q) => q.region).length, passes },
    tokenize: tokenize!,
    sizes: reports,
    chat,
    elasticsearch: esResults,
  }
}

export function quickSummary(r: BenchReport): QuickSummary {
  const s = r.sizes.find((x) => x.size === 10_000)!
  const at50 = r.chat.skipped ? undefined : r.chat.runs.find((x) => x.connections === 50)
  return {
    searchP99Ms: s.search.embedded.p99Ms,
    chatP99Ms: at50 ? at50.p99Ms : null,
    indexPerSec: s.index.entriesPerSec,
    coldStartMs: s.coldStart.medianMs,
    rssMbPer10k: s.memory.rssMbPer10k,
    baselineSearchP99Ms: s.search.bigram.p99Ms,
  }
}

const fmtInt = (n: number) => Math.round(n).toLocaleString('en-US')
const fmtMs = (n: number) => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2))
const lat = (l: SearchLatency) => `${fmtMs(l.p50Ms)} / ${fmtMs(l.p95Ms)} / ${fmtMs(l.p99Ms)}`
const mark = (ok: boolean) => (ok ? '✅' : '❌')

export function renderMarkdown(r: BenchReport): string {
  const cols = r.sizes.map((s) => `${s.size / 1000}k entries`)
  const row = (name: string, cells: string[], target = '') => `| ${name} | ${cells.join(' | ')} | ${target} |`
  const by = (f: (s: SizeReport) => string) => r.sizes.map(f)
  const s10 = r.sizes.find((s) => s.size === 10_000)
  const s100 = r.sizes.find((s) => s.size === 100_000)
  const searchTarget = [
    s10 ? `≤ ${TARGETS.searchP99Ms10k} ms @10k ${mark(s10.search.embedded.p99Ms <= TARGETS.searchP99Ms10k)}` : '',
    s100 ? `≤ ${TARGETS.searchP99Ms100k} ms @100k ${mark(s100.search.embedded.p99Ms <= TARGETS.searchP99Ms100k)}` : '',
  ]
    .filter(Boolean)
    .join(', ')
  const es = (size: number) => {
    const e = r.elasticsearch.find((x): x is Exclude<EsResult, { skipped: true }> => !x.skipped && x.size === size)
    if (!e) return r.elasticsearch[0]?.skipped ? `skipped (${r.elasticsearch[0].reason})` : 'not run'
    return 'error' in e ? `error: ${e.error.slice(0, 60)}` : lat(e.search)
  }
  const t = r.tokenize as TokenizeThroughput | undefined
  const lines = [
    `**${r.kind === 'quick' ? 'Quick' : 'Full'} run** — ${machineLine(r.machine)} — ${r.queries.n} queries × ${r.queries.passes} pass(es), ${r.queries.withRegion} with a region filter; ${r.durationS} s in total; load average ${r.machine.loadAvg1} at start, ${r.loadAvg1AtEnd} at end`,
    '',
    `| figure | ${cols.join(' | ')} | target |`,
    `|---|${cols.map(() => '---|').join('')}---|`,
    row(
      'search p50 / p95 / p99 ms — embedded (jieba BM25F, MaxScore; full service path incl. snippets)',
      by((s) => lat(s.search.embedded)),
      searchTarget,
    ),
    row(
      'baseline: char-bigram BM25, same path',
      by((s) => lat(s.search.bigram)),
    ),
    row(
      'baseline: naive exhaustive scoring (every posting, no snippets)',
      by((s) => lat(s.search.exhaustive)),
    ),
    row(
      'other backend: Elasticsearch',
      r.sizes.map((s) => es(s.size)),
    ),
    row(
      'MaxScore top-10 = exhaustive top-10',
      by((s) => `${s.search.maxScoreAgreesWithExhaustive.same}/${s.search.maxScoreAgreesWithExhaustive.n}`),
    ),
    row(
      'search throughput, 1 client (queries/s)',
      by((s) => fmtInt(s.search.embedded.qps)),
    ),
    row(
      'indexing (entries/s, jieba; chars/s)',
      by((s) => `${fmtInt(s.index.entriesPerSec)} (${(s.index.charsPerSec / 1e6).toFixed(2)} M chars/s)`),
      s10
        ? `≥ ${fmtInt(TARGETS.indexPerSec)}/s ${mark(r.sizes.every((s) => s.index.entriesPerSec >= TARGETS.indexPerSec))}`
        : '',
    ),
    ...(t && s10
      ? [
          row(
            '  tokenizer ceiling: analyzer chars/s ÷ chars per entry (entries/s)',
            by((s) => fmtInt(t.analyzerCharsPerSec / (s.indexedChars / s.size))),
          ),
        ]
      : []),
    row(
      'indexing, bigram baseline (entries/s)',
      by((s) => fmtInt(s.index.bigramEntriesPerSec)),
    ),
    row(
      'snapshot (MB, save ms)',
      by((s) => `${s.index.snapshotMb} MB, ${fmtInt(s.index.snapshotSaveMs)} ms`),
    ),
    row(
      'cold start: container load with matching snapshot (median ms)',
      by((s) => `${fmtInt(s.coldStart.medianMs)}${s.coldStart.fromSnapshot ? '' : ' (rebuilt!)'}`),
      s10
        ? `≤ ${fmtInt(TARGETS.coldStartMs10k)} ms @10k ${mark(s10.coldStart.medianMs <= TARGETS.coldStartMs10k)}`
        : '',
    ),
    row(
      '  of which: store read+list / stamp / jieba init / snapshot load (ms)',
      by(
        (s) =>
          `${fmtInt((s.coldStart.steps.storeOpen ?? 0) + (s.coldStart.steps.storeList ?? 0))} / ${fmtInt(s.coldStart.steps.stamp ?? 0)} / ${fmtInt(s.coldStart.steps.jiebaInit ?? 0)} / ${fmtInt(s.coldStart.steps.snapshotLoadTotal ?? 0)}`,
      ),
    ),
    row(
      'process start → ready (ms, incl. tsx)',
      by((s) => fmtInt(s.coldStart.processReadyMs)),
    ),
    row(
      'resident memory per 10k entries (MB, RSS above an empty container)',
      by((s) => `${s.memory.rssMbPer10k} (RSS ${s.memory.rssMb} MB vs ${s.memory.rssEmptyMb} MB)`),
    ),
    row(
      '  of which the search index alone (postings + metadata, no store) per 10k (MB)',
      by((s) => `${s.memory.indexOnlyMbPer10k}`),
    ),
  ]
  if (t) {
    lines.push(
      '',
      `Tokenisation (${(t.chars / 1e6).toFixed(2)} M chars of the 10k corpus' indexed fields): analyzer **${(t.analyzerCharsPerSec / 1e6).toFixed(2)} M chars/s**; raw jieba \`cutForSearch\` ${(t.rawCutForSearchCharsPerSec / 1e6).toFixed(2)} M, raw \`cut\` ${(t.rawCutCharsPerSec / 1e6).toFixed(2)} M; char bigrams ${(t.bigramCharsPerSec / 1e6).toFixed(2)} M chars/s.`,
    )
  }
  lines.push('')
  if (r.chat.skipped) lines.push(`/api/chat: skipped (${r.chat.reason})`)
  else {
    lines.push(
      `/api/chat at 10k entries (probe status ${r.chat.probeStatus}; extractive; server in its own process, autocannon ${r.chat.runs[0]?.durationS ?? 0} s per level):`,
      '',
      '| clients | p50 / p95 / p99 ms | req/s | non-2xx | errors | target |',
      '|---|---|---|---|---|---|',
    )
    for (const c of r.chat.runs)
      lines.push(
        `| ${c.connections} | ${fmtMs(c.p50Ms)} / ${fmtMs(c.p95Ms)} / ${fmtMs(c.p99Ms)} | ${fmtInt(c.requestsPerSec)} | ${c.non2xx} | ${c.errors} | ${c.connections === 50 ? `p99 ≤ ${TARGETS.chatP99Ms50} ms ${mark(c.p99Ms <= TARGETS.chatP99Ms50)}` : ''} |`,
      )
  }
  return lines.join('\n')
}

/** Writes eval/results/bench-<date>[-quick].json and bench-latest[-quick].json; returns the paths. */
export function writeResults(r: BenchReport, dir = path.join(REPO_ROOT, 'eval', 'results')): string[] {
  fs.mkdirSync(dir, { recursive: true })
  const suffix = r.kind === 'quick' ? '-quick' : ''
  const json = `${JSON.stringify({ summary: quickSummary(r), ...r }, null, 2)}\n`
  const files = [
    path.join(dir, `bench-${r.machine.date.slice(0, 10)}${suffix}.json`),
    path.join(dir, `bench-latest${suffix}.json`),
  ]
  for (const f of files) fs.writeFileSync(f, json)
  return files
}

/** `npm run bench [-- --quick] [-- --json]` and `taxkb bench [--quick] [--json]`. */
export async function benchCli(opts: { quick: boolean; json: boolean }): Promise<void> {
  const report = await runBench({ quick: opts.quick, log: (m) => process.stderr.write(`${m}\n`) })
  const files = writeResults(report)
  if (opts.json) process.stdout.write(`${JSON.stringify(quickSummary(report))}\n`)
  else {
    process.stdout.write(`${renderMarkdown(report)}\n`)
    process.stderr.write(`results: ${files.map((f) => path.relative(process.cwd(), f)).join(', ')}\n`)
  }
}
