/**
 * HTTP request counter and latency histogram for Prometheus (taxkb_http_requests_total,
 * taxkb_http_request_duration_seconds), labelled by method, route pattern (not the raw URL, so ids do
 * not explode the label set) and status code.
 */
import fp from 'fastify-plugin'
import { Counter, Histogram, type Registry } from 'prom-client'
import type { FastifyInstance } from 'fastify'

export default fp(
  async (app: FastifyInstance, opts: { registry: Registry }) => {
    const labelNames = ['method', 'route', 'status'] as const
    // Several apps may be built over one container (tests, restarts in one process): reuse its series.
    const requests =
      (opts.registry.getSingleMetric('taxkb_http_requests_total') as
        | Counter<(typeof labelNames)[number]>
        | undefined) ??
      new Counter({ name: 'taxkb_http_requests_total', help: 'HTTP requests', labelNames, registers: [opts.registry] })
    const existing = opts.registry.getSingleMetric('taxkb_http_request_duration_seconds')
    const duration =
      (existing as Histogram<(typeof labelNames)[number]> | undefined) ??
      new Histogram({
        name: 'taxkb_http_request_duration_seconds',
        help: 'HTTP request duration',
        labelNames,
        buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
        registers: [opts.registry],
      })
    app.addHook('onResponse', async (request, reply) => {
      const labels = {
        method: request.method,
        route: request.routeOptions.url ?? 'unmatched',
        status: String(reply.statusCode),
      }
      requests.inc(labels)
      duration.observe(labels, reply.elapsedTime / 1000)
    })
  },
  { name: 'http-metrics' },
)
