/**
 * autocannon requests for `POST /api/chat` over a question list: one template whose body is the next question of a
 * cursor shared by every connection, so concurrent clients ask different questions. (A list of requests is walked by
 * each connection from its start, in step with the others: 50 clients then asked the same question at once, and the
 * in-flight sharing of its embedding made new questions look 2–3× cheaper than they are; autocannon also built every
 * connection's copy of a long list before sending, which showed as a 5 s p99 at the start of a run.)
 */
import type { BenchQuery } from './query-set.js'

/** The `POST /api/chat` request bodies of the questions, in order. */
export function chatBodies(qs: readonly BenchQuery[]): string[] {
  return qs.map((q) => JSON.stringify({ message: q.q, ...(q.region ? { region: q.region } : {}) }))
}

export function chatRequests(qs: readonly BenchQuery[]) {
  const bodies = chatBodies(qs)
  let cursor = 0
  return [
    {
      method: 'POST' as const,
      path: '/api/chat',
      headers: { 'content-type': 'application/json' },
      setupRequest: (req: object) => ({ ...req, body: bodies[cursor++ % bodies.length] }),
    },
  ]
}
