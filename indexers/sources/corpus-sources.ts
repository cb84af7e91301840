/**
 * Parsers from the bundled source formats (see knowledge/corpus/PROVENANCE.md) to knowledge entries.
 * Each returns entries without bookkeeping fields; the importer adds version and updatedAt.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Entry, Layer } from '../../knowledge/entry.js'
import { FieldReader, readJsonl, type LineProblem } from './jsonl.js'
import { citedDocNumbers, parseAnnouncements } from './policy-source.js'

export type DraftEntry = Omit<Entry, 'version' | 'updatedAt'>

export interface SourceResult {
  entries: { entry: DraftEntry; file: string; line: number }[]
  problems: LineProblem[]
}

function layerOf(regionCode: string | null | undefined): { layer: Layer; regionCode: string | null } {
  if (!regionCode) return { layer: 'national', regionCode: null }
  return { layer: regionCode.endsWith('0000') ? 'province' : 'city', regionCode }
}

const ISO = /^\d{4}-\d{2}-\d{2}$/
const isoOrNull = (v: string | undefined) => (v && ISO.test(v) ? v : null)

/** "中华人民共和国增值税法（第三十八条）" → "增值税法#第三十八条", using the law titles of the same corpus. */
function resolveRepealedBy(text: string | undefined, titleToShort: Map<string, string>): string[] {
  if (!text) return []
  let best: { title: string; short: string } | undefined
  for (const [title, short] of titleToShort)
    if (text.startsWith(title) && (!best || title.length > best.title.length)) best = { title, short }
  if (!best) return []
  const art = /第[一二三四五六七八九十百零〇]+条(?:之[一二三四五六七八九十]+)?/.exec(text.slice(best.title.length))
  return [art ? `${best.short}#${art[0]}` : best.short]
}

/**
 * The loop every parser shares: read the JSONL file, call `map` once per line with a FieldReader, and
 * collect what it returns. `fail(message)` records a problem for that line; a line with any problem
 * yields no entries (the importer rejects the whole import anyway).
 */
function parseLines(
  file: string,
  map: (
    r: FieldReader,
    value: Record<string, unknown>,
    fail: (message: string) => void,
  ) => DraftEntry | DraftEntry[] | null,
  lines?: ReturnType<typeof readJsonl>,
  problems: LineProblem[] = [],
): SourceResult {
  const entries: SourceResult['entries'] = []
  for (const { line, value } of lines ?? readJsonl(file, problems)) {
    const before = problems.length
    const r = new FieldReader(value, { file, line }, problems)
    const out = map(r, value, (message) => problems.push({ file, line, message }))
    if (out === null || problems.length > before) continue
    for (const entry of Array.isArray(out) ? out : [out]) entries.push({ entry, file, line })
  }
  return { entries, problems }
}

export function parseLaws(file: string): SourceResult {
  const problems: LineProblem[] = []
  const lines = readJsonl(file, problems)
  const titleToShort = new Map<string, string>()
  for (const { value } of lines)
    if (typeof value.law === 'string' && typeof value.shortName === 'string')
      titleToShort.set(value.law, value.shortName)
  // Judicial interpretations are cited by their full title plus 文号.
  for (const [title, short] of [...titleToShort]) titleToShort.set(title.replace(/^中华人民共和国/, ''), short)
  return parseLines(
    file,
    (r, _value, fail) => {
      const id = r.str('id')
      const law = r.str('law')
      const shortName = r.str('shortName')
      const article = r.str('article')
      const text = r.str('text')
      const status = r.str('status')
      if (status && status !== 'in-force' && status !== 'repealed') {
        fail(`field "status" must be in-force or repealed`)
        return null
      }
      if (r.failed) return null
      const repealed = status === 'repealed'
      const repealedBy = r.optStr('repealedBy')
      const chapter = [r.optStr('part'), r.optStr('chapter'), r.optStr('section')].filter(Boolean).join(' ')
      const category = r.optStr('category') ?? '法律'
      const replacedBy = resolveRepealedBy(repealedBy, titleToShort)
      const entry: DraftEntry = {
        id,
        kind: 'law-article',
        title: article === '全文' ? law : `${law} ${article}`,
        body: text,
        source: {
          title: law,
          ...(r.optStr('issuer') ? { issuer: r.optStr('issuer')! } : {}),
          ...(isoOrNull(r.optStr('versionDate')) ? { publishedAt: r.optStr('versionDate')! } : {}),
          provenance: `${r.optStr('source') ?? ''} ${r.optStr('sourcePath') ?? ''}`.trim(),
        },
        ...layerOf(r.optStr('regionCode')),
        effectiveFrom: isoOrNull(r.optStr('effectiveDate')),
        effectiveTo: repealed ? isoOrNull(r.optStr('repealedDate')) : null,
        status: repealed ? 'retired' : 'published',
        tags: [category, shortName],
        citedArticleIds: [],
        ...(replacedBy.length > 0 ? { replacedBy } : {}),
        law: {
          name: law,
          shortName,
          article,
          category,
          ...(chapter ? { chapter } : {}),
          lawStatus: repealed ? 'repealed' : 'in-force',
          ...(repealedBy ? { repealedBy } : {}),
        },
      }
      return entry
    },
    lines,
    problems,
  )
}

