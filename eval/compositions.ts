/**
 * Dev-only diagnostic: runs every dev `answer` line through the answering service and prints, for each,
 * whether the composed reply is right by the proxy label (the label eval/fit-abstention.ts fits on), with the
 * lead citation, the expected ids and where the first expected id ranks among the retrieved sources.
 * Never run on the test split.
 *
 *   npx tsx eval/compositions.ts [--wrong]
 */
import path from 'node:path'
import type { AnswerFeatures } from '../services/answer/abstention.js'
import { loadConfig } from '../services/shared/config.js'
import { compositionRight } from './expected-match.js'
import { factPresent } from './taxpayer-eval.js'
import { withScratchContainer } from './scratch-container.js'
import { readTaxpayerSet } from './taxpayer-set.js'

const root = path.resolve(import.meta.dirname, '..')
const cases = readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl')).filter((c) => c.behaviour === 'answer')
const config = loadConfig()
let right = 0
let composed = 0
let answeredRight = 0
await withScratchContainer(config, 'taxkb-comp-', async (ctx) => {
  for (const c of cases) {
    let f: AnswerFeatures | null = null
    const r = await ctx.answer.ask(
      { message: c.question, region: c.region, channel: 'api' },
      { onFeatures: (x) => (f = x) },
    )
    const ok = compositionRight(c, r, factPresent)
    if (f) composed++
    if (ok) right++
    const answered = !r.handoffOffered && r.mode !== 'handoff' && r.mode !== 'refused'
    if (ok && answered) answeredRight++
    if (process.argv.includes('--wrong') && ok) continue
    const mark = ok ? 'RIGHT' : 'WRONG'
    console.log(`${c.id} ${mark} ${answered ? 'answered' : 'abstained'} conf ${r.confidence} ${c.question}`)
    console.log(`   expected ${c.expectedIds.join(', ')} · facts ${c.keyFacts.join('、')}`)
    console.log(`   cited ${r.citations.map((x) => x.id).join(', ') || '-'}`)
    console.log(`   ${r.answer.replace(/\n/g, ' ⏎ ').slice(0, 260)}`)
  }
})
console.log(
  `\nright compositions ${right} of ${cases.length} answer lines (${composed} composed); answered right ${answeredRight}`,
)
