/**
 * Who may call a route, declared once on the guard itself: the guard enforces it and the OpenAPI document
 * (services/api/openapi.ts) reads it back to write the operation's `security`. A route puts its guard in
 * `preHandler`; a route without one is public. A `preHandler` function that carries no declaration leaves the
 * operation without `security`, which the OpenAPI lint and test/integration/openapi-contract.test.ts reject.
 *
 *   preHandler: app.requirePermission('tickets:work')          // staff with a permission (declared for you)
 *   preHandler: declareAuth(myGuard, { anonymous: false, schemes: ['hallApiKey'], permissions: [] })
 */
import type { Permission } from '../auth/roles.js'

/** Names of the security schemes in components.securitySchemes (defined in openapi.ts). */
export const SECURITY_SCHEME_NAMES = ['staffBearer', 'staffCookie', 'hallApiKey', 'metricsBasic'] as const
export type SecuritySchemeName = (typeof SECURITY_SCHEME_NAMES)[number]

/** Staff credentials: the login token as `Authorization: Bearer`, or the httpOnly cookie set at login. */
export const STAFF_SCHEMES: readonly SecuritySchemeName[] = ['staffBearer', 'staffCookie']

/** Header of the per-hall API key that a service hall's queue system sends (booking queue interface). */
export const HALL_API_KEY_HEADER = 'x-hall-api-key'

export interface AuthRequirement {
  /** Callers without credentials are accepted (taxpayers are anonymous). */
  readonly anonymous: boolean
  /** Credentials that are accepted, any one of them. */
  readonly schemes: readonly SecuritySchemeName[]
  /** Staff permissions checked once the caller is authenticated (all of them). */
  readonly permissions: readonly Permission[]
}

const AUTH = Symbol.for('taxkb.auth-requirement')

/** Attaches the requirement to the guard and returns the same guard. */
export function declareAuth<F extends object>(guard: F, requirement: AuthRequirement): F {
  Object.defineProperty(guard, AUTH, { value: Object.freeze({ ...requirement }), enumerable: false })
  return guard
}

export function authOf(guard: unknown): AuthRequirement | undefined {
  if ((typeof guard !== 'function' && typeof guard !== 'object') || guard === null) return undefined
  return (guard as { [AUTH]?: AuthRequirement })[AUTH]
}

/**
 * What a route's preHandler hooks declare: the declaration when exactly one hook carries one, `public` when the
 * route has no preHandler, `undeclared` when a preHandler carries none (or two disagree).
 */
export function routeAuth(preHandler: unknown): AuthRequirement | 'public' | 'undeclared' {
  const hooks = (Array.isArray(preHandler) ? preHandler : [preHandler]).filter((h) => h !== undefined && h !== null)
  if (hooks.length === 0) return 'public'
  const declared = hooks.map(authOf).filter((a): a is AuthRequirement => a !== undefined)
  return declared.length === 1 ? declared[0]! : 'undeclared'
}

/** OpenAPI `security`: alternatives, `{}` meaning "no credentials"; `[]` for a public route. */
export function securityRequirements(auth: AuthRequirement | 'public'): Array<Record<string, string[]>> {
  if (auth === 'public') return []
  const alternatives = auth.schemes.map((s) => ({ [s]: [] as string[] }))
  return auth.anonymous ? [{}, ...alternatives] : alternatives
}
