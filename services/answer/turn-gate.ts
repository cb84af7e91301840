/**
 * Admission for chat turns: at most `concurrency` turns are composed at once, the rest wait in arrival order
 * (p-limit's FIFO queue), and a turn that would wait behind `queue` others is refused at once with BUSY (503).
 *
 * Why: a turn is mostly CPU on one event loop, with a few awaits (the store's group commit, the embedder worker).
 * Without a gate every accepted request competes at each await with all the others, so under 50 concurrent
 * clients some turns were resumed again and again behind newer ones: p50 0.7 s, p99 3.4–3.9 s at the same
 * throughput. In arrival order each waits its turn once: the same throughput, p99 ≈ 1.0 s (eval/bench, README).
 * A full queue answers in a millisecond instead of after tens of seconds, which lets the widget say so.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import { Counter, Gauge, type Registry } from 'prom-client'
import type { Config } from '../shared/config.js'
import { AppError } from '../shared/errors.js'

/** TAXKB_CHAT_CONCURRENCY, with 0 meaning 4 extractive turns at once or 32 when an LLM composes them. */
export function chatConcurrencyOf(config: Pick<Config, 'chatConcurrency' | 'llmBaseUrl'>): number {
  if (config.chatConcurrency > 0) return config.chatConcurrency
  return config.llmBaseUrl ? 32 : 4
}

export interface TurnGateOptions {
  /** Turns composed at once (≥ 1). */
  concurrency: number
  /** Turns allowed to wait; one more is refused with BUSY. 0: none wait. */
  queue: number
}

export class TurnGate {
  readonly #limit: LimitFunction
  readonly #queue: number
  /** Turns refused because the queue was full, since start. */
  refused = 0
  #refusals: Counter | undefined

  constructor(options: TurnGateOptions) {
    if (!Number.isInteger(options.concurrency) || options.concurrency < 1)
      throw new RangeError(`TurnGate: concurrency must be a positive integer, got ${options.concurrency}`)
    if (!Number.isInteger(options.queue) || options.queue < 0)
      throw new RangeError(`TurnGate: queue must be a non-negative integer, got ${options.queue}`)
    this.#limit = pLimit(options.concurrency)
    this.#queue = options.queue
  }

  get active(): number {
    return this.#limit.activeCount
  }

  get waiting(): number {
    return this.#limit.pendingCount
  }

  /** Whether a turn arriving now would be refused (every slot busy and the line full). */
  get full(): boolean {
    return this.#limit.activeCount >= this.#limit.concurrency && this.#limit.pendingCount >= this.#queue
  }

  /** Throws BUSY (and counts the refusal) when a turn arriving now would not fit in line. */
  admit(): void {
    if (!this.full) return
    this.refused++
    this.#refusals?.inc()
    throw new AppError('BUSY')
  }

  /** Runs `turn` when its place in line comes; BUSY at once when the line is full. */
  run<T>(turn: () => Promise<T>): Promise<T> {
    try {
      this.admit()
    } catch (e) {
      return Promise.reject(e)
    }
    return this.#limit(turn)
  }

  /** Resolves once no turn is composed or waiting (or after `timeoutMs`, to never hold a shutdown forever). */
  async idle(timeoutMs: number): Promise<boolean> {
    const until = Date.now() + timeoutMs
    while (this.active + this.waiting > 0) {
      if (Date.now() >= until) return false
      await new Promise((r) => setTimeout(r, 10))
    }
    return true
  }

  /** Gauges taxkb_chat_turns_active / _waiting (read at scrape time) and the counter taxkb_chat_turns_refused_total. */
  register(registry: Registry): void {
    const gate = this
    new Gauge({
      name: 'taxkb_chat_turns_active',
      help: 'Chat turns being composed now',
      registers: [registry],
      collect() {
        this.set(gate.active)
      },
    })
    new Gauge({
      name: 'taxkb_chat_turns_waiting',
      help: 'Chat turns waiting for their turn (arrival order)',
      registers: [registry],
      collect() {
        this.set(gate.waiting)
      },
    })
    this.#refusals = new Counter({
      name: 'taxkb_chat_turns_refused_total',
      help: 'Chat turns refused with BUSY because the line was full',
      registers: [registry],
    })
    this.#refusals.inc(this.refused)
  }
}
