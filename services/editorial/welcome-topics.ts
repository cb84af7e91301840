/**
 * The widget's opening 热点问题: what taxpayers of the portal's region ask. Pure.
 * Order: entries editors pinned for the region (its own lineage before national pins), then questions
 * trending among that region's consultations, then national hot topics (national questions trending).
 * Case reports (税案通报, kind `hot-topic`) never appear here: they are a news feed, not a question a
 * taxpayer has, and a 山西 case on a 江苏 portal answers nobody.
 */
import type { Entry } from '../../knowledge/entry.js'
import { normalizeQuestion } from './worklists.js'

export type WelcomeSource = 'pinned' | 'regional' | 'national'

export interface WelcomeTopic {
  label: string
  /** The pinned entry (opened when it has no question); null for a trending question. */
  id: string | null
  /** What is asked when the taxpayer picks it. */
  question: string | null
  source: WelcomeSource
}

export interface WelcomeInput {
  pinned: readonly {
    id: string
    kind: Entry['kind']
    title: string
    question: string | null
    regionCode: string | null
  }[]
  /** Trending among the region's own consultations (most asked first). */
  regionalTrending: readonly { question: string }[]
  /** Trending among national consultations (most asked first). */
  nationalTrending: readonly { question: string }[]
}

export const WELCOME_LIMIT = 6

/** GB/T 2260: is `code` the region itself or one of its cities / districts (320105 is within 320100, 320000)? */
export function isWithinRegion(code: string, region: string | undefined): boolean {
  if (!region || !/^\d{6}$/.test(region) || !/^\d{6}$/.test(code)) return false
  const prefix = region.endsWith('0000') ? region.slice(0, 2) : region.endsWith('00') ? region.slice(0, 4) : region
  return code.startsWith(prefix)
}
const CASE_KIND: Entry['kind'] = 'hot-topic'

export function welcomeTopics(input: WelcomeInput, limit = WELCOME_LIMIT): WelcomeTopic[] {
  const out: WelcomeTopic[] = []
  const seen = new Set<string>()
  const add = (t: WelcomeTopic) => {
    const key = normalizeQuestion(t.question ?? t.label)
    if (!key || seen.has(key) || out.length >= limit) return
    seen.add(key)
    out.push(t)
  }
  const pins = input.pinned.filter((p) => p.kind !== CASE_KIND)
  // Regional pins first (stable within each group): the portal's own editors know its season.
  const ordered = [...pins.filter((p) => p.regionCode !== null), ...pins.filter((p) => p.regionCode === null)]
  for (const p of ordered) add({ label: p.question ?? p.title, id: p.id, question: p.question, source: 'pinned' })
  for (const t of input.regionalTrending) add({ label: t.question, id: null, question: t.question, source: 'regional' })
  for (const t of input.nationalTrending) add({ label: t.question, id: null, question: t.question, source: 'national' })
  return out
}
