/**
 * The OpenAPI document at /docs/json, written so outside vendors can generate clients from it. Route schemas
 * stay the source; this file adds, for every route (including routes added later), centrally:
 * - an `operationId` (the route's own `schema.operationId`, else derived from method + URL),
 * - `security` from the route's guard declaration (auth-declaration.ts),
 * - the error responses any route can give, with the shared error schema, and Chinese response descriptions,
 * - servers, licence, security schemes and the tags with Chinese descriptions.
 * `npm run lint:openapi` checks the result with redocly; test/integration/openapi-contract.test.ts the invariants.
 */
import type { FastifyInstance, RouteOptions } from 'fastify'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import { HALL_API_KEY_HEADER, routeAuth, securityRequirements, type SecuritySchemeName } from './auth-declaration.js'
import { CSRF_COOKIE, TOKEN_COOKIE } from './plugins/auth.js'
import { ErrorResponse } from './schemas.js'

/** Chinese descriptions of the tags routes use. A route with a tag missing here fails the contract test. */
export const TAG_DESCRIPTIONS: Record<string, string> = {
  search: '知识库检索：法规条文、问答、办税指南、热点问题',
  entries: '读取单条知识',
  chat: '纳税人智能咨询：提问、会话记录、评价、转人工（匿名纳税人凭签名会话号访问本人会话）',
  'hot-topics': '热点问题',
  tickets: '人工坐席工单：受理、答复、转派、升级、延期、办结',
  editor: '知识编辑与审核：草稿、审核发布、版本、导入导出、词典',
  admin: '管理：咨询台账、工单导出、运行指标、节假日日历',
  auth: '工作人员登录与身份',
  widget: '嵌入式智能咨询组件与演示页',
  ops: '运维：存活与就绪检查、Prometheus 指标',
  booking: '办税预约与办税服务厅排队叫号',
  feedback: '纳税人评价与满意度调查',
  surveys: '满意度调查问卷',
  policies: '税收政策文件',
  security: '安全与审计',
}

const SECURITY_SCHEMES = {
  staffBearer: {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'taxkb-token',
    description: '工作人员令牌：POST /api/auth/login 返回的 token，放在 `Authorization: Bearer <token>` 中。',
  },
  staffCookie: {
    type: 'apiKey',
    in: 'cookie',
    name: TOKEN_COOKIE,
    description: `控制台登录后设置的 httpOnly Cookie；用它发起的写请求须在 \`x-csrf-token\` 头中回传 \`${CSRF_COOKIE}\` Cookie 的值。`,
  },
  hallApiKey: {
    type: 'apiKey',
    in: 'header',
    name: HALL_API_KEY_HEADER,
    description: '办税服务厅排队叫号系统的接口密钥，每个服务厅一个，只能访问本服务厅的队列。',
  },
  metricsBasic: {
    type: 'http',
    scheme: 'basic',
    description: 'Prometheus 抓取：HTTP Basic，用户名 metrics，密码为 TAXKB_METRICS_TOKEN。',
  },
} satisfies Record<
  SecuritySchemeName,
  | { type: 'http'; scheme: string; bearerFormat?: string; description: string }
  | { type: 'apiKey'; in: 'header' | 'cookie'; name: string; description: string }
>

const STATUS_TEXT: Record<string, string> = {
  200: '成功',
  201: '已创建',
  202: '已受理',
  204: '成功，无内容',
  400: '请求参数不正确',
  401: '未登录或凭证无效',
  403: '无权执行此操作',
  404: '未找到',
  409: '与当前状态冲突（例如已被他人修改或受理）',
  413: '请求内容过大',
  415: '不支持的请求内容类型',
  423: '账户已锁定',
  429: '请求过于频繁',
  500: '服务内部错误',
  503: '服务暂不可用',
}

type Schema = Record<string, unknown>

/** The shared error schema without its `$id`, so copies may carry their own description. */
function errorSchema(status: string): Schema {
  const { $id: _id, ...rest } = ErrorResponse as Schema
  return { ...rest, description: STATUS_TEXT[status] ?? '错误' }
}

const VERB: Record<string, string> = { GET: 'get', POST: 'post', PUT: 'put', PATCH: 'patch', DELETE: 'delete' }

