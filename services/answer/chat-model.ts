/**
 * The ChatModel port: the optional LLM that rephrases retrieved sources into a short cited answer.
 * Implementations: `none` (default — answers stay extractive) and `openai-compatible` (any server that
 * speaks the OpenAI Chat Completions protocol: vLLM, Ollama, LM Studio, llama.cpp server, OpenAI
 * itself), through langchain. createChatModel is the one place that picks.
 */
// langchain is loaded on the first LLM call, not at start-up (about 1.5 s of imports the CLI does not need).
import type { ChatOpenAICompletions } from '@langchain/openai'
import type { BaseMessageChunk } from '@langchain/core/messages'
import type { Config } from '../shared/config.js'

export interface ChatInput {
  system: string
  user: string
  signal?: AbortSignal
}

export interface ChatModel {
  /** 'none' when no model is configured; callers check it before generating. */
  readonly name: string
  generate(input: ChatInput): Promise<string>
  /** Text deltas as the model produces them. */
  stream(input: ChatInput): AsyncIterable<string>
  /** Resolves once the client library is loaded (it is imported lazily); the composition root awaits it. */
  ready?(): Promise<void>
}

export class NoChatModel implements ChatModel {
  readonly name = 'none'

  generate(): Promise<string> {
    return Promise.reject(
      new Error(
        'No chat model is configured (TAXKB_LLM_BASE_URL is empty); check ChatModel.name before calling generate',
      ),
    )
  }

  async *stream(): AsyncIterable<string> {
    throw new Error(
      'No chat model is configured (TAXKB_LLM_BASE_URL is empty); check ChatModel.name before calling stream',
    )
  }
}

export interface OpenAiCompatibleChatOptions {
  /** Base URL up to and including the API version, e.g. http://127.0.0.1:8000/v1; `/chat/completions` is appended. */
  baseUrl: string
  model: string
  /** Empty for local servers; a placeholder is sent because the OpenAI client insists on one. */
  apiKey?: string
  timeoutMs?: number
  maxRetries?: number
}

function chunkText(chunk: BaseMessageChunk): string {
  return typeof chunk.content === 'string' ? chunk.content : chunk.text
}

/**
 * Chat Completions through langchain's ChatOpenAICompletions — the class ChatOpenAI delegates to for
 * that API. It is used directly because ChatOpenAI silently switches to the Responses API for some
 * model names (e.g. anything containing "codex"), which local OpenAI-compatible servers do not serve.
 */
export class OpenAiCompatibleChatModel implements ChatModel {
  readonly name = 'openai-compatible'
  readonly model: string
  readonly #options: OpenAiCompatibleChatOptions
  #llm: Promise<ChatOpenAICompletions> | undefined

  constructor(options: OpenAiCompatibleChatOptions) {
    if (!options.baseUrl) throw new Error('OpenAiCompatibleChatModel: baseUrl is required')
    if (!options.model) throw new Error('OpenAiCompatibleChatModel: model is required')
    this.model = options.model
    this.#options = options
  }

  async ready(): Promise<void> {
    await this.#client()
  }

  #client(): Promise<ChatOpenAICompletions> {
    this.#llm ??= this.#connect(this.#options)
    return this.#llm
  }

  async #connect(options: OpenAiCompatibleChatOptions): Promise<ChatOpenAICompletions> {
    const { ChatOpenAICompletions } = await import('@langchain/openai')
    return new ChatOpenAICompletions({
      model: options.model,
      apiKey: options.apiKey || 'not-needed',
      temperature: 0,
      timeout: options.timeoutMs ?? 20_000,
      maxRetries: options.maxRetries ?? 1,
      // stream_options.include_usage is not understood by every compatible server; we do not need usage.
      streamUsage: false,
      configuration: { baseURL: options.baseUrl.replace(/\/+$/, '') },
    })
  }

  async #messages(input: ChatInput) {
    const { HumanMessage, SystemMessage } = await import('@langchain/core/messages')
    return [new SystemMessage(input.system), new HumanMessage(input.user)]
  }

  async generate(input: ChatInput): Promise<string> {
    const llm = await this.#client()
    const message = await llm.invoke(await this.#messages(input), input.signal ? { signal: input.signal } : {})
    return typeof message.content === 'string' ? message.content : message.text
  }

  async *stream(input: ChatInput): AsyncIterable<string> {
    const llm = await this.#client()
    const chunks = await llm.stream(await this.#messages(input), input.signal ? { signal: input.signal } : {})
    for await (const chunk of chunks) {
      const text = chunkText(chunk)
      if (text) yield text
    }
  }
}

/** The one place that picks the ChatModel from config: an LLM only when TAXKB_LLM_BASE_URL is set. */
export function createChatModel(
  config: Pick<Config, 'llmBaseUrl' | 'llmModel' | 'llmApiKey' | 'llmTimeoutMs'>,
): ChatModel {
  if (!config.llmBaseUrl) return new NoChatModel()
  return new OpenAiCompatibleChatModel({
    baseUrl: config.llmBaseUrl,
    model: config.llmModel,
    apiKey: config.llmApiKey,
    timeoutMs: config.llmTimeoutMs,
  })
}
