/**
 * Error mapping: every failure leaves as `{ error: { code, message, requestId } }` with a stable code.
 * AppErrors carry their own status; Fastify's own errors (validation, body size, content type, bad JSON)
 * are mapped onto the code table; anything else is a 500 INTERNAL whose details stay in the log.
 */
import type { ConnectionError, FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import zh from 'ajv-i18n/localize/zh/index.js'
import crypto from 'node:crypto'
import type { Socket } from 'node:net'
import { AppError, ERROR_TABLE, type ErrorCode } from '../../shared/errors.js'

// A CommonJS module whose types say `export default`: the function itself under Node's ESM interop.
const localizeZh = ((zh as unknown as { default?: unknown }).default ?? zh) as (errors: object[]) => void

function toAppError(err: FastifyError | Error): AppError {
  if (err instanceof AppError) return err
  const fe = err as FastifyError
  if (fe.validation) {
    // Ajv's messages are English; staff and taxpayers read Chinese (ajv-i18n's translations, on a copy).
    const first = fe.validation[0] ? { ...fe.validation[0] } : undefined
    if (first) localizeZh([first])
    return new AppError('VALIDATION_FAILED', fe.message, {
      userMessage:
        `请求参数不正确：${fe.validationContext ?? ''}${first?.instancePath ?? ''} ${first?.message ?? ''}`.trim(),
    })
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('BODY_TOO_LARGE')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new AppError('UNSUPPORTED_MEDIA_TYPE', fe.message)
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return new AppError('VALIDATION_FAILED', fe.message, { userMessage: '请求内容不是有效的 JSON' })
    case 'FST_ERR_RATE_LIMITED':
      return new AppError('RATE_LIMITED')
  }
  if (fe instanceof SyntaxError || fe.statusCode === 400) return new AppError('VALIDATION_FAILED', fe.message)
  if (fe.statusCode === 429) return new AppError('RATE_LIMITED')
  if (fe.statusCode === 413) return new AppError('BODY_TOO_LARGE')
  if (fe.statusCode === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', fe.message)
  if (fe.statusCode === 404) return new AppError('NOT_FOUND')
  return new AppError('INTERNAL', undefined, { cause: err })
}

export function sendError(reply: FastifyReply, request: FastifyRequest, err: AppError): FastifyReply {
  // A full chat line clears in about a second (turn-gate.ts): say when to try again.
  if (err.code === 'BUSY') reply.header('retry-after', '2')
  return reply
    .status(err.status)
    .send({ error: { code: err.code, message: err.userMessage, detail: err.message, requestId: request.id } })
}

/**
 * Fastify's `frameworkErrors` option: errors raised before routing (a URL that does not decode, a path
 * parameter over the router's length limit) otherwise leave in Fastify's own shape, without our code or
 * requestId (found by test/hardening/fuzz-routes.test.ts).
 */
export function frameworkErrors(err: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const appErr =
    err.code === 'FST_ERR_BAD_URL'
      ? new AppError('VALIDATION_FAILED', 'URL is not validly percent-encoded UTF-8', {
          userMessage: '请求地址包含无效的字符编码',
        })
      : err.code === 'FST_ERR_MAX_PARAM_LENGTH'
        ? new AppError('VALIDATION_FAILED', 'path parameter too long', { userMessage: '请求地址中的参数过长' })
        : toAppError(err)
  return sendError(reply, request, appErr)
}

/**
 * Fastify's `clientErrorHandler` option: Node's HTTP parser rejects a request before Fastify sees it — most
 * often raw UTF-8 in the URL (`curl '…?q=小规模'`). The default answer is Fastify's own
 * `{"error":"Bad Request","message":"Client Error"}`; this one uses our envelope and says how to encode.
 */
export function clientErrors(err: ConnectionError, socket: Socket): void {
  if (!socket.writable) return void socket.destroy(err)
  const invalidUrl = err.code === 'HPE_INVALID_URL' || err.code === 'HPE_INVALID_CHARACTER'
  const requestId = crypto.randomUUID()
  const body = JSON.stringify({
    error: {
      code: 'VALIDATION_FAILED',
      message: invalidUrl
        ? '请求地址包含未编码的字符（如中文），请对参数做 URL 编码，例如 curl -G --data-urlencode "q=小规模纳税人"'
        : ERROR_TABLE.VALIDATION_FAILED.zh,
      detail: `HTTP parse error ${err.code}`,
      requestId,
    },
  })
  socket.end(
    'HTTP/1.1 400 Bad Request\r\nContent-Type: application/json; charset=utf-8\r\n' +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${requestId}\r\nConnection: close\r\n\r\n${body}`,
  )
}

export function errorBody(code: ErrorCode, requestId: string) {
  return { error: { code, message: ERROR_TABLE[code].zh, detail: ERROR_TABLE[code].en, requestId } }
}

export default fp(async function errorsPlugin(app: FastifyInstance) {
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const appErr = toAppError(err)
    if (appErr.status >= 500) request.log.error({ err }, 'request failed')
    else request.log.info({ code: appErr.code }, appErr.message)
    return sendError(reply, request, appErr)
  })
  app.setNotFoundHandler((request, reply) =>
    sendError(reply, request, new AppError('NOT_FOUND', `${request.method} ${request.url.split('?')[0]}`)),
  )
})
