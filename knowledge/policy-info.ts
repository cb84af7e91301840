/**
 * Policy documents (国家税务总局公告, 财政部 税务总局公告, 财税〔…〕号 …) as knowledge: the `policy` field of an
 * entry of kind `policy`. One document is stored as one *document* entry (id = the 文号 exactly as issued,
 * e.g. `国家税务总局公告2026年第4号`, `财政部 税务总局公告2026年第10号`; body = the full text) plus one
 * *clause* entry per clause passage (id = `<文号>#<clause label>`, e.g. `财政部 税务总局公告2026年第10号#一`,
 * `…#二（一）`, `国家税务总局公告2023年第16号#第三条`). Clause entries are derived from the document by
 * knowledge/policy-clauses.ts whenever it is imported or published; editors work on the document only.
 *
 * Relations (repeals / amends / extends / implements …) are parsed from the text by
 * knowledge/policy-relations.ts; the ones other documents hold against this one are stored here too
 * (`repealedBy`, `amendedBy`) so validity at any date is a pure function (knowledge/policy-validity.ts).
 */
import { Type, type Static } from '@sinclair/typebox'

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })

export const RELATION_TYPES = ['repeals', 'amends', 'extends', 'implements', 'effective', 'expires'] as const
export type RelationType = (typeof RELATION_TYPES)[number]

export const PolicyRelationSchema = Type.Object(
  {
    type: Type.Union(RELATION_TYPES.map((t) => Type.Literal(t))),
    /** 文号 of the other document, or a law-article id (`增值税法#第二十四条`) for `implements`; absent when
     * the text names no document (e.g. 「…前制发文件规定的…优惠政策同时停止执行」 or 「见附件」). */
    target: Type.Optional(Type.String({ maxLength: 200 })),
    targetTitle: Type.Optional(Type.String({ maxLength: 300 })),
    /** Which part of the target, when not the whole document: 「第二条第（三）项」, 「附件1」… */
    targetPart: Type.Optional(Type.String({ maxLength: 200 })),
    /** The date the relation takes effect (ISO, China time); null when the text gives none. */
    effectiveDate: Type.Union([IsoDate, Type.Null()]),
    /** Clause label of this document that states the relation. */
    clause: Type.String({ maxLength: 60 }),
    /** The sentence it was read from (for the editor to check). */
    quote: Type.String({ maxLength: 2000 }),
    /** `parsed` from the text, or `source` (stated by the data's supersedes/supersededBy), or `editor`. */
    origin: Type.Union([Type.Literal('parsed'), Type.Literal('source'), Type.Literal('editor')]),
  },
  { additionalProperties: false },
)

/** What another document does to this one (the inverse of a `repeals` / `amends` relation). */
export const IncomingRelationSchema = Type.Object(
  {
    by: Type.String({ maxLength: 200 }),
    effectiveDate: Type.Union([IsoDate, Type.Null()]),
    targetPart: Type.Optional(Type.String({ maxLength: 200 })),
    /** Clause labels of this document the part was resolved to (`第一条` → `第一条`, `一`). */
    clauses: Type.Optional(Type.Array(Type.String({ maxLength: 60 }), { maxItems: 200 })),
    /** `stated` by the data (supersededBy) — kept when the links are recomputed; absent = linked from the text. */
    origin: Type.Optional(Type.Literal('stated')),
  },
  { additionalProperties: false },
)

export const ClauseRefSchema = Type.Object(
  {
    label: Type.String({ minLength: 1, maxLength: 60 }),
    heading: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
)

export const PolicyInfoSchema = Type.Object(
  {
    part: Type.Union([Type.Literal('document'), Type.Literal('clause')]),
    docNumber: Type.String({ minLength: 1, maxLength: 200 }),
    issuers: Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 }),
    category: Type.String({ maxLength: 60 }),
    /** The tax the document is about, as the official library classifies it (增值税, 个人所得税, 税费征管 …). */
    taxTopic: Type.Optional(Type.String({ maxLength: 60 })),
    publishedAt: Type.Union([IsoDate, Type.Null()]),
    /** The official library's 时效性 flag when the text was copied (全文有效 / 已修改 / 尚未生效 …); informative. */
    officialValidity: Type.Optional(Type.String({ maxLength: 20 })),
    /** Document entries: its clause passages, in order (their text is in the clause entries). */
    clauses: Type.Optional(Type.Array(ClauseRefSchema, { maxItems: 1000 })),
    /** First day no longer in force by its own terms (「执行至2027年12月31日」 → 2028-01-01); null = open-ended.
     * The entry's effectiveTo is the earlier of this and a repeal by another document. */
    ownEnd: Type.Union([IsoDate, Type.Null()]),
    attachments: Type.Array(Type.String({ maxLength: 300 }), { maxItems: 100 }),
    relations: Type.Array(PolicyRelationSchema, { maxItems: 500 }),
    repealedBy: Type.Array(IncomingRelationSchema, { maxItems: 50 }),
    amendedBy: Type.Array(IncomingRelationSchema, { maxItems: 50 }),
    /** Clause entries: the document entry id, the clause label and heading. */
    documentId: Type.Optional(Type.String({ maxLength: 200 })),
    label: Type.Optional(Type.String({ maxLength: 60 })),
    heading: Type.Optional(Type.String({ maxLength: 300 })),
  },
  { additionalProperties: false },
)

export type PolicyRelation = Static<typeof PolicyRelationSchema>
export type IncomingRelation = Static<typeof IncomingRelationSchema>
export type PolicyInfo = Static<typeof PolicyInfoSchema>

/** `<文号>#<clause label>`: the id of a clause passage. */
export function clauseId(docNumber: string, label: string): string {
  return `${docNumber}#${label}`
}

/** Spaces and bracket variants do not distinguish 文号: 「国税函[1999]37号」 = 「国税函〔1999〕37号」. */
export function docNumberKey(docNumber: string): string {
  return docNumber
    .normalize('NFKC')
    .replace(/\s+/g, '')
    .replace(/[[［【〔(（]/g, '〔')
    .replace(/[\]］】〕)）]/g, '〕')
    .replace(/公告〔(\d{4})〕(\d+)号$/, '公告$1年第$2号')
}

/**
 * Whether an entry goes into the search index. A policy *document* entry does not: its text is indexed
 * once, as its clause passages (which carry the 文号 in their titles), so a 公告 never competes with its
 * own clauses and answers quote the clause that states the rule. The document stays in the store for
 * GET /api/entries/:id (full text), the editor and validity.
 */
export function isIndexed(e: { kind: string; policy?: { part: 'document' | 'clause' } | undefined }): boolean {
  return e.kind !== 'policy' || e.policy?.part !== 'document'
}
