/**
 * Step 3, pure: which region's knowledge layers answer a question.
 * Precedence: the widget's explicit region > a place named in the question > the session's region > the
 * configured default. A place in ANOTHER province than the widget's (or session's) region means the
 * taxpayer asks about another province's local rules: 12366 practice is to refer them to that region's
 * 12366, so the result is a redirect and our local entries are not used.
 */
import type { RegionTable } from '../../knowledge/regions.js'

export interface RegionInput {
  explicit?: string | null | undefined
  text: string
  sessionRegion?: string | null | undefined
  defaultRegion?: string | null | undefined
}

export interface RegionDecision {
  /** Region whose layers (city → province → national) are searched; null = national only. */
  regionCode: string | null
  source: 'explicit' | 'text' | 'session' | 'default' | 'none'
  /** Set when the question is about another province than the asker's. */
  redirect: { code: string; name: string } | null
}

export function resolveRegion(input: RegionInput, regions: RegionTable): RegionDecision {
  const home = input.explicit || input.sessionRegion || input.defaultRegion || null
  const homeSource: RegionDecision['source'] = input.explicit
    ? 'explicit'
    : input.sessionRegion
      ? 'session'
      : input.defaultRegion
        ? 'default'
        : 'none'
  const named = regions.findInText(input.text)
  const place = named[0]
  if (!place) return { regionCode: home, source: homeSource, redirect: null }
  if (!home) return { regionCode: place, source: 'text', redirect: null }
  const homeProvince = regions.provinceOf(home)
  // Several places: any one in the asker's own province keeps the question local.
  const local = named.find((c) => regions.provinceOf(c) === homeProvince)
  if (local) {
    // A city named in the question is more specific than the widget's province; the widget's city stays
    // when the question only names its province.
    const r = regions.get(local)
    const homeR = regions.get(home)
    const useNamed = r?.level === 'city' || homeR?.level !== 'city'
    return { regionCode: useNamed ? local : home, source: useNamed ? 'text' : homeSource, redirect: null }
  }
  const province = regions.provinceOf(place)
  const pr = regions.get(province) ?? regions.get(place)
  return { regionCode: home, source: homeSource, redirect: { code: province, name: pr?.name ?? place } }
}
