import { describe, expect, it } from 'vitest'
import { median, percentile, percentileSorted, summarize } from '../../eval/bench/percentiles.js'

describe('benchmark percentiles (nearest rank)', () => {
  const hundred = Array.from({ length: 100 }, (_, i) => i + 1) // 1..100

  it('returns an observed sample: the smallest with at least p% of samples at or below it', () => {
    expect(percentileSorted(hundred, 50)).toBe(50)
    expect(percentileSorted(hundred, 95)).toBe(95)
    expect(percentileSorted(hundred, 99)).toBe(99)
    expect(percentileSorted(hundred, 100)).toBe(100)
    expect(percentileSorted([10, 20, 30, 40], 50)).toBe(20)
    expect(percentileSorted([10, 20, 30, 40], 51)).toBe(30)
    expect(percentileSorted([7], 99)).toBe(7)
  })

  it('sorts unsorted samples and rejects out-of-range percentiles', () => {
    expect(percentile([5, 1, 4, 2, 3], 60)).toBe(3)
    expect(Number.isNaN(percentile([], 50))).toBe(true)
    expect(() => percentile([1], 0)).toThrow(RangeError)
    expect(() => percentile([1], 101)).toThrow(RangeError)
  })

  it('summarizes latencies', () => {
    const s = summarize([...hundred].reverse())
    expect(s).toEqual({ n: 100, meanMs: 50.5, p50Ms: 50, p95Ms: 95, p99Ms: 99, maxMs: 100 })
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 2, 3])).toBe(2.5)
  })
})
