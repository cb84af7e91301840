/**
 * Loads Node's built-in SQLite (`node:sqlite`). On Node 22 loading it prints one ExperimentalWarning
 * ("SQLite is an experimental feature…"); that exact warning is dropped here, where the module is loaded,
 * so every entry point (CLI, server, bench children, tests) is covered by one place and every other
 * warning still prints. Node 24 does not warn. Loaded lazily so processes that never open the embedded
 * store (Elasticsearch backend) never touch it.
 */
type SqliteModule = typeof import('node:sqlite')

let loaded: Promise<SqliteModule> | undefined

export function isSqliteExperimentalWarning(warning: unknown, typeOrOptions: unknown): boolean {
  const type =
    typeof typeOrOptions === 'string' ? typeOrOptions : (typeOrOptions as { type?: unknown } | undefined)?.type
  const name = warning instanceof Error ? warning.name : type
  const message = warning instanceof Error ? warning.message : String(warning)
  return name === 'ExperimentalWarning' && /^SQLite is an experimental feature/.test(message)
}

export function loadSqlite(): Promise<SqliteModule> {
  loaded ??= (async () => {
    const original = process.emitWarning
    process.emitWarning = function (this: unknown, warning: string | Error, ...rest: unknown[]) {
      if (isSqliteExperimentalWarning(warning, rest[0])) return
      return (original as (...a: unknown[]) => void).call(process, warning, ...rest)
    } as typeof process.emitWarning
    try {
      return await import('node:sqlite')
    } finally {
      process.emitWarning = original
    }
  })()
  return loaded
}
