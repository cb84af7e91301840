/**
 * Child process for cold start and memory: loads a container from a prepared data directory (store +
 * matching snapshot) and prints one JSON line. Run in its own process so nothing else the benchmark holds
 * in memory, and no warm module cache, is counted.
 *   node --expose-gc --import tsx eval/bench/child-load.ts <dataDir> container|steps
 */
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import vm from 'node:vm'
import { RegionTable } from '../../knowledge/regions.js'
import { createStore } from '../../knowledge/store/create-store.js'
import type { Entry } from '../../knowledge/entry.js'
import { createContainer } from '../../services/container.js'
import { loadLexiconWithOverlay } from '../../services/editorial/lexicon-files.js'
import { JiebaAnalyzer } from '../../services/search/analyzer.js'
import { EmbeddedSearchBackend } from '../../services/search/embedded-backend.js'
import { entriesStamp } from '../../services/search/entry-fields.js'
import { loadConfig } from '../../services/shared/config.js'

v8.setFlagsFromString('--expose-gc')
const gc = vm.runInNewContext('gc') as () => void
const settle = () => {
  for (let i = 0; i < 3; i++) gc()
}
const mb = (n: number) => Math.round((n / 2 ** 20) * 10) / 10

const [dataDir, mode = 'container'] = process.argv.slice(2)
if (!dataDir) throw new Error('usage: child-load.ts <dataDir> container|index <stamp>|steps')
const config = loadConfig({ TAXKB_LOG_LEVEL: 'silent' }, { dataDir })
const snapshotFile = path.join(dataDir, 'index', 'embedded.v8')
const mtimeBefore = fs.existsSync(snapshotFile) ? fs.statSync(snapshotFile).mtimeMs : null

settle()
const before = process.memoryUsage()
if (mode === 'container') {
  const t0 = performance.now()
  const ctx = await createContainer(config)
  const loadMs = performance.now() - t0
  const readyMs = performance.now()
  const entries = await ctx.index.backend.count()
  settle()
  const after = process.memoryUsage()
  const mtimeAfter = fs.existsSync(snapshotFile) ? fs.statSync(snapshotFile).mtimeMs : null
  console.log(
    JSON.stringify({
      mode,
      entries,
      loadMs,
      processReadyMs: readyMs,
      // A rebuild would have rewritten the snapshot.
      fromSnapshot: entries === 0 || (mtimeBefore !== null && mtimeBefore === mtimeAfter),
      rssBeforeMb: mb(before.rss),
      rssAfterMb: mb(after.rss),
      heapUsedAfterMb: mb(after.heapUsed),
      externalAfterMb: mb(after.external),
    }),
  )
  await ctx.close()
} else if (mode === 'index') {
  // The search index alone (snapshot → postings + per-entry metadata), without the store's copy of the entries.
  const stamp = process.argv[4] ?? ''
  const lexicon = loadLexiconWithOverlay(config.lexiconDir, dataDir)
  const regions = RegionTable.load(config.regionsFile)
  const backend = new EmbeddedSearchBackend({
    analyzer: new JiebaAnalyzer(lexicon),
    lineage: (c) => regions.lineage(c),
    lexiconHash: lexicon.hash,
    snapshotFile,
  })
  const ok = backend.tryLoadSnapshot(stamp)
  settle()
  const after = process.memoryUsage()
  console.log(
    JSON.stringify({
      mode,
      entries: await backend.count(),
      fromSnapshot: ok,
      rssAfterMb: mb(after.rss),
      heapUsedAfterMb: mb(after.heapUsed),
    }),
  )
} else {
  // The same steps createContainer takes, timed one by one (what bounds cold start).
  const steps: Record<string, number> = {}
  const time = async <T>(name: string, fn: () => T | Promise<T>): Promise<T> => {
    const t = performance.now()
    const r = await fn()
    steps[name] = Math.round((performance.now() - t) * 10) / 10
    return r
  }
  const lexicon = await time('lexicon', () => loadLexiconWithOverlay(config.lexiconDir, dataDir))
  const regions = await time('regions', () => RegionTable.load(config.regionsFile))
  const store = await time('storeOpen', () => createStore(config))
  const all = await time('storeList', () => store.collection<Entry>('entries').list())
  const stamp = await time('stamp', () => entriesStamp(all))
  const analyzer = await time('jiebaInit', () => new JiebaAnalyzer(lexicon))
  const backend = new EmbeddedSearchBackend({
    analyzer,
    lineage: (c) => regions.lineage(c),
    lexiconHash: lexicon.hash,
    snapshotFile,
  })
  const buf = await time('snapshotRead', () => fs.readFileSync(snapshotFile))
  await time('snapshotDeserialize', () => v8.deserialize(buf))
  const ok = await time('snapshotLoadTotal', () => backend.tryLoadSnapshot(stamp))
  console.log(JSON.stringify({ mode, entries: all.length, fromSnapshot: ok, snapshotMb: mb(buf.length), steps }))
  await store.close()
}
