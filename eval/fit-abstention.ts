/**
 * Fits the abstention model (services/answer/abstention.ts) on the DEV split only, never on test:
 * runs every dev `answer` / `abstain` line through the answering service, labels it 1 when the composed
 * reply would be right (an `answer` line whose reply states more than half of the key facts and cites an
 * expected entry) and 0 otherwise (an `abstain` line, or a wrong composition), fits an L2 logistic
 * regression (eval/logistic-fit.ts), and picks the threshold that minimises WRONG_COST × wrong-confident +
 * over-refused lines on dev, over-refusal counted as the eval counts it: every answer line not answered (default
 * ratio 4, `--cost N`), among the thresholds whose dev wrong-confident count is at most 5 % of the decided lines
 * (`--max-wrong R`). Prints ABSTENTION_MODEL with the threshold folded into the bias, to paste into abstention.ts.
 *
 *   npx tsx eval/fit-abstention.ts [--cost 4] [--curve] [--cv 5] [--auc] [--dump FILE]
 *   TAXKB_EMBEDDER=none npx tsx eval/fit-abstention.ts         (BM25 alone: ABSTENTION_MODEL_BM25)
 *
 * `--cv K`: also the curve of K-fold out-of-fold probabilities (each row scored by a model fitted without it),
 * the fairer estimate of how the threshold behaves on questions it was not fitted on. `--auc`: each feature's
 * AUC alone. `--dump FILE`: one JSON line per row (id, label and whether a judge or the automatic rule gave it, features, reply, its hash) for reading the misses
 * and for finding the replies no judge has labelled yet.
 * `--labels FILE[,FILE…]`: a judge's verdicts on the dev replies sent confidently (eval/RUBRIC.md format, e.g.
 * eval/judgements/2026-12-01-dev-confident.jsonl, made from `TAXKB_CONFIDENCE_THRESHOLD=0.001 taxkb eval --split dev
 * --dump-answers`): a row whose reply hash, produced the same way, has a verdict is labelled 1 for good/partial and 0
 * otherwise; rows without one keep the automatic label (counted in the output). The script then composes every reply
 * with abstention off itself, so the hashes match.
 * `--oof-cap` (with --cv): only thresholds whose out-of-fold wrong-confident count is within the cap as well.
 * `--drop a,b`: fit without those features (ablation); `--keep a,b`: fit on those features only. `--select`: backward elimination by mean out-of-fold AUC
 * (eval/logistic-fit.ts backwardSelect), then the fit on the features kept; the path is printed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { FEATURE_NAMES, type AnswerFeatures } from '../services/answer/abstention.js'
import { loadConfig } from '../services/shared/config.js'
import { compositionRight } from './expected-match.js'
import {
  auc,
  backwardSelect,
  costCurve,
  crossValidated,
  type CurvePoint,
  type FitRow,
  fitLogistic,
  meanOperatingPoint,
  pickThreshold,
  predict,
} from './logistic-fit.js'
import { answerHashOf, factPresent, parseJudgements } from './taxpayer-eval.js'
import { withScratchContainer } from './scratch-container.js'
import { readTaxpayerSet } from './taxpayer-set.js'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const root = path.resolve(import.meta.dirname, '..')
const cases = readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl')).filter(
  (c) => c.behaviour === 'answer' || c.behaviour === 'abstain',
)
const keepOnly = (arg('--keep') ?? '').split(',').filter(Boolean)
const dropped = new Set([
  ...(arg('--drop') ?? '').split(',').filter(Boolean),
  ...(keepOnly.length > 0 ? FEATURE_NAMES.filter((k) => !keepOnly.includes(k)) : []),
])
/** One or more judgement files, comma-separated (the labellers of each batch write their own). */
const labelsFile = arg('--labels')
/** id → answerHash → label, from a judge's verdicts. */
const judged = new Map<string, Map<string, number>>()
for (const file of (labelsFile ?? '').split(',').filter(Boolean))
  for (const j of parseJudgements(fs.readFileSync(file, 'utf8'), file)) {
    const m = judged.get(j.id) ?? new Map<string, number>()
    m.set(j.answerHash, j.verdict === 'good' || j.verdict === 'partial' ? 1 : 0)
    judged.set(j.id, m)
  }
