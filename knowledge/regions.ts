/**
 * GB/T 2260 regions: validation, hierarchy (city → province) and place names found in questions.
 */
import fs from 'node:fs'
import path from 'node:path'
import { AppError } from '../services/shared/errors.js'
import { type PlaceHit, type PlaceName, PlaceNameIndex } from './place-names.js'

export interface Region {
  code: string
  name: string
  shortName: string
  level: 'province' | 'city'
  parent: string | null
  separatelyPlanned?: boolean
  /** Provinces: the one-character 简称 (沪, 粤; 川 and 蜀), see place-names.ts for where they count. */
  abbreviations?: string[]
  /** Nicknames people type for the place (魔都, 羊城, 金陵), read like its name. */
  aliases?: string[]
}

/** A county-level division (区/县/县级市) of counties.json: a place name that resolves to a city or province. */
export interface County {
  code: string
  name: string
  shortName?: string
  resolvesTo: string
}

/** Words that only say where the taxpayer is or was, before and after a place name (stripped with it). */
const PLACE_LEAD =
  /((我|我们|人|本人|咱|咱们)?(现在|目前|以前|之前|原来)?(在|从|由|老家是|老家在|老家|户口在|户口是|户籍在|住在)|我们|咱们|咱)$/
const PLACE_TAIL =
  /^(这边|那边|这里|那里|这块儿|那块儿|这块|那块|当地|本地)?(的)?(搬过来了|搬过来|搬来了|搬来|调过来了|调过来|过来了)?/

/** 简称 that are also everyday characters: read only in a run of 简称 (「粤港澳」, 「云贵川」). */
const AMBIGUOUS_ABBREVIATIONS = new Set([
  '新',
  '宁',
  '青',
  '云',
  '贵',
  '吉',
  '黑',
  '台',
  '港',
  '澳',
  '甘',
  '蒙',
  '藏',
  '秦',
])

export class RegionTable {
  private readonly byCode = new Map<string, Region>()
  private readonly places: PlaceNameIndex

  constructor(regions: readonly Region[], counties: readonly County[] = []) {
    for (const r of regions) this.byCode.set(r.code, r)
    const names: PlaceName[] = []
    const seen = new Set<string>()
    for (const r of regions) {
      for (const n of [r.name, r.shortName, ...(r.aliases ?? [])]) {
        // Two-character short names like 吉林 (province and city) resolve to the province, which is listed first.
        if (n && n.length >= 2 && !seen.has(n)) {
          seen.add(n)
          names.push({ name: n, code: r.code, kind: 'name' })
        }
      }
      for (const a of r.abbreviations ?? [])
        names.push({ name: a, code: r.code, kind: 'abbreviation', ambiguous: AMBIGUOUS_ABBREVIATIONS.has(a) })
    }
    names.push(...countyNames(counties, seen, this.byCode))
    this.places = new PlaceNameIndex(names)
  }

  /** regions.json, and counties.json beside it when present. */
  static load(file: string): RegionTable {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Region[]
    // Provinces first so ambiguous short names prefer the province.
    data.sort((a, b) => (a.level === b.level ? a.code.localeCompare(b.code) : a.level === 'province' ? -1 : 1))
    const countiesFile = path.join(path.dirname(file), 'counties.json')
    const counties = fs.existsSync(countiesFile) ? (JSON.parse(fs.readFileSync(countiesFile, 'utf8')) as County[]) : []
    return new RegionTable(data, counties)
  }

  get(code: string): Region | undefined {
    return this.byCode.get(code)
  }

  has(code: string): boolean {
    return this.byCode.has(code)
  }

  /** The region, or UNKNOWN_REGION (400) for anything that is not a GB/T 2260 code in the table. */
  require(code: string): Region {
    const r = typeof code === 'string' && /^\d{6}$/.test(code) ? this.byCode.get(code) : undefined
    if (!r) throw new AppError('UNKNOWN_REGION', `地区代码 ${String(code).slice(0, 20)} 无效`)
    return r
  }

  all(): Region[] {
    return [...this.byCode.values()]
  }

  provinceOf(code: string): string {
    return `${code.slice(0, 2)}0000`
  }

  /** The codes whose entries a query for `code` sees, most specific first: city, province. */
  lineage(code: string): string[] {
    const r = this.byCode.get(code)
    if (!r) return []
    return r.level === 'city' ? [r.code, this.provinceOf(r.code)] : [r.code]
  }

  /** The places named in a text (leftmost-longest, no overlaps), in order of appearance. */
  findPlaces(text: string): PlaceHit[] {
    return this.places.find(text)
  }

  /** Region codes named in a text, in order of appearance. */
  findInText(text: string): string[] {
    return [...new Set(this.findPlaces(text).map((h) => h.code))]
  }

  /**
   * The text without the place names found in it (for search: a place chose the region, it is no search term);
   * a text that names no place comes back exactly as given, so callers need not look for places first.
   */
  withoutPlaces(text: string): string {
    const hits = this.findPlaces(text)
    if (hits.length === 0) return text
    let out = ''
    let from = 0
    for (const h of hits) {
      // 「我在苏州上班」「从上海搬过来了」「无锡这边」: the words that only place the taxpayer go with the place.
      const before = text.slice(from, h.at).replace(PLACE_LEAD, '')
      out += before
      from = h.end + (PLACE_TAIL.exec(text.slice(h.end))?.[0].length ?? 0)
    }
    out += text.slice(from)
    return out.replace(/^的/, '').trim() || text
  }
}

/**
 * County names that say one place: a name (or short form) shared by counties of different cities (鼓楼区 is in
 * 南京, 徐州, 福州 and 开封) or equal to a city's name is left out, since it cannot choose a region by itself.
 */
function countyNames(counties: readonly County[], seen: ReadonlySet<string>, known: ReadonlyMap<string, Region>) {
  const targets = new Map<string, Set<string>>()
  const add = (name: string, code: string) => {
    const set = targets.get(name) ?? new Set<string>()
    set.add(code)
    targets.set(name, set)
  }
  for (const c of counties) {
    if (!known.has(c.resolvesTo)) continue
    add(c.name, c.resolvesTo)
    if (c.shortName) add(`short:${c.shortName}`, c.resolvesTo)
  }
  const out: PlaceName[] = []
  for (const [key, codes] of targets) {
    const [code] = codes
    const short = key.startsWith('short:')
    const name = short ? key.slice(6) : key
    if (codes.size !== 1 || !code || seen.has(name) || name.length < 2) continue
    out.push({ name, code, kind: short ? 'short' : 'name' })
  }
  return out
}
