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
import type { TokenRevocations } from '../../auth/token-revocations.js'
import type { UserService } from '../../auth/user-service.js'
import type { Clock } from '../../shared/clock.js'
import { AppError } from '../../shared/errors.js'
import { declareAuth, STAFF_SCHEMES } from '../auth-declaration.js'

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
    /** Id and expiry (seconds since epoch) of the staff token used, for logout. */
    staffToken: { id: string | null; exp: number } | null
  }
  interface FastifyInstance {
    requirePermission(...perms: Permission[]): preHandlerAsyncHookHandler
  }
}

export const TOKEN_COOKIE = 'taxkb_token'
export const CSRF_COOKIE = 'taxkb_csrf'
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/** The CSRF token of a login session: an HMAC of its token id (of the token itself when it has none). */
export function csrfTokenFor(tokens: TokenSigner, tokenId: string | null, token: string): string {
  return tokens.bind('csrf', tokenId ?? `token:${token}`)
}

export function setLoginCookies(reply: FastifyReply, token: string, maxAgeSeconds: number, csrf: string): string {
  reply.setCookie(TOKEN_COOKIE, token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: 'auto',
    maxAge: maxAgeSeconds,
  })
  reply.setCookie(CSRF_COOKIE, csrf, {
    path: '/',
    httpOnly: false,
    sameSite: 'strict',
    secure: 'auto',
    maxAge: maxAgeSeconds,
  })
  return csrf
}

export function clearLoginCookies(reply: FastifyReply): void {
  reply.clearCookie(TOKEN_COOKIE, { path: '/' })
  reply.clearCookie(CSRF_COOKIE, { path: '/' })
}

export interface AuthPluginOptions {
  tokens: Pick<TokenSigner, 'verify' | 'bind'>
  users: Pick<UserService, 'get'>
  revocations: Pick<TokenRevocations, 'isRevoked'>
  clock: Clock
}

export default fp(async function authPlugin(app: FastifyInstance, opts: AuthPluginOptions) {
  await app.register(cookie)
  app.decorateRequest('user', null)
  app.decorateRequest('authVia', null)
  app.decorateRequest('staffToken', null)

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
    const tokenId = claims && typeof claims.jti === 'string' ? claims.jti : null
    // A token revoked at logout is treated like an expired one.
    const revoked = tokenId !== null && (await opts.revocations.isRevoked(tokenId))
    if (!claims || claims.kind !== 'staff' || revoked) {
      request.authVia = null
      if (request.headers.authorization)
        throw new AppError('UNAUTHENTICATED', 'invalid or expired token', { userMessage: '登录已过期，请重新登录' })
      return
    }
    const user = await opts.users.get(claims.sub)
    if (!user || user.disabled) throw new AppError('UNAUTHENTICATED', 'user no longer exists')
    if (request.authVia === 'cookie' && !SAFE_METHODS.has(request.method)) {
      // Double submit bound to the session: the header must be the HMAC of this token's id, so a cookie
      // planted by an attacker (or another session's token) proves nothing.
      const sent = request.headers['x-csrf-token']
      const want = csrfTokenFor(opts.tokens as TokenSigner, tokenId, token)
      if (
        typeof sent !== 'string' ||
        sent.length !== want.length ||
        !crypto.timingSafeEqual(Buffer.from(sent), Buffer.from(want))
      )
        throw new AppError('CSRF_FAILED')
    }
    request.staffToken = { id: tokenId, exp: claims.exp }
    request.user = {
      id: user.id,
      name: user.name,
      role: user.role,
      regionCode: user.regionCode,
      seatGroup: user.seatGroup,
      permissions: permissionsOf(user.role, user.permissions),
    }
  })

  app.decorate('requirePermission', (...perms: Permission[]): preHandlerAsyncHookHandler => {
    const guard: preHandlerAsyncHookHandler = async (request) => {
      if (!request.user) throw new AppError('UNAUTHENTICATED')
      for (const p of perms)
        if (!request.user.permissions.has(p)) throw new AppError('FORBIDDEN', `missing permission ${p}`)
    }
    // The same declaration feeds the operation's `security` in the OpenAPI document.
    return declareAuth(guard, { anonymous: false, schemes: STAFF_SCHEMES, permissions: perms })
  })
})
