import crypto from 'node:crypto'
import { Type } from '@sinclair/typebox'
import { permissionsOf } from '../../auth/roles.js'
import { publicUser } from '../../auth/user-service.js'
import { clearLoginCookies, csrfTokenFor, setLoginCookies } from '../plugins/auth.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const UserOut = Type.Object({
  id: Type.String(),
  name: Type.String(),
  role: Type.String(),
  regionCode: Type.Union([Type.String(), Type.Null()]),
  seatGroup: Type.Union([Type.String(), Type.Null()]),
  permissions: Type.Array(Type.String()),
})

const authRoutes = routes('auth-routes', ['config', 'users', 'clock', 'tokens', 'revocations'], async (app) => {
  const ttl = app.config.tokenTtlHours * 3600
  app.post(
    '/api/auth/login',
    {
      config: { rateLimit: { max: Math.max(10, Math.floor(app.config.rateLimitPerMinute / 10)), timeWindow: 60_000 } },
      schema: {
        tags: ['auth'],
        summary: '工作人员登录（坐席、编辑、审核、管理员）',
        body: Type.Object(
          {
            username: Type.String({ minLength: 1, maxLength: 64 }),
            password: Type.String({ minLength: 1, maxLength: 200 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ token: Type.String(), csrfToken: Type.String(), expiresAt: Type.String(), user: UserOut }),
          401: errorResponses[400],
          423: errorResponses[400],
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const user = await app.users.authenticate(request.body.username, request.body.password)
      const now = app.clock.now().getTime()
      // The token id makes logout revocable (plugins/auth.ts) and the CSRF token session-bound.
      const jti = crypto.randomUUID()
      const token = app.tokens.sign({ sub: user.id, kind: 'staff', role: user.role, jti }, ttl, now)
      const csrfToken = setLoginCookies(reply, token, ttl, csrfTokenFor(app.tokens, jti, token))
      request.log.info({ user: user.id, role: user.role }, 'login')
      const pu = publicUser(user)
      return {
        token,
        csrfToken,
        expiresAt: new Date(now + ttl * 1000).toISOString(),
        user: { ...pu, permissions: [...permissionsOf(user.role, user.permissions)] },
      }
    },
  )

  app.post(
    '/api/auth/logout',
    {
      schema: {
        tags: ['auth'],
        summary: '退出登录（令牌在服务端作废）',
        response: { 200: Type.Object({ ok: Type.Boolean() }) },
      },
    },
    async (request, reply) => {
      if (request.staffToken?.id) await app.revocations.revoke(request.staffToken.id, request.staffToken.exp)
      clearLoginCookies(reply)
      return { ok: true }
    },
  )

  app.get(
    '/api/auth/me',
    {
      preHandler: app.requirePermission(),
      schema: {
        tags: ['auth'],
        summary: '当前登录用户',
        response: { 200: UserOut, ...errorResponses, 401: errorResponses[400] },
      },
    },
    async (request) => {
      const u = request.user!
      return {
        id: u.id,
        name: u.name,
        role: u.role,
        regionCode: u.regionCode,
        seatGroup: u.seatGroup,
        permissions: [...u.permissions],
      }
    },
  )
})
export default authRoutes
