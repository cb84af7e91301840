/** Runs the Embedder contract against every implementation: local (tiny ONNX model), HTTP (mock server), none. */
import { afterAll, beforeAll } from 'vitest'
import { LocalEmbedder, NoEmbedder, OpenAiCompatibleEmbedder } from '../../services/search/embedder.js'
import { buildTinyEmbeddingModel, type TinyEmbeddingModel } from '../fixtures/build-tiny-embedding-model.js'
import { tempDir } from '../helpers/env.js'
import { startMockOpenAiServer, type MockOpenAiServer } from '../helpers/mock-openai-server.js'
import { embedderBaseContract, embedderContract } from './embedder.contract.js'

let server: MockOpenAiServer
let model: TinyEmbeddingModel
let local: LocalEmbedder
beforeAll(async () => {
  server = await startMockOpenAiServer()
  model = buildTinyEmbeddingModel(tempDir('taxkb-tiny-model-'))
  local = new LocalEmbedder({ modelDir: model.dir, cacheSize: 0 })
})
afterAll(() => server.close())

embedderContract('local', async () => local)
embedderContract(
  'openai-compatible',
  async () => new OpenAiCompatibleEmbedder({ baseUrl: server.baseUrl, model: 'bge-m3', dimensions: 8 }),
)
embedderBaseContract('none', async () => new NoEmbedder())
