/**
 * The shared 公告 format (knowledge/corpus/policies/announcements.jsonl, PROVENANCE.md §6) → policy entries:
 * one document entry and its clause entries per line, linked across the file (repeals / amends with their
 * dates), so validity follows from the texts. Also used by the editor console's JSON upload and bulk import.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { IncomingRelation, PolicyRelation } from '../../knowledge/policy-info.js'
import {
  buildPolicy,
  linkPolicies,
  type BuiltPolicy,
  type PolicyDocumentInput,
} from '../../knowledge/policy-entries.js'
import { findAliases, findDocRefs, type LawTitles } from '../../knowledge/policy-relations.js'
import { readJsonl, type LineProblem } from './jsonl.js'

const ISO = /^\d{4}-\d{2}-\d{2}$/

/** Law titles of a corpus (「中华人民共和国增值税法」 → 「增值税法」), for `implements` links. */
export function lawTitlesFrom(lawsFile: string): LawTitles {
  const map = new Map<string, string>()
  if (fs.existsSync(lawsFile)) {
    for (const line of fs.readFileSync(lawsFile, 'utf8').split('\n')) {
      const m = /"law": "([^"]+)", "shortName": "([^"]+)"/.exec(line)
      if (!m?.[1] || !m[2]) continue
      map.set(m[1], m[2])
      map.set(m[1].replace(/^中华人民共和国/, ''), m[2])
    }
  }
  return { shortNameOf: (title) => map.get(title) }
}

/** Chinese field messages: editors read them in the console. */
function zhField(field: string, want: string): string {
  return `字段「${field}」应为${want}`
}

/** One shared-format record → builder input; problems in Chinese. Pure. */
export function policyInputFromRecord(
  value: Record<string, unknown>,
  fail: (message: string) => void,
): PolicyDocumentInput | null {
  const str = (k: string) =>
    typeof value[k] === 'string' && (value[k] as string).trim() !== '' ? (value[k] as string) : undefined
  const docNumber = str('docNumber') ?? str('id')
  const title = str('title')
  if (!docNumber) fail(zhField('docNumber', '非空的文号，例如「国家税务总局公告2026年第4号」'))
  if (!title) fail(zhField('title', '非空的标题'))
  const dates: Record<string, string | null> = {}
  for (const k of ['publishedAt', 'effectiveFrom', 'effectiveTo']) {
    const v = value[k]
    if (v === undefined || v === null || v === '') dates[k] = null
    else if (typeof v === 'string' && ISO.test(v)) dates[k] = v
    else {
      fail(zhField(k, '日期（YYYY-MM-DD）或空'))
      dates[k] = null
    }
  }
  let fullText = str('fullText')
  if (!fullText && Array.isArray(value.articles)) {
    // records whose source carried only the clauses (2023年第19号 …): 第X条 labels are not in their text
    fullText = (value.articles as { article?: unknown; text?: unknown }[])
      .filter((a) => typeof a?.text === 'string')
      .map((a) =>
        typeof a.article === 'string' && /^第.+条$/.test(a.article) && !(a.text as string).startsWith(a.article)
          ? `${a.article} ${a.text}`
          : (a.text as string),
      )
      .join('\n')
  }
  if (!fullText) fail(zhField('fullText', '公告全文（或非空的 articles 数组）'))
  if (!docNumber || !title || !fullText) return null
  if (docNumber.length > 200 || /[/?]|^\s|\s$|\s\s/.test(docNumber)) {
    fail(`文号「${docNumber.slice(0, 60)}」含有不允许的字符（/ ? 或多余空格）`)
    return null
  }
  const issuer = str('issuer') ?? ''
  const statedRelations: PolicyRelation[] = []
  for (const s of Array.isArray(value.supersedes) ? (value.supersedes as Record<string, unknown>[]) : []) {
    if (typeof s?.docNumber !== 'string') continue
    const date = typeof s.effectiveDate === 'string' && ISO.test(s.effectiveDate) ? s.effectiveDate : null
    statedRelations.push({
      type: 'repeals',
      target: s.docNumber,
      effectiveDate: date,
      clause: '正文',
      quote: '数据记录的 supersedes 字段',
      origin: 'source',
    })
  }
  const statedRepealedBy: IncomingRelation[] = []
  const by = value.supersededBy as Record<string, unknown> | null | undefined
  if (by && typeof by.docNumber === 'string') {
    const date =
      typeof by.effectiveDate === 'string' && ISO.test(by.effectiveDate)
        ? by.effectiveDate
        : (dates.effectiveTo ?? null)
    statedRepealedBy.push({ by: by.docNumber, effectiveDate: date, origin: 'stated' })
  } else if (value.status === 'repealed' || value.officialValidity === '全文废止') {
    statedRepealedBy.push({ by: '（数据标注为全文废止）', effectiveDate: dates.effectiveTo ?? null, origin: 'stated' })
  }
  const labels = Array.isArray(value.labels)
    ? (value.labels as unknown[]).filter((x): x is string => typeof x === 'string')
    : []
  const topic = str('taxTopic')
  return {
    docNumber,
    title,
    issuers: issuer ? issuer.split(/\s+/).filter(Boolean) : [],
    category: str('category') ?? '税务规范性文件',
    taxTopic: topic,
    publishedAt: dates.publishedAt ?? null,
    effectiveFrom: dates.effectiveFrom ?? null,
    fullText,
    sourceUrl: str('sourceUrl'),
    provenance: str('provenance'),
    officialValidity: str('officialValidity'),
    tags: [...(topic ? [topic] : []), ...labels, '公告'],
    statedRelations,
    statedRepealedBy,
  }
}

