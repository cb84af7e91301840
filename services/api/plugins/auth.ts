/**
 * Authentication and authorisation. Staff send `Authorization: Bearer <token>` or the httpOnly
 * `taxkb_token` cookie set at login; cookie-authenticated writes must echo the `taxkb_csrf` cookie in the
 * `x-csrf-token` header (double submit). Routes declare what they need with `app.requirePermission(...)`.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify'
import fp from 'fastify-plugin'
import cookie from '@fastify/cookie'
import crypto from 'node:crypto'
import { permissionsOf, type Permission, type Role } from '../../auth/roles.js'
import type { TokenSigner } from '../../auth/tokens.js'
import type { UserService } from '../../auth/user-service.js'
import type { Clock } from '../../shared/clock.js'
import { AppError } from '../../shared/errors.js'

export interface AuthUser {
  id: string
  name: string
  role: Role
  regionCode: string | null
  seatGroup: string | null
  permissions: Set<Permission>
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null
    authVia: 'bearer' | 'cookie' | null
  }
  interface FastifyInstance {
    requirePermission(...perms: Permission[]): preHandlerAsyncHookHandler
  }
}

export const TOKEN_COOKIE = 'taxkb_token'
export const CSRF_COOKIE = 'taxkb_csrf'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

export function setLoginCookies(reply: FastifyReply, token: string, maxAgeSeconds: number): string {
  const csrf = crypto.randomBytes(18).toString('base64url')
  reply.setCookie(TOKEN_COOKIE, token, { path: '/', httpOnly: true, sameSite: 'strict', secure: 'auto', maxAge: maxAgeSeconds })
  reply.setCookie(CSRF_COOKIE, csrf, { path: '/', httpOnly: false, sameSite: 'strict', secure: 'auto', maxAge: maxAgeSeconds })
  return csrf
}

export function clearLoginCookies(reply: FastifyReply): void {
  reply.clearCookie(TOKEN_COOKIE, { path: '/' })
  reply.clearCookie(CSRF_COOKIE, { path: '/' })
}

export interface AuthPluginOptions {
  tokens: Pick<TokenSigner, 'verify'>
  users: Pick<UserService, 'get'>
  clock: Clock
}

export default fp(async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions) {
  await app.register(cookie)
  app.decorateRequest('user', null)
  app.decorateRequest('authVia', null)

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const header = request.headers.authorization
    let token: string | undefined
    if (typeof header === 'string' && header.startsWith('Bearer ')) {
      token = header.slice(7).trim()
      request.authVia = 'bearer'
    } else if (request.cookies[TOKEN_COOKIE]) {
      token = request.cookies[TOKEN_COOKIE]
      request.authVia = 'cookie'
    }
    if (!token) return
    const claims = opts.tokens.verify(token, opts.clock.now().getTime())
    if (!claims || claims.kind !== 'staff') {
      request.authVia = null
      if (request.headers.authorization) throw new AppError('UNAUTHENTICATED', 'invalid or expired token', { userMessage: '登录已过期，请重新登录' })
      return
    }
    const user = await opts.users.get(claims.sub)
    if (!user || user.disabled) throw new AppError('UNAUTHENTICATED', 'user no longer exists')
    if (request.authVia === 'cookie' && !SAFE_METHODS.has(request.method)) {
      const sent = request.headers['x-csrf-token']
      const want = request.cookies[CSRF_COOKIE]
      if (typeof sent !== 'string' || !want || sent.length !== want.length || !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(want))) throw new AppError('CSRF_FAILED')
    }
    request.user = { id: user.id, name: user.name, role: user.role, regionCode: user.regionCode, seatGroup: user.seatGroup, permissions: permissionsOf(user.role, user.permissions) }
  })

  app.decorate('requirePermission', (...perms: Permission[]): preHandlerAsyncHookHandler => {
    return async (request) => {
      if (!request.user) throw new AppError('UNAUTHENTICATED')
      for (const p of perms) if (!request.user.permissions.has(p)) throw new AppError('FORBIDDEN', `missing permission ${p}`)
    }
  })
})
