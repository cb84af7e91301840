/**
 * Browser client for the taxpayer-facing API (shapes in docs/interfaces.md). The API base is the origin the
 * widget script was loaded from, so the same file works when embedded on any (allow-listed) portal.
 * Response shapes are read defensively: the widget must degrade, not crash, when a field is missing. Paths,
 * request bodies and the keys read from responses come from the generated API types (../shared/api-contract.ts),
 * so a route change that breaks the widget fails type checking.
 */
import { apiPath, type ApiErrorBody, type JsonBody, type JsonResponse, type Loose } from '../shared/api-contract.js'

type ChatBody = JsonResponse<'postChat'>
type TranscriptBody = JsonResponse<'getChatBySessionId'>

export interface Citation {
  n: number
  id: string
  title: string
  kind: string
  snippet: string
  /** Policy documents: 文号, clause label and validity on the answer date (see README "Policy documents"). */
  docNumber?: string
  clause?: string
  validity?: string
}

export interface ChatAnswer {
  sessionId: string
  answer: string
  mode: string
  intent?: string
  confidence?: number
  citations: Citation[]
  suggestions: string[]
  ticketId?: string
  ticketNumber?: string
  turnId?: string
  /** The service suggests a human (low confidence or nothing found). */
  handoffOffered?: boolean
}

export interface ChatTurn {
  id: string
  at?: string
  role: 'user' | 'assistant' | 'agent' | 'system'
  text: string
  mode?: string
  confidence?: number
  citations?: Citation[]
  ticketId?: string
  agentName?: string
}

export interface Transcript {
  id: string
  turns: ChatTurn[]
  ticketIds: string[]
}

export interface HandoffResult {
  ticketId: string | null
  number: string
  dueLabel: string
  humansAvailableNow: boolean | null
  /** The service's notice (ticket, deadline, working hours when humans are off). */
  notice: string
  turnId: string | null
}

export interface HotTopicItem {
  label: string
  id: string | null
  question: string | null
}

export interface WelcomeItem extends HotTopicItem {
  /** pinned = 编辑置顶, regional = 本地热门, national = 全国热门 (services/editorial/welcome-topics.ts). */
  source: 'pinned' | 'regional' | 'national'
}

export interface HotTopics {
  pinned: HotTopicItem[]
  trending: HotTopicItem[]
  cases: HotTopicItem[]
  suggestions: HotTopicItem[]
  /** The welcome's 热点问题: what the region asks, never case reports. */
  welcome: WelcomeItem[]
}

export class ApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly code: string,
  ) {
    super(message)
  }
}

type Json = Record<string, unknown>
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '')
const obj = (v: unknown): Json => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Json) : {})
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : [])

export function normaliseCitations(v: unknown): Citation[] {
  return arr(v).map((c, k) => {
    const o: Loose<ChatBody['citations'][number]> = obj(c)
    const out: Citation = {
      n: typeof o.n === 'number' ? o.n : k + 1,
      id: str(o.id),
      title: str(o.title) || str(o.id),
      kind: str(o.kind),
      snippet: str(o.snippet),
    }
    if (str(o.docNumber)) out.docNumber = str(o.docNumber)
    if (str(o.clause)) out.clause = str(o.clause)
    if (str(o.validity)) out.validity = str(o.validity)
    return out
  })
}

export function normaliseAnswer(v: unknown): ChatAnswer {
  const o: Loose<ChatBody> = obj(v)
  const out: ChatAnswer = {
    sessionId: str(o.sessionId),
    answer: str(o.answer),
    mode: str(o.mode) || 'faq',
    citations: normaliseCitations(o.citations),
    suggestions: arr(o.suggestions)
      .map((s) => str(typeof s === 'string' ? s : (obj(s).question ?? obj(s).text)))
      .filter(Boolean),
  }
  if (typeof o.intent === 'string') out.intent = o.intent
  if (typeof o.confidence === 'number') out.confidence = o.confidence
  if (o.ticketId) out.ticketId = str(o.ticketId)
  if (o.ticketNumber) out.ticketNumber = str(o.ticketNumber)
  if (o.turnId) out.turnId = str(o.turnId)
  if (typeof o.handoffOffered === 'boolean') out.handoffOffered = o.handoffOffered
  return out
}

