/**
 * Builds knowledge/corpus/vectors/<model>.i8.v8: int8 vectors of every passage of the bundled corpus, so a
 * fresh `npm start` and CI do not spend minutes embedding. Run after the corpus or passages.ts changes:
 *   npm run vectors:build
 * Vectors whose passage text is unchanged are taken from the existing file (the cache keys by text hash),
 * so a rebuild only embeds what changed. test/integration/hybrid-real-model.test.ts spot-checks the file
 * against the model.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { runImport } from '../indexers/run-import.js'
import { textKey } from '../services/search/vector-cache.js'
import { exemplarPassages, parseExemplars } from '../services/answer/semantic-intent.js'
import { createContainer } from '../services/container.js'
import type { EmbeddedSearchBackend } from '../services/search/embedded-backend.js'
import { BGE_SMALL_ZH } from '../services/search/model/bge-small-zh.js'
import { readInt8File, writeInt8File } from '../services/search/vector-cache.js'
import { loadConfig } from '../services/shared/config.js'

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-vectors-'))
const config = loadConfig(process.env, { dataDir, logLevel: 'silent', backend: 'embedded', embedder: 'local' })
const t0 = performance.now()
const ctx = await createContainer(config, { skipIndexSync: true })
try {
  const backend = ctx.index.backend as EmbeddedSearchBackend
  const vectors = backend.vectors
  if (!vectors)
    throw new Error(`no model: ${(ctx.embedder as { reason?: string }).reason ?? ''} — run \`taxkb model fetch\` first`)
  await runImport(ctx, config.corpusDir)
  // The semantic intent step's examples ship too (knowledge/intents/exemplars.jsonl), so it starts without the model.
  const exemplars = exemplarPassages(parseExemplars(fs.readFileSync(config.intentExemplarsFile, 'utf8')))
  const exemplarVectors = await vectors.vectorsFor(exemplars)
  const exemplarRows = exemplars.map((p, i): [string, Float32Array] => [
    textKey(p.text),
    exemplarVectors[i] as Float32Array,
  ])
  const unique = new Map([...vectors.rows((id) => backend.passagesOf(id)), ...exemplarRows])
  const rows = [...unique].sort(([a], [b]) => a.localeCompare(b))
  const file = path.join(config.corpusDir, 'vectors', `${BGE_SMALL_ZH.folder}.i8.v8`)
  // Unchanged passages keep their bytes (re-quantising a dequantised vector moved 207 of 8,486 rows).
  writeInt8File(file, vectors.embedder.modelId, rows[0]?.[1].length ?? 0, rows, readInt8File(file))
  const s = vectors.stats
  console.log(
    `${rows.length} passage and intent-example vectors → ${path.relative(process.cwd(), file)} (${(fs.statSync(file).size / 1e6).toFixed(2)} MB); embedded ${s.embedded}, reused ${s.reused}; ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
} finally {
  await ctx.close()
  fs.rmSync(dataDir, { recursive: true, force: true })
}
