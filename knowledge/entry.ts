/**
 * The knowledge entry: one law article, FAQ, service guide (办税事项), hot topic or notice.
 * The TypeBox schema is the single source of truth: it validates imports and editor input, types the code,
 * and documents the HTTP API through the route schemas.
 */
import { Type, type Static } from '@sinclair/typebox'
import { TypeCompiler } from '@sinclair/typebox/compiler'
import { PolicyInfoSchema } from './policy-info.js'

/**
 * `policy` (appended): an official policy document (公告 / 规范性文件) or one of its clause passages, see
 * knowledge/policy-info.ts. Not folded into `notice`: a notice is a short service announcement, while a
 * policy document has a 文号, issuers, clause passages, typed relations and a validity that changes over time.
 */
export const ENTRY_KINDS = ['law-article', 'faq', 'guide', 'hot-topic', 'notice', 'policy'] as const
export const LAYERS = ['national', 'province', 'city'] as const
export const STATUSES = ['draft', 'review', 'published', 'retired'] as const

export type EntryKind = (typeof ENTRY_KINDS)[number]
export type Layer = (typeof LAYERS)[number]
export type EntryStatus = (typeof STATUSES)[number]

const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'ISO date YYYY-MM-DD (China time)' })
const Nullable = <T extends ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()])

export const EntryKindSchema = Type.Union(ENTRY_KINDS.map((k) => Type.Literal(k)))
export const LayerSchema = Type.Union(LAYERS.map((k) => Type.Literal(k)))
export const StatusSchema = Type.Union(STATUSES.map((k) => Type.Literal(k)))
export const RegionCodeSchema = Type.String({ pattern: '^[1-9]\\d{5}$', description: 'GB/T 2260 region code' })

export const SourceSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 300 }),
    docNumber: Type.Optional(Type.String({ maxLength: 120, description: '文号, e.g. 国家税务总局公告2024年第11号' })),
    issuer: Type.Optional(Type.String({ maxLength: 200 })),
    url: Type.Optional(Type.String({ maxLength: 2000 })),
    publishedAt: Type.Optional(IsoDate),
    provenance: Type.Optional(
      Type.String({ maxLength: 1000, description: 'Where the text was copied from (repo@commit path)' }),
    ),
  },
  { additionalProperties: false },
)

export const LawInfoSchema = Type.Object(
  {
    name: Type.String({ minLength: 1 }),
    shortName: Type.String({ minLength: 1 }),
    article: Type.String({ minLength: 1 }),
    category: Type.String(),
    chapter: Type.Optional(Type.String()),
    lawStatus: Type.Union([Type.Literal('in-force'), Type.Literal('repealed')]),
    repealedBy: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
)

export const GuideInfoSchema = Type.Object(
  {
    code: Type.String({ minLength: 1, maxLength: 40, description: 'Service-item code, unique per item' }),
    conditions: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 }),
    materials: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 }),
    steps: Type.Array(Type.String({ maxLength: 2000 }), { maxItems: 50 }),
    timeLimit: Type.String({ maxLength: 2000 }),
    fees: Type.String({ maxLength: 500 }),
    channels: Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 }),
  },
  { additionalProperties: false },
)

export const EntrySchema = Type.Object(
  {
    // Single inner spaces are allowed because joint 文号 contain one: `财政部 税务总局公告2026年第10号`.
    // Clause passages of a policy document are addressed as `<文号>#<clause label>` (policy-info.ts).
    id: Type.String({ minLength: 1, maxLength: 200, pattern: '^[^\\s/?#](?:[^\\s/?]| (?=[^\\s/?]))*$' }),
    kind: EntryKindSchema,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    body: Type.String({ minLength: 1, maxLength: 100_000 }),
    question: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    source: SourceSchema,
    layer: LayerSchema,
    regionCode: Type.Union([RegionCodeSchema, Type.Null()]),
    effectiveFrom: Nullable(IsoDate),
    effectiveTo: Nullable(IsoDate),
    status: StatusSchema,
    version: Type.Integer({ minimum: 1 }),
    tags: Type.Array(Type.String({ minLength: 1, maxLength: 50 }), { maxItems: 50 }),
    citedArticleIds: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 100 }),
    replacedBy: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { maxItems: 20 })),
    law: Type.Optional(LawInfoSchema),
    guide: Type.Optional(GuideInfoSchema),
    policy: Type.Optional(PolicyInfoSchema),
    updatedAt: Type.String({ description: 'ISO timestamp of the last change' }),
    updatedBy: Type.Optional(Type.String({ maxLength: 100 })),
  },
  { additionalProperties: false },
)

export type Entry = Static<typeof EntrySchema>
export type EntrySource = Static<typeof SourceSchema>

const compiled = TypeCompiler.Compile(EntrySchema)

export interface EntryProblem {
  path: string
  message: string
}

/** Schema plus the rules a schema cannot say (layer ↔ region code, kind-specific fields, date order). */
export function validateEntry(value: unknown): EntryProblem[] {
  const problems: EntryProblem[] = []
  for (const err of compiled.Errors(value)) {
    problems.push({ path: err.path || '/', message: err.message })
    if (problems.length >= 10) break
  }
  if (problems.length > 0) return problems
  const e = value as Entry
  if (e.layer === 'national' && e.regionCode !== null)
    problems.push({ path: '/regionCode', message: 'national entries have no region code' })
  if (e.layer === 'province' && (e.regionCode === null || !e.regionCode.endsWith('0000')))
    problems.push({ path: '/regionCode', message: 'province entries need a province code (XX0000)' })
  if (e.layer === 'city' && (e.regionCode === null || !e.regionCode.endsWith('00') || e.regionCode.endsWith('0000')))
    problems.push({ path: '/regionCode', message: 'city entries need a city code (XXXX00)' })
  if (e.kind === 'faq' && !e.question) problems.push({ path: '/question', message: 'faq entries need a question' })
  if (e.kind === 'guide' && !e.guide)
    problems.push({ path: '/guide', message: 'guide entries need service-item fields' })
  if (e.kind === 'law-article' && !e.law)
    problems.push({ path: '/law', message: 'law-article entries need law fields' })
  if (e.kind === 'policy' && !e.policy)
    problems.push({ path: '/policy', message: 'policy entries need policy-document fields' })
  if (e.effectiveFrom && e.effectiveTo && e.effectiveTo < e.effectiveFrom)
    problems.push({ path: '/effectiveTo', message: 'effectiveTo is before effectiveFrom' })
  return problems
}

/** Content fingerprint used for idempotent imports: volatile bookkeeping fields are left out. */
export function contentKey(e: Entry): string {
  const { version: _v, updatedAt: _u, updatedBy: _b, ...rest } = e
  return stableStringify(rest)
}

function stableStringify(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(stableStringify).join(',')}]`
  if (v && typeof v === 'object') {
    const o = v as Record<string, unknown>
    return `{${Object.keys(o)
      .sort()
      .filter((k) => o[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${stableStringify(o[k])}`)
      .join(',')}}`
  }
  return JSON.stringify(v)
}

/** Whether an entry is in force on a given ISO date. */
export function isEffectiveOn(e: Pick<Entry, 'effectiveFrom' | 'effectiveTo'>, isoDate: string): boolean {
  if (e.effectiveFrom && isoDate < e.effectiveFrom) return false
  if (e.effectiveTo && isoDate >= e.effectiveTo) return false
  return true
}