export function normaliseTurn(v: unknown): ChatTurn | null {
  const o: Loose<TranscriptBody['turns'][number]> = obj(obj(v).turn ?? v)
  const role = str(o.role)
  if (!['user', 'assistant', 'agent', 'system'].includes(role)) return null
  const t: ChatTurn = { id: str(o.id), role: role as ChatTurn['role'], text: str(o.text) }
  if (o.at) t.at = str(o.at)
  if (o.mode) t.mode = str(o.mode)
  if (typeof o.confidence === 'number') t.confidence = o.confidence
  if (o.citations) t.citations = normaliseCitations(o.citations)
  if (o.ticketId) t.ticketId = str(o.ticketId)
  if (o.agentName) t.agentName = str(o.agentName)
  return t
}

function hotItems(v: unknown): HotTopicItem[] {
  return arr(v)
    .map((x) => {
      if (typeof x === 'string') return { label: x, id: null, question: x }
      const o = obj(x)
      const question = str(o.question) || null
      const label = str(o.title) || str(o.label) || str(o.topic) || str(o.text) || question || ''
      return { label, id: str(o.id) || str(o.entryId) || null, question }
    })
    .filter((x) => x.label)
}

const WELCOME_SOURCES = new Set<string>(['pinned', 'regional', 'national'])

function welcomeItems(v: unknown): WelcomeItem[] {
  const out: WelcomeItem[] = []
  for (const x of arr(v)) {
    const o: Loose<JsonResponse<'getHotTopics'>['welcome'][number]> = obj(x)
    const source = str(o.source)
    const label = str(o.label)
    if (!label || !WELCOME_SOURCES.has(source)) continue
    const item = { label, id: str(o.id) || null, question: str(o.question) || null }
    out.push({ ...item, source: source as WelcomeItem['source'] })
  }
  return out
}

export class ApiClient {
  constructor(readonly base: string) {}

  private async request(path: string, init: RequestInit = {}): Promise<Response> {
    const res = await fetch(this.base + path, { ...init, credentials: 'omit', mode: 'cors' })
    if (!res.ok) {
      let message = `请求失败（${res.status}）`
      let code = 'HTTP_' + res.status
      try {
        const body: Loose<ApiErrorBody['error']> = obj(obj(await res.json()).error)
        if (body.message) message = str(body.message)
        if (body.code) code = str(body.code)
      } catch {
        /* not JSON: keep the generic message */
      }
      throw new ApiError(message, res.status, code)
    }
    return res
  }

  private async postJson(path: string, body: unknown): Promise<unknown> {
    const res = await this.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    return res.status === 204 ? {} : res.json()
  }

