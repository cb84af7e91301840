/**
 * Editorial API (`/api/editor/…`) and the editor console assets (`/editor/`). Thin: schema, guard, one
 * call into app.editorial, which enforces permissions, layer scope and four eyes itself.
 */
import path from 'node:path'
import { Type } from '@sinclair/typebox'
import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { EntrySchema } from '../../../knowledge/entry.js'
import { FORMATS, type BulkFormat } from '../../editorial/entry-table.js'
import { LEXICON_FILES, type LexiconFileName } from '../../editorial/lexicon-files.js'
import { TEMPLATE_KINDS, importTemplate } from '../../editorial/import-templates.js'
import type { Actor } from '../../editorial/permissions.js'
import { REPO_ROOT } from '../../shared/config.js'
import { AppError } from '../../shared/errors.js'
import { ErrorResponse, errorResponses } from '../schemas.js'
import { AuditQuery, AuditRecordSchema, EntryListResponse } from './editor-schemas.js'
import { routes } from '../plugins/services.js'
import { notTypeScript } from './console-scripts.js'

const Id = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) })
const Comment = Type.Object(
  { comment: Type.Optional(Type.String({ maxLength: 2000 })) },
  { additionalProperties: false },
)
const EntryBody = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Entry fields (see the Entry schema); status, version and timestamps are set by the workflow',
})
const Loose = (description: string) => Type.Unknown({ description })
const errors = { ...errorResponses, 401: ErrorResponse, 403: ErrorResponse, 409: ErrorResponse }
const FormatSchema = Type.Union(FORMATS.map((f) => Type.Literal(f)))

function actor(request: FastifyRequest): Actor {
  const u = request.user
  if (!u) throw new AppError('UNAUTHENTICATED')
  return u
}

const CONTENT_TYPES: Record<BulkFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  jsonl: 'application/x-ndjson; charset=utf-8',
}

