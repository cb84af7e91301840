/**
 * Prometheus counters for tickets. Registered once per process on prom-client's default registry
 * (the shared registry module `services/shared/metrics.ts` had not landed when this was written; if it
 * exposes another registry, pass it to `ticketCounters(registry)` once at startup). Labels carry no
 * personal data: only type, action, kind and outcome.
 */
import client, { type Registry } from 'prom-client'

interface Counters {
  created: client.Counter<'type'>
  transitions: client.Counter<'action'>
  replies: client.Counter<'onTime'>
  notifications: client.Counter<'kind' | 'channel' | 'ok'>
}

let counters: Counters | undefined

function counter<L extends string>(registry: Registry, name: string, help: string, labelNames: readonly L[]): client.Counter<L> {
  const existing = registry.getSingleMetric(name)
  if (existing) return existing as client.Counter<L>
  return new client.Counter({ name, help, labelNames, registers: [registry] })
}

export function ticketCounters(registry: Registry = client.register): Counters {
  counters ??= {
    created: counter(registry, 'taxkb_tickets_created_total', 'Tickets created (human handoffs), by type', ['type']),
    transitions: counter(registry, 'taxkb_ticket_transitions_total', 'Ticket workflow steps, by action', ['action']),
    replies: counter(registry, 'taxkb_ticket_replies_total', 'Agent replies, by whether the deadline was met', ['onTime']),
    notifications: counter(registry, 'taxkb_ticket_notifications_total', 'Taxpayer notifications, by kind, channel and success', ['kind', 'channel', 'ok']),
  }
  return counters
}
