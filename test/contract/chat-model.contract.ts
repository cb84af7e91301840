/**
 * The ChatModel contract: every LLM implementation passes these unchanged (today openai-compatible via
 * langchain, run against the local mock OpenAI server); `none` passes the part that applies to it.
 */
import { describe, expect, it } from 'vitest'
import type { ChatModel } from '../../services/answer/chat-model.js'

const INPUT = { system: '你是12366税务咨询助手，只根据给定资料回答。', user: '小规模纳税人增值税征收率是多少？' }

async function collect(stream: AsyncIterable<string>): Promise<string[]> {
  const parts: string[] = []
  for await (const p of stream) parts.push(p)
  return parts
}

export interface ChatModelHarness {
  model: ChatModel
  /** Makes the next call fail at the backend (HTTP 500 and the like). */
  failNext(): void
}

export function chatModelContract(name: string, open: () => Promise<ChatModelHarness>): void {
  describe(`ChatModel contract: ${name}`, () => {
    it('generates text, and streaming the same input yields deltas that add up to it', async () => {
      const { model } = await open()
      expect(model.name).not.toBe('none')
      await model.ready?.()
      const text = await model.generate(INPUT)
      expect(typeof text).toBe('string')
      expect(text.length).toBeGreaterThan(0)
      const parts = await collect(model.stream(INPUT))
      expect(parts.length).toBeGreaterThan(1)
      expect(parts.every((p) => p.length > 0)).toBe(true)
      expect(parts.join('')).toBe(text)
    })

    it('stops when the caller aborts (the answering service enforces its timeout this way)', async () => {
      const { model } = await open()
      await expect(model.generate({ ...INPUT, signal: AbortSignal.abort() })).rejects.toThrow()
      await expect(collect(model.stream({ ...INPUT, signal: AbortSignal.abort() }))).rejects.toThrow()
    })

    it('rejects when the backend fails, so the caller can fall back to the extractive answer', async () => {
      const h = await open()
      h.failNext()
      await expect(h.model.generate(INPUT)).rejects.toThrow()
      // …and works again on the next call.
      await expect(h.model.generate(INPUT)).resolves.toEqual(expect.any(String))
    })
  })
}

/** What `none` promises: it is named `none` and refuses to generate with a clear error. */
export function noChatModelContract(open: () => Promise<ChatModel>): void {
  describe('ChatModel contract: none', () => {
    it('is named none and refuses generate and stream with a clear error', async () => {
      const model = await open()
      expect(model.name).toBe('none')
      await expect(model.generate(INPUT)).rejects.toThrow(/No chat model is configured/)
      await expect(collect(model.stream(INPUT))).rejects.toThrow(/No chat model is configured/)
    })
  })
}
