/**
 * Fastify's own schema compilers (@fastify/ajv-compiler for requests, fast-json-stringify for responses), each
 * route's functions built on the route's first request instead of at start-up.
 *
 * Why: compiling the validators and serializers of every route at `listen` took 0.6–1.2 s of the server's cold
 * start (a CPU profile of `listen`: fast-json-stringify ≈ 28 %, ajv ≈ 25 %), for routes most processes never
 * serve. The functions are the same ones Fastify would build, with the same options; a route pays its own
 * compilation (milliseconds) once, and `compilePending()` builds whatever is left in the background after
 * `listen`, so a schema that cannot compile is still reported within a second of start-up (and in tests,
 * which call it at once).
 */
import { AjvCompiler } from '@fastify/ajv-compiler'
import { SerializerSelector } from '@fastify/fast-json-stringify-compiler'
import type { FastifyServerOptions } from 'fastify'

type Compile = (route: {
  schema: unknown
  method: string
  url: string
  httpPart?: string
  httpStatus?: string
}) => unknown
type Validator = ((data: unknown, dataCtx?: unknown) => unknown) & { errors?: unknown; schemaEnv?: unknown }

export interface LazySchemas {
  compilersFactory: NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>
  /** Compiles the functions not built yet (at most `limit`), returns how many; throws the first error with its route. */
  compilePending(limit?: number): number
  /** Functions still waiting for their first use. */
  readonly pending: number
}

/** Fastify lower-cases a header schema's property names for its own compiler (headers arrive lower-cased). */
function lowerCaseHeaders(schema: unknown): unknown {
  const s = schema as { properties?: Record<string, unknown>; required?: string[] } | null
  if (!s || typeof s !== 'object' || !s.properties) return schema
  return {
    ...s,
    properties: Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k.toLowerCase(), v])),
    ...(s.required ? { required: s.required.map((k) => k.toLowerCase()) } : {}),
  }
}

export function lazySchemas(): LazySchemas {
  const pending = new Set<() => void>()
  const buildValidator = AjvCompiler()
  const buildSerializer = SerializerSelector()

  /** `compile(route)` at most once, on first use or by compilePending; a failure names what did not compile. */
  const once = <F>(compile: Compile, route: Parameters<Compile>[0], label: string): (() => F) => {
    let fn: F | undefined
    const build = (): F => {
      pending.delete(build)
      try {
        fn ??= compile(route) as F
      } catch (e) {
        throw new Error(`${label} does not compile: ${(e as Error).message}`, { cause: e })
      }
      return fn
    }
    pending.add(build)
    return () => fn ?? build()
  }

  const lazyValidator = (compile: Compile, route: Parameters<Compile>[0]): Validator => {
    const r = route.httpPart === 'headers' ? { ...route, schema: lowerCaseHeaders(route.schema) } : route
    const get = once<Validator>(compile, r, `schema for ${route.method} ${route.url} (${route.httpPart})`)
    const lazy: Validator = (data, dataCtx) => {
      const v = get()
      const ok = v(data, dataCtx)
      lazy.errors = v.errors
      return ok
    }
    // Fastify passes { parentData, parentDataProperty } (so Ajv can coerce a root value) only to a function that
    // has schemaEnv, which it reads before the first call: every Ajv function has it.
    lazy.schemaEnv = true
    return lazy
  }

  const lazySerializer = (compile: Compile, route: Parameters<Compile>[0]) => {
    const get = once<(data: unknown) => string>(
      compile,
      route,
      `response schema ${route.httpStatus} of ${route.method} ${route.url}`,
    )
    return (data: unknown) => get()(data)
  }

  return {
    compilersFactory: {
      buildValidator: (externalSchemas: unknown, options: unknown) => {
        const compile = (buildValidator as (e: unknown, o: unknown) => Compile)(externalSchemas, options)
        return (route: Parameters<Compile>[0]) => lazyValidator(compile, route)
      },
      buildSerializer: (externalSchemas: unknown, options: unknown) => {
        const compile = (buildSerializer as (e: unknown, o: unknown) => Compile)(externalSchemas, options)
        return (route: Parameters<Compile>[0]) => lazySerializer(compile, route)
      },
    } as LazySchemas['compilersFactory'],
    compilePending(limit = Number.POSITIVE_INFINITY) {
      let n = 0
      for (const build of [...pending]) {
        if (n >= limit) break
        build()
        n++
      }
      return n
    },
    get pending() {
      return pending.size
    },
  }
}
