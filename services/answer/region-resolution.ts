/**
 * Step 3, pure: which region's knowledge layers answer a question.
 * Precedence: the widget's explicit region > a place named in the question > the session's region > the
 * configured default. A place in ANOTHER province than the widget's (or session's) region means the
 * taxpayer asks about another province's local rules: 12366 practice is to refer them to that region's
 * 12366, so the result is a redirect and our local entries are not used. A place that is only the taxpayer's
 * background — where they come from or used to be (「从上海搬过来」「老家安徽的」「户口在河南」「我是上海人」) —
 * chooses nothing: the question is about where they are now.
 */
import type { PlaceHit } from '../../knowledge/place-names.js'
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
  // Several places: the last group named is what the question is about (「苏州这边没问题 想问下上海青浦区的社保」);
  // an earlier one is context, and places that are only background do not count (placeInQuestion).
  const last = placeInQuestion(input.text, regions)
  if (!last) return { regionCode: home, source: homeSource, redirect: null }
  if (!home) return { regionCode: last, source: 'text', redirect: null }
  const province = regions.provinceOf(last)
  if (province === regions.provinceOf(home)) {
    // A city named in the question is more specific than the widget's province; the widget's city stays
    // when the question only names its province.
    const useNamed = regions.get(last)?.level === 'city' || regions.get(home)?.level !== 'city'
    return { regionCode: useNamed ? last : home, source: useNamed ? 'text' : homeSource, redirect: null }
  }
  const pr = regions.get(province) ?? regions.get(last)
  return { regionCode: home, source: homeSource, redirect: { code: province, name: pr?.name ?? last } }
}

/** Words before a place that make it the taxpayer's origin or past, not the subject of the question. */
const BACKGROUND_BEFORE =
  /(从|由|(?<![在回去到])老家|老家是|(?<![在回去到])老家在|户口|户口是|户口在|户籍|户籍是|户籍在|籍贯|籍贯是|原来在|原来是|以前在|以前是|之前在|之前是|原先在|离开)$/
/**
 * Words after a place that make it background: where someone is from (「我是上海人」, not 人社/人民…), a
 * counterparty (「深圳的客户开的专票」), goods or people sent from there (「浙江发过来的货」), a trip there
 * (「去上海出差的住宿费发票」).
 */
const BACKGROUND_AFTER =
  /^(的)?(人(?![社民力才大员工])|客户|供应商|厂家|卖家|买家|朋友|亲戚|对方|合作方|发过来|寄过来|寄来|发来|运来|调过来|搬过来|搬来|出差|旅游|旅行|开会|培训|度假|探亲)/
/** 「上海飞北京」「南京到上海的火车票」: two places of a route; neither is what the question is about. */
const ROUTE = /^(到|至|飞|去|开往|-|—|~|～)$/

function foregroundHits(text: string, regions: RegionTable): PlaceHit[] {
  const hits = regions.findPlaces(text)
  const route = new Set<number>()
  for (let i = 0; i + 1 < hits.length; i++) {
    const a = hits[i]
    const b = hits[i + 1]
    if (a && b && ROUTE.test(text.slice(a.end, b.at))) route.add(i).add(i + 1)
  }
  return hits
    .filter((_h, i) => !route.has(i))
    .filter((h) => !BACKGROUND_BEFORE.test(text.slice(0, h.at)) && !BACKGROUND_AFTER.test(text.slice(h.end)))
}

/**
 * The place a question is about: of the last group of places named side by side (「粤港澳」, 「江苏南京」), the most
 * specific one in the same province as the group's first (粤港澳 → 广东, 江苏南京 → 南京, 福建厦门 → 厦门); places
 * that are only background (从…, 老家…, a route, a counterparty) are not candidates. Also routes a report or
 * complaint about a named place to that place's seat group.
 */
export function placeInQuestion(text: string, regions: RegionTable): string | undefined {
  const hits = foregroundHits(text, regions)
  let i = hits.length - 1
  while (i > 0) {
    const a = hits[i - 1]
    const b = hits[i]
    if (!a || !b || b.at - a.end > 1) break
    i--
  }
  const lead = hits[i]
  if (!lead) return undefined
  const province = regions.provinceOf(lead.code)
  const group = hits.slice(i).filter((h) => regions.provinceOf(h.code) === province)
  return group[group.length - 1]?.code ?? lead.code
}
