/**
 * Pure: answer or 不确定 + 转人工, from features of the retrieval and of the passage that would open the reply.
 * A logistic model, fitted on the dev split only (`npx tsx eval/fit-abstention.ts` / see README "How
 * abstention is decided"); its decision threshold is folded into the bias so that 0.5 (the default
 * TAXKB_CONFIDENCE_THRESHOLD) is the tuned operating point.
 */
import { coverage } from './confidence.js'
import { askFit, type DirectAnswer } from './direct-answer.js'
import type { Retrieval } from './retrieval.js'

export interface AnswerFeatures {
  /** Share of the question's content terms the lead passage (with its source title) covers. */
  leadCoverage: number
  /** Passage score of the lead (coverage × figure fit × rank prior × length). */
  leadScore: number
  /** (lead − best passage of another source) / lead: how clearly one source answers. */
  margin: number
  /** BM25 score of the best hit on a saturating 0..1 scale. */
  bm25: number
  /** 1 when the lead passage comes from the best-ranked source, ½ for the second, … */
  leadRank: number
  /** Coverage of the question by the whole best-ranked source. */
  topCoverage: number
  /** The question asks for an amount/date and the lead passage states one. */
  figureFit: number
  /** The kind of answer asked for (a rate, a date/deadline, yes/no) is the kind the lead passage gives. */
  askFit: number
  /** Both retrievers rank the lead's source in their top 10: 1; one of them: 0; no dense retrieval: ½. */
  agreement: number
  /** Cosine of the lead source's closest passage to the question (0 without dense retrieval). */
  dense: number
}

export const FEATURE_NAMES = ['leadCoverage', 'leadScore', 'margin', 'bm25', 'leadRank', 'topCoverage', 'figureFit', 'askFit', 'agreement', 'dense'] as const

/** Weights and bias (threshold 0.71 folded in), fitted on dev with the hybrid retriever on 2026-12-01; see README. */
export const ABSTENTION_MODEL = {
  weights: { leadCoverage: -0.825, leadScore: 0.992, margin: 0.854, bm25: 0.706, leadRank: 0.477, topCoverage: 1.842, figureFit: 0.973, askFit: -0.081, agreement: 0.331, dense: -0.052 } as Record<(typeof FEATURE_NAMES)[number], number>,
  bias: -4.014,
}

const ASKS_FIGURE = /(多少|几|比例|税率|征收率|标准|期限|多久|多长|什么时候|何时|哪天|截止|时间|金额|限额|幅度|起征点|几号)/

export function answerFeatures(question: string, terms: ReadonlyMap<string, number>, retrieval: Retrieval, direct: DirectAnswer): AnswerFeatures {
  const lead = direct.lead
  const top = retrieval.sources[0]
  if (!lead) return noFeatures(retrieval.topScore)
  const signals = retrieval.sources.find((x) => x.entry.id === lead.entry.id)?.signals
  return {
    leadCoverage: round(lead.coverage),
    leadScore: round(lead.score),
    margin: round(lead.score > 0 ? Math.max(0, (lead.score - direct.runnerUp) / lead.score) : 0),
    bm25: round(1 - Math.exp(-retrieval.topScore / 12)),
    leadRank: round(1 / (1 + lead.source)),
    topCoverage: round(top ? coverage(terms, `${top.entry.title} ${top.entry.body}`) : 0),
    figureFit: ASKS_FIGURE.test(question) ? (lead.figure ? 1 : 0) : 0.5,
    askFit: askFit(question, lead.text),
    agreement: !retrieval.dense ? 0.5 : signals?.agree ? 1 : 0,
    dense: round(signals?.dense?.score ?? 0),
  }
}



export function noFeatures(topScore: number): AnswerFeatures {
  return { leadCoverage: 0, leadScore: 0, margin: 0, bm25: round(1 - Math.exp(-topScore / 12)), leadRank: 0, topCoverage: 0, figureFit: 0, askFit: 0, agreement: 0, dense: 0 }
}

/** Probability-like score in 0..1 that the composed answer is right; ≥ 0.5 answers. */
export function abstentionScore(f: AnswerFeatures, model = ABSTENTION_MODEL): number {
  let z = model.bias
  for (const k of FEATURE_NAMES) z += model.weights[k] * f[k]
  return round(1 / (1 + Math.exp(-z)))
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
