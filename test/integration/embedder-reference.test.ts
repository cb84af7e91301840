/**
 * LocalEmbedder (onnxruntime-node + @huggingface/tokenizers) against the reference made with the former
 * transformers.js pipeline over the real bge-small-zh-v1.5-q model (test/fixtures/embedder/): the shipped corpus
 * vectors were built with that pipeline, so a query vector must land in the same space. Token ids must be equal
 * and each vector's cosine with the reference ≥ 0.9999. Skips, with a notice, when the model folder is absent
 * (`npm run model:fetch`; .ci/run fetches it).
 */
import fs from 'node:fs'
import path from 'node:path'
import { Tokenizer } from '@huggingface/tokenizers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LocalEmbedder } from '../../services/search/embedder.js'
import { modelPresent } from '../../services/search/model/model-fetch.js'
import { loadConfig, REPO_ROOT } from '../../services/shared/config.js'

const modelDir = loadConfig({}).embeddingModelDir
const present = modelPresent(modelDir)
if (!present) console.warn(`[embedder-reference] skipped: no model in ${modelDir} — run \`npm run model:fetch\``)

interface Reference {
  modelId: string
  /** vector: embedded in padded batches of 16 (as the index does); single: alone (as a chat query is). */
  rows: { text: string; ids: number[]; vector: string; single: string }[]
}
const reference = JSON.parse(
  fs.readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'embedder', 'bge-small-zh-reference.json'), 'utf8'),
) as Reference
const vectorOf = (b64: string) => {
  const buf = Buffer.from(b64, 'base64')
  return new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4)
}
const cosine = (a: Float32Array, b: Float32Array) => {
  let dot = 0
  let na = 0
  let nb = 0
  for (let i = 0; i < a.length; i++) {
    dot += (a[i] as number) * (b[i] as number)
    na += (a[i] as number) ** 2
    nb += (b[i] as number) ** 2
  }
  return dot / Math.sqrt(na * nb)
}

describe.skipIf(!present)('LocalEmbedder gives the vectors the shipped corpus was built with', () => {
  let embedder: LocalEmbedder
  beforeAll(async () => {
    embedder = new LocalEmbedder({ modelDir, cacheSize: 0 })
    await embedder.load()
  }, 60_000)
  afterAll(() => embedder?.close())

  it('the same vector space id, and the fixture covers long, Latin, full-width and unknown-character texts', () => {
    expect(embedder.modelId).toBe(reference.modelId)
    expect(reference.rows.length).toBeGreaterThanOrEqual(30)
    // a text cut at the model's 512 tokens (no [SEP] re-added) and texts with [UNK] (id 100) are in the set
    expect(reference.rows.some((r) => r.ids.length === 512 && r.ids.at(-1) !== 102)).toBe(true)
    expect(reference.rows.some((r) => r.ids.includes(100))).toBe(true)
  })

  it('token ids equal the former pipeline’s, text by text', () => {
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(modelDir, f), 'utf8')) as object
    const tokenizer = new Tokenizer(read('tokenizer.json'), read('tokenizer_config.json'))
    for (const r of reference.rows) expect(tokenizer.encode(r.text).ids.slice(0, 512), r.text).toEqual(r.ids)
  })

  it('every vector has cosine ≥ 0.9999 with the reference, embedded in batches as the index does', async () => {
    const vectors = await embedder.embed(reference.rows.map((r) => r.text))
    const worst = Math.min(...reference.rows.map((r, i) => cosine(vectors[i] as Float32Array, vectorOf(r.vector))))
    console.log(`[embedder-reference] ${reference.rows.length} texts, lowest cosine ${worst.toFixed(7)}`)
    expect(worst).toBeGreaterThanOrEqual(0.9999)
    vectors.forEach((v) => expect(v).toHaveLength(512))
  })

  it('one text at a time (a chat query) gives the reference’s single-text vectors', async () => {
    // Not the batched ones: the int8 model quantises activations per batch, so padding shifts a vector a little
    // (cosine ≈ 0.99) — the former pipeline did the same, and the test must not paper over either difference.
    let worst = 1
    for (const r of reference.rows) {
      const [v] = await embedder.embed([r.text])
      worst = Math.min(worst, cosine(v as Float32Array, vectorOf(r.single)))
    }
    expect(worst).toBeGreaterThanOrEqual(0.9999)
  })
})