export function parseFaq(file: string): SourceResult {
  return parseLines(file, (r, value, fail) => {
    const id = r.str('id')
    const question = r.str('question')
    const answer = r.str('answer')
    if (r.failed) return null
    const cited = Array.isArray(value.citedLaws)
      ? (value.citedLaws as { articleId?: unknown }[])
          .map((c) => c.articleId)
          .filter((x): x is string => typeof x === 'string')
      : []
    // FAQ ↔ 公告: the 文号 an answer names are entry ids of policy documents (unresolved ones are a worklist)
    cited.push(...citedDocNumbers(answer))
    const publisher = r.optStr('source') ?? '12366纳税服务平台'
    const url = r.optStr('sourceUrl')
    const publishedAt = isoOrNull(r.optStr('publishedAt'))
    return {
      id,
      kind: 'faq',
      title: question,
      question,
      body: answer,
      source: {
        title: r.optStr('collection') ?? publisher,
        issuer: publisher,
        ...(url ? { url } : {}),
        ...(publishedAt ? { publishedAt } : {}),
      },
      ...layerOf(r.optStr('regionCode')),
      effectiveFrom: null,
      effectiveTo: null,
      status: 'published',
      tags: r.strArray('topics'),
      citedArticleIds: [...new Set(cited)],
    }
  })
}

export function parseCases(file: string): SourceResult {
  return parseLines(file, (r, value, fail) => {
    const id = r.str('id')
    const title = r.str('title')
    const text = r.str('text')
    if (r.failed) return null
    const url = r.optStr('sourceUrl')
    const publishedAt = isoOrNull(r.optStr('publishedAt'))
    const region = r.optStr('region')
    return {
      id,
      kind: 'hot-topic',
      title,
      body: text,
      // Case reports are national publications (国家税务总局) about cases in a province: national layer,
      // with the province as a tag, so every region's taxpayers see the 税案通报 feed.
      source: {
        title,
        issuer: r.optStr('publisher') ?? '国家税务总局',
        ...(url ? { url } : {}),
        ...(publishedAt ? { publishedAt } : {}),
      },
      layer: 'national',
      regionCode: null,
      effectiveFrom: null,
      effectiveTo: null,
      status: 'published',
      tags: ['税案通报', ...(region ? [region] : [])],
      citedArticleIds: [],
    }
  })
}

