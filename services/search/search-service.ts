/**
 * The search use case behind `GET /api/search` and `taxkb search`: validates the query, region and kind,
 * applies the public defaults (published, in force today, region lineage) and asks the backend.
 */
import { ENTRY_KINDS, type EntryKind, type EntryStatus } from '../../knowledge/entry.js'
import type { RegionTable } from '../../knowledge/regions.js'
import { AppError } from '../shared/errors.js'
import { chinaDate, type Clock } from '../shared/clock.js'
import type { Analyzer } from './analyzer.js'
import type { SearchBackend, SearchFilters, SearchHit } from './search-backend.js'
import { rankForSearch, type RankingText } from './search-ranking.js'

export interface SearchRequest {
  q: string
  region?: string | undefined
  kind?: string | string[] | undefined
  limit?: number | undefined
  /** Agents and editors may look beyond published entries. */
  status?: EntryStatus[] | undefined
  /** ISO date the entries must be in force on; default today (China time). `null` disables the date filter. */
  effectiveAt?: string | null | undefined
  synonyms?: boolean | undefined
}

export const MAX_LIMIT = 100
/** The endpoint's ordering rule (search-ranking.ts); absent = the retrievers' order, as the answer path uses. */
export interface SearchRanking {
  analyzer: Analyzer
  /** Entries' own texts (body; FAQ question + answer) and borrowed titles, by id. */
  texts(ids: readonly string[]): Promise<Map<string, RankingText>>
}

export class SearchService {
  constructor(
    readonly backend: SearchBackend,
    private readonly regions: RegionTable,
    private readonly clock: Clock,
    private readonly maxQueryChars: number,
    private readonly ranking?: SearchRanking,
  ) {}

  validateRegion(region: string | undefined): string | undefined {
    if (region === undefined || region === '') return undefined
    return this.regions.require(region).code
  }

  validateQuery(q: string): string {
    const trimmed = q.trim()
    if (trimmed.length > this.maxQueryChars)
      throw new AppError('QUERY_TOO_LONG', `查询内容不能超过 ${this.maxQueryChars} 个字`)
    if (trimmed === '' || !/[\p{L}\p{N}]/u.test(trimmed)) throw new AppError('QUERY_EMPTY')
    return trimmed
  }

  async search(req: SearchRequest): Promise<SearchHit[]> {
    const q = this.validateQuery(req.q)
    const regionCode = this.validateRegion(req.region)
    const kinds =
      req.kind === undefined
        ? []
        : (Array.isArray(req.kind) ? req.kind : req.kind.split(',')).map((k) => k.trim()).filter(Boolean)
    for (const k of kinds)
      if (!(ENTRY_KINDS as readonly string[]).includes(k))
        throw new AppError('UNKNOWN_KIND', `知识类型 ${k.slice(0, 30)} 无效，可选：${ENTRY_KINDS.join('、')}`)
    const limit = Math.min(Math.max(Math.trunc(req.limit ?? 10), 1), MAX_LIMIT)
    const filters: SearchFilters = { status: req.status ?? ['published'] }
    if (kinds.length > 0) filters.kind = kinds as EntryKind[]
    if (regionCode) filters.regionCode = regionCode
    const at = req.effectiveAt === undefined ? chinaDate(this.clock.now()) : req.effectiveAt
    if (at) filters.effectiveAt = at
    const synonyms = req.synonyms !== false
    if (!this.ranking) return this.backend.search(q, { filters, limit, synonyms })
    const analysis = this.ranking.analyzer.query(q, { synonyms })
    // Only the retrievers' top `limit` are reordered: pulling deeper hits up by coverage would favour long
    // texts (税案通报) that contain every word somewhere.
    const hits = await this.backend.search(q, { filters, limit, synonyms, analysis })
    const texts = await this.ranking.texts(hits.map((h) => h.id))
    return rankForSearch({ hits, terms: analysis.original, textOf: (id) => texts.get(id), regional: !!regionCode })
  }
}
