/**
 * Survey responses as CSV (through the shared formula neutraliser) or XLSX (every answer written as a
 * string or number cell, never a formula), with PII masked in free text. exceljs loads lazily.
 */
import { toSafeCsv } from '../shared/csv-export.js'
import { maskPii } from '../shared/mask.js'
import type { Answer, Question } from './survey-logic.js'

export interface ExportResponse {
  day: string
  answers: Record<string, Answer>
}

function cell(q: Question, a: Answer | undefined): string | number {
  if (a === undefined) return ''
  if (Array.isArray(a)) return a.join('；')
  return typeof a === 'number' ? a : q.type === 'short' || q.type === 'long' ? maskPii(a) : a
}

export function exportRows(
  questions: readonly Question[],
  responses: readonly ExportResponse[],
): { header: string[]; rows: (string | number)[][] } {
  const header = ['提交日期', ...questions.map((q, i) => `${i + 1}. ${q.title}`)]
  const rows = responses.map((r) => [r.day, ...questions.map((q) => cell(q, r.answers[q.id]))])
  return { header, rows }
}

export function surveyCsv(questions: readonly Question[], responses: readonly ExportResponse[]): string {
  const { header, rows } = exportRows(questions, responses)
  return toSafeCsv([header, ...rows])
}

export async function surveyXlsx(
  title: string,
  questions: readonly Question[],
  responses: readonly ExportResponse[],
): Promise<Buffer> {
  const ExcelJS = (await import('exceljs')).default
  const book = new ExcelJS.Workbook()
  const sheet = book.addWorksheet('答卷')
  const { header, rows } = exportRows(questions, responses)
  sheet.addRow(header)
  // Plain values only: ExcelJS writes a string as a shared string, so "=1+1" stays text (no { formula }).
  for (const r of rows) sheet.addRow(r)
  book.title = title.slice(0, 100)
  return Buffer.from(await book.xlsx.writeBuffer())
}
