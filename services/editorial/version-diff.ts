/**
 * Differences between two versions of an entry: which fields changed (old → new) and a word-level text
 * diff of the long text fields, computed with `diff` (jsdiff). Pure.
 */
import { diffChars, diffLines } from 'diff'
import type { Entry } from '../../knowledge/entry.js'

export interface FieldChange {
  field: string
  before: unknown
  after: unknown
}

export interface TextPart {
  value: string
  added?: true
  removed?: true
}

export interface EntryDiff {
  fields: FieldChange[]
  text: { field: string; parts: TextPart[] }[]
}

const IGNORED = new Set(['version', 'updatedAt', 'updatedBy'])
const TEXT_FIELDS = ['title', 'question', 'body'] as const

function flatten(v: unknown, prefix: string, out: Map<string, unknown>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) flatten(x, prefix ? `${prefix}.${k}` : k, out)
  } else if (v !== undefined) out.set(prefix, v)
}

export function diffEntries(a: Entry, b: Entry): EntryDiff {
  const fa = new Map<string, unknown>()
  const fb = new Map<string, unknown>()
  flatten(a, '', fa)
  flatten(b, '', fb)
  const fields: FieldChange[] = []
  for (const key of [...new Set([...fa.keys(), ...fb.keys()])].sort()) {
    if (IGNORED.has(key)) continue
    const before = fa.get(key)
    const after = fb.get(key)
    if (JSON.stringify(before) !== JSON.stringify(after))
      fields.push({ field: key, before: before ?? null, after: after ?? null })
  }
  const text: EntryDiff['text'] = []
  for (const f of TEXT_FIELDS) {
    const x = a[f] ?? ''
    const y = b[f] ?? ''
    if (x === y) continue
    // Chinese has no spaces, so words are characters; long bodies are compared line by line first.
    const parts = x.length + y.length > 20_000 ? diffLines(x, y) : diffChars(x, y)
    text.push({
      field: f,
      parts: parts.map((p) => ({
        value: p.value,
        ...(p.added ? { added: true as const } : {}),
        ...(p.removed ? { removed: true as const } : {}),
      })),
    })
  }
  return { fields, text }
}