/** Policy documents (部门规章, 公告…) in the documents.jsonl format: one law-article entry per article. */
export function parsePolicies(file: string): SourceResult {
  return parseLines(file, (r, value, fail) => {
    const id = r.str('id')
    const title = r.str('title')
    const articles = value.articles
    if (!Array.isArray(articles) || articles.length === 0) {
      fail('field "articles" must be a non-empty array')
      return null
    }
    if (r.failed) return null
    const status = r.optStr('status') ?? 'in-force'
    const repealed = status === 'repealed'
    const docNumber = r.optStr('docNumber')
    const issuer = r.optStr('issuer')
    const publishedAt = isoOrNull(r.optStr('publishedAt'))
    const url = r.optStr('sourceUrl')
    const category = r.optStr('category') ?? '税务规范性文件'
    const out: DraftEntry[] = []
    for (const [i, a] of (articles as Record<string, unknown>[]).entries()) {
      const article = typeof a?.article === 'string' ? a.article : ''
      const text = typeof a?.text === 'string' ? a.text : ''
      if (!article || !text) {
        fail(`articles[${i}] needs "article" and "text"`)
        continue
      }
      const chapter = typeof a.chapter === 'string' ? a.chapter : undefined
      out.push({
        id: `${id}#${article}`,
        kind: 'law-article',
        title: `${title}（${docNumber ?? id}） ${article}`,
        body: text,
        source: {
          title,
          ...(docNumber ? { docNumber } : {}),
          ...(issuer ? { issuer } : {}),
          ...(publishedAt ? { publishedAt } : {}),
          ...(url ? { url } : {}),
          ...(typeof value.provenance === 'string' ? { provenance: value.provenance } : {}),
        },
        layer: 'national',
        regionCode: null,
        effectiveFrom: isoOrNull(r.optStr('effectiveFrom')),
        effectiveTo: isoOrNull(r.optStr('effectiveTo')),
        status: repealed ? 'retired' : 'published',
        tags: [category, title],
        citedArticleIds: [],
        law: {
          name: title,
          shortName: id,
          article,
          category,
          ...(chapter ? { chapter } : {}),
          lawStatus: repealed ? 'repealed' : 'in-force',
        },
      })
    }
    return out
  })
}

export function parseGuides(file: string): SourceResult {
  return parseLines(file, (r, value, fail) => {
    const id = r.str('id')
    const code = r.str('code')
    const name = r.str('name')
    const summary = r.str('summary')
    const legalBasis = r.strArray('legalBasis')
    if (r.failed) return null
    return {
      id,
      kind: 'guide',
      title: name,
      body: summary,
      source: { title: `办税事项：${name}`, issuer: '国家税务总局' },
      ...layerOf(r.optStr('regionCode')),
      effectiveFrom: null,
      effectiveTo: null,
      status: 'published',
      tags: r.strArray('tags'),
      citedArticleIds: legalBasis,
      guide: {
        code,
        conditions: r.strArray('conditions'),
        materials: r.strArray('materials'),
        steps: r.strArray('steps'),
        timeLimit: r.optStr('timeLimit') ?? '',
        fees: r.optStr('fees') ?? '',
        channels: r.strArray('channels'),
      },
    }
  })
}

/** Entries already in the knowledge-entry format (editor exports, hand-written 公告 summaries…). */
export function parseEntryFile(file: string): SourceResult {
  return parseLines(file, (_r, value) => {
    const { version: _v, updatedAt: _u, ...rest } = value
    return rest as unknown as DraftEntry
  })
}

/** The known files of a corpus directory, each with its parser. Missing files are skipped. */
export function corpusFiles(dir: string): { file: string; parse: (f: string) => SourceResult }[] {
  const known: [string, (f: string) => SourceResult][] = [
    ['laws/articles.jsonl', parseLaws],
    ['policies/documents.jsonl', parsePolicies],
    ['faq/faq.jsonl', parseFaq],
    ['guides/guides.jsonl', parseGuides],
    ['hot-topics/cases.jsonl', parseCases],
    ['policies/announcements.jsonl', parseAnnouncements],
  ]
  const out = known.map(([rel, parse]) => ({ file: path.join(dir, rel), parse })).filter((f) => fs.existsSync(f.file))
  const entriesDir = path.join(dir, 'entries')
  if (fs.existsSync(entriesDir))
    for (const f of fs.readdirSync(entriesDir).sort())
      if (f.endsWith('.jsonl')) out.push({ file: path.join(entriesDir, f), parse: parseEntryFile })
  return out
}
