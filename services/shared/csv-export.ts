/**
 * CSV for staff to open in Excel / WPS / LibreOffice, safe against formula injection (OWASP "CSV
 * Injection"): a cell starting with = + - @ tab or CR (or their full-width forms) is prefixed with `'`, so
 * a taxpayer's message like `=HYPERLINK(…)` stays text. Every CSV export goes through `toSafeCsv`; an
 * importer of our own exports undoes the prefix with `restoreFormulaText`. XLSX writers must store cells
 * as strings (ExcelJS does for string values), never as formulas.
 */
import { stringify } from 'csv-stringify/sync'

const ESCAPED = /^'[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/

/**
 * Rows as CSV with a BOM (so Excel reads UTF-8 Chinese text) and formula-looking cells neutralised.
 * `columns`: the header line — labels for rows given as arrays, keys (printed as they are) for records.
 */
export function toSafeCsv(
  rows: readonly (readonly unknown[])[] | readonly Record<string, unknown>[],
  columns?: string[],
): string {
  const options = { header: columns !== undefined, ...(columns ? { columns } : {}), escape_formulas: true }
  return `\ufeff${stringify(rows as unknown[], options)}`
}

/** Undoes the `'` prefix that toSafeCsv added, when our own export is imported again. */
export function restoreFormulaText(cell: string): string {
  return ESCAPED.test(cell) ? cell.slice(1) : cell
}