const labelled = { judge: 0, automatic: 0 }
// with a judge's labels the replies are composed with abstention off, as the judge read them
const config = labelsFile ? { ...loadConfig(), confidenceThreshold: 0.001 } : loadConfig()
const rows: (FitRow & {
  id: string
  question: string
  reply: string
  cited: string[]
  /** Where the label came from: a judge's verdict on this exact reply, or the automatic key-fact rule. */
  label: 'judge' | 'automatic'
  answerHash: string
})[] = []
const forcedRows = { answer: 0, abstain: 0 }
await withScratchContainer(config, 'taxkb-fit-', async (ctx) => {
  for (const c of cases) {
    let f: AnswerFeatures | null = null
    let forced: 'answer' | 'abstain' | null = null
    const r = await ctx.answer.ask(
      { message: c.question, region: c.region, channel: 'api' },
      {
        onFeatures: (x, rule) => {
          f = x
          forced = rule
        },
      },
    )
    if (!f) continue // FAQ direct, refusal or nothing retrieved: not decided by the model
    // an estimate always answers and an uncovered time-sensitive question always abstains: not the model's call
    if (forced) {
      forcedRows[forced as 'answer' | 'abstain']++
      continue
    }
    const feats = f as AnswerFeatures
    const answerHash = answerHashOf(r.answer)
    const verdict = judged.get(c.id)?.get(answerHash)
    if (verdict === undefined) labelled.automatic++
    else labelled.judge++
    const right =
      verdict !== undefined ? verdict === 1 : c.behaviour === 'answer' && compositionRight(c, r, factPresent)
    rows.push({
      x: FEATURE_NAMES.map((k) => feats[k]),
      y: right ? 1 : 0,
      answerLine: c.behaviour === 'answer',
      id: c.id,
      question: c.question,
      reply: r.answer,
      cited: r.citations.map((x) => x.id),
      label: verdict === undefined ? 'automatic' : 'judge',
      answerHash,
    })
  }
})

// the features as measured, before --select / --drop hold some at 0 (the dump shows these)
const measured = rows.map((r) => [...r.x])
// a dropped feature is held at 0: its standardised value is constant and its weight stays 0
for (const r of rows) r.x = r.x.map((v, i) => (dropped.has(FEATURE_NAMES[i] as string) ? 0 : v))
if (process.argv.includes('--select')) {
  const { keep, path, start } = backwardSelect(rows)
  console.log(`select: all ${start.toFixed(3)}`)
  for (const p of path) console.log(`select: leave out ${FEATURE_NAMES[p.dropped]} -> ${p.auc.toFixed(3)}`)
  console.log(`select: keep ${keep.map((i) => FEATURE_NAMES[i]).join(',')}`)
  for (const r of rows) r.x = r.x.map((v, i) => (keep.includes(i) ? v : 0))
}
const WRONG_COST = Number(arg('--cost') ?? 4)
const MAX_WRONG = Number(arg('--max-wrong') ?? 0.05)
const model = fitLogistic(rows)
const probs = rows.map((r) => predict(model, r.x))
const curve = costCurve(rows, probs, WRONG_COST)
const show = (c: CurvePoint) =>
  `t=${c.t.toFixed(2)} wrong-confident ${c.wrong} over-refused ${c.over} answered right ${c.answeredRight}` +
  ` (right abstained ${c.rightAbstained})`
