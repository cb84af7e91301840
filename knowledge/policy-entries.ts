/**
 * Policy documents → knowledge entries, pure. `buildPolicy` turns one document (its full text and metadata)
 * into a document entry and its clause entries; `linkPolicies` then applies, across a set of documents,
 * what each one does to the others (repeals / amends, by date and clause), which fixes every entry's
 * effectiveTo so that search filters retire a repealed rule on its date without any job.
 */
import type { Entry } from './entry.js'
import { splitClauses, type Clause } from './policy-clauses.js'
import { clauseId, docNumberKey, type IncomingRelation, type PolicyInfo, type PolicyRelation } from './policy-info.js'
import { clauseLabelIn, clauseNumbersIn, isoDate, nextDay, parseRelations, type LawTitles } from './policy-relations.js'
import { documentEnd, sameClause } from './policy-validity.js'

export type PolicyDraftEntry = Omit<Entry, 'version' | 'updatedAt'>

export interface PolicyDocumentInput {
  docNumber: string
  title: string
  issuers: string[]
  category: string
  taxTopic?: string | undefined
  publishedAt: string | null
  effectiveFrom: string | null
  fullText: string
  sourceUrl?: string | undefined
  provenance?: string | undefined
  officialValidity?: string | undefined
  tags?: string[]
  /** Relations stated by the data rather than the text (the shared records' supersedes / supersededBy). */
  statedRelations?: PolicyRelation[]
  /** Repeals of this document that the data states (supersededBy) although the repealing text is absent. */
  statedRepealedBy?: IncomingRelation[]
  layer?: Entry['layer']
  regionCode?: string | null
}

export interface BuiltPolicy {
  document: PolicyDraftEntry
  clauses: PolicyDraftEntry[]
}

