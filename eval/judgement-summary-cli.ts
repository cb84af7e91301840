/**
 * `npm run eval:judged -- --split test [--replies FILE] [--judgements FILE] [--json]`: the rubric's rates
 * from the recorded judgements, without running the chat. With --replies (a `taxkb eval --dump-answers`
 * file) a judgement counts only when its answerHash matches that reply, as in `taxkb eval`.
 * Prints aggregates only: it never lists the test split's questions or which of them failed.
 */
import fs from 'node:fs'
import path from 'node:path'
import { parseArgs } from 'node:util'
import { REPO_ROOT } from '../services/shared/config.js'
import { type JudgedLine, summariseJudgements, type VerdictTally } from './judgement-summary.js'
import { parseJudgements, readJudgements, VERDICTS } from './taxpayer-eval.js'
import { readTaxpayerSet } from './taxpayer-set.js'

function replyHashes(file: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue
    const r = JSON.parse(line) as { id: string; answerHash?: string; hash?: string }
    const h = r.answerHash ?? r.hash
    if (h) out.set(r.id, h)
  }
  return out
}

const pct = (x: number) => `${(x * 100).toFixed(1)} %`

function rows(label: string, t: VerdictTally): string[] {
  return VERDICTS.filter((v) => t.counts[v] > 0).map(
    (v) => `| ${label} | ${v} | ${t.counts[v]} / ${t.n} | ${pct(t.shares[v])} |`,
  )
}

const USAGE = `usage: npm run eval:judged -- [--split dev|test] [--replies FILE] [--judgements FILE] [--json]
  --split       the taxpayer-question split whose judgements are summarised (default: test)
  --replies     a \`taxkb eval --dump-answers\` file: a judgement counts only if its answerHash matches
  --judgements  one judgements file instead of every eval/judgements/*-<split>.jsonl
  --json        print JSON`

export function main(argv: string[]): number {
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(argv)
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`)
    return 2
  }
  const { values } = parsed
  if (values.help) {
    console.log(USAGE)
    return 0
  }
  const split = values.split ?? 'test'
  const cases = readTaxpayerSet(path.join(REPO_ROOT, 'eval', 'datasets', `${split}.jsonl`))
  const judgements = values.judgements
    ? parseJudgements(fs.readFileSync(path.resolve(values.judgements), 'utf8'), values.judgements)
    : readJudgements(path.join(REPO_ROOT, 'eval', 'judgements'), split)
  const hashes = values.replies ? replyHashes(path.resolve(values.replies)) : null
  const lines: JudgedLine[] = cases.map((c) => {
    const hash = hashes?.get(c.id)
    return { id: c.id, behaviour: c.behaviour, ...(hashes ? { hash: hash ?? '' } : {}) }
  })
  const s = summariseJudgements(lines, judgements)
  if (values.json) {
    console.log(JSON.stringify({ split, ...s }, null, 2))
    return 0
  }
  const out = [
    `split ${split}: ${s.judged} judged, ${s.stale} changed since judged, ${s.unjudged} never judged`,
    '',
    '| lines | verdict | count | share |',
    '|---|---|---|---|',
    ...rows('answer (in scope)', s.inScope),
    ...rows('abstain', s.abstain),
    ...rows('expect', s.expect),
    '',
    `good+partial (in scope): ${pct(s.inScope.goodPlusPartial)}`,
    `wrong-confident (in scope): ${pct(s.inScope.shares['wrong-confident'])}`,
    `opening answers: in scope ${pct(s.inScope.openingAnswers)}, all judged ${pct(s.openingAnswers)}`,
    `expect lines handled as the rubric wants: ${pct(s.expect.correct)} of ${s.expect.n}`,
  ]
  console.log(out.join('\n'))
  return 0
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      split: { type: 'string', default: 'test' },
      replies: { type: 'string' },
      judgements: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  })
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(import.meta.filename))
  process.exitCode = main(process.argv.slice(2))
