/**
 * Step 3, pure: which region's knowledge layers answer a question.
 * Precedence: the widget's explicit region > a place named in the question > the session's region > the
 * configured default. A place in ANOTHER province than the widget's (or session's) region means the
 * taxpayer asks about another province's local rules: 12366 practice is to refer them to that region's
 * 12366, so the result is a redirect and our local entries are not used. A place that is only the taxpayer's
 * background — where they come from or used to be (「从上海搬过来」「老家安徽的」「户口在河南」「我是上海人」) —
 * chooses nothing: the question is about where they are now.
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
  const named = [...new Set(foregroundPlaces(input.text, regions))]
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

/** Words before a place that make it the taxpayer's origin or past, not the subject of the question. */
const BACKGROUND_BEFORE =
  /(从|由|老家|老家是|老家在|户口|户口是|户口在|户籍|户籍是|户籍在|籍贯|籍贯是|原来在|原来是|以前在|以前是|之前在|之前是|原先在|离开)$/
/** 「我是上海人」: a place followed by 人 (not 人社, 人民, 人力…) says where someone is from. */
const PERSON_FROM = /^(的)?人(?![社民力才大员工])/

function foregroundPlaces(text: string, regions: RegionTable): string[] {
  return regions
    .findPlaces(text)
    .filter((h) => !BACKGROUND_BEFORE.test(text.slice(0, h.at)) && !PERSON_FROM.test(text.slice(h.end)))
    .map((h) => h.code)
}
