/**
 * Pure: fitting the lead-score weights (services/answer/direct-answer.ts HAND_SET_LEAD_WEIGHTS) as a conditional logit.
 * A question's candidates are passages with feature vectors; the score of a passage is w·x, the passage with the
 * highest score opens the reply, and the likelihood of a question is the softmax mass of its right leads.
 * Used by eval/fit-lead.ts.
 */

/** One question's candidates: features (in LEAD_FEATURES order) and whether each is a right lead. */
export interface LeadRow {
  id: string
  x: number[][]
  y: boolean[]
  /** Each candidate's source id and text (for reading the misses; not used by the fit). */
  ids?: string[]
  texts?: string[]
}

function scores(w: readonly number[], x: readonly number[][]): number[] {
  return x.map((f) => f.reduce((s, v, k) => s + v * (w[k] as number), 0))
}

/** Right lead at the top (ties broken by candidate order, as the product breaks them by source and position). */
export function topRight(w: readonly number[], r: LeadRow): boolean {
  const s = scores(w, r.x)
  let best = 0
  for (let i = 1; i < s.length; i++) if ((s[i] as number) > (s[best] as number)) best = i
  return r.y[best] === true
}

/** Conditional-logit fit by Adam on the mean log-likelihood minus l2·|w − w0|² / 2. */
export function fitLead(
  rows: readonly LeadRow[],
  w0: readonly number[],
  { l2, free, lr = 0.02, steps = 600 }: { l2: number; free: readonly boolean[]; lr?: number; steps?: number },
): number[] {
  const w = [...w0]
  const m = w.map(() => 0)
  const v = w.map(() => 0)
  const trainable = rows.filter((r) => r.y.some(Boolean) && !r.y.every(Boolean))
  for (let step = 1; step <= steps; step++) {
    const g = w.map((wk, k) => -l2 * (wk - (w0[k] as number)))
    for (const r of trainable) {
      const s = scores(w, r.x)
      const top = Math.max(...s)
      const e = s.map((z) => Math.exp(z - top))
      const all = e.reduce((a, b) => a + b, 0)
      const pos = e.reduce((a, b, i) => a + (r.y[i] ? b : 0), 0)
      for (let i = 0; i < s.length; i++) {
        const coef = (r.y[i] ? (e[i] as number) / pos : 0) - (e[i] as number) / all
        if (coef === 0) continue
        const f = r.x[i] as number[]
        for (let k = 0; k < w.length; k++) g[k] = (g[k] as number) + (coef * (f[k] as number)) / trainable.length
      }
    }
    for (let k = 0; k < w.length; k++) {
      if (!free[k]) continue
      const gk = g[k] as number
      m[k] = 0.9 * (m[k] as number) + 0.1 * gk
      v[k] = 0.999 * (v[k] as number) + 0.001 * gk * gk
      const mh = (m[k] as number) / (1 - 0.9 ** step)
      const vh = (v[k] as number) / (1 - 0.999 ** step)
      w[k] = (w[k] as number) + (lr * mh) / (Math.sqrt(vh) + 1e-8)
    }
  }
  return w
}