function pascal(word: string): string {
  return word
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

/**
 * A method-like operationId from method + URL: `GET /api/tickets/:id` → `getTicketsById`,
 * `POST /api/tickets/:id/claim` → `postTicketsByIdClaim`, `GET /` → `getRoot`. Deterministic; the contract
 * test checks that they are unique.
 */
export function deriveOperationId(method: string, url: string): string {
  const parts = url.split('/').filter((s) => s !== '' && s !== 'api')
  const words = parts.map((s) => (s.startsWith(':') ? `By${pascal(s.slice(1))}` : pascal(s))).join('')
  return `${VERB[method.toUpperCase()] ?? method.toLowerCase()}${words || 'Root'}`
}

/** The error responses a route can give besides its own: from what it accepts and who may call it. */
export function impliedErrorStatuses(schema: Schema, url: string, guarded: boolean): string[] {
  const out = new Set<string>(['429', '500'])
  if (schema.params || schema.querystring || schema.body || schema.headers || url.includes(':')) out.add('400')
  if (url.includes(':')) out.add('404')
  if (schema.body) {
    out.add('413')
    out.add('415')
  }
  if (guarded) {
    out.add('401')
    out.add('403')
  }
  return [...out]
}

interface TransformInput {
  schema: Schema | undefined
  url: string
  route: RouteOptions
}

/** @fastify/swagger's per-route transform (also used by the contract test). */
export function transformRoute({ schema, url, route }: TransformInput): { schema: Schema; url: string } {
  const given = schema ?? {}
  if (given.hide) return { schema: given, url }
  const method = Array.isArray(route.method) ? route.method[0]! : route.method
  const out: Schema = { ...given, operationId: given.operationId ?? deriveOperationId(method, url) }
  // Guards sit in preHandler, or in preValidation where auth must answer before body validation (booking).
  const auth = routeAuth([route.preValidation, route.preHandler].flat())
  if (!given.security && auth !== 'undeclared') {
    out.security = securityRequirements(auth)
    if (auth !== 'public' && auth.permissions.length > 0) out['x-taxkb-permissions'] = [...auth.permissions]
  }
  const guarded = auth === 'undeclared' || (auth !== 'public' && auth.schemes.length > 0)
  const responses: Schema = { ...((given.response as Schema | undefined) ?? {}) }
  for (const status of impliedErrorStatuses(given, url, guarded)) responses[status] ??= errorSchema(status)
  // A route that declares no 2xx (HTML, scripts, file downloads) still succeeds: say so, without a body schema.
  if (!Object.keys(responses).some((k) => k.startsWith('2'))) responses['200'] = { description: STATUS_TEXT['200'] }
  out.response = responses
  return { schema: out, url }
}

interface OpenApiDoc {
  tags?: { name: string; description?: string }[]
  paths: Record<string, Record<string, { tags?: string[]; responses?: Record<string, Schema> }>>
  components: { schemas?: Record<string, unknown> }
}

function isErrorSchema(s: unknown): boolean {
  const props = (s as { properties?: { error?: { properties?: Record<string, unknown> } } } | undefined)?.properties
  const inner = props?.error?.properties
  return Boolean(
    inner && 'code' in inner && 'message' in inner && 'requestId' in inner && Object.keys(props!).length === 1,
  )
}

/** Whole-document pass: tags actually used (with descriptions), the error schema as one component, descriptions. */
export function transformDocument({ openapiObject }: { openapiObject: Partial<OpenApiDoc> }): OpenApiDoc {
  const doc = openapiObject as OpenApiDoc
  const used = new Set<string>()
  for (const ops of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(ops)) {
      for (const t of op.tags ?? []) used.add(t)
      for (const [status, res] of Object.entries(op.responses ?? {})) {
        if (res.description === 'Default Response') res.description = STATUS_TEXT[status] ?? '响应'
        const json = (res.content as Record<string, { schema?: unknown }> | undefined)?.['application/json']
        // A response declared by description only has no body schema: do not claim a JSON body.
        if (json && Object.keys((json.schema as object | undefined) ?? {}).every((k) => k === 'description')) {
          delete res.content
          continue
        }
        if (json && isErrorSchema(json.schema)) json.schema = { $ref: '#/components/schemas/ErrorResponse' }
      }
    }
  }
  const { $id: _id, ...error } = ErrorResponse as Schema
  doc.components.schemas = {
    ...(doc.components.schemas ?? {}),
    ErrorResponse: { ...error, description: '统一错误格式' },
  }
  const schemes = (doc.components as { securitySchemes?: Record<string, unknown> }).securitySchemes ?? {}
  const usedSchemes = new Set(
    Object.values(doc.paths ?? {}).flatMap((ops) =>
      Object.values(ops)
        .flatMap((op) => (op as { security?: object[] }).security ?? [])
        .flatMap((r) => Object.keys(r)),
    ),
  )
  // Schemes no route uses yet (hallApiKey before the booking queue route) stay out of the document.
  for (const name of Object.keys(schemes)) if (!usedSchemes.has(name)) delete schemes[name]
  doc.tags = [...used]
    .sort()
    .map((name) => ({ name, ...(TAG_DESCRIPTIONS[name] ? { description: TAG_DESCRIPTIONS[name] } : {}) }))
  return doc
}

export async function registerOpenApi(app: FastifyInstance, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'taxkb — 12366 智能咨询与税务知识库 API',
        version,
        description:
          '纳税人智能咨询、知识库检索、人工工单与知识编辑接口。错误统一为 `{error:{code,message,requestId}}`，code 稳定、message 为中文。',
        license: { name: 'Proprietary (UNLICENSED)' },
      },
      servers: [{ url: '/', description: '本服务（相对地址：与文档同一来源）' }],
      components: { securitySchemes: SECURITY_SCHEMES },
    },
    transform: transformRoute as never,
    transformObject: transformDocument as never,
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })
}
