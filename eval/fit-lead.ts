/**
 * Fits the lead-score weights (services/answer/direct-answer.ts HAND_SET_LEAD_WEIGHTS) on the DEV split only, never on
 * test. Every dev `answer` line is composed with abstention off; each candidate passage of its reply is
 * labelled a right lead when its source is an expected entry and its text states one of the line's key facts.
 * The score is log-linear in the passage's features, so the weights are fitted as a conditional-logit
 * (softmax over a question's candidates, the right leads pooled), with an L2 pull towards the hand-set
 * weights, and compared with them by K-fold cross-validation: the share of questions whose best-scored
 * passage is a right lead, each fold scored by weights fitted without it.
 *
 *   npx tsx eval/fit-lead.ts [--rows FILE] [--save FILE] [--cv 5] [--l2 0.1] [--lr 0.02] [--steps 600] [--fixed a,b]
 *
 * `--save FILE` writes the collected candidates (one JSON line per question) and `--rows FILE` fits on such a
 * file without composing again. `--fixed a,b`: those weights stay hand-set. Prints the fitted weights; the
 * product keeps them only if composed replies improve too (README: what the fit showed).
 */
import fs from 'node:fs'
import path from 'node:path'
import {
  HAND_SET_LEAD_WEIGHTS,
  LEAD_FEATURES,
  type LeadFeature,
  type ScoredPassage,
} from '../services/answer/direct-answer.js'
import { loadConfig } from '../services/shared/config.js'
import { isExpected } from './expected-match.js'
import { fitLead, type LeadRow, topRight } from './lead-fit.js'
import { withScratchContainer } from './scratch-container.js'
import { factPresent } from './taxpayer-eval.js'
import { readTaxpayerSet } from './taxpayer-set.js'

const arg = (name: string) => {
  const i = process.argv.indexOf(name)
  return i > 0 ? process.argv[i + 1] : undefined
}
const root = path.resolve(import.meta.dirname, '..')

async function collect(): Promise<LeadRow[]> {
  const cases = readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl')).filter((c) => c.behaviour === 'answer')
  const config = { ...loadConfig(), confidenceThreshold: 0.001 }
  return withScratchContainer(config, 'taxkb-fit-lead-', async (ctx) => {
    const rows: LeadRow[] = []
    for (const c of cases) {
      let ranked: readonly ScoredPassage[] = []
      await ctx.answer.ask({ message: c.question, region: c.region, channel: 'api' }, { onRanked: (r) => (ranked = r) })
      const live = ranked.filter((p) => p.score > 0)
      if (live.length === 0) continue
      rows.push({
        id: c.id,
        x: live.map((p) => LEAD_FEATURES.map((k) => p.features[k])),
        y: live.map((p) => isExpected(p.entry.id, c.expectedIds) && c.keyFacts.some((k) => factPresent(p.text, k))),
        ids: live.map((p) => p.entry.id),
        texts: live.map((p) => p.text),
      })
    }
    return rows
  })
}

/** A stable fold of an id (its characters hashed), so folds do not depend on row order. */
function foldOf(id: string, k: number): number {
  let h = 0
  for (const ch of id) h = (h * 31 + (ch.codePointAt(0) ?? 0)) >>> 0
  return h % k
}

async function main() {
  const rowsFile = arg('--rows')
  const rows: LeadRow[] = rowsFile
    ? fs
        .readFileSync(rowsFile, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as LeadRow)
    : await collect()
  const save = arg('--save')
  if (save) fs.writeFileSync(save, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
  const K = Number(arg('--cv') ?? 5)
  const l2 = Number(arg('--l2') ?? 0.1)
  const lr = Number(arg('--lr') ?? 0.02)
  const steps = Number(arg('--steps') ?? 600)
  const fixed = new Set((arg('--fixed') ?? '').split(',').filter(Boolean))
  const free = LEAD_FEATURES.map((k) => !fixed.has(k))
  const w0 = LEAD_FEATURES.map((k) => HAND_SET_LEAD_WEIGHTS[k])
  const withRight = rows.filter((r) => r.y.some(Boolean))
  const rate = (w: readonly number[], rs: readonly LeadRow[]) => rs.filter((r) => topRight(w, r)).length
  console.log(
    `dev answer lines composed: ${rows.length}; with a right lead among the candidates: ${withRight.length}; ` +
      `hand-set weights lead right: ${rate(w0, withRight)}`,
  )
  let hand = 0
  let fitted = 0
  for (let f = 0; f < K; f++) {
    const train = withRight.filter((r) => foldOf(r.id, K) !== f)
    const held = withRight.filter((r) => foldOf(r.id, K) === f)
    const w = fitLead(train, w0, { l2, free, lr, steps })
    hand += rate(w0, held)
    fitted += rate(w, held)
  }
  console.log(`${K}-fold out-of-fold right leads: hand-set ${hand}, fitted ${fitted} (of ${withRight.length})`)
  const w = fitLead(withRight, w0, { l2, free, lr, steps })
  console.log(`all dev: hand-set ${rate(w0, withRight)}, fitted ${rate(w, withRight)} (fitted on these)`)
  const round = (n: number) => Math.round(n * 1000) / 1000
  const out = Object.fromEntries(LEAD_FEATURES.map((k, i) => [k, round(w[i] as number)])) as Record<LeadFeature, number>
  for (const [i, k] of LEAD_FEATURES.entries())
    console.log(
      `  ${k.padEnd(13)} hand-set ${round(w0[i] as number)
        .toFixed(3)
        .padStart(7)}  fitted ${out[k].toFixed(3).padStart(7)}`,
    )
  console.log(`fitted weights = ${JSON.stringify(out)}`)
}

await main()