export interface PolicySourceResult {
  built: { policy: BuiltPolicy; line: number }[]
  problems: LineProblem[]
  missing: Map<string, string[]>
}

/** Reads and builds every record of a shared-format JSONL file; links them within the file. */
export function readPolicyFile(file: string, laws: LawTitles): PolicySourceResult {
  const problems: LineProblem[] = []
  const built: PolicySourceResult['built'] = []
  for (const { line, value } of readJsonl(file, problems)) {
    const before = problems.length
    const input = policyInputFromRecord(value, (message) => problems.push({ file, line, message }))
    if (!input || problems.length > before) continue
    built.push({ policy: buildPolicy(input, laws), line })
  }
  const { missing } = linkPolicies(built.map((b) => b.policy))
  return { built, problems, missing }
}

export function parseAnnouncements(file: string): {
  entries: { entry: BuiltPolicy['document']; file: string; line: number }[]
  problems: LineProblem[]
} {
  const laws = lawTitlesFrom(path.join(path.dirname(file), '..', 'laws', 'articles.jsonl'))
  const res = readPolicyFile(file, laws)
  const entries = res.built.flatMap(({ policy, line }) =>
    [policy.document, ...policy.clauses].map((entry) => ({ entry, file, line })),
  )
  return { entries, problems: res.problems }
}

/**
 * The documents a text (a FAQ answer, a guide) cites, in order, without repeats: `文号`, or `文号#第一条`
 * when a clause follows the reference (「（财政部 税务总局公告2026年第10号）第一条规定」). The importer maps
 * these to the document's and clause's entry ids; what stays unresolved is the editors' missing list.
 */
export function citedDocNumbers(text: string): string[] {
  const aliases = findAliases(text)
  const out: string[] = []
  for (const line of text.split(/(?<=[。；])|\n/)) {
    for (const r of findDocRefs(line, aliases)) {
      const clause = /^第([一二三四五六七八九十百]+)条/.exec(line.slice(r.end).replace(/^[中的]/, ''))?.[0]
      const id = clause ? `${r.docNumber}#${clause}` : r.docNumber
      if (!out.includes(id)) out.push(id)
    }
  }
  return out
}
