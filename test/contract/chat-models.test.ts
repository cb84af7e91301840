/** Runs the ChatModel contract against every implementation: openai-compatible (local mock server) and none. */
import { afterAll, beforeAll } from 'vitest'
import { NoChatModel, OpenAiCompatibleChatModel } from '../../services/answer/chat-model.js'
import { startMockOpenAiServer, type MockOpenAiServer } from '../helpers/mock-openai-server.js'
import { chatModelContract, noChatModelContract } from './chat-model.contract.js'

let server: MockOpenAiServer
beforeAll(async () => {
  server = await startMockOpenAiServer({
    chat: (messages) => `根据资料：${messages.at(-1)?.content ?? ''}征收率为3%。`,
  })
})
afterAll(() => server.close())

chatModelContract('openai-compatible', async () => ({
  // maxRetries 0: a failed call must surface, not be retried into success.
  model: new OpenAiCompatibleChatModel({ baseUrl: server.baseUrl, model: 'qwen-test', timeoutMs: 5000, maxRetries: 0 }),
  failNext: () => server.failNext(500, { error: { message: 'boom' } }),
}))
noChatModelContract(async () => new NoChatModel())
