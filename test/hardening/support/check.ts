/** The wire contract every hardening suite checks: no 5xx, and every 4xx is `{error:{code,message,requestId}}` with a code from the table. */
import type { LightMyRequestResponse } from 'fastify'
import { ERROR_TABLE } from '../../../services/shared/errors.js'

export interface Violation {
  what: string
  status: number
  body: string
}

export function checkResponse(res: LightMyRequestResponse, what: string): Violation | null {
  const status = res.statusCode
  const body = res.body.slice(0, 400)
  if (status >= 500) return { what: `${what}: server error`, status, body }
  if (status < 400) return null
  let parsed: unknown
  try {
    parsed = JSON.parse(res.body)
  } catch {
    return { what: `${what}: ${status} without a JSON body (${String(res.headers['content-type'])})`, status, body }
  }
  const err = (parsed as { error?: { code?: unknown; message?: unknown; requestId?: unknown } }).error
  if (!err || typeof err !== 'object') return { what: `${what}: ${status} without an error object`, status, body }
  if (typeof err.code !== 'string' || !(err.code in ERROR_TABLE))
    return { what: `${what}: unknown error code ${String(err.code)}`, status, body }
  if (typeof err.message !== 'string' || err.message === '') return { what: `${what}: no message`, status, body }
  if (typeof err.requestId !== 'string' || err.requestId === '') return { what: `${what}: no requestId`, status, body }
  if (ERROR_TABLE[err.code as keyof typeof ERROR_TABLE].status !== status)
    return { what: `${what}: code ${err.code} with status ${status}`, status, body }
  return null
}
