/** Wire schemas of the editor console's list views: the entry list with per-kind counts, and the 操作日志. */
import { Type } from '@sinclair/typebox'
import { ENTRY_KINDS, EntryKindSchema, LayerSchema, StatusSchema } from '../../../knowledge/entry.js'
import { ACTIONS } from '../../editorial/lifecycle.js'

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'China-time date, inclusive' })

export const EntryRowSchema = Type.Object({
  id: Type.String(),
  kind: EntryKindSchema,
  title: Type.String(),
  layer: LayerSchema,
  regionCode: Nullable(Type.String()),
  status: StatusSchema,
  version: Type.Integer(),
  updatedAt: Type.String(),
  updatedBy: Nullable(Type.String()),
  effectiveFrom: Nullable(Type.String()),
  effectiveTo: Nullable(Type.String()),
  pendingRevision: Nullable(Type.Object({ version: Type.Integer(), status: StatusSchema })),
  needsReview: Type.Boolean(),
})

export const EntryListResponse = Type.Object({
  total: Type.Integer({ description: 'Rows matching every filter' }),
  counts: Type.Partial(Type.Object(Object.fromEntries(ENTRY_KINDS.map((k) => [k, Type.Integer()]))), {
    description: 'Rows per kind under every filter except kind (the console’s kind chips)',
  }),
  rows: Type.Array(EntryRowSchema),
})

export const AuditQuery = Type.Object({
  kind: Type.Optional(
    Type.Union([Type.Literal('editorial'), Type.Literal('http')], { description: 'http: request rows, admins only' }),
  ),
  action: Type.Optional(Type.Union(ACTIONS.map((a) => Type.Literal(a)))),
  entryId: Type.Optional(Type.String({ maxLength: 200 })),
  actor: Type.Optional(Type.String({ maxLength: 64, description: 'Staff user id' })),
  from: Type.Optional(Day),
  to: Type.Optional(Day),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
})

export const AuditRecordSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorId: Type.String(),
  actorName: Type.String(),
  action: Type.String(),
  entryId: Nullable(Type.String()),
  from: Nullable(StatusSchema),
  to: Nullable(StatusSchema),
  version: Nullable(Type.Integer()),
  comment: Nullable(Type.String()),
  // request rows (kind=http) only
  method: Type.Optional(Type.String()),
  route: Type.Optional(Type.String()),
  status: Type.Optional(Type.Integer()),
  targetId: Type.Optional(Nullable(Type.String())),
})
