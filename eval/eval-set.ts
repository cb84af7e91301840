/** Reading evaluation sets: JSONL lines `{question, expectedArticleIds?, region?, keyFacts?, expect?}`. */
import { readJsonl, type LineProblem } from '../indexers/sources/jsonl.js'

export const EXPECTATIONS = ['refuse', 'handoff', 'complaint', 'report', 'redirect'] as const
export type Expectation = (typeof EXPECTATIONS)[number]

export interface EvalCase {
  line: number
  id: string
  question: string
  expectedArticleIds: string[]
  region?: string
  keyFacts?: string[]
  expect?: Expectation
}

export class EvalSetError extends Error {
  constructor(readonly problems: LineProblem[]) {
    super(`evaluation set is malformed:\n${problems.map((p) => `  ${p.file}:${p.line}: ${p.message}`).join('\n')}`)
    this.name = 'EvalSetError'
  }
}

export function readEvalSet(file: string): EvalCase[] {
  const problems: LineProblem[] = []
  const cases: EvalCase[] = []
  for (const { line, value } of readJsonl(file, problems)) {
    const q = value.question
    if (typeof q !== 'string' || !q.trim()) {
      problems.push({ file, line, message: 'field "question" must be a non-empty string' })
      continue
    }
    const ids = value.expectedArticleIds
    if (ids !== undefined && (!Array.isArray(ids) || ids.some((x) => typeof x !== 'string')))
      problems.push({ file, line, message: 'field "expectedArticleIds" must be an array of strings' })
    const facts = value.keyFacts
    if (facts !== undefined && (!Array.isArray(facts) || facts.some((x) => typeof x !== 'string')))
      problems.push({ file, line, message: 'field "keyFacts" must be an array of strings' })
    const expect = value.expect
    if (expect !== undefined && !(EXPECTATIONS as readonly unknown[]).includes(expect))
      problems.push({ file, line, message: `field "expect" must be one of ${EXPECTATIONS.join(', ')}` })
    const region = value.region
    if (region !== undefined && region !== null && (typeof region !== 'string' || !/^\d{6}$/.test(region)))
      problems.push({ file, line, message: 'field "region" must be a 6-digit region code' })
    cases.push({
      line,
      id: typeof value.id === 'string' ? value.id : `line-${line}`,
      question: q,
      expectedArticleIds: Array.isArray(ids) ? (ids as string[]) : [],
      ...(typeof region === 'string' ? { region } : {}),
      ...(Array.isArray(facts) ? { keyFacts: facts as string[] } : {}),
      ...(typeof expect === 'string' ? { expect: expect as Expectation } : {}),
    })
  }
  if (problems.length > 0) throw new EvalSetError(problems)
  if (cases.length === 0) throw new EvalSetError([{ file, line: 0, message: 'no evaluation cases' }])
  return cases
}
