/**
 * Pure: the abstention model's fitting arithmetic (eval/fit-abstention.ts does the I/O). An L2-regularised
 * logistic regression by gradient descent on standardised features, folded back to raw-feature weights; the
 * cost curve over decision thresholds; and k-fold out-of-fold probabilities, so the curve can be read on rows
 * the model was not fitted on (a few hundred rows and ~20 features: the in-sample curve flatters the model).
 */

export interface FitRow {
  x: number[]
  /** 1: the composed reply is right; 0: it is wrong (or the line is not answerable from the corpus). */
  y: number
  /** The line is answerable: abstaining on it counts as over-refusal. */
  answerLine: boolean
}

export interface LogisticModel {
  weights: number[]
  bias: number
}

export interface FitOptions {
  /** L2 penalty on the standardised weights. */
  lambda?: number
  iterations?: number
  /** Weight of a y = 0 row in the loss (a wrong answer costs more than a missed one). */
  negativeWeight?: number
}

const sigmoid = (v: number) => 1 / (1 + Math.exp(-v))

export function predict(model: LogisticModel, x: readonly number[]): number {
  let z = model.bias
  for (let i = 0; i < x.length; i++) z += (model.weights[i] ?? 0) * (x[i] as number)
  return sigmoid(z)
}

export function fitLogistic(rows: readonly FitRow[], options: FitOptions = {}): LogisticModel {
  const lambda = options.lambda ?? 0.1
  const iterations = options.iterations ?? 5000
  const negative = options.negativeWeight ?? 1
  const d = rows[0]?.x.length ?? 0
  if (rows.length === 0) return { weights: [], bias: 0 }
  // standardised: the features live on very different scales (cosines in 0.4..0.8, coverages in 0..1) and
  // unscaled descent stops far from the optimum
  const mean = Array.from({ length: d }, (_, i) => rows.reduce((s, r) => s + (r.x[i] as number), 0) / rows.length)
  const sd = mean.map(
    (m, i) => Math.sqrt(rows.reduce((s, r) => s + ((r.x[i] as number) - m) ** 2, 0) / rows.length) || 1,
  )
  const z = rows.map((r) => r.x.map((v, i) => (v - (mean[i] as number)) / (sd[i] as number)))
  const rowWeight = rows.map((r) => (r.y === 0 ? negative : 1))
  const total = rowWeight.reduce((s, w) => s + w, 0)
  let ws = new Array<number>(d).fill(0)
  let bs = 0
  for (let it = 0; it < iterations; it++) {
    const gw = new Array<number>(d).fill(0)
    let gb = 0
    rows.forEach((r, n) => {
      const x = z[n] as number[]
      let dot = bs
      for (let i = 0; i < d; i++) dot += (x[i] as number) * (ws[i] as number)
      const e = (sigmoid(dot) - r.y) * (rowWeight[n] as number)
      for (let i = 0; i < d; i++) gw[i] = (gw[i] as number) + e * (x[i] as number)
      gb += e
    })
    ws = ws.map((wi, i) => wi - ((gw[i] as number) / total + lambda * wi))
    bs -= gb / total
  }
  const weights = ws.map((wi, i) => wi / (sd[i] as number))
  const bias = bs - weights.reduce((s, wi, i) => s + wi * (mean[i] as number), 0)
  return { weights, bias }
}

export interface CurvePoint {
  t: number
  cost: number
  /** Answered although the reply is wrong (or the corpus lacks the rule). */
  wrong: number
  /** Answer lines not answered (right composition or not: the taxpayer got 不确定). */
  over: number
  answeredRight: number
  /** Right compositions abstained on. */
  rightAbstained: number
}

/** Cost = wrongCost × wrong-confident + answer lines not answered, for thresholds 0.05 … 0.95 by 0.01. */
export function costCurve(rows: readonly FitRow[], probs: readonly number[], wrongCost: number): CurvePoint[] {
  const out: CurvePoint[] = []
  for (let k = 5; k <= 95; k++) {
    const t = k / 100
    let wrong = 0
    let over = 0
    let answeredRight = 0
    let rightAbstained = 0
    rows.forEach((r, i) => {
      const answered = (probs[i] as number) >= t
      if (answered && r.y === 0) wrong++
      if (answered && r.y === 1) answeredRight++
      if (!answered && r.answerLine) over++
      if (!answered && r.y === 1) rightAbstained++
    })
    out.push({ t, cost: wrongCost * wrong + over, wrong, over, answeredRight, rightAbstained })
  }
  return out
}

/**
 * The least-cost threshold among those whose wrong-confident count stays within maxWrong × rows (all of them
 * when none does); ties go to the lowest threshold (answers most).
 */
export function pickThreshold(curve: readonly CurvePoint[], rows: number, maxWrong: number): CurvePoint {
  const allowed = curve.filter((c) => c.wrong <= maxWrong * rows)
  const pool = allowed.length > 0 ? allowed : curve
  const least = Math.min(...pool.map((c) => c.cost))
  return pool.find((c) => c.cost === least) as CurvePoint
}