  /** Asks a question; streams provisional tokens through onToken when the server answers with SSE (`done` is authoritative). */
  async chat(body: JsonBody<'postChat'>, onToken?: (text: string, reset?: boolean) => void): Promise<ChatAnswer> {
    const res = await this.request(apiPath('/api/chat'), {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream, application/json' },
      body: JSON.stringify(body),
    })
    const type = res.headers.get('content-type') ?? ''
    if (!type.includes('text/event-stream') || !res.body) return normaliseAnswer(await res.json())
    const reader = res.body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    let done: ChatAnswer | null = null
    let failure: ApiError | null = null
    const handle = (block: string) => {
      let event = 'message'
      const data: string[] = []
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) event = line.slice(6).trim()
        else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''))
      }
      const raw = data.join('\n')
      let parsed: unknown = raw
      try {
        parsed = JSON.parse(raw)
      } catch {
        /* plain-text token */
      }
      if (event === 'token') {
        const t = typeof parsed === 'string' ? parsed : str(obj(parsed).text ?? obj(parsed).token ?? obj(parsed).delta)
        if (t && onToken) onToken(t)
      } else if (event === 'reset')
        onToken?.('', true) // provisional text withdrawn (e.g. a rejected LLM draft)
      else if (event === 'done') done = normaliseAnswer(parsed)
      else if (event === 'error') {
        const e = obj(obj(parsed).error ?? parsed)
        failure = new ApiError(str(e.message) || '服务暂时不可用', 500, str(e.code) || 'STREAM_ERROR')
      }
    }
    for (;;) {
      const { value, done: end } = await reader.read()
      if (value) buffer += decoder.decode(value, { stream: true })
      buffer = buffer.replace(/\r\n?/g, '\n')
      let idx: number
      while ((idx = buffer.indexOf('\n\n')) >= 0) {
        handle(buffer.slice(0, idx))
        buffer = buffer.slice(idx + 2)
      }
      if (end) break
    }
    if (buffer.trim()) handle(buffer)
    if (failure) throw failure
    if (!done) throw new ApiError('回答中断，请重试', 502, 'STREAM_INCOMPLETE')
    return done
  }

  async transcript(sessionId: string): Promise<Transcript> {
    const res = await this.request(apiPath('/api/chat/{sessionId}', { sessionId }))
    const s: Loose<TranscriptBody> = obj(await res.json())
    const turns = arr(s.turns)
      .map(normaliseTurn)
      .filter((t): t is ChatTurn => t !== null)
    return { id: str(s.sessionId) || sessionId, turns, ticketIds: arr(s.ticketIds).map(str).filter(Boolean) }
  }

  eventsUrl(sessionId: string, since: string | null = null): string {
    return `${this.base}${apiPath('/api/chat/{sessionId}/events', { sessionId })}${since ? `?since=${encodeURIComponent(since)}` : ''}`
  }

  async rate(sessionId: string, body: JsonBody<'postChatBySessionIdRating'>): Promise<void> {
    await this.postJson(apiPath('/api/chat/{sessionId}/rating', { sessionId }), body)
  }

  async handoff(sessionId: string, contact: { name?: string; phone?: string } | null): Promise<HandoffResult> {
    const body: JsonBody<'postChatBySessionIdHandoff'> = contact ? { consent: true, contact } : { consent: true }
    const path = apiPath('/api/chat/{sessionId}/handoff', { sessionId })
    const o: Loose<JsonResponse<'postChatBySessionIdHandoff'>> = obj(await this.postJson(path, body))
    return {
      ticketId: str(o.ticketId) || null,
      number: str(o.ticketNumber),
      // Not in the handoff response (the answer text states the deadline and working hours): kept for the view.
      dueLabel: '',
      humansAvailableNow: null,
      notice: str(o.answer),
      turnId: str(o.turnId) || null,
    }
  }

  async entry(id: string): Promise<Json> {
    const res = await this.request(apiPath('/api/entries/{id}', { id }))
    return obj(await res.json())
  }

  async hotTopics(region: string | null): Promise<HotTopics> {
    const res = await this.request(apiPath('/api/hot-topics') + (region ? `?region=${encodeURIComponent(region)}` : ''))
    const o: Loose<JsonResponse<'getHotTopics'>> = obj(await res.json())
    return {
      pinned: hotItems(o.pinned),
      trending: hotItems(o.trending),
      cases: hotItems(o.cases),
      suggestions: hotItems(o.suggestions),
      welcome: welcomeItems(o.welcome),
    }
  }

  /** Open surveys (网上调查) for the welcome message: id and title only. */
  async openSurveys(region: string | null): Promise<{ id: string; title: string }[]> {
    const res = await this.request(apiPath('/api/surveys') + (region ? `?region=${encodeURIComponent(region)}` : ''))
    const o: Loose<JsonResponse<'getSurveys'>> = obj(await res.json())
    const list = Array.isArray(o.surveys) ? o.surveys : []
    return list
      .map((x) => obj(x))
      .map((x) => ({ id: str(x.id), title: str(x.title) }))
      .filter((x) => x.id && x.title)
  }
}
