import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { l2Normalize, rrf, VectorIndex } from '../../services/search/rank-fusion.js'

const ids = (...xs: string[]) => xs.map((id) => ({ id }))

describe('rrf', () => {
  it('matches hand-computed scores (k = 60)', () => {
    // a: 1/61 + 1/62, b: 1/62 + 1/61 (tie: a seen first), c: 1/63, d: 1/63 (tie: c seen first)
    const fused = rrf([ids('a', 'b', 'c'), ids('b', 'a', 'd')])
    expect(fused.map((f) => f.id)).toEqual(['a', 'b', 'c', 'd'])
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62, 12)
    expect(fused[1]?.score).toBeCloseTo(1 / 62 + 1 / 61, 12)
    expect(fused[2]?.score).toBeCloseTo(1 / 63, 12)
    expect(fused[3]?.score).toBeCloseTo(1 / 63, 12)
  })

  it('rewards agreement: an id ranked 3rd in both lists beats one ranked 1st in only one', () => {
    const fused = rrf([ids('x', 'y', 'both'), ids('p', 'q', 'both')], 60)
    expect(fused[0]).toEqual({ id: 'both', score: 2 / 63 })
    expect(fused.find((f) => f.id === 'x')?.score).toBeCloseTo(1 / 61, 12)
  })

  it('uses the given k (k = 0 → 1/rank)', () => {
    expect(rrf([ids('a', 'b')], 0)).toEqual([
      { id: 'a', score: 1 },
      { id: 'b', score: 0.5 },
    ])
    const fused = rrf([ids('a', 'b'), ids('b')], 1)
    expect(fused).toEqual([
      { id: 'b', score: 1 / 3 + 1 / 2 },
      { id: 'a', score: 1 / 2 },
    ])
  })

  it('counts a duplicate inside one list once, at its best rank', () => {
    expect(rrf([ids('a', 'a', 'b')], 60)).toEqual([
      { id: 'a', score: 1 / 61 },
      { id: 'b', score: 1 / 63 },
    ])
  })

  it('handles empty input and empty lists', () => {
    expect(rrf([])).toEqual([])
    expect(rrf([[], ids('a')])).toEqual([{ id: 'a', score: 1 / 61 }])
  })

  it('rejects a negative k', () => {
    expect(() => rrf([ids('a')], -1)).toThrow(RangeError)
  })

  it('property: scores sum to Σ over lists of Σ 1/(k+r) for distinct ids, and order is by score', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uniqueArray(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f'), { maxLength: 6 }), { maxLength: 4 }),
        fc.integer({ min: 0, max: 100 }),
        (lists, k) => {
          const fused = rrf(
            lists.map((l) => ids(...l)),
            k,
          )
          const total = lists.reduce((s, l) => s + l.reduce((t, _, i) => t + 1 / (k + i + 1), 0), 0)
          expect(fused.reduce((s, f) => s + f.score, 0)).toBeCloseTo(total, 9)
          for (let i = 1; i < fused.length; i++)
            expect((fused[i - 1] as { score: number }).score).toBeGreaterThanOrEqual(
              (fused[i] as { score: number }).score,
            )
        },
      ),
    )
  })
})

describe('l2Normalize', () => {
  it('returns a unit vector and leaves zero vectors at zero', () => {
    expect(Array.from(l2Normalize([3, 4]))).toEqual([0.6000000238418579, 0.800000011920929])
    expect(Array.from(l2Normalize([0, 0, 0]))).toEqual([0, 0, 0])
  })
})

describe('VectorIndex', () => {
  const v = (...xs: number[]) => Float32Array.from(xs)

  function sample(): VectorIndex {
    const index = new VectorIndex(3)
    index.upsert('x', v(1, 0, 0))
    index.upsert('y', v(0, 1, 0))
    index.upsert('xy', v(1, 1, 0))
    index.upsert('z', v(0, 0, 5)) // magnitude does not matter: cosine
    index.upsert('-x', v(-1, 0, 0))
    return index
  }

  it('returns the top k by cosine, highest first', () => {
    const hits = sample().search(v(2, 1, 0), 3)
    expect(hits.map((h) => h.id)).toEqual(['xy', 'x', 'y'])
    expect(hits[0]?.score).toBeCloseTo(3 / (Math.sqrt(5) * Math.SQRT2), 6)
    expect(hits[1]?.score).toBeCloseTo(2 / Math.sqrt(5), 6)
    expect(hits[2]?.score).toBeCloseTo(1 / Math.sqrt(5), 6)
  })

  it('returns everything when k exceeds the size, and nothing for k = 0', () => {
    const hits = sample().search(v(1, 0, 0), 50)
    expect(hits.map((h) => h.id)).toEqual(['x', 'xy', 'y', 'z', '-x'])
    expect(hits.at(-1)?.score).toBeCloseTo(-1, 6)
    expect(sample().search(v(1, 0, 0), 0)).toEqual([])
  })

  it('applies the filter before choosing the top k', () => {
    const index = sample()
    expect(index.search(v(1, 0, 0), 2, (id) => !id.includes('x')).map((h) => h.id)).toEqual(['y', 'z'])
    expect(index.search(v(1, 0, 0), 2, () => false)).toEqual([])
  })

  it('upsert replaces, remove deletes (and keeps the other rows intact)', () => {
    const index = sample()
    index.upsert('x', v(0, 0, 1))
    expect(index.size).toBe(5)
    expect(index.search(v(0, 0, 1), 2).map((h) => h.id)).toEqual(['x', 'z'])
    expect(index.remove('y')).toBe(true)
    expect(index.remove('y')).toBe(false)
    expect(index.has('y')).toBe(false)
    expect(index.size).toBe(4)
    // '-x' was the last row and moved into y's slot
    expect(index.search(v(-1, 0, 0), 1)).toEqual([{ id: '-x', score: expect.closeTo(1, 6) }])
    expect(index.search(v(0, 1, 0), 10).map((h) => h.id)).not.toContain('y')
  })

  it('breaks score ties by id and scores a zero query 0', () => {
    const index = new VectorIndex()
    index.upsert('b', v(1, 0))
    index.upsert('a', v(2, 0))
    expect(index.dimensions).toBe(2)
    expect(index.search(v(1, 0), 2).map((h) => h.id)).toEqual(['a', 'b'])
    expect(index.search(v(0, 0), 2)).toEqual([
      { id: 'a', score: 0 },
      { id: 'b', score: 0 },
    ])
  })

  it('rejects vectors of the wrong size', () => {
    const index = new VectorIndex(3)
    expect(() => index.upsert('a', v(1, 2))).toThrow(/2 dimensions, index has 3/)
    index.upsert('a', v(1, 2, 3))
    expect(() => index.search(v(1), 1)).toThrow(/query has 1 dimensions/)
  })

  it('grows past its initial buffer and agrees with brute force (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 1, max: 10 }),
        (rows, query, k) => {
          const index = new VectorIndex(4)
          rows.forEach((r, i) => index.upsert(`d${i}`, Float32Array.from(r)))
          const q = l2Normalize(query)
          const brute = rows
            .map((r, i) => {
              const n = l2Normalize(r)
              return { id: `d${i}`, score: n.reduce((s, x, j) => s + x * (q[j] as number), 0) }
            })
            .sort((a, b) => b.score - a.score)
          const got = index.search(Float32Array.from(query), k)
          expect(got.length).toBe(Math.min(k, rows.length))
          got.forEach((h, i) => expect(h.score).toBeCloseTo((brute[i] as { score: number }).score, 4))
        },
      ),
    )
  })
})
