/** Line-numbered JSONL reading with per-line errors; a bad line never stops the others being checked. */
import fs from 'node:fs'

export interface LineProblem {
  file: string
  line: number
  message: string
}

export interface ParsedLine<T> {
  line: number
  value: T
}

export function readJsonl(file: string, problems: LineProblem[]): ParsedLine<Record<string, unknown>>[] {
  let text: string
  try {
    text = fs.readFileSync(file, 'utf8')
  } catch (e) {
    problems.push({ file, line: 0, message: `cannot read file: ${(e as Error).message}` })
    return []
  }
  if (text.includes('\uFFFD')) problems.push({ file, line: 0, message: 'file is not valid UTF-8' })
  const out: ParsedLine<Record<string, unknown>>[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/^\uFEFF/, '').trim()
    if (!line) return
    try {
      const v = JSON.parse(line) as unknown
      if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('line is not a JSON object')
      out.push({ line: i + 1, value: v as Record<string, unknown> })
    } catch (e) {
      problems.push({ file, line: i + 1, message: `invalid JSON: ${(e as Error).message}` })
    }
  })
  return out
}

/** Typed field access that records a problem instead of throwing. */
export class FieldReader {
  constructor(
    private readonly rec: Record<string, unknown>,
    private readonly at: { file: string; line: number },
    private readonly problems: LineProblem[],
  ) {}

  private failures = 0

  /** Whether any field read through this reader was missing or malformed. */
  get failed(): boolean {
    return this.failures > 0
  }

  private fail(field: string, want: string): void {
    this.failures++
    this.problems.push({ ...this.at, message: `field "${field}" must be ${want}` })
  }

  str(field: string): string {
    const v = this.rec[field]
    if (typeof v !== 'string' || v.trim() === '') {
      this.fail(field, 'a non-empty string')
      return ''
    }
    return v
  }

  optStr(field: string): string | undefined {
    const v = this.rec[field]
    if (v === undefined || v === null || v === '') return undefined
    if (typeof v !== 'string') {
      this.fail(field, 'a string or null')
      return undefined
    }
    return v
  }

  strArray(field: string): string[] {
    const v = this.rec[field]
    if (v === undefined || v === null) return []
    if (!Array.isArray(v) || v.some((x) => typeof x !== 'string')) {
      this.fail(field, 'an array of strings')
      return []
    }
    return v as string[]
  }

  raw(field: string): unknown {
    return this.rec[field]
  }
}
