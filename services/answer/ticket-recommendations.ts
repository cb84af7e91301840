/**
 * 推荐知识 for a ticket in the agent console (issue 20 item 10): the chat's own retrieval (Retriever: hybrid
 * BM25 + dense passages, answer kinds only — no 税案通报 —, in force today, the ticket's region lineage) over
 * the ticket's question plus what the taxpayer said before it, so an elliptical 「那要交多少」 handed off after
 * 「我是小规模纳税人…」 still finds the rule. Each recommendation carries the passage snippet and its citation.
 */
import type { Entry } from '../../knowledge/entry.js'
import { chinaDate, type Clock } from '../shared/clock.js'
import { CONFIDENTIAL_TEXT } from '../tickets/confidentiality.js'
import { makeSnippet } from '../search/snippet.js'
import type { QueryTerms } from '../search/analyzer.js'
import { sourceText } from './extractive-answer.js'
import { policySourceLabel } from './policy-citation.js'
import type { Retriever } from './retrieval.js'

export interface RecommendationInput {
  question: string
  /** The ticket's transcript as the viewer may see it (masked; empty for a sealed ticket). */
  transcript: readonly { role: string; text: string; intent?: string | undefined }[]
  regionCode: string | null
}

export interface Recommendation {
  id: string
  kind: Entry['kind']
  title: string
  layer: Entry['layer']
  regionCode: string | null
  /** HTML-escaped passage text with <mark> around the question's terms. */
  snippet: string
  /** Where the text comes from, as an answer cites it: 《个人所得税法》第六条, a 公告's 文号 and clause, a source. */
  citation: string
  /** The passage's label within the entry (「第一款（三）」「办理材料」), empty for a whole entry. */
  passage: string
}

/** A turn that only asks for a person adds nothing to what the question is about. */
const ASKS_FOR_HUMAN = /^(转人工|人工|人工服务|人工客服|找人工|我要人工|转接人工)[。！!？?]*$/
const SNIPPET_CHARS = 120

/**
 * Pure: the ticket's question first, then the taxpayer's earlier turns (newest first) that add something,
 * within `maxChars`. Assistant and agent turns are left out: they are answers, not the question.
 */
export function recommendationQuery(
  input: Pick<RecommendationInput, 'question' | 'transcript'>,
  maxChars: number,
): string {
  // Sealed text (「（保密）…」, a viewer without confidential:read) is not searched with.
  const usable = (text: string) => !!text && !text.startsWith(CONFIDENTIAL_TEXT)
  const question = input.question.trim()
  const parts = usable(question) ? [question] : []
  const users = input.transcript.filter((t) => t.role === 'user' && t.intent !== 'human').map((t) => t.text.trim())
  for (const text of users.reverse()) {
    if (!usable(text) || ASKS_FOR_HUMAN.test(text) || parts.some((p) => p.includes(text))) continue
    if ([...parts, text].join('；').length > maxChars) break
    parts.push(text)
  }
  return parts.join('；').slice(0, maxChars)
}

/** Pure: how an answer names the source of an entry. */
export function citationLabel(e: Entry): string {
  if (e.law) return `《${e.law.shortName}》${e.law.article}`
  const policy = policySourceLabel(e)
  if (policy) return policy
  return e.source.docNumber ? `${e.source.title}（${e.source.docNumber}）` : e.source.title
}

export class TicketRecommender {
  constructor(
    private readonly retriever: Retriever,
    private readonly analyzer: { query(text: string, options?: { synonyms?: boolean }): QueryTerms },
    private readonly clock: Clock,
    private readonly maxQueryChars: number,
  ) {}

  async recommend(input: RecommendationInput, limit = 5): Promise<Recommendation[]> {
    const query = recommendationQuery(input, Math.min(this.maxQueryChars, 500))
    if (!/[\p{L}\p{N}]/u.test(query)) return []
    const today = chinaDate(this.clock.now())
    // Clauses of one 公告 are separate entries: more are fetched so one document does not fill the list.
    const retrieval = await this.retriever.retrieve(query, {
      regionCode: input.regionCode,
      today,
      synonyms: true,
      limit: limit * 3,
    })
    const terms = this.analyzer.query(query, { synonyms: false }).original
    const seen = new Set<string>()
    const sources = retrieval.sources.filter(({ entry }) => {
      const doc = entry.policy?.documentId ?? entry.id
      if (seen.has(doc)) return false
      seen.add(doc)
      return true
    })
    return sources.slice(0, limit).map(({ entry, passage }) => ({
      id: entry.id,
      kind: entry.kind,
      title: entry.title,
      layer: entry.layer,
      regionCode: entry.regionCode,
      snippet: makeSnippet(passage?.text || sourceText(entry), terms, SNIPPET_CHARS),
      citation: citationLabel(entry),
      passage: passage?.label ?? '',
    }))
  }
}
