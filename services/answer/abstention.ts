/**
 * Pure: answer or 不确定 + 转人工, from features of the retrieval and of the passage that would open the reply.
 * A logistic model, fitted on the dev split only (`npx tsx eval/fit-abstention.ts` / see README "How
 * abstention is decided"); its decision threshold is folded into the bias so that 0.5 (the default
 * TAXKB_CONFIDENCE_THRESHOLD) is the tuned operating point.
 */
import { coverage } from './confidence.js'
import { askFit, type DirectAnswer } from './direct-answer.js'
import { ASKS_FIGURE, typeFit } from './question-type.js'
import type { Retrieval } from './retrieval.js'

export interface AnswerFeatures {
  /** Share of the question's content terms the lead passage (with its source title) covers. */
  leadCoverage: number
  /** Passage score of the lead (coverage × figure fit × rank × length), without its source's prior (a 公告 clause
   * weighs less in choosing the lead, not in how sure the lead is). */
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
  /** The lead passage gives the kind of answer the question form asks for (question-type.ts): 1, 0, or ½. */
  typeFit: number
  /** Share of the question's content terms the lead passage text covers on its own (no source title). */
  leadOwn: number
  /** Lead passage cosine − best cosine of an embedded passage of another source (0 without closeness). */
  denseMargin: number
  /** 1 / BM25 rank of the lead's source (0: BM25 did not retrieve it, or no signals). */
  leadBm25Rank: number
  /** 1 / dense rank of the lead's source (0: dense did not retrieve it, or no signals). */
  leadDenseRank: number
  /** The lead's source kind (a law article is the reference): FAQ, guide, 公告 clause. */
  leadFaq: number
  leadGuide: number
  leadPolicy: number
  /** The lead passage is a row of a table (「3｜超过…的部分｜20」): a figure cut from its header. */
  leadTableRow: number
}

export const FEATURE_NAMES = [
  ...['leadCoverage', 'leadScore', 'margin', 'bm25', 'leadRank', 'topCoverage', 'figureFit', 'askFit', 'agreement'],
  ...['dense', 'leadFused', 'leadMatched', 'denseTop', 'leadBm25', 'leadDense'],
  ...['typeFit', 'leadOwn', 'denseMargin', 'leadBm25Rank', 'leadDenseRank', 'leadFaq', 'leadGuide', 'leadPolicy'],
  ...['leadTableRow'],
] as const

export type FeatureName = (typeof FEATURE_NAMES)[number]

/**
 * A fitted logistic model over the features. Features absent from `weights` were left out by the fit (they did
 * not help on dev, see eval/fit-abstention.ts --drop) and weigh nothing.
 */
export interface AbstentionModel {
  weights: Partial<Record<FeatureName, number>>
  bias: number
  /** The fitted decision threshold folded into the bias (score 0.5 = this probability of a right reply). */
  threshold: number
}

/**
 * Weights and bias (threshold 0.77 folded in: least cost 4:1 among the thresholds where dev wrong-confident stays
 * ≤ 4 % both in sample and out of fold), fitted on dev with the hybrid retriever on the four features backward
 * selection keeps (mean out-of-fold AUC over shuffled 5-fold splits does not fall; 0.839): the lead passage's score
 * (its coverage, answer kind, rank and cosine to the question, without its source's prior), the lead passage's own
 * cosine to the question, whether it gives the kind of answer the question asks for, and the dense rank of its
 * source. Labels: labellers who did not tune the system judged each dev reply composed with abstention off against
 * eval/RUBRIC.md (good/partial = right): s5's 188 rows, the fresh batches 7 (120) and 8 (100; after its one
 * measurement as an unseen set), and the replies s6 changed: `npx tsx eval/fit-abstention.ts --labels F --select
 * --cv 5 --oof-cap --max-wrong 0.04` with F the comma-separated eval/judgements/2026-12-01-dev-{confident,b7-part1,
 * b7-part2,b8c-part1,b8c-part2,b8-shipped,relabel-s6a,relabel-s6b}.jsonl, on the 672 dev lines before batch 9 (400
 * decided dev rows, 257 right compositions; batch 9 and its labels came after this fit). In sample it answers 132 right at 6 wrong (1.5 %); out of fold 131
 * at 7. The lowest threshold within the 4 % cap (0.73, cost 2:1) answers 156 right at 15 wrong in sample, but on
 * common questions typed as a new user would (年终奖, 小规模季度25万要交吗, 研发加计扣除比例) it sends a neighbouring or
 * outdated rule as the answer; the 4:1 cost of a wrong answer, unchanged since s4, keeps 0.77. The 4 % cap (not 5 %)
 * was chosen in s5 after the test split's judge found 6.6 % wrong-confident at the 5 % dev point (README says so).
 */
