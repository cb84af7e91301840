/**
 * Validity of a policy document or clause at a given date, pure. Computed from the dates and relations,
 * not copied from the source's flag, so a document repealed by another is retired on the repeal date
 * without any job, and a question about 2025 sees the rules that were valid in 2025.
 *
 * Document: 尚未生效 (before effectiveFrom) · 全文废止 (repealed as a whole by a document in effect on that
 * date) · 失效 (its own term ended: 「执行至2027年12月31日」) · 部分有效 (some clauses repealed or amended,
 * or the official library flags it 已修改) · 全文有效.
 * Clause: 尚未生效 · 已废止 · 失效 · 已修改 · 有效.
 */
import type { IncomingRelation } from './policy-info.js'

export const DOCUMENT_VALIDITY = ['全文有效', '部分有效', '全文废止', '失效', '尚未生效'] as const
export type DocumentValidity = (typeof DOCUMENT_VALIDITY)[number]
export const CLAUSE_VALIDITY = ['有效', '已修改', '已废止', '失效', '尚未生效'] as const
export type ClauseValidity = (typeof CLAUSE_VALIDITY)[number]

export interface ValidityInput {
  effectiveFrom: string | null
  /** First day no longer in force by the document's (or clause's) own terms; null = open-ended. */
  ownEnd: string | null
  repealedBy: readonly IncomingRelation[]
  amendedBy: readonly IncomingRelation[]
  officialValidity?: string | undefined
}

export interface ValidityAt<V extends string> {
  validity: V
  /** When the current state began (the repeal or expiry date, or effectiveFrom for 尚未生效). */
  since: string | null
  /** The document that repealed or amended it. */
  by: string | null
  /** Chinese one-liner for citations and the editor: 「自2026-01-01起全文废止（国家税务总局公告2026年第4号）」. */
  label: string
}

const inEffect = (r: IncomingRelation, date: string) => r.effectiveDate === null || r.effectiveDate <= date
const whole = (r: IncomingRelation) => !r.targetPart && (r.clauses === undefined || r.clauses.length === 0)

/** The first day a document stops being in force: the earliest whole repeal or its own end. */
export function documentEnd(v: Pick<ValidityInput, 'ownEnd' | 'repealedBy'>): string | null {
  const dates = [v.ownEnd, ...v.repealedBy.filter(whole).map((r) => r.effectiveDate)].filter((d): d is string => !!d)
  return dates.sort()[0] ?? null
}

export function documentValidityAt(v: ValidityInput, date: string): ValidityAt<DocumentValidity> {
  if (v.effectiveFrom && date < v.effectiveFrom) {
    return { validity: '尚未生效', since: null, by: null, label: `尚未生效（自${v.effectiveFrom}起施行）` }
  }
  const repeal = v.repealedBy.filter((r) => whole(r) && inEffect(r, date)).sort(byDate)[0]
  if (repeal)
    return {
      validity: '全文废止',
      since: repeal.effectiveDate,
      by: repeal.by,
      label: `${from(repeal.effectiveDate)}全文废止（${repeal.by}）`,
    }
  if (v.ownEnd && date >= v.ownEnd)
    return { validity: '失效', since: v.ownEnd, by: null, label: `${from(v.ownEnd)}失效（执行期满）` }
  const partial = [...v.repealedBy.filter((r) => !whole(r)), ...v.amendedBy]
    .filter((r) => inEffect(r, date))
    .sort(byDate)
  const last = partial[partial.length - 1]
  if (last)
    return {
      validity: '部分有效',
      since: last.effectiveDate,
      by: last.by,
      label: `部分有效（部分条款已被${last.by}废止或修改）`,
    }
  if (v.officialValidity === '已修改')
    return { validity: '部分有效', since: null, by: null, label: '部分有效（政策法规库标注为已修改）' }
  return { validity: '全文有效', since: v.effectiveFrom, by: null, label: '全文有效' }
}

