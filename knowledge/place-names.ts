/**
 * Pure: finding the place names of the region table in what a taxpayer typed. Names are read leftmost-longest
 * (「上海城市维护建设税」 is 上海 + 城市…, not 海城市). Three kinds of names:
 * - `name`: a province's or city's full or short name (江苏省, 江苏, 苏州), read wherever it appears;
 * - `abbreviation`: a province's one-character 简称 (沪, 粤, 浙), read only where people use it as a place —
 *   after 在/来/去/到/回… (「在沪工作」), before 上/籍/牌/企/那边 (「沪上」), or next to another 简称 (「苏浙沪」);
 *   the ambiguous ones (新, 宁, 青, 云, 港…) only next to another;
 * - `short`: a county's short form (义乌 for 义乌市, 江宁 for 江宁区), read only after 在/去/到/来/回 or before
 *   的/那边/这边/当地/税务… (「义乌的个体户」), since many are everyday words elsewhere.
 */
export type PlaceNameKind = 'name' | 'abbreviation' | 'short'

export interface PlaceName {
  name: string
  /** The region code the name resolves to (a county resolves to its city or province). */
  code: string
  kind: PlaceNameKind
  /** Abbreviations only: also a common character (新, 宁, 青…), so read only next to another abbreviation. */
  ambiguous?: boolean
}

export interface PlaceHit {
  code: string
  name: string
  at: number
  end: number
}

const BEFORE = /[在来去到回赴驻离返住]$/
const ABBREVIATION_AFTER = /^(上|籍|牌|企|地区|那边|这边|一带|省内|全省)/
const SHORT_AFTER = /^(的|那边|这边|这里|那里|那块|这块|当地|本地|税务|办税|地区|一带|市|区|县|人社|社保)/
/** Words that begin with a 简称 or a county short form but name no place (在京东买, 在晋升期, 去苏宁). */
const FALSE_FRIENDS = [
  '京东',
  '京剧',
  '京腔',
  '苏宁',
  '苏醒',
  '晋升',
  '晋级',
  '川菜',
  '川剧',
  '湘菜',
  '粤菜',
  '粤语',
  '粤剧',
  '鲁菜',
  '鲁莽',
  '闽菜',
  '豫剧',
  '沪语',
  '辽阔',
  '津贴',
  '桂花',
  '桂圆',
  '陕菜',
  // 大城县 (廊坊): 「大城市每平方米1.5元至30元」 is the statute's city size, not the county
  '大城市',
]
/** A county's full name ending in 市 that is really the start of 市场/市民… (「东方市场」). */
const MARKET_WORD = /^(场|民|政|值|价|区|容|面|级)/

export class PlaceNameIndex {
  /** Entries by first character, longest first. */
  readonly #byFirst = new Map<string, PlaceName[]>()
  readonly #abbreviations = new Set<string>()
  readonly #unambiguous = new Set<string>()

  constructor(names: readonly PlaceName[]) {
    for (const n of names) {
      const first = n.name[0]
      if (!first) continue
      const list = this.#byFirst.get(first) ?? []
      list.push(n)
      this.#byFirst.set(first, list)
      if (n.kind === 'abbreviation') this.#abbreviations.add(n.name)
      if (n.kind === 'abbreviation' && !n.ambiguous) this.#unambiguous.add(n.name)
    }
    for (const list of this.#byFirst.values()) list.sort((a, b) => b.name.length - a.name.length)
  }

  /** The places named in the text, in order of appearance, without overlaps. */
  find(text: string): PlaceHit[] {
    const hits: PlaceHit[] = []
    let i = 0
    while (i < text.length) {
      const hit = this.#longestAt(text, i)
      if (hit) {
        hits.push(hit)
        i = hit.end
      } else i++
    }
    return hits
  }

  #longestAt(text: string, at: number): PlaceHit | null {
    const candidates = this.#byFirst.get(text[at] ?? '')
    if (!candidates) return null
    for (const c of candidates) {
      if (!text.startsWith(c.name, at)) continue
      const end = at + c.name.length
      if (this.#accepts(c, text, at, end)) return { code: c.code, name: c.name, at, end }
    }
    return null
  }

  #accepts(c: PlaceName, text: string, at: number, end: number): boolean {
    const before = text.slice(0, at)
    const after = text.slice(end)
    if (c.kind === 'name') return !(c.name.endsWith('市') && c.name.length > 2 && MARKET_WORD.test(after))
    if (FALSE_FRIENDS.some((w) => text.startsWith(w, at))) return false
    if (c.kind === 'short') return BEFORE.test(before) || SHORT_AFTER.test(after)
    if (this.#inAbbreviationRun(text, at)) return true
    return !c.ambiguous && (BEFORE.test(before) || ABBREVIATION_AFTER.test(after))
  }

  /** 「苏浙沪」「粤港澳」: two or more 简称 in a row, at least one of them unambiguous. */
  #inAbbreviationRun(text: string, at: number): boolean {
    let from = at
    let to = at + 1
    while (from > 0 && this.#abbreviations.has(text[from - 1] ?? '')) from--
    while (to < text.length && this.#abbreviations.has(text[to] ?? '')) to++
    if (to - from < 2) return false
    return [...text.slice(from, to)].some((ch) => this.#unambiguous.has(ch))
  }
}
