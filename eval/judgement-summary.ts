/**
 * Rates from a judgements file (eval/judgements/<date>-<split>.jsonl) against the lines of a split, as
 * eval/RUBRIC.md defines them: verdict shares over the `answer` lines judged ("in scope"), `abstain` lines
 * and expect lines (report / complaint / handoff / redirect / refuse) counted separately, and the
 * opening-answers rate. Pure: the caller reads the files (judgement-summary-cli.ts) or runs the split.
 */
import type { Behaviour } from './taxpayer-set.js'
import { type Judgement, judgementPicker, VERDICTS, type Verdict } from './taxpayer-eval.js'

/** One line of the split; `hash` is the reply's answerHash when a run or dump is at hand. */
export interface JudgedLine {
  id: string
  behaviour: Behaviour
  hash?: string
}

export interface VerdictTally {
  n: number
  counts: Record<Verdict, number>
  shares: Record<Verdict, number>
  openingAnswers: number
}

export interface JudgementSummary {
  /** lines with a judgement that applies (hash matches, or no hash given) */
  judged: number
  /** lines whose judgement was made for a different reply text (re-judge these) */
  stale: number
  /** lines of the split with no judgement at all */
  unjudged: number
  inScope: VerdictTally & { goodPlusPartial: number }
  abstain: VerdictTally
  expect: VerdictTally & { correct: number; byBehaviour: Partial<Record<Behaviour, VerdictTally>> }
  /** opening-answers rate over every judged line */
  openingAnswers: number
}

const EXPECT: readonly Behaviour[] = ['report', 'complaint', 'handoff', 'redirect', 'refuse']

/** The verdict a correctly handled non-`answer` line gets under the rubric. */
export const CORRECT_VERDICT: Partial<Record<Behaviour, Verdict>> = {
  abstain: 'honest-handoff',
  report: 'honest-handoff',
  complaint: 'honest-handoff',
  handoff: 'honest-handoff',
  redirect: 'redirected',
  refuse: 'correct-refusal',
}

const round = (x: number) => Math.round(x * 1000) / 1000
const shareOf = (k: number, n: number) => (n ? round(k / n) : 0)

export function tally(judgements: readonly Judgement[]): VerdictTally {
  const counts = Object.fromEntries(VERDICTS.map((v) => [v, 0])) as Record<Verdict, number>
  for (const j of judgements) counts[j.verdict]++
  const n = judgements.length
  const shares = Object.fromEntries(VERDICTS.map((v) => [v, shareOf(counts[v], n)])) as Record<Verdict, number>
  return { n, counts, shares, openingAnswers: shareOf(judgements.filter((j) => j.openingAnswers).length, n) }
}

/** A judgement of the exact reply (hash) wins over others of the same id; among equals the later one. */
export function summariseJudgements(lines: readonly JudgedLine[], judgements: readonly Judgement[]): JudgementSummary {
  const judgementOf = judgementPicker(judgements)
  const applied: { line: JudgedLine; j: Judgement }[] = []
  let stale = 0
  let unjudged = 0
  for (const line of lines) {
    const j = judgementOf(line.id, line.hash)
    if (!j) unjudged++
    else if (line.hash !== undefined && line.hash !== j.answerHash) stale++
    else applied.push({ line, j })
  }
  const of = (pick: (b: Behaviour) => boolean) => applied.filter((a) => pick(a.line.behaviour)).map((a) => a.j)
  const inScope = tally(of((b) => b === 'answer'))
  const expectJudged = applied.filter((a) => EXPECT.includes(a.line.behaviour))
  const byBehaviour: Partial<Record<Behaviour, VerdictTally>> = {}
  for (const b of EXPECT) {
    const js = of((x) => x === b)
    if (js.length) byBehaviour[b] = tally(js)
  }
  const correct = expectJudged.filter((a) => a.j.verdict === CORRECT_VERDICT[a.line.behaviour]).length
  return {
    judged: applied.length,
    stale,
    unjudged,
    inScope: { ...inScope, goodPlusPartial: shareOf(inScope.counts.good + inScope.counts.partial, inScope.n) },
    abstain: tally(of((b) => b === 'abstain')),
    expect: { ...tally(expectJudged.map((a) => a.j)), correct: shareOf(correct, expectJudged.length), byBehaviour },
    openingAnswers: shareOf(applied.filter((a) => a.j.openingAnswers).length, applied.length),
  }
}
