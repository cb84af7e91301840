/**
 * Builds knowledge/regions/counties.json: the county-level divisions (区/县/县级市/旗) whose names taxpayers
 * type (「浦东新区」「义乌的个体户」「江宁那边」), each with the code in regions.json it resolves to (its city, or
 * the province for municipalities and 省直辖县). Counties are place names only, not region codes of their own.
 * Source: the npm package @vant/area-data (MIT, GB/T 2260 codes, plus 统计用区划代码 功能区 such as 苏州工业园区).
 * Run once after a change of that data:
 *   npm install --no-save @vant/area-data@2.1.0 && npx tsx scripts/build-county-names.ts
 */
import fs from 'node:fs'
import path from 'node:path'
import { REPO_ROOT as root } from '../services/shared/config.js'

interface Region {
  code: string
  level: 'province' | 'city'
}

const dir = path.join(root, 'knowledge', 'regions')
const regions = JSON.parse(fs.readFileSync(path.join(dir, 'regions.json'), 'utf8')) as Region[]
const known = new Set(regions.map((r) => r.code))
const { areaList } = (await import('@vant/area-data' as string)) as {
  areaList: { county_list: Record<string, string> }
}

/**
 * A short form (义乌 for 义乌市, 浦东 for 浦东新区) is kept only when it is not an everyday word: jieba's
 * dictionary (a dependency already) tags place names `ns`; a frequent word of another class (合作, 东方, 和平,
 * 开发) is not offered as a place. RegionTable still reads short forms only next to 的/那边/在… (regions.ts).
 */
const dictionary = new Map<string, { freq: number; tag: string }>()
for (const line of fs.readFileSync(path.join(root, 'node_modules/@node-rs/jieba/dict.txt'), 'utf8').split('\n')) {
  const [word, freq, tag] = line.split(' ')
  if (word && freq) dictionary.set(word, { freq: Number(freq), tag: tag ?? '' })
}
const PROPER = new Set(['ns', 'nr', 'nz', 'nrt', 'j'])
function shortFormOf(name: string): string | null {
  if (name.includes('自治')) return null
  const m = /^(.{2,}?)(新区|市|县|区|旗)$/.exec(name)
  if (!m?.[1]) return null
  const w = dictionary.get(m[1])
  if (!w || w.tag === 'ns' || w.freq < 20 || (PROPER.has(w.tag) && w.freq < 300)) return m[1]
  return null
}

const rows: { code: string; name: string; shortName?: string; resolvesTo: string }[] = []
for (const [code, name] of Object.entries(areaList.county_list)) {
  // 台湾/香港/澳门 have no GB/T 2260 county codes (the package's are its own); 市辖区 is a statistical placeholder.
  if (/^(71|81|82)/.test(code) || name === '市辖区' || [...name].length < 3) continue
  const city = `${code.slice(0, 4)}00`
  const province = `${code.slice(0, 2)}0000`
  const resolvesTo = known.has(city) ? city : province
  if (!known.has(resolvesTo)) continue
  const shortName = shortFormOf(name)
  rows.push({ code, name, ...(shortName ? { shortName } : {}), resolvesTo })
}
rows.sort((a, b) => a.code.localeCompare(b.code))
const out = `[\n${rows.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]\n`
fs.writeFileSync(path.join(dir, 'counties.json'), out)
console.log(`counties.json: ${rows.length} county-level divisions`)
