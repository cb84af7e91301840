/**
 * GB/T 2260 regions: validation, hierarchy (city → province) and place names found in questions.
 */
import fs from 'node:fs'
import { AppError } from '../services/shared/errors.js'

export interface Region {
  code: string
  name: string
  shortName: string
  level: 'province' | 'city'
  parent: string | null
  separatelyPlanned?: boolean
}

export class RegionTable {
  private readonly byCode = new Map<string, Region>()
  /** Place names longest first, for scanning questions. */
  private readonly names: { name: string; code: string }[] = []

  constructor(regions: readonly Region[]) {
    for (const r of regions) this.byCode.set(r.code, r)
    const seen = new Set<string>()
    for (const r of regions) {
      for (const n of [r.name, r.shortName]) {
        // Two-character short names like 吉林 (province and city) resolve to the province, which is listed first.
        if (n && n.length >= 2 && !seen.has(n)) {
          seen.add(n)
          this.names.push({ name: n, code: r.code })
        }
      }
    }
    this.names.sort((a, b) => b.name.length - a.name.length)
  }

  static load(file: string): RegionTable {
    const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Region[]
    // Provinces first so ambiguous short names prefer the province.
    data.sort((a, b) => (a.level === b.level ? a.code.localeCompare(b.code) : a.level === 'province' ? -1 : 1))
    return new RegionTable(data)
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

  /** Region codes named in a text (longest names first, no overlaps), in order of appearance. */
  findInText(text: string): string[] {
    const hits: { at: number; code: string; len: number }[] = []
    const taken = new Array<boolean>(text.length).fill(false)
    for (const { name, code } of this.names) {
      let from = 0
      for (;;) {
        const at = text.indexOf(name, from)
        if (at < 0) break
        from = at + 1
        let free = true
        for (let i = at; i < at + name.length; i++) if (taken[i]) free = false
        if (!free) continue
        for (let i = at; i < at + name.length; i++) taken[i] = true
        hits.push({ at, code, len: name.length })
      }
    }
    return [...new Set(hits.sort((a, b) => a.at - b.at).map((h) => h.code))]
  }
}
