/**
 * Prometheus counters for tickets, registered once per registry: the composition root's registry
 * (services/shared/metrics.ts, served at GET /metrics), given explicitly, never prom-client's global one.
 * Labels carry no personal data: only type, action, kind, outcome.
 */
import client, { type Registry } from 'prom-client'

interface Counters {
  created: client.Counter<'type'>
  transitions: client.Counter<'action'>
  replies: client.Counter<'onTime'>
  notifications: client.Counter<'kind' | 'channel' | 'ok'>
}

const byRegistry = new WeakMap<Registry, Counters>()

function counter<L extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly L[],
): client.Counter<L> {
  const existing = registry.getSingleMetric(name)
  if (existing) return existing as client.Counter<L>
  return new client.Counter({ name, help, labelNames, registers: [registry] })
}

export function ticketCounters(registry: Registry): Counters {
  let counters = byRegistry.get(registry)
  if (counters) return counters
  counters = {
    created: counter(registry, 'taxkb_tickets_created_total', 'Tickets created (human handoffs), by type', ['type']),
    transitions: counter(registry, 'taxkb_ticket_transitions_total', 'Ticket workflow steps, by action', ['action']),
    replies: counter(registry, 'taxkb_ticket_replies_total', 'Agent replies, by whether the deadline was met', [
      'onTime',
    ]),
    notifications: counter(
      registry,
      'taxkb_ticket_notifications_total',
      'Taxpayer notifications, by kind, channel and success',
      ['kind', 'channel', 'ok'],
    ),
  }
  byRegistry.set(registry, counters)
  return counters
}
