/**
 * Answer evaluation: runs each line with `keyFacts` or `expect` through the answering service (a fresh
 * session per line) and reports
 * - keyFactCoverage: mean share of a consult line's key facts present in the answer, compared after
 *   normalising spaces, full-width forms and Chinese numerals (百分之三 ~ 3%, 六万元 ~ 60000元);
 * - expectAccuracy: share of refuse / handoff / complaint / report / redirect lines handled as expected;
 * - automationRate: share of all answer lines answered without a handoff, a handoff offer or a refusal;
 * - citationRecall: share of consult lines whose citations include an expected article;
 * - p50Ms, p99Ms: answer latency.
 */
import type { ChatResponse } from '../services/answer/answer-service.js'
import { canonicalFacts } from '../services/answer/chinese-numerals.js'
import type { EvalCase, Expectation } from './eval-set.js'

export interface AnswerCaseResult {
  id: string
  question: string
  expect: Expectation | null
  mode: string
  intent: string
  confidence: number
  handoffOffered: boolean
  missingFacts: string[]
  factCoverage: number | null
  expectOk: boolean | null
  cited: string[]
  citedExpected: boolean | null
  latencyMs: number
}

export interface AnswerMetrics {
  n: number
  keyFactCoverage: number
  expectAccuracy: number
  automationRate: number
  citationRecall: number
  p50Ms: number
  p99Ms: number
}

export function keyFactPresent(answer: string, fact: string): boolean {
  return canonicalFacts(answer).includes(canonicalFacts(fact))
}

export function expectationMet(
  expect: Expectation,
  r: Pick<ChatResponse, 'mode' | 'intent' | 'handoffOffered'>,
): boolean {
  switch (expect) {
    case 'refuse':
      return r.mode === 'refused'
    case 'handoff':
      // a ticket, or an honest 不确定 with the 转人工 offer (the taxpayer decides)
      return r.mode === 'handoff' || r.handoffOffered
    case 'complaint':
      return r.mode === 'handoff' && r.intent === 'complaint'
    case 'report':
      return r.mode === 'handoff' && r.intent === 'report'
    case 'redirect':
      return r.mode === 'redirect'
  }
}

export function isAutomated(r: { mode: string; handoffOffered: boolean }): boolean {
  return r.mode !== 'handoff' && r.mode !== 'refused' && !r.handoffOffered
}

/** Nearest-rank percentile of a sample (p in 0..100). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] as number
}

const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d

export function isAnswerCase(c: EvalCase): boolean {
  return c.expect !== undefined || (c.keyFacts !== undefined && c.keyFacts.length > 0)
}

export async function evaluateAnswers(
  cases: readonly EvalCase[],
  ask: (c: EvalCase) => Promise<ChatResponse>,
): Promise<AnswerMetrics & { perCase: AnswerCaseResult[] }> {
  const perCase: AnswerCaseResult[] = []
  for (const c of cases.filter(isAnswerCase)) {
    const t0 = performance.now()
    const r = await ask(c)
    const latencyMs = performance.now() - t0
    const facts = c.expect ? [] : (c.keyFacts ?? [])
    const missing = facts.filter((f) => !keyFactPresent(r.answer, f))
    const cited = r.citations.map((x) => x.id)
    perCase.push({
      id: c.id,
      question: c.question,
      expect: c.expect ?? null,
      mode: r.mode,
      intent: r.intent,
      confidence: r.confidence,
      handoffOffered: r.handoffOffered,
      missingFacts: missing,
      factCoverage: facts.length ? (facts.length - missing.length) / facts.length : null,
      expectOk: c.expect ? expectationMet(c.expect, r) : null,
      cited,
      citedExpected:
        !c.expect && c.expectedArticleIds.length > 0 ? c.expectedArticleIds.some((id) => cited.includes(id)) : null,
      latencyMs,
    })
  }
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0)
  const cov = perCase.flatMap((p) => (p.factCoverage === null ? [] : [p.factCoverage]))
  const exp = perCase.flatMap((p) => (p.expectOk === null ? [] : [p.expectOk ? 1 : 0]))
  const cit = perCase.flatMap((p) => (p.citedExpected === null ? [] : [p.citedExpected ? 1 : 0]))
  const lat = perCase.map((p) => p.latencyMs)
  return {
    n: perCase.length,
    keyFactCoverage: round(mean(cov)),
    expectAccuracy: round(mean(exp)),
    automationRate: round(mean(perCase.map((p) => (isAutomated(p) ? 1 : 0)))),
    citationRecall: round(mean(cit)),
    p50Ms: round(percentile(lat, 50), 1),
    p99Ms: round(percentile(lat, 99), 1),
    perCase,
  }
}
