/**
 * Evaluation on the taxpayer-question set (eval/datasets/{dev,test}.jsonl), one split at a time.
 * Pure scoring over the replies the answering service gave; the runner in services/cli/taxkb.ts feeds it.
 *
 * Automatic proxies (they are not the verdicts; the rubric's verdicts come from judgements files):
 * - behaviourAccuracy: reply behaviour matches the line's `behaviour`, over all lines;
 * - expectAccuracy: the same over report / complaint / handoff / redirect / refuse lines;
 * - abstainRecall: share of `abstain` lines answered with 不确定 + 转人工 (not a confident answer);
 * - overRefusal: share of `answer` lines that abstained, handed off or refused;
 * - wrongConfidentProxy: share of `answer` + `abstain` lines answered confidently while (answer lines)
 *   half or more key facts are missing or no expected entry is cited, or (abstain lines) at all;
 * - keyFactCoverage: mean share of key facts stated, over answered `answer` lines;
 * - openingAnswers: share of answered `answer` lines whose first two sentences state a key fact;
 * - recall@5 / MRR of the expected entries (lines whose expected ids exist in the store).
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import type { ChatResponse } from '../services/answer/answer-service.js'
import { canonicalFacts } from '../services/answer/chinese-numerals.js'
import { percentile } from './answer-eval.js'
import { asExpected, isExpected } from './expected-match.js'
import type { Behaviour, TaxpayerCase } from './taxpayer-set.js'

export type Reply = Pick<ChatResponse, 'answer' | 'mode' | 'intent' | 'handoffOffered' | 'confidence' | 'citations'>

export const VERDICTS = [
  'good',
  'partial',
  'honest-handoff',
  'wrong-confident',
  'over-refusal',
  'correct-refusal',
  'redirected',
] as const
export type Verdict = (typeof VERDICTS)[number]

export interface Judgement {
  id: string
  answerHash: string
  verdict: Verdict
  openingAnswers: boolean
  notes?: string
  judge: string
}

export interface CaseResult {
  id: string
  question: string
  behaviour: Behaviour
  topic: string
  shown: Behaviour
  ok: boolean
  answered: boolean
  missingFacts: string[]
  factCoverage: number | null
  citedExpected: boolean | null
  opening: boolean | null
  wrongConfident: boolean
  rank: string[]
  latencyMs: number
  hash: string
  reply: Reply
}

/** The reply's text identity for judgements: sha256 hex, first 16 digits. */
export function answerHashOf(answer: string): string {
  return crypto.createHash('sha256').update(answer).digest('hex').slice(0, 16)
}

/** The behaviour a reply shows, in the dataset's vocabulary. */
export function shownBehaviour(r: Pick<Reply, 'mode' | 'intent' | 'handoffOffered'>): Behaviour {
  if (r.mode === 'refused') return 'refuse'
  if (r.mode === 'redirect') return 'redirect'
  if (r.intent === 'report') return 'report'
  if (r.intent === 'complaint') return 'complaint'
  if (r.intent === 'human') return 'handoff'
  if (r.mode === 'handoff' || r.handoffOffered) return 'abstain'
  return 'answer'
}

export function factPresent(text: string, fact: string): boolean {
  return canonicalFacts(text).includes(canonicalFacts(fact))
}

/** The first one or two sentences of a reply (citation marks kept). */
export function openingOf(answer: string): string {
  const sentences = answer.split(/(?<=[。！？!?])|\n+/).filter((s) => s.trim())
  return sentences.slice(0, 2).join('')
}

export function scoreCase(c: TaxpayerCase, reply: Reply, rank: string[], latencyMs: number): CaseResult {
  const shown = shownBehaviour(reply)
  const answered = shown === 'answer'
  const facts = c.behaviour === 'answer' ? c.keyFacts : []
  const missing = facts.filter((f) => !factPresent(reply.answer, f))
  const cited = reply.citations.map((x) => x.id)
  const citedExpected = c.behaviour === 'answer' ? cited.some((id) => isExpected(id, c.expectedIds)) : null
  const factCoverage = facts.length ? (facts.length - missing.length) / facts.length : null
  const opening =
    c.behaviour === 'answer' && answered ? facts.some((f) => factPresent(openingOf(reply.answer), f)) : null
  const weak = factCoverage !== null && (factCoverage <= 0.5 || citedExpected === false)
  const wrongConfident = answered && ((c.behaviour === 'answer' && weak) || c.behaviour === 'abstain')
  return {
    id: c.id,
    question: c.question,
    behaviour: c.behaviour,
    topic: c.topic,
    shown,
    ok: shown === c.behaviour,
    answered,
    missingFacts: missing,
    factCoverage,
    citedExpected,
    opening,
    wrongConfident,
    rank,
    latencyMs,
    hash: answerHashOf(reply.answer),
    reply,
  }
}

export interface SplitMetrics {
  n: number
  answerLines: number
  recallAt5: number
  mrr: number
  recallN: number
  behaviourAccuracy: number
  expectAccuracy: number
  abstainRecall: number
  overRefusal: number
  wrongConfidentProxy: number
  keyFactCoverage: number
  citationRecall: number
  openingAnswers: number
  p50Ms: number
  p99Ms: number
  judged?: JudgedRates
}

export interface JudgedRates {
  judgedInScope: number
  stale: number
  good: number
  partial: number
  honestHandoff: number
  wrongConfident: number
  overRefusal: number
  openingAnswers: number
  goodPlusPartial: number
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d
const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0)
const share = (xs: readonly boolean[]) => round(mean(xs.map((x) => (x ? 1 : 0))))

