/**
 * ops/grafana/taxkb.json only charts metrics that GET /metrics really exposes: every metric name in every
 * panel's PromQL (histogram series suffixes _bucket/_sum/_count mapped to their histogram) must have a
 * `# TYPE` line in the exposition after a little traffic, and the gauges read at scrape time hold values.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import { build } from '../../services/api/app.js'
import type { Container } from '../../services/container.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import { containerWithCorpus, staffAuth } from '../helpers/env.js'

interface Panel {
  title: string
  targets: { expr: string }[]
}
const dashboard = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'ops', 'grafana', 'taxkb.json'), 'utf8')) as {
  panels: Panel[]
}

let ctx: Container
let app: FastifyInstance
let exposition = ''

beforeAll(async () => {
  ctx = await containerWithCorpus()
  app = await build(ctx.config, { container: ctx, logger: false })
  // One overdue ticket (created two weeks before "now") and some traffic.
  const clock = ctx.clock as unknown as { set(v: string): void }
  clock.set('2026-11-02T02:00:00Z')
  await ctx.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '超期的问题' })
  clock.set('2026-11-25T02:00:00Z')
  await app.inject({ method: 'GET', url: '/healthz' })
  const auth = await staffAuth(ctx, 'root', 'admin', null)
  const res = await app.inject({ method: 'GET', url: '/metrics', headers: auth })
  expect(res.statusCode).toBe(200)
  exposition = res.body
})
afterAll(async () => {
  await app.close()
  await ctx.close()
})

const exposed = (): Set<string> => new Set([...exposition.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1] as string))

describe('ops/grafana/taxkb.json', () => {
  it('has panels for request rates, latency, handoffs, overdue tickets, index size and model on/off', () => {
    const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)).join('\n')
    for (const name of [
      'taxkb_http_requests_total',
      'taxkb_http_request_duration_seconds_bucket',
      'taxkb_chat_handoffs_total',
      'taxkb_tickets_overdue',
      'taxkb_index_entries',
      'taxkb_chat_model_enabled',
    ]) {
      expect(exprs).toContain(name)
    }
  })

  it('every metric a panel queries exists in /metrics', () => {
    const have = exposed()
    const missing: string[] = []
    for (const p of dashboard.panels) {
      for (const t of p.targets) {
        for (const [name] of t.expr.matchAll(/\btaxkb_[a-z0-9_]+/g)) {
          const base = name.replace(/_(bucket|sum|count)$/, '')
          if (!have.has(name) && !have.has(base)) missing.push(`${p.title}: ${name}`)
        }
      }
    }
    expect(missing).toEqual([])
  })

  it('the scrape-time gauges carry the real values', () => {
    expect(exposition).toMatch(/^taxkb_tickets_overdue 1$/m)
    const entries = Number(/^taxkb_index_entries (\d+)$/m.exec(exposition)?.[1])
    expect(entries).toBeGreaterThan(0)
    expect(exposition).toMatch(/^taxkb_chat_model_enabled\{model="none"\} 0$/m)
    expect(exposition).toMatch(/^taxkb_http_requests_total\{method="GET",route="\/healthz",status="200"\} 1$/m)
  })
})
