/**
 * The Embedder contract: every implementation that produces vectors (local transformers.js, the
 * OpenAI-compatible HTTP one) passes these unchanged; `none` passes the base part.
 */
import { describe, expect, it } from 'vitest'
import type { Embedder } from '../../services/search/embedder.js'

const TEXTS = ['增值税', '个人所得税专项附加扣除', '小规模纳税人免征增值税', '契税']
const norm = (v: Float32Array) => Math.sqrt(v.reduce((s, x) => s + x * x, 0))
const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, i) => s + x * (b[i] ?? 0), 0)

/** What every implementation, `none` included, promises (its refusal of texts is unit-tested). */
export function embedderBaseContract(name: string, open: () => Promise<Embedder>): void {
  describe(`Embedder contract (all): ${name}`, () => {
    it('embeds nothing for no texts, and has a name', async () => {
      const e = await open()
      await expect(e.embed([])).resolves.toEqual([])
      expect(typeof e.name).toBe('string')
      expect(e.name).not.toBe('')
    })
  })
}

/** What every implementation that produces vectors promises. */
export function embedderContract(name: string, open: () => Promise<Embedder>): void {
  embedderBaseContract(name, open)
  describe(`Embedder contract: ${name}`, () => {
    it('returns one unit-length vector per text, in input order, of the advertised size', async () => {
      const e = await open()
      const vectors = await e.embed(TEXTS)
      expect(vectors).toHaveLength(TEXTS.length)
      for (const v of vectors) {
        expect(v).toBeInstanceOf(Float32Array)
        expect(v.length).toBe(e.dimensions)
        expect(norm(v)).toBeCloseTo(1, 4)
      }
      // Order: embedding the texts one by one gives the same vectors at the same positions.
      for (const [i, text] of TEXTS.entries()) {
        const [alone] = await e.embed([text])
        expect(dot(alone as Float32Array, vectors[i] as Float32Array)).toBeCloseTo(1, 4)
      }
    })

    it('is deterministic and tells different texts apart', async () => {
      const e = await open()
      const [a1, b] = await e.embed(['小规模纳税人免征增值税', '个人所得税专项附加扣除'])
      const [a2] = await e.embed(['小规模纳税人免征增值税'])
      expect(Array.from(a2 as Float32Array)).toEqual(Array.from(a1 as Float32Array).map((x) => expect.closeTo(x, 5)))
      expect(dot(a1 as Float32Array, b as Float32Array)).toBeLessThan(0.999)
    })

    it('keeps order across batches (more texts than one batch)', async () => {
      const e = await open()
      const many = Array.from({ length: 70 }, (_, i) => `第${i}条 ${TEXTS[i % TEXTS.length]}`)
      const vectors = await e.embed(many)
      expect(vectors).toHaveLength(70)
      const [last] = await e.embed([many[69] as string])
      expect(dot(last as Float32Array, vectors[69] as Float32Array)).toBeCloseTo(1, 4)
    })
  })
}
