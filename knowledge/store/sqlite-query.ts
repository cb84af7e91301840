/**
 * Pure translation of the engine-neutral ListQuery into SQLite SQL over a `(id TEXT PRIMARY KEY, doc TEXT)`
 * table, with top-level fields read by `json_extract(doc, '$.field')`. The expression text is fixed per
 * field (no bound path), so the planner matches it against the expression indexes of sqlite-indexes.ts.
 * Semantics follow matchesQuery/applyListQuery in store.ts: a missing field equals null; a range never
 * matches null; sorting puts nulls last in both directions and breaks ties by id ascending.
 */
import { AppError } from '../../services/shared/errors.js'
import type { ListQuery, Scalar } from './store.js'

export type SqlValue = string | number | null

const FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/

/** `json_extract(doc, '$.field')`, or the id column; refuses anything but a plain identifier. */
export function fieldExpr(field: string): string {
  if (field === 'id') return 'id'
  if (!FIELD.test(field)) throw new AppError('VALIDATION_FAILED', `unsupported query field ${JSON.stringify(field)}`)
  return `json_extract(doc, '$.${field}')`
}

/** One equality test. Booleans compare by JSON type, so `true` never equals the number 1. */
function equals(expr: string, field: string, v: Scalar, params: SqlValue[]): string {
  if (v === null) return `${expr} IS NULL`
  if (typeof v === 'boolean') {
    if (field === 'id') return '0'
    return `json_type(doc, '$.${field}') = '${v ? 'true' : 'false'}'`
  }
  params.push(v)
  return `${expr} = ?`
}

export function whereClause(q: Pick<ListQuery, 'where' | 'range'> | undefined, params: SqlValue[]): string {
  const parts: string[] = []
  for (const [field, want] of Object.entries(q?.where ?? {})) {
    const expr = fieldExpr(field)
    if (!Array.isArray(want)) {
      parts.push(equals(expr, field, want, params))
      continue
    }
    if (want.length === 0) {
      parts.push('0')
      continue
    }
    const plain = want.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number')
    const alts: string[] = []
    if (plain.length > 0) {
      params.push(...plain)
      alts.push(`${expr} IN (${plain.map(() => '?').join(', ')})`)
    }
    for (const v of want) if (v === null || typeof v === 'boolean') alts.push(equals(expr, field, v, params))
    parts.push(alts.length === 1 ? alts[0]! : `(${alts.join(' OR ')})`)
  }
  const r = q?.range
  if (r) {
    const expr = fieldExpr(r.field)
    parts.push(`${expr} IS NOT NULL`)
    if (r.gte !== undefined) {
      params.push(r.gte)
      parts.push(`${expr} >= ?`)
    }
    if (r.lt !== undefined) {
      params.push(r.lt)
      parts.push(`${expr} < ?`)
    }
  }
  return parts.length > 0 ? ` WHERE ${parts.join(' AND ')}` : ''
}

export function selectSql(table: string, q: ListQuery | undefined): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = []
  let sql = `SELECT doc FROM "${table}"${whereClause(q, params)}`
  if (q?.sort) {
    const expr = fieldExpr(q.sort.field)
    const dir = q.sort.order === 'asc' ? 'ASC' : 'DESC'
    // Nulls last in both directions. SQLite puts them last for DESC already; for ASC the extra key is only
    // needed when nulls can occur (a range on the sort field excludes them and keeps the index usable).
    const nullsKey =
      dir === 'ASC' && q.range?.field !== q.sort.field && q.sort.field !== 'id' ? `${expr} IS NULL, ` : ''
    sql += ` ORDER BY ${nullsKey}${expr} ${dir}${q.sort.field === 'id' ? '' : ', id ASC'}`
  }
  const offset = q?.offset ?? 0
  if (q?.limit !== undefined || offset > 0) {
    sql += ' LIMIT ? OFFSET ?'
    params.push(q?.limit ?? -1, offset)
  }
  return { sql, params }
}

export function countSql(
  table: string,
  q: Pick<ListQuery, 'where' | 'range'> | undefined,
): { sql: string; params: SqlValue[] } {
  const params: SqlValue[] = []
  return { sql: `SELECT count(*) AS n FROM "${table}"${whereClause(q, params)}`, params }
}
