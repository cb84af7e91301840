/**
 * What an answer says about a policy source, pure: the citation fields (文号, clause, validity at the
 * answer's date, official URL, the document to open for the full text) and the period note.
 */
import type { Entry } from '../../knowledge/entry.js'
import { policyEntryValidityAt } from '../../knowledge/policy-validity.js'
import type { QuestionPeriod } from './period.js'

export interface PolicyCitationFields {
  docNumber?: string
  clause?: string
  validity?: string
  validityNote?: string
  url?: string
  documentId?: string
}

export function policyCitation(e: Entry, at: string): PolicyCitationFields {
  if (e.kind !== 'policy' || !e.policy) return e.source.url ? { url: e.source.url } : {}
  const v = policyEntryValidityAt(e, at)
  return {
    docNumber: e.policy.docNumber,
    ...(e.policy.label ? { clause: e.policy.label } : {}),
    ...(v ? { validity: v.validity, validityNote: v.label } : {}),
    ...(e.source.url ? { url: e.source.url } : {}),
    documentId: e.policy.documentId ?? e.id,
  }
}

/** 「以下按2025年（截至2025-12-31）有效的规定回答。」 */
export function periodNote(p: QuestionPeriod): string {
  return `提示：您问的是${p.label}的情况，以下按 ${p.at} 当日有效的规定回答，现行规定可能已有变化。`
}

/** How a policy source is named in an answer: 《标题》（文号）第一条 / 一（一）. */
export function policySourceLabel(e: Entry): string | null {
  if (e.kind !== 'policy' || !e.policy) return null
  const label = e.policy.label && e.policy.label !== '正文' ? e.policy.label : ''
  const clause = label ? (/^[一二三四五六七八九十百]+$/.test(label) ? `第${label}条` : label) : ''
  return `${e.policy.docNumber}${clause ? ` ${clause}` : ''}`
}
