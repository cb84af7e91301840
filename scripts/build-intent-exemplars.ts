/**
 * Builds knowledge/intents/exemplars.jsonl, the examples the semantic intent step (services/answer/semantic-intent.ts)
 * compares a message with: every question of the DEV split (eval/datasets/dev.jsonl — never test) under the intent
 * its behaviour calls for, plus the hand-written lines of knowledge/intents/written.jsonl. Run after either changes,
 * then `npm run vectors:build` so the shipped vectors hold them:
 *   npx tsx scripts/build-intent-exemplars.ts
 */
import fs from 'node:fs'
import path from 'node:path'
import { classifyIntent, mentionsTax } from '../services/answer/intent-rules.js'
import { EXEMPLAR_INTENTS, type ExemplarIntent } from '../services/answer/semantic-intent.js'
import { readTaxpayerSet, type TaxpayerCase } from '../eval/taxpayer-set.js'

const root = path.resolve(import.meta.dirname, '..')
const out = path.join(root, 'knowledge/intents/exemplars.jsonl')

/**
 * A refuse line is an illegal request when the rules name a practice or it is about tax at all (a request for help
 * with evasion the rules do not yet name); otherwise chatter outside tax.
 */
function intentOf(c: TaxpayerCase): ExemplarIntent {
  switch (c.behaviour) {
    case 'report':
      return 'report'
    case 'complaint':
      return 'complaint'
    case 'handoff':
      return 'human'
    case 'refuse':
      return classifyIntent(c.question).intent === 'illegal' || mentionsTax(c.question) ? 'illegal' : 'out-of-scope'
    default:
      return 'consult'
  }
}

const rows: { text: string; intent: ExemplarIntent; source: string }[] = []
// A hand-written line that happens to be a test-split question is left out: the test split stays unseen.
const seen = new Set<string>(readTaxpayerSet(path.join(root, 'eval/datasets/test.jsonl')).map((c) => c.question))
for (const c of readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl'))) {
  if (seen.has(c.question)) continue // asked twice in dev, or also a test question
  seen.add(c.question)
  rows.push({ text: c.question, intent: intentOf(c), source: `eval/datasets/dev.jsonl#${c.id}` })
}
for (const line of fs.readFileSync(path.join(root, 'knowledge/intents/written.jsonl'), 'utf8').split('\n')) {
  if (!line.trim()) continue
  const r = JSON.parse(line) as { text: string; intent: ExemplarIntent; source: string }
  if (!EXEMPLAR_INTENTS.includes(r.intent)) throw new Error(`written.jsonl: unknown intent ${r.intent}`)
  if (seen.has(r.text)) continue
  seen.add(r.text)
  rows.push(r)
}
fs.writeFileSync(out, `${rows.map((r) => JSON.stringify(r)).join('\n')}\n`)
const counts = Object.fromEntries(EXEMPLAR_INTENTS.map((i) => [i, rows.filter((r) => r.intent === i).length]))
console.log(`${rows.length} exemplars → ${path.relative(root, out)}`, counts)
