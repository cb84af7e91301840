/**
 * How browser clients use the generated API types (api-types.ts, `npm run api:types`): paths are checked
 * against the document, request bodies are the routes' own body types, and responses are read through
 * `Loose<…>` views, whose keys must exist in the contract while their values stay `unknown` — so a client
 * still reads defensively (degrades, never crashes) but a renamed or removed field fails `tsc`.
 */
import type { components, operations, paths } from './api-types.js'

export type { components, operations, paths }
export type ApiPath = keyof paths
export type OperationId = keyof operations
export type ApiErrorBody = components['schemas']['ErrorResponse']

/** The JSON request body of an operation. */
export type JsonBody<Op extends OperationId> = operations[Op] extends {
  requestBody?: { content: { 'application/json': infer B } }
}
  ? B
  : never

/** The JSON response body of an operation for one status. */
export type JsonResponse<Op extends OperationId, Status extends number = 200> =
  operations[Op]['responses'] extends Record<Status, { content: { 'application/json': infer R } }> ? R : never

/** A defensive view of a response: only the contract's keys, any value. */
export type Loose<T> = { [K in keyof T]?: unknown }

type ParamNames<P extends string> = P extends `${string}{${infer N}}${infer Rest}` ? N | ParamNames<Rest> : never
type PathArgs<P extends string> = [ParamNames<P>] extends [never] ? [] : [params: Record<ParamNames<P>, string>]

/** A URL path from a documented path template, e.g. apiPath('/api/chat/{sessionId}', { sessionId }). */
export function apiPath<P extends ApiPath>(template: P, ...args: PathArgs<P>): string {
  const params = (args[0] ?? {}) as Record<string, string>
  return template.replace(/\{(\w+)\}/g, (_m, name: string) => encodeURIComponent(params[name] ?? ''))
}
