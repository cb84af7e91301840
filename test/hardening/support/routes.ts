/**
 * Route discovery for the hardening suites: every method + URL the app has when the test runs (from the
 * router tree, so hidden and static routes are included, and routes that land later are covered without
 * editing the tests), with request schemas taken from the generated OpenAPI document where one exists.
 */
import type { FastifyInstance } from 'fastify'

export interface JsonSchema {
  type?: string | string[]
  properties?: Record<string, JsonSchema>
  required?: string[]
  items?: JsonSchema
  enum?: unknown[]
  const?: unknown
  anyOf?: JsonSchema[]
  oneOf?: JsonSchema[]
  allOf?: JsonSchema[]
  minLength?: number
  maxLength?: number
  minimum?: number
  maximum?: number
  minItems?: number
  maxItems?: number
  pattern?: string
  additionalProperties?: boolean | JsonSchema
  [k: string]: unknown
}

export interface DiscoveredRoute {
  method: string
  url: string
  params: string[]
  paramSchemas: Record<string, JsonSchema>
  query: JsonSchema | null
  body: JsonSchema | null
  bodyContentTypes: string[]
}

/** Parses `printRoutes({ commonPrefix: false })`: each line is a tree prefix, a segment and its methods. */
export function parseRouteTree(tree: string): { method: string; url: string }[] {
  const out: { method: string; url: string }[] = []
  const stack: string[] = []
  for (const line of tree.split('\n')) {
    const m = /^([│├└─\s]*?)(?:[├└]── )(.+?) \(([A-Z, ]+)\)\s*$/.exec(line)
    if (!m) continue
    const depth = Math.round(m[1]!.length / 4)
    const seg = m[2]!
    stack.length = depth
    const url = (depth === 0 ? '' : stack[depth - 1]!) + seg
    stack[depth] = url
    for (const method of m[3]!.split(',').map((s) => s.trim())) out.push({ method, url: url === '*' ? '/*' : url })
  }
  return out
}

interface OpenApiOperation {
  parameters?: { in: string; name: string; schema?: JsonSchema; required?: boolean }[]
  requestBody?: { content?: Record<string, { schema?: JsonSchema }> }
}

export async function discoverRoutes(app: FastifyInstance): Promise<DiscoveredRoute[]> {
  await app.ready()
  const doc = (app as unknown as { swagger(): { paths?: Record<string, Record<string, OpenApiOperation>> } }).swagger()
  const seen = new Set<string>()
  const routes: DiscoveredRoute[] = []
  for (const { method, url } of parseRouteTree(app.printRoutes({ commonPrefix: false }))) {
    // HEAD is GET without a body: covered by GET. OPTIONS * is CORS preflight: covered separately.
    if (method === 'HEAD') continue
    const key = `${method} ${url}`
    if (seen.has(key)) continue
    seen.add(key)
    const oaPath = url.replace(/:(\w+)/g, '{$1}')
    const op = doc.paths?.[oaPath]?.[method.toLowerCase()]
    const params = [...url.matchAll(/:(\w+)/g)].map((m) => m[1]!)
    const paramSchemas: Record<string, JsonSchema> = {}
    let query: JsonSchema | null = null
    for (const p of op?.parameters ?? []) {
      if (p.in === 'path' && p.schema) paramSchemas[p.name] = p.schema
      if (p.in === 'query') {
        query ??= { type: 'object', properties: {}, required: [] }
        query.properties![p.name] = p.schema ?? {}
        if (p.required) query.required!.push(p.name)
      }
    }
    const content = op?.requestBody?.content ?? {}
    const json = content['application/json']?.schema ?? null
    routes.push({ method, url, params, paramSchemas, query, body: json, bodyContentTypes: Object.keys(content) })
  }
  return routes
}
