/**
 * Law changes ripple: when a cited law article is retired, replaced or has expired, every entry citing it
 * needs review. Computed from the store on demand (so it also catches what an import brought in, e.g. a
 * FAQ citing 契税暂行条例#第六条), minus what an editor has acknowledged for exactly those articles. Pure.
 */
import type { Entry } from '../../knowledge/entry.js'
import { policyEntryValidityAt } from '../../knowledge/policy-validity.js'

export interface StaleCitation {
  articleId: string
  title: string
  reason: 'retired' | 'replaced' | 'expired' | 'missing' | 'amended'
  replacedBy: string[]
  effectiveTo: string | null
}

export interface NeedsReviewItem {
  id: string
  kind: Entry['kind']
  title: string
  layer: Entry['layer']
  regionCode: string | null
  status: Entry['status']
  stale: StaleCitation[]
}

export function staleArticles(laws: Iterable<Entry>, today: string): Map<string, StaleCitation> {
  const out = new Map<string, StaleCitation>()
  for (const e of laws) {
    if (e.kind === 'policy') {
      const s = stalePolicy(e, today)
      if (s) out.set(e.id, s)
      continue
    }
    if (e.kind !== 'law-article') continue
    const replacedBy = e.replacedBy ?? []
    let reason: StaleCitation['reason'] | undefined
    if (e.status === 'retired') reason = 'retired'
    else if (replacedBy.length > 0) reason = 'replaced'
    else if (e.effectiveTo && e.effectiveTo <= today) reason = 'expired'
    if (reason) out.set(e.id, { articleId: e.id, title: e.title, reason, replacedBy, effectiveTo: e.effectiveTo })
  }
  return out
}

/** Entries (not retired) that cite a stale article; `acks` maps entry id → article ids already reviewed. */
export function needsReview(
  entries: Iterable<Entry>,
  stale: Map<string, StaleCitation>,
  acks: Map<string, Set<string>>,
): NeedsReviewItem[] {
  const out: NeedsReviewItem[] = []
  for (const e of entries) {
    if (e.status === 'retired' || e.citedArticleIds.length === 0) continue
    const ack = acks.get(e.id)
    const hits = e.citedArticleIds
      .map((id) => stale.get(id))
      .filter((s): s is StaleCitation => s !== undefined && !ack?.has(s.articleId))
    if (hits.length === 0) continue
    out.push({
      id: e.id,
      kind: e.kind,
      title: e.title,
      layer: e.layer,
      regionCode: e.regionCode,
      status: e.status,
      stale: hits,
    })
  }
  return out.sort((a, b) => (a.id < b.id ? -1 : 1))
}

/**
 * A cited policy document (or clause) is stale once it is repealed, expired or amended by another
 * document at `today` — computed from its relations, so publishing a repealing 公告 queues its citers.
 */
function stalePolicy(e: Entry, today: string): StaleCitation | null {
  const v = policyEntryValidityAt(e, today)
  if (!v) return null
  const by = v.by ? [v.by] : []
  const reason: StaleCitation['reason'] | null =
    v.validity === '全文废止' || v.validity === '已废止'
      ? 'retired'
      : v.validity === '失效'
        ? 'expired'
        : (v.validity === '部分有效' || v.validity === '已修改') && v.by
          ? 'amended'
          : null
  if (!reason && e.status !== 'retired') return null
  return { articleId: e.id, title: e.title, reason: reason ?? 'retired', replacedBy: by, effectiveTo: e.effectiveTo }
}
