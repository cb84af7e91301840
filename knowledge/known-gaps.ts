/**
 * Known gaps of the bundled corpus: situations in which the statute the corpus holds is not the whole current rule,
 * because the document that sets it (a 财税 notice, a 公告) is not in the corpus — 个人出租住房's 房产税 under
 * 房产税暂行条例第四条's 12%, a listed company's dividends under 个人所得税法's 20%. A reply led by such a statute
 * for such a situation would present an incomplete rule as the answer (eval/RUBRIC.md: the 个人出租住房 example is
 * wrong-confident); the answering service holds it below the threshold instead and names the missing document
 * (services/answer/answer-service.ts). The register is data (knowledge/gaps/known-gaps.jsonl): each line names the
 * leads it applies to, the words that identify the situation, the words that rule it out, the note, the documents
 * the corpus lacks and the date someone checked that they are still missing. Parse is pure; load reads the file.
 */
import fs from 'node:fs'

export interface KnownGap {
  id: string
  /** Lead entries the gap applies to: an entry id, a prefix ending in 「#」 (「个人所得税法#」: any of its articles), or
   * 「*」: any lead (the corpus has no entry that states the rule, so whatever leads is not it). */
  leads: string[]
  /** Word groups that identify the situation: each group has at least one word in the question. */
  all: string[][]
  /** Words that rule the situation out (「公司」 renting out a building is another rule). */
  none: string[]
  /** What the reply says about the gap (Chinese, shown to the taxpayer). */
  note: string
  /** The documents the corpus lacks. */
  documents: { docNumber: string; title: string }[]
  /** When someone last checked that the documents are still missing from the corpus (YYYY-MM-DD). */
  checked: string
}

export class KnownGapsError extends Error {}

const words = (v: unknown): v is string[] =>
  Array.isArray(v) && v.length > 0 && v.every((w) => typeof w === 'string' && w.trim().length > 0)

export class KnownGaps {
  constructor(readonly gaps: readonly KnownGap[]) {}

  /** Parses the JSONL register; a bad line throws with its file:line and the field at fault. */
  static parse(text: string, file = 'known-gaps.jsonl'): KnownGaps {
    const gaps: KnownGap[] = []
    const ids = new Set<string>()
    text.split('\n').forEach((raw, i) => {
      const line = raw.trim()
      if (!line) return
      const fail = (m: string): never => {
        throw new KnownGapsError(`${file}:${i + 1}: ${m}`)
      }
      let v: Record<string, unknown> = {}
      try {
        v = JSON.parse(line) as Record<string, unknown>
      } catch {
        fail('not JSON')
      }
      if (typeof v.id !== 'string' || !v.id) fail('field "id" must be a non-empty string')
      if (ids.has(v.id as string)) fail(`duplicate id ${String(v.id)}`)
      if (!words(v.leads)) fail('field "leads" must list entry ids or 「<law>#」 prefixes')
      if (!Array.isArray(v.all) || v.all.length === 0 || !v.all.every(words)) fail('field "all" must be word groups')
      if (v.none !== undefined && !(Array.isArray(v.none) && v.none.every((w) => typeof w === 'string')))
        fail('field "none" must be a list of words')
      if (typeof v.note !== 'string' || !/[\p{Script=Han}]/u.test(v.note)) fail('field "note" must be Chinese text')
      const docs = v.documents
      if (
        !Array.isArray(docs) ||
        docs.length === 0 ||
        !docs.every((d) => typeof d?.docNumber === 'string' && typeof d?.title === 'string')
      )
        fail('field "documents" must list {docNumber, title}')
      if (typeof v.checked !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v.checked))
        fail('field "checked" must be a date')
      ids.add(v.id as string)
      gaps.push({
        id: v.id as string,
        leads: v.leads as string[],
        all: v.all as string[][],
        none: (v.none as string[] | undefined) ?? [],
        note: v.note as string,
        documents: docs as KnownGap['documents'],
        checked: v.checked as string,
      })
    })
    return new KnownGaps(gaps)
  }

  /** The register in `file`; a path with no file is an empty register (TAXKB_KNOWN_GAPS_FILE, README). */
  static load(file: string): KnownGaps {
    if (!fs.existsSync(file)) return new KnownGaps([])
    return KnownGaps.parse(fs.readFileSync(file, 'utf8'), file)
  }

  /** The gap a reply led by `leadId` falls into for this question, if any. */
  match(question: string, leadId: string): KnownGap | null {
    const q = question.normalize('NFKC')
    for (const g of this.gaps) {
      if (!g.leads.some((l) => l === '*' || (l.endsWith('#') ? leadId.startsWith(l) : leadId === l))) continue
      if (g.none.some((w) => q.includes(w.normalize('NFKC')))) continue
      if (g.all.every((group) => group.some((w) => q.includes(w.normalize('NFKC'))))) return g
    }
    return null
  }
}
