import { describe, expect, it } from 'vitest'
import { l2Normalize, l2NormalizeInto } from '../../services/search/rank-fusion.js'
import { dequantize, quantize } from '../../services/search/vector-cache.js'

// Start-up normalises every passage vector with the allocation-free form; search results must not move by
// a single bit, so it is compared with l2Normalize exactly, not approximately.
function vectors(n: number, dims: number): Float32Array[] {
  let seed = 7
  const rnd = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31
    return (seed / 2 ** 31) * 2 - 1
  }
  return Array.from({ length: n }, () => Float32Array.from({ length: dims }, rnd))
}

describe('l2NormalizeInto', () => {
  it('writes exactly what l2Normalize returns, at an offset, leaving the rest alone', () => {
    for (const v of vectors(50, 64)) {
      const out = new Float32Array(64 * 3).fill(9)
      l2NormalizeInto(v, out, 64)
      expect([...out.subarray(64, 128)]).toEqual([...l2Normalize(v)])
      expect(out.subarray(0, 64).every((x) => x === 9) && out.subarray(128).every((x) => x === 9)).toBe(true)
    }
  })

  it('works in place and keeps a zero vector zero', () => {
    const [v] = vectors(1, 32) as [Float32Array]
    const expected = [...l2Normalize(v)]
    l2NormalizeInto(v, v)
    expect([...v]).toEqual(expected)
    const out = new Float32Array(8).fill(5)
    l2NormalizeInto(new Float32Array(4), out, 2)
    expect([...out]).toEqual([5, 5, 0, 0, 0, 0, 5, 5])
  })

  it('dequantize still returns the unit vector l2Normalize gives for the decoded row', () => {
    const vs = vectors(5, 16)
    const { codes, scales } = quantize(vs, 16)
    for (let r = 0; r < vs.length; r++) {
      const raw = Float32Array.from({ length: 16 }, (_, i) => (codes[r * 16 + i] as number) * (scales[r] as number))
      expect([...dequantize(codes, scales, 16, r)]).toEqual([...l2Normalize(raw)])
    }
  })
})