if (process.argv.includes('--curve')) for (const c of curve) console.log(show(c))
if (process.argv.includes('--auc')) {
  const labels = rows.map((r) => r.y)
  const byFeature = FEATURE_NAMES.map(
    (k, i) =>
      [
        k,
        auc(
          rows.map((r) => r.x[i] as number),
          labels,
        ),
      ] as const,
  )
  for (const [k, a] of byFeature.sort((a, b) => Math.abs(b[1] - 0.5) - Math.abs(a[1] - 0.5)))
    console.log(`auc ${a.toFixed(3)} ${k}`)
  console.log(`auc ${auc(probs, labels).toFixed(3)} (model, in sample)`)
}
const folds = Number(arg('--cv') ?? 0)
/** The out-of-fold curve (with --cv): `--oof-cap` keeps only thresholds where it too stays within the cap. */
let oofCurve: CurvePoint[] | null = null
if (folds > 1) {
  const labels = rows.map((r) => r.y)
  const oof = crossValidated(rows, folds)
  const seeds = [1, 2, 3, 4, 5].map((seed) => auc(crossValidated(rows, folds, {}, seed), labels))
  const meanAuc = seeds.reduce((s, a) => s + a, 0) / seeds.length
  console.log(
    `${folds}-fold out-of-fold AUC ${auc(oof, labels).toFixed(3)}; over 5 shuffled splits ${meanAuc.toFixed(3)}` +
      ` (${Math.min(...seeds).toFixed(3)}–${Math.max(...seeds).toFixed(3)})`,
  )
  const op = meanOperatingPoint(rows, folds, 6, MAX_WRONG)
  console.log(`out of fold, right compositions answered at wrong-confident ≤ ${MAX_WRONG}: ${op.toFixed(1)} (6 splits)`)
  const cvCurve = costCurve(rows, oof, WRONG_COST)
  oofCurve = cvCurve
  for (const c of cvCurve)
    if (c.t >= 0.5 && c.t <= 0.85 && Math.round(c.t * 100) % 5 === 0) console.log(`cv ${show(c)}`)
  const fitted = pickThreshold(curve, rows.length, MAX_WRONG)
  const atFitted = cvCurve.find((c) => c.t === fitted.t)
  if (atFitted) console.log(`cv at the fitted threshold: ${show(atFitted)}`)
}
const dump = arg('--dump')
if (dump)
  fs.writeFileSync(
    dump,
    rows
      .map((r, i) =>
        JSON.stringify({
          id: r.id,
          y: r.y,
          answerLine: r.answerLine,
          p: Math.round((probs[i] as number) * 1000) / 1000,
          question: r.question,
          f: Object.fromEntries(FEATURE_NAMES.map((k, j) => [k, measured[i]?.[j]])),
          cited: r.cited,
          reply: r.reply,
          label: r.label,
          answerHash: r.answerHash,
        }),
      )
      .join('\n'),
  )
const oofCap = process.argv.includes('--oof-cap') && oofCurve
const eligible = oofCap
  ? curve.filter((c) => (oofCurve?.find((o) => o.t === c.t)?.wrong ?? Infinity) <= MAX_WRONG * rows.length)
  : curve
const best = pickThreshold(eligible.length > 0 ? eligible : curve, rows.length, MAX_WRONG)
if (oofCap) console.log(`--oof-cap: thresholds whose out-of-fold wrong-confident is also ≤ ${MAX_WRONG}`)
const bias = model.bias - Math.log(best.t / (1 - best.t))
const weights = Object.fromEntries(
  FEATURE_NAMES.map((k, i) => [k, Math.round((model.weights[i] as number) * 1000) / 1000]),
)
if (labelsFile) console.log(`labels: ${labelled.judge} from ${labelsFile}, ${labelled.automatic} automatic`)
console.log(`decided by a rule, left out: ${forcedRows.answer} estimates answered, ${forcedRows.abstain} time-capped`)
console.log(
  `dev rows ${rows.length} (answer lines ${rows.filter((r) => r.answerLine).length}, right ${rows.filter((r) => r.y).length}); cost ratio ${WRONG_COST}:1, wrong-confident ≤ ${MAX_WRONG}; threshold ${best.t.toFixed(2)}: wrong-confident ${best.wrong}, over-refused ${best.over}, answered right ${best.answeredRight}`,
)
console.log(JSON.stringify({ weights, bias: Math.round(bias * 1000) / 1000, threshold: best.t }))
