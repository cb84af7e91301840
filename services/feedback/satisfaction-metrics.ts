/**
 * Pure satisfaction arithmetic over stored ratings: per value of one dimension (channel, region, seat group,
 * agent, hall, knowledge entry) the count per level, the mean score (1–5) and the 满意率 — the share of
 * 非常满意 + 满意 + 基本满意 among all ratings, the usual 12366 definition.
 */
import { LEVEL_SCORES, RATING_LEVELS, type RatingLevel } from './rating-levels.js'

export const DIMENSIONS = ['channel', 'region', 'seatGroup', 'agent', 'hall', 'entry'] as const
export type Dimension = (typeof DIMENSIONS)[number]

export interface RatedEvent {
  level: RatingLevel
  channel: string
  regionCode: string | null
  seatGroup: string | null
  agentId: string | null
  hallId: string | null
  entryIds: string[]
}

export interface SatisfactionRow {
  key: string
  count: number
  levels: Record<RatingLevel, number>
  /** Mean score, 2 decimals. */
  meanScore: number
  /** Share satisfied (levels 3–5), 0..1, 4 decimals. */
  satisfiedRate: number
}

function keysOf(r: RatedEvent, d: Dimension): string[] {
  switch (d) {
    case 'channel':
      return [r.channel]
    case 'region':
      return r.regionCode ? [r.regionCode] : []
    case 'seatGroup':
      return r.seatGroup ? [r.seatGroup] : []
    case 'agent':
      return r.agentId ? [r.agentId] : []
    case 'hall':
      return r.hallId ? [r.hallId] : []
    case 'entry':
      return [...new Set(r.entryIds)]
  }
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits

export function satisfactionBy(ratings: readonly RatedEvent[], dimension: Dimension): SatisfactionRow[] {
  const groups = new Map<string, RatingLevel[]>()
  for (const r of ratings) {
    for (const key of keysOf(r, dimension)) {
      const list = groups.get(key) ?? []
      list.push(r.level)
      groups.set(key, list)
    }
  }
  const rows: SatisfactionRow[] = []
  for (const [key, levels] of groups) {
    const counts = Object.fromEntries(RATING_LEVELS.map((l) => [l, 0])) as Record<RatingLevel, number>
    let sum = 0
    let satisfied = 0
    for (const l of levels) {
      counts[l] += 1
      sum += LEVEL_SCORES[l]
      if (LEVEL_SCORES[l] >= 3) satisfied += 1
    }
    rows.push({
      key,
      count: levels.length,
      levels: counts,
      meanScore: round(sum / levels.length, 2),
      satisfiedRate: round(satisfied / levels.length, 4),
    })
  }
  return rows.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1))
}
