/**
 * The short soak that runs with `npm test`: 20 concurrent multi-turn chat sessions for 5 s against the
 * real server (child process, 127.0.0.1) over the small fixture corpus: zero errors and a flat post-GC
 * heap (tolerance: eval/soak/soak.ts heapTolerance). The long one is `npm run soak` (100 × 60 s).
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runSoak } from '../../eval/soak/soak.js'
import { FIXTURES } from '../helpers/env.js'

describe('short soak (20 chat sessions × 5 s)', () => {
  it('answers every turn and keeps memory flat', async () => {
    const r = await runSoak({ sessions: 20, seconds: 5, corpusDir: path.join(FIXTURES, 'corpus') })
    console.log(
      `[soak] ${r.requests} turns, ${r.errors} errors, p50 ${r.p50Ms} ms, p99 ${r.p99Ms} ms, heap ${(r.mem25.heapUsed / 1048576).toFixed(1)} → ${(r.mem100.heapUsed / 1048576).toFixed(1)} MB (tolerance +${(r.heapTolerance / 1048576).toFixed(1)} MB)`,
    )
    expect(r.errorSamples).toEqual([])
    expect(r.errors).toBe(0)
    expect(r.requests).toBeGreaterThan(40)
    expect(r.heapGrowth).toBeLessThanOrEqual(r.heapTolerance)
  }, 120_000)
})
