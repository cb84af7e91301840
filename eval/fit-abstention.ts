/**
 * Fits the abstention model (services/answer/abstention.ts) on the DEV split only, never on test:
 * runs every dev `answer` / `abstain` line through the answering service, labels it 1 when the composed
 * reply would be right (an `answer` line whose reply states more than half of the key facts and cites an
 * expected entry) and 0 otherwise (an `abstain` line, or a wrong composition), fits an L2 logistic
 * regression, and picks the threshold that minimises WRONG_COST × wrong-confident + over-refused lines on dev,
 * over-refusal counted as the eval counts it: every answer line not answered (default ratio 4, `--cost N`), among
 * the thresholds whose dev wrong-confident count is at most 5 % of the decided lines (`--max-wrong R`).
 * Prints ABSTENTION_MODEL with the threshold folded into the bias, to paste into abstention.ts.
 *
 *   npx tsx eval/fit-abstention.ts [--cost 4] [--curve]        (hybrid: ABSTENTION_MODEL)
 *   TAXKB_EMBEDDER=none npx tsx eval/fit-abstention.ts         (BM25 alone: ABSTENTION_MODEL_BM25)
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FEATURE_NAMES, type AnswerFeatures } from '../services/answer/abstention.js'
import { createContainer } from '../services/container.js'
import { loadConfig } from '../services/shared/config.js'
import { compositionRight } from './expected-match.js'
import { factPresent } from './taxpayer-eval.js'
import { readTaxpayerSet } from './taxpayer-set.js'

const root = path.resolve(import.meta.dirname, '..')
const cases = readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl')).filter(
  (c) => c.behaviour === 'answer' || c.behaviour === 'abstain',
)
const config = loadConfig()
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-fit-'))
if (fs.existsSync(config.dataDir)) fs.cpSync(config.dataDir, scratch, { recursive: true })
const ctx = await createContainer({ ...config, dataDir: scratch, logLevel: 'silent' })
const rows: { x: number[]; y: number; id: string; answerLine: boolean }[] = []
try {
  for (const c of cases) {
    let f: AnswerFeatures | null = null
    const r = await ctx.answer.ask(
      { message: c.question, region: c.region, channel: 'api' },
      { onFeatures: (x) => (f = x) },
    )
    if (!f) continue // FAQ direct, refusal or nothing retrieved: not decided by the model
    const feats = f as AnswerFeatures
    const right = c.behaviour === 'answer' && compositionRight(c, r, factPresent)
    rows.push({
      x: FEATURE_NAMES.map((k) => feats[k]),
      y: right ? 1 : 0,
      id: c.id,
      answerLine: c.behaviour === 'answer',
    })
  }
} finally {
  await ctx.close()
  fs.rmSync(scratch, { recursive: true, force: true })
}

// L2-regularised logistic regression by gradient descent on standardised features (the features live on very
// different scales — cosines in 0.4..0.8, coverages in 0..1 — and unscaled descent stops far from the optimum),
// folded back to raw-feature weights afterwards. λ = 0.1: a few hundred rows, so weights are kept small.
const d = FEATURE_NAMES.length
const mean = FEATURE_NAMES.map((_, i) => rows.reduce((s, r) => s + (r.x[i] as number), 0) / rows.length)
const sd = FEATURE_NAMES.map(
  (_, i) => Math.sqrt(rows.reduce((s, r) => s + ((r.x[i] as number) - (mean[i] as number)) ** 2, 0) / rows.length) || 1,
)
const z = rows.map((r) => r.x.map((v, i) => (v - (mean[i] as number)) / (sd[i] as number)))
let ws = new Array<number>(d).fill(0)
let bs = 0
const sig = (v: number) => 1 / (1 + Math.exp(-v))
for (let it = 0; it < 5000; it++) {
  const gw = new Array<number>(d).fill(0)
  let gb = 0
  rows.forEach((r, n) => {
    const x = z[n] as number[]
    const e = sig(bs + x.reduce((s, v, i) => s + v * (ws[i] as number), 0)) - r.y
    for (let i = 0; i < d; i++) gw[i] = (gw[i] as number) + e * (x[i] as number)
    gb += e
  })
  ws = ws.map((wi, i) => wi - 1.0 * ((gw[i] as number) / rows.length + 0.1 * wi))
  bs -= 1.0 * (gb / rows.length)
}
const w = ws.map((wi, i) => wi / (sd[i] as number))
const b = bs - w.reduce((s, wi, i) => s + wi * (mean[i] as number), 0)
const prob = (x: number[]) => sig(b + x.reduce((s, v, i) => s + v * (w[i] as number), 0))
// The cost counts what the eval counts. Answering: costs WRONG_COST when the reply is wrong (an abstain line, or a
// wrong composition). Abstaining: costs 1 on every answer line — whether or not the composition was right, the
// taxpayer asked something the corpus answers and got 不确定 (over-refusal) — and 0 on an abstain line.
const ratioArg = process.argv.indexOf('--cost')
const WRONG_COST = ratioArg > 0 ? Number(process.argv[ratioArg + 1]) : 4
const curve: { t: number; cost: number; wrong: number; over: number; answeredRight: number }[] = []
for (let t = 0.05; t <= 0.95; t += 0.01) {
  const wrong = rows.filter((r) => prob(r.x) >= t && r.y === 0).length
  const over = rows.filter((r) => prob(r.x) < t && r.answerLine).length
  const answeredRight = rows.filter((r) => prob(r.x) >= t && r.y === 1).length
  curve.push({ t, cost: WRONG_COST * wrong + over, wrong, over, answeredRight })
  if (process.argv.includes('--curve'))
    console.log(`t=${t.toFixed(2)} wrong-confident ${wrong} over-refused ${over} answered right ${answeredRight}`)
}
// The least cost among thresholds whose dev wrong-confident rate stays within the target (5 % of the decided
// lines, `--max-wrong R`): the cost alone may pick a point already over the bound on the set it was tuned on,
// and held-out sets do worse. Ties go to the lowest threshold (answers most).
const maxArg = process.argv.indexOf('--max-wrong')
const MAX_WRONG = maxArg > 0 ? Number(process.argv[maxArg + 1]) : 0.05
const allowed = curve.filter((c) => c.wrong <= MAX_WRONG * rows.length)
const pool = allowed.length > 0 ? allowed : curve
const least = Math.min(...pool.map((c) => c.cost))
const best = pool.find((c) => c.cost === least) as (typeof curve)[number]
const bias = b - Math.log(best.t / (1 - best.t))
const weights = Object.fromEntries(FEATURE_NAMES.map((k, i) => [k, Math.round((w[i] as number) * 1000) / 1000]))
console.log(
  `dev rows ${rows.length} (answer lines ${rows.filter((r) => r.answerLine).length}, right ${rows.filter((r) => r.y).length}); cost ratio ${WRONG_COST}:1, wrong-confident ≤ ${MAX_WRONG}; threshold ${best.t.toFixed(2)}: wrong-confident ${best.wrong}, over-refused ${best.over}, answered right ${best.answeredRight}`,
)
console.log(JSON.stringify({ weights, bias: Math.round(bias * 1000) / 1000 }))
