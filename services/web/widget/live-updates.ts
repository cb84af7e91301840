/**
 * What arrives from elsewhere while the chat is open — agent replies and ticket notices (e.g. an extended
 * deadline): SSE (`/api/chat/:id/events?since=`), polling the transcript every 5 s when SSE fails.
 */
import type { ApiClient, ChatTurn } from './api-client.js'

const POLL_MS = 5000

/** Pure: an agent or system turn out of an SSE event or transcript row, or null for anything else. */
export function incomingTurn(raw: unknown): ChatTurn | null {
  const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
  const turn = o.turn ?? raw
  const t = turn && typeof turn === 'object' ? (turn as Record<string, unknown>) : {}
  // Our own questions and answers are already on screen.
  if (t.role !== 'agent' && t.role !== 'system') return null
  const out: ChatTurn = {
    id: typeof t.id === 'string' ? t.id : '',
    role: t.role,
    text: typeof t.text === 'string' ? t.text : '',
  }
  if (typeof t.agentName === 'string') out.agentName = t.agentName
  return out
}

export class LiveUpdates {
  private events: EventSource | null = null
  private pollTimer: ReturnType<typeof setInterval> | null = null

  constructor(
    private readonly api: ApiClient,
    private readonly onTurn: (raw: unknown) => void,
  ) {}

  subscribe(sessionId: string, since: string | null): void {
    if (this.events || this.pollTimer) return
    if (typeof EventSource === 'undefined') return this.poll(sessionId)
    const es = new EventSource(this.api.eventsUrl(sessionId, since))
    this.events = es
    const onEvent = (e: MessageEvent) => {
      try {
        const parsed: unknown = JSON.parse(String(e.data))
        for (const raw of Array.isArray(parsed) ? parsed : [parsed]) this.onTurn(raw)
      } catch {
        /* keep-alive or malformed event */
      }
    }
    es.addEventListener('message', onEvent)
    es.addEventListener('turn', onEvent as EventListener)
    es.addEventListener('agent', onEvent as EventListener)
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED && this.events === es) {
        this.events = null
        this.poll(sessionId)
      }
    })
  }

  private poll(sessionId: string): void {
    if (this.pollTimer) return
    const tick = async () => {
      try {
        const t = await this.api.transcript(sessionId)
        for (const turn of t.turns) this.onTurn(turn)
      } catch {
        /* try again next tick */
      }
    }
    this.pollTimer = setInterval(() => void tick(), POLL_MS)
  }

  unsubscribe(): void {
    this.events?.close()
    this.events = null
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.pollTimer = null
  }
}
