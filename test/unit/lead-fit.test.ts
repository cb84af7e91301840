import { describe, expect, it } from 'vitest'
import { fitLead, type LeadRow, topRight } from '../../eval/lead-fit.js'

/** Two features: [lexical match, states a figure]. The right lead always states the figure, never matches best. */
function rows(n: number): LeadRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `q${i}`,
    // candidate 0 matches the question's words best, candidate 1 states the figure asked for
    x: [
      [0.9 + (i % 3) * 0.01, 0],
      [0.6, 1],
      [0.3, 0],
    ],
    y: [false, true, false],
  }))
}

describe('lead-weight fit (conditional logit)', () => {
  it('learns to weigh the feature that picks the right lead, pulled towards the starting weights', () => {
    const start = [1, 0]
    const data = rows(30)
    expect(data.filter((r) => topRight(start, r))).toHaveLength(0)
    const w = fitLead(data, start, { l2: 0.01, free: [true, true], steps: 400, lr: 0.05 })
    expect(w[1]).toBeGreaterThan(0.3)
    expect(data.filter((r) => topRight(w, r))).toHaveLength(30)
  })

  it('keeps a fixed weight where it was and ignores questions with no right lead among the candidates', () => {
    const data = [...rows(10), { id: 'none', x: [[1, 0]], y: [false] }]
    const w = fitLead(data, [1, 0], { l2: 0.01, free: [true, false], steps: 200, lr: 0.05 })
    expect(w[1]).toBe(0)
    // without the figure weight the match weight cannot make candidate 1 win: it only grows or shrinks
    expect(data.slice(0, 10).filter((r) => topRight(w, r))).toHaveLength(0)
  })

  it('a strong L2 pull keeps the weights near where they started', () => {
    const w = fitLead(rows(30), [1, 0], { l2: 1000, free: [true, true], steps: 200, lr: 0.05 })
    expect(Math.abs((w[0] as number) - 1)).toBeLessThan(0.05)
    expect(Math.abs(w[1] as number)).toBeLessThan(0.05)
  })
})
