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
  /** 1 / fused (RRF) rank of the lead's source: where the hybrid retriever put it (0 without signals). */
  leadFused: number
  /** The lead passage is the one the retriever matched to the question (dense or lexical best passage). */
  leadMatched: number
  /** Best dense cosine of any retrieved source: how close the corpus comes to the question at all. */
  denseTop: number
  /** BM25 score of the lead's source on the saturating scale (0 when only the dense retriever found it). */
  leadBm25: number
  /** Cosine of the lead passage itself (as quoted) to the question; 0 when it was not embedded. */
  leadDense: number
}

export const FEATURE_NAMES = [
  ...['leadCoverage', 'leadScore', 'margin', 'bm25', 'leadRank', 'topCoverage', 'figureFit', 'askFit', 'agreement'],
  ...['dense', 'leadFused', 'leadMatched', 'denseTop', 'leadBm25', 'leadDense'],
] as const

/**
 * Weights and bias (threshold 0.71 folded in: least cost 4:1 with dev wrong-confident ≤ 5 %), fitted on dev with
 * the hybrid retriever and the 195 公告 bundled, 2026-12-01 (s3); see README "Answering service" step 6.
 */
export const ABSTENTION_MODEL = {
  weights: {
    leadCoverage: -0.816,
    leadScore: 0.394,
    margin: 0.718,
    bm25: 0.242,
    leadRank: 0.476,
    topCoverage: 0.403,
    figureFit: 0.259,
    askFit: 0.192,
    agreement: 0.149,
    dense: 0.297,
    leadFused: -0.347,
    leadMatched: -0.654,
    denseTop: 2.888,
    leadBm25: 0.493,
    leadDense: 0.742,
  } as Record<(typeof FEATURE_NAMES)[number], number>,
  bias: -4.165,
}

const ASKS_FIGURE =
  /(多少|几|比例|税率|征收率|标准|期限|多久|多长|什么时候|何时|哪天|截止|时间|金额|限额|幅度|起征点|几号)/

export function answerFeatures(
  question: string,
  terms: ReadonlyMap<string, number>,
  retrieval: Retrieval,
  direct: DirectAnswer,
): AnswerFeatures {
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
    leadFused: signals ? round(1 / signals.fused.rank) : 0,
    leadMatched: lead.matched ? 1 : 0,
    denseTop: round(Math.max(0, ...retrieval.sources.map((s) => s.signals?.dense?.score ?? 0))),
    leadBm25: round(1 - Math.exp(-(signals?.bm25?.score ?? 0) / 12)),
    leadDense: round(lead.dense ?? 0),
  }
}

export function noFeatures(topScore: number): AnswerFeatures {
  return {
    leadCoverage: 0,
    leadScore: 0,
    margin: 0,
    bm25: round(1 - Math.exp(-topScore / 12)),
    leadRank: 0,
    topCoverage: 0,
    figureFit: 0,
    askFit: 0,
    agreement: 0,
    dense: 0,
    leadFused: 0,
    leadMatched: 0,
    denseTop: 0,
    leadBm25: 0,
    leadDense: 0,
  }
}

/**
 * The model for BM25-only retrieval (TAXKB_EMBEDDER=none, or the model not fetched): the dense features are
 * constant there, so the hybrid model's weights on them would refuse nearly everything. Fitted on dev the
 * same way with the embedder off (`TAXKB_EMBEDDER=none npx tsx eval/fit-abstention.ts --cost 4`; threshold 0.71).
 */
export const ABSTENTION_MODEL_BM25 = {
  weights: {
    leadCoverage: -0.372,
    leadScore: 1.007,
    margin: -0.612,
    bm25: 0.289,
    leadRank: 0.331,
    topCoverage: 1.087,
    figureFit: -0.012,
    askFit: 0.519,
    agreement: 0,
    dense: 0,
    leadFused: 0.085,
    leadMatched: -0.876,
    denseTop: 0,
    leadBm25: 0.839,
    leadDense: 0,
  } as Record<(typeof FEATURE_NAMES)[number], number>,
  bias: -2.536,
}

/** The fitted model for how retrieval ran: hybrid (dense signals present) or BM25 alone. */
export function modelFor(dense: boolean): typeof ABSTENTION_MODEL {
  return dense ? ABSTENTION_MODEL : ABSTENTION_MODEL_BM25
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
