/** Shared wire schemas for routes (request and response), which also feed the OpenAPI document. */
import { Type, type Static } from '@sinclair/typebox'
import { EntryKindSchema, EntrySchema, LayerSchema, StatusSchema } from '../../knowledge/entry.js'

export const ErrorResponse = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'Stable machine-readable code, e.g. QUERY_EMPTY' }),
      message: Type.String({ description: 'Message for the user, in Simplified Chinese' }),
      detail: Type.Optional(Type.String({ description: 'Developer detail, in English' })),
      requestId: Type.String(),
    }),
  },
  { $id: 'ErrorResponse' },
)
export type ErrorResponseT = Static<typeof ErrorResponse>

export const SearchHitSchema = Type.Object({
  id: Type.String(),
  kind: EntryKindSchema,
  title: Type.String(),
  layer: LayerSchema,
  regionCode: Type.Union([Type.String(), Type.Null()]),
  status: StatusSchema,
  score: Type.Number(),
  snippet: Type.String({ description: 'HTML-escaped text with <mark> around matched terms' }),
})

export const SearchQuery = Type.Object({
  q: Type.String({ description: 'Query in natural language', maxLength: 100_000 }),
  region: Type.Optional(
    Type.String({ description: 'GB/T 2260 code: sees national + its province + itself', maxLength: 20 }),
  ),
  kind: Type.Optional(
    Type.String({ description: 'Comma-separated kinds: law-article, faq, guide, hot-topic, notice', maxLength: 200 }),
  ),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: 10 })),
})

export const SearchResponse = Type.Object({
  query: Type.String(),
  total: Type.Integer(),
  tookMs: Type.Number(),
  hits: Type.Array(SearchHitSchema),
})

/** An entry as published; policy entries add their validity today (computed, knowledge/policy-validity.ts). */
export const EntryResponse = Type.Object(
  {
    ...EntrySchema.properties,
    validityNow: Type.Optional(
      Type.Object({
        validity: Type.String(),
        label: Type.String(),
        since: Type.Union([Type.String(), Type.Null()]),
        by: Type.Union([Type.String(), Type.Null()]),
      }),
    ),
  },
  { additionalProperties: false },
)

export const errorResponses = {
  400: ErrorResponse,
  404: ErrorResponse,
  429: ErrorResponse,
  500: ErrorResponse,
} as const
