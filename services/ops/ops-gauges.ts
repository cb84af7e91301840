/**
 * Prometheus gauges read at scrape time for the Grafana dashboard (ops/grafana/taxkb.json): open tickets
 * past their deadline (one indexed count on tickets by state and deadline), entries in the search index,
 * and whether the chat model and the embedder are on. Nothing is cached: a scrape asks the store and the
 * index once each (scrapes are every 15–60 s, the queries are index look-ups).
 */
import { Gauge, type Registry } from 'prom-client'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'

const OPEN_STATES = ['new', 'assigned', 'transferred', 'extended', 'reopened']

export interface OpsGaugeSources {
  store: Store
  clock: Clock
  /** Entries in the search index. */
  indexSize(): Promise<number>
  chatModel: string
  embedder: string
}

export function registerOpsGauges(registry: Registry, s: OpsGaugeSources): void {
  new Gauge({
    name: 'taxkb_tickets_overdue',
    help: 'Open tickets (not answered, not closed) past their deadline',
    registers: [registry],
    async collect() {
      const where = { state: OPEN_STATES, answeredAt: null }
      const range = { field: 'dueAt', lt: s.clock.now().toISOString() }
      this.set(await s.store.collection('tickets').count({ where, range }))
    },
  })
  new Gauge({
    name: 'taxkb_index_entries',
    help: 'Entries in the search index',
    registers: [registry],
    async collect() {
      this.set(await s.indexSize().catch(() => 0))
    },
  })
  // 1 when on; labelled with the implementation so a dashboard shows which one.
  const on = (name: string): number => (name === 'none' ? 0 : 1)
  new Gauge({
    name: 'taxkb_chat_model_enabled',
    help: 'Chat model (LLM) on (1) or off (0)',
    labelNames: ['model'],
    registers: [registry],
  }).set({ model: s.chatModel }, on(s.chatModel))
  new Gauge({
    name: 'taxkb_embedder_enabled',
    help: 'Embedder on (1) or off (0)',
    labelNames: ['embedder'],
    registers: [registry],
  }).set({ embedder: s.embedder }, on(s.embedder))
}