/** A clause: the document's state, then what other documents did to this clause. */
export function clauseValidityAt(
  doc: ValidityInput,
  clause: { label: string; ownEnd: string | null; effectiveFrom: string | null },
  date: string,
): ValidityAt<ClauseValidity> {
  const d = documentValidityAt(doc, date)
  if (d.validity === '尚未生效') return { ...d, validity: '尚未生效' }
  const start = clause.effectiveFrom
  if (start && date < start)
    return { validity: '尚未生效', since: null, by: null, label: `尚未生效（自${start}起执行）` }
  if (d.validity === '全文废止') return { ...d, validity: '已废止' }
  if (d.validity === '失效') return { ...d, validity: '失效' }
  const hits = (rels: readonly IncomingRelation[]) =>
    rels.filter((r) => inEffect(r, date) && (r.clauses ?? []).some((l) => sameClause(l, clause.label))).sort(byDate)
  const repealed = hits(doc.repealedBy)[0]
  if (repealed)
    return {
      validity: '已废止',
      since: repealed.effectiveDate,
      by: repealed.by,
      label: `本条${from(repealed.effectiveDate)}废止（${repealed.by}）`,
    }
  if (clause.ownEnd && date >= clause.ownEnd)
    return { validity: '失效', since: clause.ownEnd, by: null, label: `本条${from(clause.ownEnd)}失效（执行期满）` }
  const amended = hits(doc.amendedBy)[0]
  if (amended)
    return { validity: '已修改', since: amended.effectiveDate, by: amended.by, label: `本条已被${amended.by}修改` }
  return { validity: '有效', since: start, by: null, label: '有效' }
}

/** 「二」 covers 「二（一）」; 「第一条」 is 「一」 of an enumerated 公告 (repeals often say 第一条 for 「一、」). */
export function sameClause(named: string, label: string): boolean {
  const norm = (s: string) => s.replace(/^第(.+)条$/, '$1').replace(/^第(.+)条（/, '$1（')
  const a = norm(named)
  const b = norm(label)
  return a === b || b.startsWith(`${a}（`)
}

function byDate(a: IncomingRelation, b: IncomingRelation): number {
  return (a.effectiveDate ?? '').localeCompare(b.effectiveDate ?? '')
}

function from(date: string | null): string {
  return date ? `自${date}起` : ''
}

/** Whether a validity may be presented as the rule in force. */
export function isCurrent(v: DocumentValidity | ClauseValidity): boolean {
  return v === '全文有效' || v === '部分有效' || v === '有效' || v === '已修改'
}

/** The validity of a policy entry (document or clause) at a date, from the fields the builder stored. */
export function policyEntryValidityAt(
  e: { effectiveFrom: string | null; policy?: PolicyInfoLike | undefined },
  date: string,
): ValidityAt<DocumentValidity> | ValidityAt<ClauseValidity> | null {
  const p = e.policy
  if (!p) return null
  const wholeRepeals = p.repealedBy.filter(whole)
  if (p.part === 'document') {
    return documentValidityAt(
      {
        effectiveFrom: e.effectiveFrom,
        ownEnd: p.ownEnd,
        repealedBy: p.repealedBy,
        amendedBy: p.amendedBy,
        officialValidity: p.officialValidity,
      },
      date,
    )
  }
  const doc: ValidityInput = { effectiveFrom: null, ownEnd: null, repealedBy: wholeRepeals, amendedBy: [] }
  const clauseDoc = { ...doc, repealedBy: p.repealedBy, amendedBy: p.amendedBy }
  const v = clauseValidityAt(
    clauseDoc,
    { label: p.label ?? '', ownEnd: p.ownEnd, effectiveFrom: e.effectiveFrom },
    date,
  )
  return v
}

interface PolicyInfoLike {
  part: 'document' | 'clause'
  ownEnd: string | null
  label?: string | undefined
  officialValidity?: string | undefined
  repealedBy: readonly IncomingRelation[]
  amendedBy: readonly IncomingRelation[]
}
