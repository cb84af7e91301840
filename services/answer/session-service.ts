/**
 * Chat sessions (collection `sessions`). A session id is 16 random bytes plus their HMAC-SHA256 tag
 * (`<22 chars>.<22 chars>`, short enough for a URL path segment), issued by POST /api/chat;
 * knowing it is what authorises an anonymous taxpayer to read the session, and a forged or altered id is
 * simply "not found". appendTurn emits an event so SSE subscribers (GET /api/chat/:id/events) see agent
 * replies immediately.
 */
import crypto from 'node:crypto'
import { EventEmitter } from 'node:events'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'
import type { PolicyCitationFields } from './policy-citation.js'

export type ChatMode = 'faq' | 'composed' | 'llm' | 'handoff' | 'refused' | 'redirect'
export const CHAT_MODES: readonly ChatMode[] = ['faq', 'composed', 'llm', 'handoff', 'refused', 'redirect']

/** Policy documents add 文号, clause, validity, official URL and document id (policy-citation.ts). */
export interface Citation extends PolicyCitationFields {
  n: number
  id: string
  title: string
  kind: string
  snippet: string
}

export interface ChatTurn {
  id: string
  at: string
  role: 'user' | 'assistant' | 'agent' | 'system'
  /** User text is PII-masked. */
  text: string
  mode?: ChatMode
  intent?: string
  confidence?: number
  citations?: Citation[]
  ticketId?: string
  agentName?: string
  /** The (masked) search query a user turn resolved to, so an elliptical follow-up can build on it. */
  query?: string
}

export interface ChatSession {
  id: string
  createdAt: string
  updatedAt: string
  regionCode: string | null
  channel: 'web' | 'cli' | 'api'
  turns: ChatTurn[]
  ticketIds: string[]
}

export type TurnInput = Omit<ChatTurn, 'id' | 'at'> & { id?: string; at?: string }

/** The session with `turns` appended (the oldest dropped past MAX_TURNS) and their tickets linked. */
function withTurns(s: ChatSession, turns: readonly ChatTurn[]): ChatSession {
  const ticketIds = [...s.ticketIds]
  for (const t of turns) if (t.ticketId && !ticketIds.includes(t.ticketId)) ticketIds.push(t.ticketId)
  return {
    ...s,
    updatedAt: turns.at(-1)?.at ?? s.updatedAt,
    turns: [...s.turns, ...turns].slice(-MAX_TURNS),
    ticketIds,
  }
}

/** Sessions stay readable for 30 days after they were opened. */
const SESSION_TTL_SECONDS = 30 * 24 * 3600
/** Transcripts are capped; the oldest turns go first. */
const MAX_TURNS = 200

export class SessionService {
  readonly #events = new EventEmitter()

  readonly #key: Buffer

  constructor(
    private readonly store: Store,
    secret: string,
    private readonly clock: Clock,
  ) {
    if (secret.length < 16) throw new Error('session secret must be at least 16 characters')
    // A key of its own, so a session id can never be confused with a staff token.
    this.#key = crypto.createHmac('sha256', secret).update('taxkb chat session ids').digest()
    this.#events.setMaxListeners(0)
  }

  #tag(nonce: string): string {
    return crypto.createHmac('sha256', this.#key).update(nonce).digest().subarray(0, 16).toString('base64url')
  }

  get #sessions() {
    return this.store.collection<ChatSession>('sessions')
  }

  async create(channel: ChatSession['channel'], regionCode: string | null): Promise<ChatSession> {
    const session = this.open(channel, regionCode)
    await this.#sessions.put(session)
    return session
  }

  /**
   * A new session with its id, not yet stored: `appendTurns(session, turns, { fresh: true })` writes it with its
   * first turns in one write (a chat turn used to write the empty session, then each turn: three commits).
   */
  open(channel: ChatSession['channel'], regionCode: string | null): ChatSession {
    const now = this.clock.now()
    const nonce = crypto.randomBytes(16).toString('base64url')
    return {
      id: `${nonce}.${this.#tag(nonce)}`,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      regionCode,
      channel,
      turns: [],
      ticketIds: [],
    }
  }

  /** Whether an id was issued by us (constant-time tag check, no store access). */
  isValidId(id: string): boolean {
    if (typeof id !== 'string' || id.length !== 45) return false
    const [nonce, tag] = id.split('.')
    if (!nonce || !tag || nonce.length !== 22) return false
    const want = Buffer.from(this.#tag(nonce))
    const got = Buffer.from(tag)
    return got.length === want.length && crypto.timingSafeEqual(got, want)
  }

  async get(id: string): Promise<ChatSession> {
    if (!this.isValidId(id)) throw new AppError('SESSION_NOT_FOUND', 'invalid or forged session id')
    const s = await this.#sessions.get(id)
    if (!s) throw new AppError('SESSION_NOT_FOUND', 'no such session')
    if (this.clock.now().getTime() - Date.parse(s.createdAt) > SESSION_TTL_SECONDS * 1000)
      throw new AppError('SESSION_NOT_FOUND', 'session expired')
    return s
  }

  /** Appends a turn (user text masked) and notifies subscribers. Used by tickets for agent replies. */
  async appendTurn(sessionId: string, turn: TurnInput): Promise<ChatTurn> {
    if (!this.isValidId(sessionId)) throw new AppError('SESSION_NOT_FOUND', 'invalid, forged or expired session id')
    const full = this.#full(turn)
    await this.#sessions.update(sessionId, (s) => withTurns(s, [full]))
    this.#events.emit(sessionId, full)
    return full
  }

  /**
   * Appends several turns in one write (a chat turn: the question and the reply), with the session's region when
   * given. `fresh`: the session came from open() and is written whole; otherwise the stored one is updated.
   */
  async appendTurns(
    session: ChatSession,
    turns: readonly TurnInput[],
    options: { fresh: boolean; regionCode?: string | null | undefined },
  ): Promise<ChatTurn[]> {
    if (!this.isValidId(session.id)) throw new AppError('SESSION_NOT_FOUND', 'invalid, forged or expired session id')
    const full = turns.map((t) => this.#full(t))
    const region = (s: ChatSession) => (options.regionCode === undefined ? s : { ...s, regionCode: options.regionCode })
    if (options.fresh) await this.#sessions.put(withTurns(region(session), full))
    else await this.#sessions.update(session.id, (s) => withTurns(region(s), full))
    for (const t of full) this.#events.emit(session.id, t)
    return full
  }

  #full(turn: TurnInput): ChatTurn {
    const full: ChatTurn = {
      ...turn,
      id: turn.id ?? crypto.randomUUID(),
      at: turn.at ?? this.clock.now().toISOString(),
      text: turn.role === 'user' ? maskPii(turn.text) : turn.text,
    }
    if (full.query !== undefined) full.query = maskPii(full.query)
    return full
  }

  /** Calls `listener` for every turn appended from now on; returns the unsubscribe function. */
  subscribe(sessionId: string, listener: (turn: ChatTurn) => void): () => void {
    this.#events.on(sessionId, listener)
    return () => this.#events.off(sessionId, listener)
  }

  /** The last user turn that was a consultation, for resolving follow-ups. */
  static previousConsult(session: ChatSession): ChatTurn | null {
    for (let i = session.turns.length - 1; i >= 0; i--) {
      const t = session.turns[i] as ChatTurn
      if (t.role === 'user') {
        if (t.intent === 'consult') return t
        return null
      }
    }
    return null
  }
}