const PERIOD = /^自(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?(?:至(\d{4})年(\d{1,2})月(\d{1,2})日)?/
/** 「在2022年10月1日至2023年12月31日期间，纳税人…」 and 「根据《…》规定，在…至…期间，…」: the rule's own window. */
const WINDOW =
  /^(?:根据[^。；]*?规定[，,])?在(\d{4})年(\d{1,2})月(\d{1,2})日(?:起)?至(\d{4})年(\d{1,2})月(\d{1,2})日(?:止)?期间[，,]/

/** The earliest of these ISO dates, or null. */
function earliest(dates: readonly (string | null | undefined)[]): string | null {
  return dates.filter((d): d is string => !!d).sort()[0] ?? null
}

/** The latest of these ISO dates, or null. */
function latest(dates: readonly (string | null | undefined)[]): string | null {
  return (
    dates
      .filter((d): d is string => !!d)
      .sort()
      .pop() ?? null
  )
}

/** A clause's own period, from its first sentence (「自2026年1月1日至2027年12月31日，…」). */
export function clausePeriod(c: Clause): { from: string | null; end: string | null } {
  const own = c.lead && c.text.startsWith(c.lead) ? c.text.slice(c.lead.length) : c.text
  const lines = own.split('\n')
  const candidates = [lines[0] ?? '', lines[1] ?? ''].map((l) =>
    l.replace(/^[一二三四五六七八九十]+、|^[（(][一二三四五六七八九十]+[）)]|^第[一二三四五六七八九十百]+条\s*/, ''),
  )
  if (c.lead)
    candidates.push(
      ...c.lead
        .split('\n')
        .slice(1)
        .map((l) => l.trim()),
    )
  for (const text of candidates) {
    const m = PERIOD.exec(text) ?? WINDOW.exec(text)
    if (!m) continue
    const from = isoDate(m as RegExpExecArray)
    const end = m[4] ? nextDay(isoDate([m[0], m[4], m[5], m[6]] as unknown as RegExpExecArray) as string) : null
    return { from, end }
  }
  return { from: null, end: null }
}

export function buildPolicy(input: PolicyDocumentInput, laws?: LawTitles): BuiltPolicy {
  const { clauses, attachments } = splitClauses(input.fullText, input.issuers)
  const relations = [
    ...parseRelations(
      { docNumber: input.docNumber, publishedAt: input.publishedAt, effectiveFrom: input.effectiveFrom, clauses },
      laws,
    ),
  ]
  for (const r of input.statedRelations ?? []) {
    const dup = relations.some(
      (x) => x.type === r.type && x.target && r.target && docNumberKey(x.target) === docNumberKey(r.target),
    )
    if (!dup) relations.push(r)
  }
  const effective = relations.find((r) => r.type === 'effective')?.effectiveDate ?? null
  const effectiveFrom = input.effectiveFrom ?? effective ?? input.publishedAt
  // the document's own end: a self `expires` naming no clauses (「本公告第一条和第二条…终止执行」 ends those only)
  const ownEnd = earliest(
    relations.filter((r) => r.type === 'expires' && !r.target && !r.targetPart).map((r) => r.effectiveDate),
  )
  const ownTerms = (label: string) => {
    const mine = relations.filter(
      (r) => !r.target && r.targetPart && clauseLabelIn(label, clauseNumbersIn(r.targetPart)),
    )
    return {
      from: mine.find((r) => r.type === 'effective')?.effectiveDate ?? null,
      end: earliest(mine.filter((r) => r.type === 'expires').map((r) => r.effectiveDate)),
    }
  }
  const implemented = relations
    .filter((r) => r.type === 'implements' && r.target?.includes('#'))
    .map((r) => r.target as string)
  const layer = input.layer ?? 'national'
  const regionCode = input.regionCode ?? null
  const tags = [...new Set([input.category, ...(input.tags ?? [])].filter(Boolean))].slice(0, 40)
  const source = {
    title: input.title,
    docNumber: input.docNumber,
    issuer: input.issuers.join(' '),
    ...(input.sourceUrl ? { url: input.sourceUrl } : {}),
    ...(input.publishedAt ? { publishedAt: input.publishedAt } : {}),
    ...(input.provenance ? { provenance: input.provenance.slice(0, 1000) } : {}),
  }
  const base: Omit<PolicyInfo, 'part'> = {
    docNumber: input.docNumber,
    issuers: input.issuers,
    category: input.category,
    ...(input.taxTopic ? { taxTopic: input.taxTopic } : {}),
    publishedAt: input.publishedAt,
    ...(input.officialValidity ? { officialValidity: input.officialValidity } : {}),
    ownEnd,
    attachments: [],
    relations: [],
    repealedBy: [...(input.statedRepealedBy ?? [])],
    amendedBy: [],
  }
  const document: PolicyDraftEntry = {
    id: input.docNumber,
    kind: 'policy',
    title: input.title,
    body: input.fullText,
    source,
    layer,
    regionCode,
    effectiveFrom,
    effectiveTo: documentEnd({ ownEnd, repealedBy: base.repealedBy }),
    status: 'published',
    tags,
    citedArticleIds: [...new Set(implemented)],
    policy: {
      ...base,
      part: 'document',
      attachments: attachments.slice(0, 100),
      relations: relations.slice(0, 500),
      clauses: clauses.map((c) => ({ label: c.label, ...(c.heading ? { heading: c.heading.slice(0, 300) } : {}) })),
    },
  }
  const clauseEntries = clauses.map((c): PolicyDraftEntry => {
    const period = clausePeriod(c)
    const terms = ownTerms(c.label)
    const from = latest([effectiveFrom, period.from, terms.from])
    const end = earliest([ownEnd, period.end, terms.end])
    return {
      id: clauseId(input.docNumber, c.label),
      kind: 'policy',
      // 「财政部 税务总局公告2026年第10号 一、增值税起征点标准」: the 文号, the label and the heading name the rule
      // and stay short, so the heading's words weigh in the title field; the document title goes to the tags.
      // The heading (「增值税起征点标准」) names the rule; without one, the document title. The 文号 and label
      // are not in the title (their tokens would dilute it): they are in tags and in `policy`, and citations
      // print them (「财政部 税务总局公告2026年第10号 第一条」).
      title: clauseTitle(input.title, c),
      body: c.text,
      source,
      layer,
      regionCode,
      effectiveFrom: from,
      effectiveTo: end,
      status: 'published',
      // the document title is a tag only where it is not already the clause's title (no double weight)
      tags: [input.docNumber.slice(0, 50), ...(headingText(c) ? [input.title.slice(0, 50)] : []), ...tags].slice(0, 50),
      citedArticleIds: [
        ...new Set(
          relations
            .filter((r) => r.clause === c.label && r.type === 'implements' && r.target?.includes('#'))
            .map((r) => r.target as string),
        ),
      ],
      policy: {
        ...base,
        ownEnd: end,
        part: 'clause',
        documentId: input.docNumber,
        label: c.label,
        ...(c.heading ? { heading: c.heading.slice(0, 300) } : {}),
        relations: relations.filter((r) => r.clause === c.label),
      },
    }
  })
  return { document, clauses: clauseEntries }
}

function headingText(c: Clause): string {
  if (!c.heading || [...c.heading].length > 40 || /[：:]$/.test(c.heading)) return ''
  return c.heading.replace(/^[一二三四五六七八九十]+、|^第[一二三四五六七八九十百]+条\s*/, '').trim()
}

function clauseTitle(docTitle: string, c: Clause): string {
  return (headingText(c) || `${docTitle} ${c.label === '正文' ? '序言' : c.label}`).slice(0, 300)
}

/** 「第二条第（三）项、第五条」 → the clause labels of the target it names (「二」/「第二条」, 「五」/「第五条」). */
export function clausesNamed(targetPart: string, labels: readonly string[]): string[] {
  // 「第一、二、三条」 names three clauses
  const named = [...targetPart.matchAll(/第([一二三四五六七八九十百、]+)条/g)].flatMap((m) =>
    (m[1] as string).split('、').filter(Boolean),
  )
  return labels.filter((l) => named.some((n) => sameClause(`第${n}条`, l) || sameClause(n, l)))
}

/**
 * Applies every `repeals` / `amends` relation whose target is in the set, in place: the target gets the
 * incoming relation (on the document, and on the clauses it names), and effectiveTo follows. Returns the
 * 文号 that relations name but the set does not hold (the editors' "documents cited but missing").
 */
export function linkPolicies(built: BuiltPolicy[]): { missing: Map<string, string[]> } {
  const byKey = new Map(built.map((b) => [docNumberKey(b.document.id), b]))
  const missing = new Map<string, string[]>()
  for (const b of built) {
    const rels = b.document.policy?.relations ?? []
    for (const r of rels) {
      if ((r.type !== 'repeals' && r.type !== 'amends') || !r.target) continue
      const target = byKey.get(docNumberKey(r.target))
      if (!target) {
        const list = missing.get(r.target) ?? []
        if (!list.includes(b.document.id)) list.push(b.document.id)
        missing.set(r.target, list)
        continue
      }
      const labels = (target.document.policy?.clauses ?? []).map((c) => c.label)
      const named = r.targetPart ? clausesNamed(r.targetPart, labels) : []
      const incoming: IncomingRelation = {
        by: b.document.id,
        effectiveDate: r.effectiveDate,
        ...(r.targetPart ? { targetPart: r.targetPart } : {}),
        ...(named.length > 0 ? { clauses: named } : {}),
      }
      addIncoming(target, r.type, incoming)
    }
  }
  for (const b of built) settleDates(b)
  return { missing }
}

function addIncoming(target: BuiltPolicy, type: 'repeals' | 'amends', incoming: IncomingRelation): void {
  const key = type === 'repeals' ? 'repealedBy' : 'amendedBy'
  const push = (p: PolicyInfo | undefined, rel: IncomingRelation) => {
    if (!p) return
    if (p[key].some((x) => x.by === rel.by && x.targetPart === rel.targetPart)) return
    p[key].push(rel)
  }
  push(target.document.policy, incoming)
  const whole = !incoming.targetPart
  for (const c of target.clauses) {
    const label = c.policy?.label ?? ''
    if (whole) push(c.policy, incoming)
    else if (incoming.clauses?.some((n) => sameClause(n, label))) push(c.policy, { ...incoming, clauses: [label] })
  }
}

/** effectiveTo = the earliest of the own end, a whole repeal and (for a clause) a repeal of that clause. */
function settleDates(b: BuiltPolicy): void {
  const d = b.document
  if (d.policy) d.effectiveTo = documentEnd({ ownEnd: d.policy.ownEnd, repealedBy: d.policy.repealedBy })
  for (const c of b.clauses) {
    const p = c.policy
    if (!p) continue
    const hits = p.repealedBy
      .filter((r) => !r.targetPart || (r.clauses ?? []).includes(p.label ?? ''))
      .map((r) => r.effectiveDate)
    const dates = [p.ownEnd, d.effectiveTo, ...hits].filter((x): x is string => !!x).sort()
    c.effectiveTo = dates[0] ?? null
  }
}
