/**
 * PassageVectors.queryVector: concurrent requests with the same new question share one model call (a burst
 * of clients asking it at once used to run the model once per client), a failed call is not cached, and
 * different questions still get their own vectors.
 */
import { describe, expect, it } from 'vitest'
import type { Embedder } from '../../services/search/embedder.js'
import { PassageVectors } from '../../services/search/passage-vectors.js'
import { VectorCache } from '../../services/search/vector-cache.js'

class CountingEmbedder implements Embedder {
  readonly name = 'counting'
  readonly modelId = 'counting-v1'
  readonly dimensions = 4
  calls: string[][] = []
  failNext = false

  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts)
    await new Promise((r) => setTimeout(r, 5)) // a model call takes time: others arrive meanwhile
    if (this.failNext) {
      this.failNext = false
      throw new Error('model failed')
    }
    return texts.map((t) => Float32Array.from([t.length, t.charCodeAt(0), 1, 0]))
  }

  async close(): Promise<void> {}
}

describe('PassageVectors.queryVector', () => {
  it('runs the model once for a burst of the same question, once per distinct question', async () => {
    const embedder = new CountingEmbedder()
    const vectors = new PassageVectors(embedder, new VectorCache(embedder.modelId, null))
    const burst = await Promise.all([
      ...Array.from({ length: 20 }, () => vectors.queryVector('买车购置税怎么算')),
      vectors.queryVector('车船税怎么交'),
    ])
    expect(embedder.calls).toEqual([['买车购置税怎么算'], ['车船税怎么交']])
    for (const v of burst.slice(0, 20)) expect([...v]).toEqual([8, '买'.charCodeAt(0), 1, 0])
    expect([...(burst[20] as Float32Array)]).toEqual([6, '车'.charCodeAt(0), 1, 0])
    // asked again later: from the LRU
    await vectors.queryVector('买车购置税怎么算')
    expect(embedder.calls.length).toBe(2)
  })

  it('rejects every waiter of a failed call and tries the model again on the next request', async () => {
    const embedder = new CountingEmbedder()
    const vectors = new PassageVectors(embedder, new VectorCache(embedder.modelId, null))
    embedder.failNext = true
    const results = await Promise.allSettled([vectors.queryVector('契税'), vectors.queryVector('契税')])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(embedder.calls.length).toBe(1)
    expect([...(await vectors.queryVector('契税'))]).toEqual([2, '契'.charCodeAt(0), 1, 0])
    expect(embedder.calls.length).toBe(2)
  })
})