const editorRoutes = routes('editor-routes', ['editorial'], async (app) => {
  const ed = () => app.editorial
  const staff = app.requirePermission('kb:search-internal')
  const draft = app.requirePermission('entries:draft')
  const tags = ['editor']

  app.get(
    '/api/editor/entries',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '知识条目列表（按类型、层级、地区、状态、待复核筛选）',
        querystring: Type.Object({
          kind: Type.Optional(Type.String({ maxLength: 120, description: 'one kind or several, comma-separated' })),
          layer: Type.Optional(Type.String({ maxLength: 20 })),
          region: Type.Optional(Type.String({ maxLength: 20 })),
          status: Type.Optional(Type.String({ maxLength: 20 })),
          needsReview: Type.Optional(Type.Boolean()),
          tag: Type.Optional(Type.String({ maxLength: 50 })),
          q: Type.Optional(Type.String({ maxLength: 200 })),
          limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500 })),
          offset: Type.Optional(Type.Integer({ minimum: 0 })),
        }),
        response: { 200: EntryListResponse, ...errors },
      },
    },
    async (request) => ed().listEntries(request.query),
  )

  app.get(
    '/api/editor/entries/:id',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '条目详情（线上版本、待审修订、可执行的操作）',
        params: Id,
        response: { 200: Loose('{ entry, revision, working, authors, stale, canEdit, canApprove }'), ...errors },
      },
    },
    async (request) => ed().getEntry(actor(request), request.params.id),
  )

  app.post(
    '/api/editor/entries',
    {
      preHandler: draft,
      schema: { tags, summary: '新建草稿', body: EntryBody, response: { 201: EntrySchema, ...errors } },
    },
    async (request, reply) => {
      reply.code(201)
      return ed().create(actor(request), request.body)
    },
  )

  app.put(
    '/api/editor/entries/:id',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '保存修改（生成新版本；已发布条目生成待审修订）',
        params: Id,
        querystring: Type.Object({ baseVersion: Type.Optional(Type.Integer({ minimum: 1 })) }),
        body: EntryBody,
        response: { 200: EntrySchema, ...errors },
      },
    },
    async (request) => ed().save(actor(request), request.params.id, request.body, request.query.baseVersion),
  )

  app.post(
    '/api/editor/entries/:id/submit',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '提交审核',
        params: Id,
        body: Type.Optional(Comment),
        response: { 200: EntrySchema, ...errors },
      },
    },
    async (request) => ed().submit(actor(request), request.params.id, request.body?.comment),
  )

  app.post(
    '/api/editor/entries/:id/approve',
    {
      preHandler: app.requirePermission('entries:review'),
      schema: {
        tags,
        summary: '审核通过并发布（不能审核自己的草稿）',
        params: Id,
        body: Type.Optional(Comment),
        response: { 200: EntrySchema, ...errors },
      },
    },
    async (request) => ed().approve(actor(request), request.params.id, request.body?.comment),
  )

  app.post(
    '/api/editor/entries/:id/reject',
    {
      preHandler: app.requirePermission('entries:review'),
      schema: {
        tags,
        summary: '退回修改（需填写意见）',
        params: Id,
        body: Type.Object({ comment: Type.String({ minLength: 1, maxLength: 2000 }) }),
        response: { 200: EntrySchema, ...errors },
      },
    },
    async (request) => ed().reject(actor(request), request.params.id, request.body.comment),
  )

  app.post(
    '/api/editor/entries/:id/retire',
    {
      preHandler: app.requirePermission('entries:publish'),
      schema: {
        tags,
        summary: '废止（立即，或指定失效日期）',
        params: Id,
        body: Type.Optional(
          Type.Object({
            effectiveTo: Type.Optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
            comment: Type.Optional(Type.String({ maxLength: 2000 })),
          }),
        ),
        response: { 200: EntrySchema, ...errors },
      },
    },
    async (request) =>
      ed().retire(actor(request), request.params.id, {
        effectiveTo: request.body?.effectiveTo,
        comment: request.body?.comment,
      }),
  )

  app.post(
    '/api/editor/entries/:id/rollback',
    {
      preHandler: app.requirePermission('entries:publish'),
      schema: {
        tags,
        summary: '回滚到指定版本（生成新版本）',
        params: Id,
        body: Type.Object({
          version: Type.Integer({ minimum: 1 }),
          comment: Type.Optional(Type.String({ maxLength: 2000 })),
        }),
        response: { 200: EntrySchema, ...errors },
      },
    },
    async (request) => ed().rollback(actor(request), request.params.id, request.body.version, request.body.comment),
  )

  app.post(
    '/api/editor/entries/:id/acknowledge',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '确认已复核引用的失效条文（移出待复核队列）',
        params: Id,
        body: Type.Optional(Comment),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors },
      },
    },
    async (request) => {
      await ed().acknowledge(actor(request), request.params.id, request.body?.comment)
      return { ok: true }
    },
  )

  app.delete(
    '/api/editor/entries/:id/revision',
    {
      preHandler: draft,
      schema: { tags, summary: '放弃已发布条目的待审修订', params: Id, response: { 200: EntrySchema, ...errors } },
    },
    async (request) => ed().discardRevision(actor(request), request.params.id),
  )

  app.get(
    '/api/editor/entries/:id/versions',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '版本历史',
        params: Id,
        response: { 200: Loose('EntryVersion[] newest first'), ...errors },
      },
    },
    async (request) => ed().versions(request.params.id),
  )

  app.get(
    '/api/editor/entries/:id/diff',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '两个版本的差异（字段 + 文本）',
        params: Id,
        querystring: Type.Object({ from: Type.Integer({ minimum: 1 }), to: Type.Integer({ minimum: 1 }) }),
        response: { 200: Loose('{ from, to, diff: { fields, text } }'), ...errors },
      },
    },
    async (request) => ed().diff(request.params.id, request.query.from, request.query.to),
  )

  app.get(
    '/api/editor/review-queue',
    {
      preHandler: staff,
      schema: { tags, summary: '待审核队列（本人权限范围内）', response: { 200: Loose('review items'), ...errors } },
    },
    async (request) => ed().reviewQueue(actor(request)),
  )

  app.get(
    '/api/editor/needs-review',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '引用条文已废止或被替代、需要复核的条目',
        response: { 200: Loose('NeedsReviewItem[]'), ...errors },
      },
    },
    async (request) => ed().needsReviewQueue(actor(request)),
  )

  app.get(
    '/api/editor/audit',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '操作日志：编辑事件（按类型、条目、人员、日期筛选）；请求日志（kind=http）仅管理员',
        querystring: AuditQuery,
        response: { 200: Type.Array(AuditRecordSchema), ...errors },
      },
    },
    async (request) => {
      const { actor: actorId, ...q } = request.query
      return ed().auditLog({ ...q, actorId }, actor(request))
    },
  )

  // Editors only (agents do not curate knowledge), scoped to the caller's regions.
  app.get(
    '/api/editor/worklists',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '待补充知识：未答出、低置信度、差评问题（按主题），坐席转入的草稿',
        querystring: Type.Object({ days: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })) }),
        response: { 200: Loose('{ unanswered, lowConfidence, badlyRated, promoted }'), ...errors },
      },
    },
    async (request) => ed().worklists(request.query.days, actor(request)),
  )

  app.post(
    '/api/editor/import',
    {
      preHandler: draft,
      bodyLimit: 20 * 1024 * 1024,
      schema: {
        tags,
        summary: '批量导入（CSV / XLSX / JSONL）；dryRun 只校验；publish 只提交审核，须另一人批准后发布；法规条文只读',
        body: Type.Object(
          {
            format: FormatSchema,
            content: Type.String({ description: 'file content; base64 for xlsx' }),
            encoding: Type.Optional(Type.Union([Type.Literal('utf8'), Type.Literal('base64')])),
            dryRun: Type.Optional(Type.Boolean()),
            publish: Type.Optional(Type.Boolean()),
          },
          { additionalProperties: false },
        ),
        response: { ...errors, 200: Loose('ImportReport'), 400: Loose('error with report') },
      },
    },
    async (request, reply) => {
      const { format, content, dryRun = true, publish = false } = request.body
      const encoding = request.body.encoding ?? (format === 'xlsx' ? 'base64' : 'utf8')
      const report = await ed().importEntries(actor(request), {
        format,
        data: Buffer.from(content, encoding),
        dryRun,
        publish,
      })
      if (!report.ok && !dryRun) {
        reply.code(400)
        return {
          error: {
            code: 'INVALID_FILE',
            message: `导入被拒绝：${report.problems.length} 行有错误，未导入任何条目`,
            detail: 'import rejected; nothing was written',
            requestId: request.id,
          },
          report,
        }
      }
      return report
    },
  )

  app.get(
    '/api/editor/export',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '导出已发布条目（CSV / XLSX / JSONL）',
        querystring: Type.Object({
          format: FormatSchema,
          kind: Type.Optional(Type.String({ maxLength: 20 })),
          layer: Type.Optional(Type.String({ maxLength: 20 })),
          region: Type.Optional(Type.String({ maxLength: 20 })),
        }),
      },
    },
    async (request, reply) => {
      const { format, ...filter } = request.query
      const { data, count } = await ed().exportEntries(format, filter)
      reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="taxkb-entries.${format}"`)
        .header('x-entry-count', String(count))
      return reply.send(data)
    },
  )

  app.get(
    '/api/editor/import-template',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '下载导入模板（每种类型一个示例行，CSV / XLSX / JSONL）',
        querystring: Type.Object({
          kind: Type.Union(TEMPLATE_KINDS.map((k) => Type.Literal(k))),
          format: FormatSchema,
        }),
        response: {
          200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'the template file' }),
          ...errors,
        },
      },
    },
    async (request, reply) => {
      const { kind, format } = request.query
      const data = await importTemplate(kind, format)
      const name = `taxkb-template-${kind}.${format}`
      reply
        .header('content-type', CONTENT_TYPES[format])
        .header('content-disposition', `attachment; filename="${name}"`)
      return reply.send(data)
    },
  )

  app.get(
    '/api/editor/lexicon',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '词典文件（用户词典、同义词、停用词、扩展）',
        response: {
          200: Type.Object({
            files: Type.Array(Type.Object({ name: Type.String(), text: Type.String(), source: Type.String() })),
          }),
          ...errors,
        },
      },
    },
    async () => ({ files: ed().lexiconFiles() }),
  )

  // Global lexicon: national editors propose, a second national editor approves, every change is a version.
  const lexiconEdit = app.requirePermission('lexicon:edit')
  const LexName = Type.Object({ name: Type.Union(LEXICON_FILES.map((f) => Type.Literal(f))) })
  const Proposal = Type.Object({
    id: Type.String(),
    name: Type.String(),
    hash: Type.String(),
    proposedBy: Type.String(),
    proposedAt: Type.String(),
    note: Type.Union([Type.String(), Type.Null()]),
    status: Type.String(),
  })
  const review = () => ed().lexiconReview
  app.put(
    '/api/editor/lexicon/:name',
    {
      preHandler: lexiconEdit,
      bodyLimit: 5 * 1024 * 1024,
      schema: {
        tags,
        summary: '提出词典修改（全国层编辑；另一位全国层编辑批准后生效，重建分词与索引）',
        params: LexName,
        body: Type.Object({
          text: Type.String({ maxLength: 5_000_000 }),
          note: Type.Optional(Type.String({ maxLength: 500 })),
        }),
        response: { 202: Proposal, ...errors },
      },
    },
    async (request, reply) => {
      const p = await review().propose(
        actor(request),
        request.params.name as LexiconFileName,
        request.body.text,
        request.body.note ?? null,
      )
      return reply.code(202).send(p)
    },
  )
  app.get(
    '/api/editor/lexicon/proposals',
    {
      preHandler: lexiconEdit,
      schema: {
        tags,
        summary: '待批准的词典修改',
        response: { 200: Type.Object({ proposals: Type.Array(Proposal) }), ...errors },
      },
    },
    async (request) => ({ proposals: await review().pending(actor(request)) }),
  )
  app.post(
    '/api/editor/lexicon/proposals/:id/approve',
    {
      preHandler: lexiconEdit,
      schema: {
        tags,
        summary: '批准词典修改并立即生效（不能批准自己提出的修改）',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Type.Object({ indexed: Type.Integer(), hash: Type.String(), version: Type.Integer() }),
          ...errors,
        },
      },
    },
    async (request) => review().approve(actor(request), request.params.id),
  )
  app.get(
    '/api/editor/lexicon/:name/versions',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: '词典文件的版本历史',
        // A plain string so the guard answers first (401/403); the file name is checked by the service.
        params: Type.Object({ name: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: {
          200: Type.Object({
            versions: Type.Array(
              Type.Object({
                version: Type.Integer(),
                hash: Type.String(),
                proposedBy: Type.String(),
                approvedBy: Type.String(),
                at: Type.String(),
                note: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errors,
        },
      },
    },
    async (request) => ({ versions: await review().versions(request.params.name as LexiconFileName) }),
  )
  app.post(
    '/api/editor/lexicon/:name/revert',
    {
      preHandler: lexiconEdit,
      schema: {
        tags,
        summary: '提出恢复到某一版本（经批准后生效）',
        params: LexName,
        body: Type.Object({ version: Type.Integer({ minimum: 1 }) }),
        response: { 202: Proposal, ...errors },
      },
    },
    async (request, reply) => {
      const p = await review().revert(actor(request), request.params.name as LexiconFileName, request.body.version)
      return reply.code(202).send(p)
    },
  )

  app.post(
    '/api/editor/hot-topics/pins',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '置顶 / 取消置顶热点',
        body: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }), pinned: Type.Boolean() }),
        response: { 200: Type.Object({ ok: Type.Boolean() }), ...errors },
      },
    },
    async (request) => {
      await ed().setPinned(actor(request), request.body.id, request.body.pinned)
      return { ok: true }
    },
  )

  // Editors take a trending question off the public 热点 list (spam, or anything that should not be public).
  const Blocked = Type.Object({
    blocked: Type.Array(Type.Object({ question: Type.String(), at: Type.String(), by: Type.String() })),
  })
  const hot = () => ed().hotTopics
  app.get(
    '/api/editor/hot-topics/blocks',
    {
      preHandler: draft,
      schema: { tags, summary: '已屏蔽的热门问题', response: { 200: Blocked, ...errors } },
    },
    async () => ({ blocked: await hot().blocked() }),
  )
  app.post(
    '/api/editor/hot-topics/blocks',
    {
      preHandler: draft,
      schema: {
        tags,
        summary: '屏蔽 / 取消屏蔽热门问题（置顶条目不受影响）',
        body: Type.Object({ question: Type.String({ minLength: 1, maxLength: 500 }), blocked: Type.Boolean() }),
        response: { 200: Blocked, ...errors },
      },
    },
    async (request) => ({
      blocked: await hot().setBlocked(request.body.question, request.body.blocked, actor(request).id),
    }),
  )
})
export default editorRoutes

/** The editor console: static files under /editor/; editor.js is bundled from editor.ts (console-scripts.ts). */
export async function editorAssets(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, {
    root: path.join(REPO_ROOT, 'services', 'web', 'editor'),
    prefix: '/editor/',
    decorateReply: false,
    index: ['index.html'],
    allowedPath: notTypeScript,
  })
  app.get('/editor', { schema: { hide: true } }, (_request, reply) => reply.redirect('/editor/'))
}