/**
 * Out-of-fold probabilities: row i is scored by a model fitted without its fold. Folds by position mod k after a
 * deterministic shuffle (`seed` 0: no shuffle), so several seeds average out the luck of one split.
 */
export function crossValidated(rows: readonly FitRow[], k: number, options: FitOptions = {}, seed = 0): number[] {
  const foldOf = new Array<number>(rows.length).fill(0)
  const order = shuffled(rows.length, seed)
  order.forEach((row, pos) => {
    foldOf[row] = pos % k
  })
  const probs = new Array<number>(rows.length).fill(0)
  for (let fold = 0; fold < k; fold++) {
    const train = rows.filter((_, i) => foldOf[i] !== fold)
    const model = fitLogistic(train, options)
    rows.forEach((r, i) => {
      if (foldOf[i] === fold) probs[i] = predict(model, r.x)
    })
  }
  return probs
}

/** 0..n-1, Fisher–Yates shuffled by a small linear congruential generator (seed 0: identity). */
function shuffled(n: number, seed: number): number[] {
  const out = Array.from({ length: n }, (_, i) => i)
  if (seed === 0) return out
  let state = seed >>> 0
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state / 2 ** 32
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1))
    ;[out[i], out[j]] = [out[j] as number, out[i] as number]
  }
  return out
}

/** Area under the ROC curve of one score for the label (ties count ½): how well it separates right from wrong. */
export function auc(scores: readonly number[], labels: readonly number[]): number {
  let pairs = 0
  let wins = 0
  scores.forEach((s, i) => {
    if (labels[i] !== 1) return
    scores.forEach((o, j) => {
      if (labels[j] !== 0) return
      pairs++
      wins += s > o ? 1 : s === o ? 0.5 : 0
    })
  })
  return pairs === 0 ? 0.5 : wins / pairs
}

/** Mean out-of-fold AUC over several shuffled k-fold splits (seeds 1..repeats). */
export function meanCvAuc(rows: readonly FitRow[], k: number, repeats: number, options: FitOptions = {}): number {
  const labels = rows.map((r) => r.y)
  let sum = 0
  for (let seed = 1; seed <= repeats; seed++) sum += auc(crossValidated(rows, k, options, seed), labels)
  return sum / repeats
}

/**
 * Backward elimination: repeatedly leave out the feature whose removal gives the best mean out-of-fold AUC, while
 * that stays within `tolerance` of the best seen. Returns the indices kept and the path. With a few hundred rows
 * a feature that does not help out of fold only adds variance; the path is printed so the choice can be read.
 */
export function backwardSelect(
  rows: readonly FitRow[],
  options: { folds?: number; repeats?: number; tolerance?: number; fit?: FitOptions; minKeep?: number } = {},
): { keep: number[]; path: { dropped: number; auc: number }[]; start: number } {
  const folds = options.folds ?? 5
  const repeats = options.repeats ?? 6
  const tolerance = options.tolerance ?? 0.002
  const fit = options.fit ?? { iterations: 2000 }
  const d = rows[0]?.x.length ?? 0
  const score = (keep: readonly number[]) =>
    meanCvAuc(
      rows.map((r) => ({ ...r, x: keep.map((i) => r.x[i] as number) })),
      folds,
      repeats,
      fit,
    )
  // features constant over the rows carry nothing (a dense feature without dense retrieval)
  let keep = Array.from({ length: d }, (_, i) => i).filter((i) => new Set(rows.map((r) => r.x[i])).size > 1)
  const start = score(keep)
  let best = start
  const path: { dropped: number; auc: number }[] = []
  while (keep.length > (options.minKeep ?? 1)) {
    let cand: { i: number; auc: number } | null = null
    for (const i of keep) {
      const a = score(keep.filter((x) => x !== i))
      if (!cand || a > cand.auc) cand = { i, auc: a }
    }
    if (!cand || cand.auc < best - tolerance) break
    const dropped = cand.i
    keep = keep.filter((x) => x !== dropped)
    best = Math.max(best, cand.auc)
    path.push({ dropped, auc: cand.auc })
  }
  return { keep, path, start }
}

/**
 * The operating point out of fold: right compositions answered at the best threshold whose out-of-fold
 * wrong-confident count stays within maxWrong × rows, averaged over shuffled k-fold splits (seeds 1..repeats).
 * What the threshold buys on questions the model was not fitted on, where AUC averages over all thresholds.
 */
export function meanOperatingPoint(
  rows: readonly FitRow[],
  k: number,
  repeats: number,
  maxWrong: number,
  options: FitOptions = {},
): number {
  let sum = 0
  for (let seed = 1; seed <= repeats; seed++) {
    const curve = costCurve(rows, crossValidated(rows, k, options, seed), 1)
    const ok = curve.filter((c) => c.wrong <= maxWrong * rows.length)
    sum += ok.length > 0 ? Math.max(...ok.map((c) => c.answeredRight)) : 0
  }
  return sum / repeats
}
