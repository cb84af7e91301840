/**
 * Fits the abstention model (services/answer/abstention.ts) on the DEV split only, never on test:
 * runs every dev `answer` / `abstain` line through the answering service, labels it 1 when the composed
 * reply would be right (an `answer` line whose reply states more than half of the key facts and cites an
 * expected entry) and 0 otherwise (an `abstain` line, or a wrong composition), fits an L2 logistic
 * regression, and picks the threshold that minimises wrong-confident + over-refused lines on dev.
 * Prints ABSTENTION_MODEL with the threshold folded into the bias, to paste into abstention.ts.
 *
 *   npx tsx eval/fit-abstention.ts
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { FEATURE_NAMES, type AnswerFeatures } from '../services/answer/abstention.js'
import { createContainer } from '../services/container.js'
import { loadConfig } from '../services/shared/config.js'
import { isExpected } from './expected-match.js'
import { factPresent } from './taxpayer-eval.js'
import { readTaxpayerSet } from './taxpayer-set.js'

const root = path.resolve(import.meta.dirname, '..')
const cases = readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl')).filter((c) => c.behaviour === 'answer' || c.behaviour === 'abstain')
const config = loadConfig()
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-fit-'))
if (fs.existsSync(config.dataDir)) fs.cpSync(config.dataDir, scratch, { recursive: true })
const ctx = await createContainer({ ...config, dataDir: scratch, logLevel: 'silent' })
const rows: { x: number[]; y: number; id: string; answerLine: boolean }[] = []
try {
  for (const c of cases) {
    let f: AnswerFeatures | null = null
    const r = await ctx.answer.ask({ message: c.question, region: c.region, channel: 'api' }, { onFeatures: (x) => (f = x) })
    if (!f) continue // FAQ direct, refusal or nothing retrieved: not decided by the model
    const feats = f as AnswerFeatures
    const facts = c.keyFacts.filter((k) => factPresent(r.answer, k)).length
    const right = c.behaviour === 'answer' && facts * 2 > c.keyFacts.length && r.citations.some((x) => isExpected(x.id, c.expectedIds))
    rows.push({ x: FEATURE_NAMES.map((k) => feats[k]), y: right ? 1 : 0, id: c.id, answerLine: c.behaviour === 'answer' })
  }
} finally {
  await ctx.close()
  fs.rmSync(scratch, { recursive: true, force: true })
}

// L2-regularised logistic regression by gradient descent (few features, a few hundred rows)
const d = FEATURE_NAMES.length
let w = new Array<number>(d).fill(0)
let b = 0
const sig = (z: number) => 1 / (1 + Math.exp(-z))
for (let it = 0; it < 20000; it++) {
  const gw = new Array<number>(d).fill(0)
  let gb = 0
  for (const r of rows) {
    const p = sig(b + r.x.reduce((s, v, i) => s + v * (w[i] as number), 0))
    const e = p - r.y
    for (let i = 0; i < d; i++) gw[i] = (gw[i] as number) + e * (r.x[i] as number)
    gb += e
  }
  w = w.map((wi, i) => wi - 0.5 * ((gw[i] as number) / rows.length + 0.001 * wi))
  b -= 0.5 * (gb / rows.length)
}
const prob = (x: number[]) => sig(b + x.reduce((s, v, i) => s + v * (w[i] as number), 0))
const curve: { t: number; cost: number; wrong: number; over: number }[] = []
for (let t = 0.05; t <= 0.95; t += 0.01) {
  // wrong-confident: answered while wrong; over-refusal: abstained on an answer line that was right
  const wrong = rows.filter((r) => prob(r.x) >= t && r.y === 0).length
  const over = rows.filter((r) => prob(r.x) < t && r.y === 1).length
  // a confident wrong answer costs twice a missed one: a taxpayer acts on it
  curve.push({ t, cost: 2 * wrong + over, wrong, over })
  if (process.argv.includes('--curve')) console.log(`t=${t.toFixed(2)} wrong-confident ${wrong} over-refused ${over}`)
}
// trustworthy first: the least cost; over-refusal is a failure too, so ties go to the threshold that answers most
const least = Math.min(...curve.map((c) => c.cost))
const best = curve.find((c) => c.cost === least) as (typeof curve)[number]
const bias = b - Math.log(best.t / (1 - best.t))
const weights = Object.fromEntries(FEATURE_NAMES.map((k, i) => [k, Math.round((w[i] as number) * 1000) / 1000]))
console.log(`dev rows ${rows.length} (right ${rows.filter((r) => r.y).length}); threshold ${best.t.toFixed(2)}: wrong-confident ${best.wrong}, over-refused ${best.over}`)
console.log(JSON.stringify({ weights, bias: Math.round(bias * 1000) / 1000 }))
