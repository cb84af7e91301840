import { describe, expect, it } from 'vitest'
import {
  auc,
  backwardSelect,
  costCurve,
  crossValidated,
  type FitRow,
  fitLogistic,
  meanOperatingPoint,
  pickThreshold,
  predict,
} from '../../eval/logistic-fit.js'

// y depends on the first feature only; the second is noise on a much larger scale
const rows: FitRow[] = Array.from({ length: 60 }, (_, i) => {
  const signal = (i % 10) / 10
  return { x: [signal, ((i * 37) % 11) * 100], y: signal >= 0.5 ? 1 : 0, answerLine: i % 6 !== 0 }
})

describe('abstention fitting arithmetic', () => {
  it('learns the informative feature on its raw scale and ignores the noisy one', () => {
    const m = fitLogistic(rows, { lambda: 0.01, iterations: 3000 })
    expect(m.weights[0]).toBeGreaterThan(5)
    expect(Math.abs((m.weights[1] as number) * 100)).toBeLessThan(Math.abs(m.weights[0] as number) * 0.1)
    expect(predict(m, [0.9, 500])).toBeGreaterThan(0.9)
    expect(predict(m, [0.1, 500])).toBeLessThan(0.1)
  })

  it('weighting wrong answers more moves the probabilities down on the uncertain rows', () => {
    const noisy = rows.map((r, i) => (i % 7 === 0 ? { ...r, y: 1 - r.y } : r))
    const plain = fitLogistic(noisy)
    const cautious = fitLogistic(noisy, { negativeWeight: 4 })
    expect(predict(cautious, [0.5, 0])).toBeLessThan(predict(plain, [0.5, 0]))
  })

  it('counts wrong-confident, over-refused and right answers per threshold, and picks within the bound', () => {
    const few: FitRow[] = [
      { x: [], y: 1, answerLine: true },
      { x: [], y: 0, answerLine: true },
      { x: [], y: 0, answerLine: false },
      { x: [], y: 1, answerLine: true },
    ]
    const probs = [0.9, 0.6, 0.3, 0.55]
    const at = (t: number) => costCurve(few, probs, 4).find((c) => c.t === t)
    expect(at(0.5)).toMatchObject({ wrong: 1, over: 0, answeredRight: 2, rightAbstained: 0, cost: 4 })
    expect(at(0.7)).toMatchObject({ wrong: 0, over: 2, answeredRight: 1, rightAbstained: 1, cost: 2 })
    expect(at(0.2)).toMatchObject({ wrong: 2, over: 0, cost: 8 })
    const best = pickThreshold(costCurve(few, probs, 4), few.length, 0)
    expect(best.wrong).toBe(0)
    expect(best.t).toBeCloseTo(0.61)
  })

  it('scores held-out folds with models that never saw them', () => {
    const oof = crossValidated(rows, 5, { iterations: 500 })
    expect(oof).toHaveLength(rows.length)
    expect(
      auc(
        oof,
        rows.map((r) => r.y),
      ),
    ).toBeGreaterThan(0.9)
    // a label the features cannot predict: out-of-fold AUC stays near chance, in-sample would not
    const random = rows.map((r, i) => ({ ...r, y: (i * 7919) % 13 < 6 ? 1 : 0 }))
    expect(
      auc(
        crossValidated(random, 5, { iterations: 500 }),
        random.map((r) => r.y),
      ),
    ).toBeLessThan(0.75)
  })

  it('AUC: 1 for a perfect order, 0.5 for ties, 0 for the reverse', () => {
    expect(auc([0.9, 0.8, 0.2], [1, 1, 0])).toBe(1)
    expect(auc([0.5, 0.5], [1, 0])).toBe(0.5)
    expect(auc([0.1, 0.9], [1, 0])).toBe(0)
  })

  it('backward selection leaves out noise and constant features and keeps the signal', () => {
    // feature 0 carries the label (with a few flips), 1 and 2 are noise, 3 is constant
    const data: FitRow[] = Array.from({ length: 80 }, (_, i) => {
      const signal = ((i * 13) % 20) / 20
      const y = (signal >= 0.5 ? 1 : 0) ^ (i % 9 === 0 ? 1 : 0)
      return { x: [signal, ((i * 31) % 17) / 17, ((i * 7) % 5) / 5, 1], y, answerLine: true }
    })
    const r = backwardSelect(data, { repeats: 2, fit: { iterations: 400 } })
    expect(r.keep).toContain(0)
    expect(r.keep).not.toContain(3)
    expect(r.keep.length).toBeLessThan(3)
    expect(r.path.every((p) => p.dropped !== 0)).toBe(true)
  })

  it('operating point out of fold: many right answers for a separable label, few for a random one', () => {
    const separable = meanOperatingPoint(rows, 5, 2, 0.05, { iterations: 400 })
    const random = rows.map((r, i) => ({ ...r, y: (i * 7919) % 13 < 6 ? 1 : 0 }))
    expect(separable).toBeGreaterThan(20)
    expect(meanOperatingPoint(random, 5, 2, 0.05, { iterations: 400 })).toBeLessThan(separable / 2)
  })
})
