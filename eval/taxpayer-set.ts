/**
 * The taxpayer-question set (eval/datasets/dev.jsonl, test.jsonl): questions typed the way taxpayers type,
 * each with the behaviour a correct system shows and, for answerable ones, the entries and key facts.
 * The split is fixed by sha1 of the line id (see eval/datasets/README.md): dev is for tuning, test for
 * reporting only.
 */
import crypto from 'node:crypto'
import { readJsonl, type LineProblem } from '../indexers/sources/jsonl.js'
import { EvalSetError } from './eval-set.js'

export const BEHAVIOURS = ['answer', 'abstain', 'report', 'complaint', 'handoff', 'redirect', 'refuse'] as const
export type Behaviour = (typeof BEHAVIOURS)[number]

export interface TaxpayerCase {
  id: string
  question: string
  behaviour: Behaviour
  topic: string
  expectedIds: string[]
  keyFacts: string[]
  passageHint?: string
  region?: string
  note?: string
}

/** dev when the first 32 bits of sha1(id) fall below 0.6 of the range, else test. Never re-drawn. */
export function splitOf(id: string): 'dev' | 'test' {
  const h = Number.parseInt(crypto.createHash('sha1').update(id).digest('hex').slice(0, 8), 16) / 2 ** 32
  return h < 0.6 ? 'dev' : 'test'
}

const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string')

export function readTaxpayerSet(file: string): TaxpayerCase[] {
  const problems: LineProblem[] = []
  const cases: TaxpayerCase[] = []
  for (const { line, value } of readJsonl(file, problems)) {
    const fail = (message: string) => problems.push({ file, line, message })
    const { id, question, behaviour, topic, expectedIds, keyFacts, passageHint, region, note } = value
    if (typeof id !== 'string' || !/^tq\d{3,}$/.test(id)) fail('field "id" must look like tq001')
    if (typeof question !== 'string' || !question.trim()) fail('field "question" must be a non-empty string')
    if (!(BEHAVIOURS as readonly unknown[]).includes(behaviour))
      fail(`field "behaviour" must be one of ${BEHAVIOURS.join(', ')}`)
    if (typeof topic !== 'string' || !topic) fail('field "topic" must be a string')
    if (expectedIds !== undefined && !strings(expectedIds)) fail('field "expectedIds" must be an array of strings')
    if (keyFacts !== undefined && !strings(keyFacts)) fail('field "keyFacts" must be an array of strings')
    if (region !== undefined && (typeof region !== 'string' || !/^\d{6}$/.test(region)))
      fail('field "region" must be a 6-digit code')
    if (problems.length) continue
    cases.push({
      id: id as string,
      question: question as string,
      behaviour: behaviour as Behaviour,
      topic: topic as string,
      expectedIds: (expectedIds as string[] | undefined) ?? [],
      keyFacts: (keyFacts as string[] | undefined) ?? [],
      ...(typeof passageHint === 'string' ? { passageHint } : {}),
      ...(typeof region === 'string' ? { region } : {}),
      ...(typeof note === 'string' ? { note } : {}),
    })
  }
  if (problems.length > 0) throw new EvalSetError(problems)
  return cases
}
