/**
 * Pure aggregation of survey responses for the results page and the export: option counts for choice
 * questions, the score distribution and mean for ratings, the NPS (share of 9–10 minus share of 0–6, in
 * points) and the text answers, PII-masked and paged.
 */
import { maskPii } from '../shared/mask.js'
import type { Answer, Question } from './survey-logic.js'

export interface QuestionResult {
  id: string
  type: Question['type']
  title: string
  answered: number
  /** single / multiple: count per option, in option order. rating / nps: count per score. */
  counts?: { label: string; count: number }[]
  mean?: number
  nps?: { promoters: number; passives: number; detractors: number; score: number }
  texts?: { items: string[]; total: number; page: number; pageSize: number }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits

export function aggregateResults(
  questions: readonly Question[],
  responses: readonly { answers: Record<string, Answer> }[],
  textPage = 1,
  pageSize = 20,
): QuestionResult[] {
  return questions.map((q) => {
    const given = responses.map((r) => r.answers[q.id]).filter((a): a is Answer => a !== undefined)
    const base: QuestionResult = { id: q.id, type: q.type, title: q.title, answered: given.length }
    if (q.type === 'single' || q.type === 'multiple') {
      const chosen = given.flatMap((a) => (Array.isArray(a) ? a : [String(a)]))
      base.counts = (q.options ?? []).map((label) => ({ label, count: chosen.filter((c) => c === label).length }))
    } else if (q.type === 'rating' || q.type === 'nps') {
      const scores = given.filter((a): a is number => typeof a === 'number')
      const [lo, hi] = q.type === 'rating' ? [1, 5] : [0, 10]
      base.counts = []
      for (let s = lo; s <= hi; s++) base.counts.push({ label: String(s), count: scores.filter((v) => v === s).length })
      base.mean = scores.length ? round(scores.reduce((a, b) => a + b, 0) / scores.length, 2) : 0
      if (q.type === 'nps') {
        const promoters = scores.filter((v) => v >= 9).length
        const detractors = scores.filter((v) => v <= 6).length
        const passives = scores.length - promoters - detractors
        const score = scores.length ? Math.round(((promoters - detractors) / scores.length) * 1000) / 10 : 0
        base.nps = { promoters, passives, detractors, score }
      }
    } else {
      const texts = given.filter((a): a is string => typeof a === 'string').map(maskPii)
      const page = Math.max(1, textPage)
      base.texts = { items: texts.slice((page - 1) * pageSize, page * pageSize), total: texts.length, page, pageSize }
    }
    return base
  })
}