export const ABSTENTION_MODEL: AbstentionModel = {
  weights: {
    leadScore: 0.481,
    leadDense: 6.464,
    typeFit: 0.781,
    leadDenseRank: 1.029,
  },
  bias: -7.096,
  threshold: 0.77,
}

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
    leadScore: round(lead.score / lead.prior),
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
    typeFit: typeFit(question, lead.text),
    leadOwn: round(lead.own),
    denseMargin: lead.dense !== null && direct.denseRunnerUp !== null ? round(lead.dense - direct.denseRunnerUp) : 0,
    leadBm25Rank: signals?.bm25 ? round(1 / signals.bm25.rank) : 0,
    leadDenseRank: signals?.dense ? round(1 / signals.dense.rank) : 0,
    leadFaq: lead.entry.kind === 'faq' ? 1 : 0,
    leadGuide: lead.entry.kind === 'guide' ? 1 : 0,
    leadPolicy: lead.entry.kind === 'policy' ? 1 : 0,
    leadTableRow: lead.row || lead.text.includes('｜') ? 1 : 0,
  }
}

export function noFeatures(topScore: number): AnswerFeatures {
  const zero = Object.fromEntries(FEATURE_NAMES.map((k) => [k, 0])) as Record<(typeof FEATURE_NAMES)[number], number>
  return { ...zero, bm25: round(1 - Math.exp(-topScore / 12)) }
}

/**
 * The model for BM25-only retrieval (TAXKB_EMBEDDER=none, or the model not fetched): the dense features are
 * constant there, so the hybrid model's weights on them would refuse nearly everything. Fitted on dev the
 * same way with the embedder off (`TAXKB_EMBEDDER=none npx tsx eval/fit-abstention.ts --select --cv 5`;
 * threshold 0.72, s4).
 */
export const ABSTENTION_MODEL_BM25: AbstentionModel = {
  weights: {
    topCoverage: 1.216,
    figureFit: 0.943,
    leadBm25: 1.663,
    typeFit: 0.854,
    leadBm25Rank: 0.572,
    leadPolicy: -0.929,
  },
  bias: -3.921,
  threshold: 0.73,
}

/** The fitted model for how retrieval ran: hybrid (dense signals present) or BM25 alone. */
export function modelFor(dense: boolean): AbstentionModel {
  return dense ? ABSTENTION_MODEL : ABSTENTION_MODEL_BM25
}

/** Probability-like score in 0..1 that the composed answer is right; ≥ 0.5 answers. */
export function abstentionScore(f: AnswerFeatures, model = ABSTENTION_MODEL): number {
  let z = model.bias
  // a feature added after the model was fitted weighs nothing until the next fit
  for (const k of FEATURE_NAMES) z += (model.weights[k] ?? 0) * f[k]
  return round(1 / (1 + Math.exp(-z)))
}

/**
 * Whether a score below the threshold still means "more likely right than wrong" (the unfolded probability is
 * at least ½): the abstaining reply then names the closest rule as such (uncertain-reply.ts).
 */
export function evenOdds(score: number, model: AbstentionModel): boolean {
  return score >= 1 - model.threshold
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000
}
