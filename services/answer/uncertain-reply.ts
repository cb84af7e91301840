/**
 * Pure: the wording of a reply below the answer threshold (不确定 + 转人工), by what the evidence is.
 * - `relevant`: the model rates the lead passage more likely right than wrong, only not sure enough to answer
 *   (a wrong answer costs more than a missed one). Saying 「知识库中没有找到…依据」 there would be untrue: the
 *   reply says which rule is closest and that it cannot confirm it covers the taxpayer's case.
 * - `period`: a time-sensitive question (「2026年…还有吗」) that no dated source covers: the statute (or, when the
 *   evidence opens with an FAQ, a 公告 or a guide, 「知识库中已收录的相关内容」) is given, and the missing current
 *   document is named as the reason.
 * - `weak`: the closest provisions are shown as reference only.
 * Every band opens with 「不确定：」 and ends with the 转人工 advice; none presents a rule as the answer.
 */
import { REPLIES } from './replies.js'

export type UncertainBand = 'relevant' | 'period' | 'weak'

export function uncertainBand(input: { capped: boolean; evenOdds: boolean }): UncertainBand {
  if (input.capped) return 'period'
  return input.evenOdds ? 'relevant' : 'weak'
}

export function uncertainReply(input: {
  band: UncertainBand
  /** The years the question names (「2026」), for the period band. */
  years: readonly string[]
  /** Notes to keep (a past period, a repealed article), in order. */
  notes: readonly string[]
  /** The composed extractive answer (lead passage first, with citations); may be empty. */
  evidence: string
  /** Whether the evidence opens with a statute (the period band calls it 法律法规条文 only then). Default true. */
  statuteLead?: boolean
}): string {
  const { band, evidence } = input
  if (!evidence) return [REPLIES.lowConfidence, ...input.notes, REPLIES.lowConfidenceTail].join('\n')
  const opening =
    band === 'relevant'
      ? REPLIES.uncertainRelevant
      : band === 'period'
        ? REPLIES.uncertainPeriod(input.years.join('、'), input.statuteLead ?? true)
        : REPLIES.lowConfidence
  const lead = band === 'weak' ? `可供参考的相关规定：\n${evidence}` : evidence
  const tail = band === 'weak' ? REPLIES.lowConfidenceTail : REPLIES.uncertainTail
  return [opening, ...input.notes, lead, tail].join('\n')
}
