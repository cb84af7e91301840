import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  createEmbedder,
  LocalEmbedder,
  LruCache,
  NoEmbedder,
  OpenAiCompatibleEmbedder,
} from '../../services/search/embedder.js'
import { ConfigError, loadConfig, REPO_ROOT } from '../../services/shared/config.js'
import { tempDir } from '../helpers/env.js'

describe('NoEmbedder', () => {
  it('has no dimensions, embeds nothing and refuses texts', async () => {
    const e = new NoEmbedder()
    expect(e.name).toBe('none')
    expect(e.dimensions).toBe(0)
    await expect(e.embed([])).resolves.toEqual([])
    await expect(e.embed(['增值税'])).rejects.toThrow(/No embedder is configured/)
  })
})

describe('LruCache', () => {
  it('evicts the least recently used entry; a read refreshes an entry', () => {
    const c = new LruCache<string, number>(2)
    c.set('a', 1)
    c.set('b', 2)
    expect(c.get('a')).toBe(1) // a is now most recent
    c.set('c', 3) // evicts b
    expect(c.get('b')).toBeUndefined()
    expect(c.get('a')).toBe(1)
    expect(c.get('c')).toBe(3)
    expect(c.size).toBe(2)
  })

  it('capacity 0 stores nothing', () => {
    const c = new LruCache<string, number>(0)
    c.set('a', 1)
    expect(c.get('a')).toBeUndefined()
  })
})

describe('LocalEmbedder model directory checks', () => {
  it('names every missing file and never downloads', () => {
    const dir = tempDir('taxkb-empty-model-')
    expect(() => new LocalEmbedder({ modelDir: dir })).toThrow(
      /lacks config\.json, tokenizer\.json, tokenizer_config\.json, onnx\/model\.onnx .*nothing is downloaded/,
    )
  })

  it('picks the quantized file when only it is present, and reads dimensions from config.json', () => {
    const dir = tempDir('taxkb-q8-model-')
    for (const f of ['tokenizer.json', 'tokenizer_config.json']) fs.writeFileSync(path.join(dir, f), '{}')
    fs.writeFileSync(path.join(dir, 'config.json'), JSON.stringify({ model_type: 'bert', hidden_size: 384 }))
    fs.mkdirSync(path.join(dir, 'onnx'))
    fs.writeFileSync(path.join(dir, 'onnx', 'model_quantized.onnx'), '')
    const e = new LocalEmbedder({ modelDir: dir })
    expect(e.dtype).toBe('q8')
    expect(e.dimensions).toBe(384)
    expect(() => new LocalEmbedder({ modelDir: dir, dtype: 'fp32' })).toThrow(/lacks onnx\/model\.onnx/)
  })
})

describe('embedder config and createEmbedder', () => {
  it('defaults to the local bge model folder, and to BM25 alone (with a reason) when it is missing', () => {
    const config = loadConfig({})
    expect(config).toMatchObject({
      embedder: 'local',
      embeddingBaseUrl: '',
      embeddingModel: '',
      embeddingApiKey: '',
      embeddingDimensions: 0,
      modelFetch: true,
    })
    expect(config.embeddingModelDir).toBe(path.join(REPO_ROOT, '.cache', 'models', 'bge-small-zh-v1.5-q'))
    const missing = createEmbedder(loadConfig({ TAXKB_EMBEDDING_MODEL_DIR: '/nonexistent/model' }))
    expect(missing).toBeInstanceOf(NoEmbedder)
    expect((missing as NoEmbedder).reason).toMatch(/lacks config\.json.*taxkb model fetch/)
    expect(createEmbedder(loadConfig({ TAXKB_EMBEDDER: 'none' }))).toBeInstanceOf(NoEmbedder)
  })

  it('validates the choices and the required companions', () => {
    expect(() => loadConfig({ TAXKB_EMBEDDER: 'bert' })).toThrow(
      /TAXKB_EMBEDDER must be one of none, local, openai-compatible/,
    )
    expect(() =>
      loadConfig({ TAXKB_EMBEDDER: 'openai-compatible', TAXKB_EMBEDDING_BASE_URL: 'http://127.0.0.1:1/v1' }),
    ).toThrow('TAXKB_EMBEDDING_BASE_URL and TAXKB_EMBEDDING_MODEL are required when TAXKB_EMBEDDER=openai-compatible')
    expect(() => loadConfig({ TAXKB_EMBEDDER: 'openai-compatible', TAXKB_EMBEDDING_MODEL: 'bge-m3' })).toThrow(
      ConfigError,
    )
    expect(() => loadConfig({ TAXKB_EMBEDDING_DIMENSIONS: '-1' })).toThrow(/TAXKB_EMBEDDING_DIMENSIONS must be ≥ 0/)
    expect(loadConfig({}).embeddingThreads).toBe(1)
    expect(loadConfig({ TAXKB_EMBEDDING_THREADS: '0' }).embeddingThreads).toBe(0)
    expect(() => loadConfig({ TAXKB_EMBEDDING_THREADS: '1.5' })).toThrow(/TAXKB_EMBEDDING_THREADS must be an integer/)
  })

  it('builds the HTTP embedder with {baseUrl}/embeddings', () => {
    const config = loadConfig({
      TAXKB_EMBEDDER: 'openai-compatible',
      TAXKB_EMBEDDING_BASE_URL: 'http://127.0.0.1:11434/v1/',
      TAXKB_EMBEDDING_MODEL: 'bge-m3',
      TAXKB_EMBEDDING_DIMENSIONS: '256',
    })
    const e = createEmbedder(config)
    expect(e).toBeInstanceOf(OpenAiCompatibleEmbedder)
    expect((e as OpenAiCompatibleEmbedder).url).toBe('http://127.0.0.1:11434/v1/embeddings')
    expect(e.dimensions).toBe(256)
  })

  it('a bad local directory is BM25 alone, named in the reason, never a crash', () => {
    const e = createEmbedder(loadConfig({ TAXKB_EMBEDDER: 'local', TAXKB_EMBEDDING_MODEL_DIR: '/nonexistent/model' }))
    expect(e.name).toBe('none')
    expect((e as NoEmbedder).reason).toContain('/nonexistent/model')
  })
})
