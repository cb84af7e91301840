/**
 * Open-loop load: requests sent on a fixed schedule (`rate` per second, evenly spaced) over at most
 * `connections` keep-alive connections, whatever the server's latency. A closed-loop client (autocannon's
 * default: each connection sends its next request when the last is answered) measures saturation, where by
 * Little's law the mean latency is connections ÷ throughput — 50 clients at 800 turns/s wait 62 ms on
 * average however fast one turn is. Taxpayers do not wait for each other to ask: this measures the latency
 * of 50 concurrent clients at a given offered rate. autocannon's own rate option sends each connection's
 * quota at the start of every second (50 connections: bursts of the whole second's load), so it is not used.
 *
 * Latency is measured from the moment a request was due, not from when a connection was free to send it,
 * so time spent waiting for a connection (the server falling behind) counts ("coordinated omission").
 */
import http from 'node:http'

export interface PacedRequest {
  path: string
  body: string
}

export interface PacedResult {
  /** Latency of every answered request, ms from its scheduled time. */
  samples: number[]
  /** Requests that got a non-2xx status. */
  non2xx: number
  /** Requests that failed (connection error, timeout). */
  errors: number
  /** Answered requests per second over the run (= the offered rate when the server keeps up). */
  achievedPerSec: number
  /** Requests still queued for a free connection when the schedule ended (the server fell behind). */
  backlogAtEnd: number
}

export async function pacedLoad(opts: {
  url: string
  connections: number
  rate: number
  durationS: number
  next: () => PacedRequest
  timeoutMs?: number
}): Promise<PacedResult> {
  const base = new URL(opts.url)
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.connections })
  const timeoutMs = opts.timeoutMs ?? 30_000
  const samples: number[] = []
  let non2xx = 0
  let errors = 0
  let inFlight = 0
  const queue: { due: number; req: PacedRequest }[] = []
  const t0 = performance.now()
  const total = Math.max(1, Math.round(opts.rate * opts.durationS))
  const gapMs = 1000 / opts.rate
  let sent = 0
  let done!: () => void
  const finished = new Promise<void>((resolve) => (done = resolve))

  const send = (due: number, req: PacedRequest) => {
    inFlight++
    const r = http.request(
      {
        host: base.hostname,
        port: base.port,
        path: req.path,
        method: 'POST',
        agent,
        timeout: timeoutMs,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(req.body) },
      },
      (res) => {
        res.resume()
        res.on('end', () => {
          if ((res.statusCode ?? 0) >= 200 && (res.statusCode ?? 0) < 300) samples.push(performance.now() - due)
          else non2xx++
          settle()
        })
      },
    )
    r.on('timeout', () => r.destroy(new Error('timeout')))
    r.on('error', () => {
      errors++
      settle()
    })
    r.end(req.body)
  }
  const settle = () => {
    inFlight--
    const q = queue.shift()
    if (q) send(q.due, q.req)
    else if (sent === total && inFlight === 0) done()
  }
  let backlogAtEnd = 0
  // One timer per tick sends every request that is due by now (timers are coarse; the schedule is not).
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now()
      while (sent < total && t0 + sent * gapMs <= now) {
        const due = t0 + sent * gapMs
        const req = opts.next()
        sent++
        if (inFlight < opts.connections) send(due, req)
        else queue.push({ due, req })
      }
      if (sent < total) setTimeout(tick, Math.max(0, t0 + sent * gapMs - performance.now()))
      else {
        backlogAtEnd = queue.length
        resolve()
      }
    }
    tick()
  })
  if (inFlight > 0 || queue.length > 0) await finished
  const elapsedS = (performance.now() - t0) / 1000
  agent.destroy()
  return { samples, non2xx, errors, achievedPerSec: Math.round(samples.length / elapsedS), backlogAtEnd }
}
