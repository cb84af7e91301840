/**
 * Editor API for policy documents (公告): paste / HTML / JSON → a checked draft, create the draft (it then
 * goes through the ordinary submit → four-eyes approve at /api/editor/entries/:id/…), bulk import of the
 * shared JSONL format, and the "documents cited but missing" worklist. Thin: app.editorial does the work.
 */
import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { EntrySchema } from '../../../knowledge/entry.js'
import { INTAKE_FORMATS } from '../../editorial/policy-intake.js'
import type { Actor } from '../../editorial/permissions.js'
import { AppError } from '../../shared/errors.js'
import { ErrorResponse, errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const errors = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse }
const IsoDate = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })
const IntakeBody = Type.Object(
  {
    format: Type.Union(
      INTAKE_FORMATS.map((f) => Type.Literal(f)),
      { description: 'text: the pasted official text; html: the page; json: a record like the shared ones' },
    ),
    content: Type.String({ minLength: 1, maxLength: 2_000_000 }),
    docNumber: Type.Optional(Type.String({ maxLength: 200 })),
    title: Type.Optional(Type.String({ maxLength: 300 })),
    issuer: Type.Optional(Type.String({ maxLength: 200 })),
    publishedAt: Type.Optional(Type.Union([IsoDate, Type.Literal('')])),
    effectiveFrom: Type.Optional(Type.Union([IsoDate, Type.Literal('')])),
    sourceUrl: Type.Optional(Type.String({ maxLength: 2000 })),
  },
  { additionalProperties: false },
)
const Clause = Type.Object({
  id: Type.String(),
  label: Type.String(),
  heading: Type.Union([Type.String(), Type.Null()]),
  text: Type.String(),
  effectiveFrom: Type.Union([Type.String(), Type.Null()]),
  effectiveTo: Type.Union([Type.String(), Type.Null()]),
})
const DraftResponse = Type.Object({
  entry: Type.Union([Type.Omit(EntrySchema, ['version', 'updatedAt', 'status']), Type.Null()]),
  clauses: Type.Array(Clause),
  problems: Type.Array(Type.String()),
})
const ImportReport = Type.Object({
  ok: Type.Boolean(),
  dryRun: Type.Boolean(),
  rows: Type.Integer(),
  imported: Type.Integer(),
  problems: Type.Array(
    Type.Object({
      row: Type.Integer(),
      id: Type.Union([Type.String(), Type.Null()]),
      messages: Type.Array(Type.String()),
    }),
  ),
})

function actor(request: FastifyRequest): Actor {
  const u = request.user
  if (!u) throw new AppError('UNAUTHENTICATED')
  return u
}

const editorPolicyRoutes = routes('editor-policy-routes', ['editorial'], async (app) => {
  const ed = () => app.editorial
  const staff = app.requirePermission('kb:search-internal')
  const draft = app.requirePermission('entries:draft')
  const tags = ['editor']
  const bodyLimit = 4 * 1024 * 1024

  app.post(
    '/api/editor/policies/parse',
    {
      preHandler: draft,
      bodyLimit,
      schema: {
        tags,
        summary: '解析粘贴的公告（全文 / 网页 HTML / JSON 记录），返回待核对的草稿（不保存）',
        body: IntakeBody,
        response: { 200: DraftResponse, ...errors },
      },
    },
    async (request) => ed().policyDraft(actor(request), request.body),
  )

  app.post(
    '/api/editor/policies',
    {
      preHandler: draft,
      bodyLimit,
      schema: {
        tags,
        summary: '按核对后的内容新建公告草稿（之后提交审核、他人审核发布）',
        body: IntakeBody,
        response: { 201: Type.Object({ entry: EntrySchema, draft: DraftResponse }), ...errors },
      },
    },
    async (request, reply) => {
      const res = await ed().createPolicyDraft(actor(request), request.body)
      reply.code(201)
      return res
    },
  )

  app.post(
    '/api/editor/policies/import',
    {
      preHandler: draft,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary: '批量导入公告（共享 JSONL 格式）；全部校验通过才写入，并直接发布（需发布权限）',
        body: Type.Object(
          { content: Type.String({ minLength: 1 }), dryRun: Type.Optional(Type.Boolean()) },
          { additionalProperties: false },
        ),
        response: {
          ...errors,
          200: ImportReport,
          400: Type.Object({
            error: Type.Object({ code: Type.String(), message: Type.String(), requestId: Type.String() }),
            report: Type.Optional(ImportReport),
          }),
        },
      },
    },
    async (request, reply) => {
      const dryRun = request.body.dryRun ?? true
      const report = await ed().importPolicies(actor(request), { data: request.body.content, dryRun })
      if (!report.ok && !dryRun) {
        reply.code(400)
        return {
          error: {
            code: 'INVALID_FILE',
            message: `导入被拒绝：${report.problems.length} 行有错误，未导入任何公告`,
            requestId: request.id,
          },
          report,
        }
      }
      return report
    },
  )

  app.get(
    '/api/editor/policies/missing',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '被引用但知识库中没有的文件（文号）清单',
        response: {
          200: Type.Array(Type.Object({ docNumber: Type.String(), citedBy: Type.Array(Type.String()) })),
          ...errors,
        },
      },
    },
    async () => ed().missingPolicies(),
  )
})

export default editorPolicyRoutes