/** `present(id)`: whether an expected entry exists in the store (a 公告 not yet bundled does not count). */
export function summarise(
  results: readonly CaseResult[],
  cases: readonly TaxpayerCase[],
  present: (id: string) => boolean,
  judgements: readonly Judgement[] = [],
): SplitMetrics {
  const byId = new Map(cases.map((c) => [c.id, c]))
  const ans = results.filter((r) => r.behaviour === 'answer')
  const answered = ans.filter((r) => r.answered)
  const expectLines = results.filter((r) => r.behaviour !== 'answer' && r.behaviour !== 'abstain')
  const rows = ans.flatMap((r) => {
    const expected = (byId.get(r.id)?.expectedIds ?? []).filter(present)
    return expected.length ? [{ ranked: asExpected(r.rank, expected), expected }] : []
  })
  // the line's ids are alternatives (best first): any of them in the top 5 is a hit
  const firstHit = rows.map((x) => x.ranked.findIndex((id) => x.expected.includes(id)))
  const ranking = {
    recallAt5: share(firstHit.map((i) => i >= 0 && i < 5)),
    mrr: round(mean(firstHit.map((i) => (i < 0 ? 0 : 1 / (i + 1))))),
    n: rows.length,
  }
  const lat = results.map((r) => r.latencyMs)
  const out: SplitMetrics = {
    n: results.length,
    answerLines: ans.length,
    recallAt5: ranking.recallAt5,
    mrr: ranking.mrr,
    recallN: ranking.n,
    behaviourAccuracy: share(results.map((r) => r.ok)),
    expectAccuracy: share(expectLines.map((r) => r.ok)),
    abstainRecall: share(
      results.filter((r) => r.behaviour === 'abstain').map((r) => !r.answered && r.shown !== 'refuse'),
    ),
    overRefusal: share(ans.map((r) => !r.answered)),
    wrongConfidentProxy: share(
      results.filter((r) => r.behaviour === 'answer' || r.behaviour === 'abstain').map((r) => r.wrongConfident),
    ),
    keyFactCoverage: round(mean(answered.map((r) => r.factCoverage ?? 0))),
    citationRecall: share(answered.map((r) => r.citedExpected === true)),
    openingAnswers: share(answered.map((r) => r.opening === true)),
    p50Ms: round(percentile(lat, 50), 1),
    p99Ms: round(percentile(lat, 99), 1),
  }
  const judged = judgedRates(results, judgements)
  if (judged) out.judged = judged
  return out
}

/** Rubric rates over `answer` lines whose reply hash matches a judgement (the exact reply was judged). */
export function judgedRates(results: readonly CaseResult[], judgements: readonly Judgement[]): JudgedRates | null {
  if (judgements.length === 0) return null
  const judgementOf = judgementPicker(judgements)
  let stale = 0
  const verdicts: Judgement[] = []
  for (const r of results) {
    if (r.behaviour !== 'answer') continue
    const j = judgementOf(r.id, r.hash)
    if (!j) continue
    if (j.answerHash !== r.hash) stale++
    else verdicts.push(j)
  }
  const rate = (v: Verdict) => share(verdicts.map((j) => j.verdict === v))
  return {
    judgedInScope: verdicts.length,
    stale,
    good: rate('good'),
    partial: rate('partial'),
    honestHandoff: rate('honest-handoff'),
    wrongConfident: rate('wrong-confident'),
    overRefusal: rate('over-refusal'),
    openingAnswers: share(verdicts.map((j) => j.openingAnswers)),
    goodPlusPartial: share(verdicts.map((j) => j.verdict === 'good' || j.verdict === 'partial')),
  }
}

/**
 * The judgement that applies to a reply: the latest one of that id judging this exact reply (answerHash),
 * else the latest one of that id (a stale judgement), else none. Judging rounds live in separate files, so
 * a later round that re-judged only the changed replies must not hide an earlier round's still-valid one,
 * nor be hidden by it whatever order the file names sort in.
 */
export function judgementPicker(
  judgements: readonly Judgement[],
): (id: string, hash?: string) => Judgement | undefined {
  const byId = new Map<string, Judgement[]>()
  for (const j of judgements) byId.set(j.id, [...(byId.get(j.id) ?? []), j])
  return (id, hash) => {
    const all = byId.get(id)
    if (!all) return undefined
    return all.findLast((j) => j.answerHash === hash) ?? all[all.length - 1]
  }
}

/** Every judgements file of a split (eval/judgements/<date>-<split>.jsonl), later files winning per id. */
export function readJudgements(dir: string, split: string): Judgement[] {
  if (!fs.existsSync(dir)) return []
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(`-${split}.jsonl`))
    .sort()
  return files.flatMap((f) => parseJudgements(fs.readFileSync(path.join(dir, f), 'utf8'), f))
}

/** One judgements file's lines; `name` labels the error when a line is malformed. */
export function parseJudgements(text: string, name: string): Judgement[] {
  const out: Judgement[] = []
  for (const line of text.split('\n')) {
    if (!line.trim()) continue
    const j = JSON.parse(line) as Judgement
    if (
      typeof j.id !== 'string' ||
      typeof j.answerHash !== 'string' ||
      !(VERDICTS as readonly string[]).includes(j.verdict)
    ) {
      throw new Error(`${name}: malformed judgement ${line.slice(0, 80)}`)
    }
    out.push(j)
  }
  return out
}
