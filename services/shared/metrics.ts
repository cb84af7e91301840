/**
 * Prometheus metrics (prom-client). One registry per container, so tests and several apps in one process
 * never collide. Services add their counters here, as fields of Metrics, and increment them through
 * ctx.metrics. Served at GET /metrics.
 */
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

export interface Metrics {
  registry: Registry
  /** Chat turns by mode and intent. */
  chats: Counter<'mode' | 'intent'>
  /** End-to-end answer latency in seconds, by mode. */
  chatLatency: Histogram<'mode'>
  /** LLM answers replaced by the extractive answer, by reason (citations, error, timeout). */
  llmFallbacks: Counter<'reason'>
  /** Tickets created from the chat, by type. */
  handoffs: Counter<'type'>
  /** Ratings by satisfaction (1..5 or none) and helpfulness. */
  ratings: Counter<'satisfaction' | 'helpful'>
  /** Guarded messages, by reason. */
  guarded: Counter<'reason'>
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry()
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry, prefix: 'taxkb_' })
  return {
    registry,
    chats: new Counter({
      name: 'taxkb_chat_turns_total',
      help: 'Chat turns answered, by mode and intent',
      labelNames: ['mode', 'intent'],
      registers: [registry],
    }),
    chatLatency: new Histogram({
      name: 'taxkb_chat_latency_seconds',
      help: 'Time to answer one chat message',
      labelNames: ['mode'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    llmFallbacks: new Counter({
      name: 'taxkb_llm_fallbacks_total',
      help: 'LLM answers replaced by the extractive answer',
      labelNames: ['reason'],
      registers: [registry],
    }),
    handoffs: new Counter({
      name: 'taxkb_chat_handoffs_total',
      help: 'Tickets created from the chat, by type',
      labelNames: ['type'],
      registers: [registry],
    }),
    ratings: new Counter({
      name: 'taxkb_chat_ratings_total',
      help: 'Answer ratings',
      labelNames: ['satisfaction', 'helpful'],
      registers: [registry],
    }),
    guarded: new Counter({
      name: 'taxkb_chat_guarded_total',
      help: 'Messages refused by the guard, by reason',
      labelNames: ['reason'],
      registers: [registry],
    }),
  }
}
