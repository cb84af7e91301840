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

/** First chunk of a streamed CSV: the BOM and the header line, exactly as toSafeCsv begins. */
export function safeCsvHeader(columns: string[]): string {
  return `\ufeff${stringify([], { header: true, columns, escape_formulas: true })}`
}

/** Further chunks of a streamed CSV: header chunk + row chunks = toSafeCsv of all rows, byte for byte. */
export function safeCsvRows(rows: readonly (readonly unknown[])[]): string {
  return stringify(rows as unknown[], { escape_formulas: true })
}
