/**
 * Deterministic corpus scaling for benchmarks: the real bundled corpus first, then seeded variations of it
 * until the requested size, spread over regions, kinds and layers the way a provincial 12366 knowledge base
 * grows (local FAQ answers re-worded with the synonym lexicon, per-city service guides, provincial and city
 * 公告, locally re-published 税案通报). Pure: same inputs and seed → the same entries, in the same order.
 */
import type { Entry, EntryKind, EntryStatus } from '../../knowledge/entry.js'
import type { Region } from '../../knowledge/regions.js'
import { seededRandom, type Rng } from './seeded-random.js'

export type VariantKind = Extract<EntryKind, 'faq' | 'guide' | 'notice' | 'hot-topic'>

/** Share of generated (not bundled) entries per kind; roughly what a local 12366 base holds. */
export const DEFAULT_MIX: Readonly<Record<VariantKind, number>> = {
  faq: 0.4,
  notice: 0.25,
  guide: 0.2,
  'hot-topic': 0.15,
}

export interface ScaleOptions {
  size: number
  seed: number
  regions: readonly Region[]
  synonymGroups: readonly (readonly string[])[]
  mix?: Readonly<Record<VariantKind, number>>
}

/** Fixed bookkeeping so the index fingerprint (and the snapshot) is stable across runs. */
export const BENCH_UPDATED_AT = '2026-01-01T00:00:00.000Z'

const VARIANT_KINDS = Object.keys(DEFAULT_MIX) as VariantKind[]

interface Pools {
  laws: Entry[]
  faqs: Entry[]
  guides: Entry[]
  cases: Entry[]
  provinces: Region[]
  cities: Region[]
  byCode: Map<string, Region>
  topics: string[]
}

function pools(base: readonly Entry[], regions: readonly Region[], groups: readonly (readonly string[])[]): Pools {
  const published = base.filter((e) => e.status === 'published')
  const laws = published.filter((e) => e.kind === 'law-article' && e.body.length >= 20)
  const guides = base.filter((e) => e.kind === 'guide' && e.guide)
  const topics = [
    ...new Set([
      ...laws.map((l) => l.law?.shortName ?? ''),
      ...guides.map((g) => g.title),
      ...groups.map((g) => g[0] ?? ''),
    ]),
  ].filter((t) => t.length >= 2 && t.length <= 20)
  const sorted = [...regions].sort((a, b) => a.code.localeCompare(b.code))
  return {
    laws,
    faqs: published.filter((e) => e.kind === 'faq'),
    guides,
    cases: published.filter((e) => e.kind === 'hot-topic'),
    provinces: sorted.filter((r) => r.level === 'province'),
    cities: sorted.filter((r) => r.level === 'city'),
    byCode: new Map(sorted.map((r) => [r.code, r])),
    topics,
  }
}

/** Replaces members of synonym groups found in the text by another member, the way taxpayers and editors vary wording. */
export function reword(text: string, groups: readonly (readonly string[])[], rng: Rng, rate = 0.6): string {
  let out = text
  for (const g of groups) {
    for (const m of g) {
      if (m.length < 2 || !out.includes(m)) continue
      if (rng.chance(rate)) {
        const others = g.filter((x) => x !== m && x.length >= 2)
        if (others.length > 0) out = out.split(m).join(rng.pick(others))
      }
      break
    }
  }
  return out
}

function firstClause(text: string, max = 36): string {
  const s = text.replace(/^[（(][一二三四五六七八九十\d]+[)）]/, '').split(/[。；;\n]/)[0] ?? text
  return (s.length > max ? s.slice(0, max) : s).replace(/[，,：:、\s]+$/, '')
}

function provinceOf(r: Region, byCode: Map<string, Region>): Region {
  return r.level === 'province' ? r : (byCode.get(`${r.code.slice(0, 2)}0000`) ?? r)
}

function status(rng: Rng): { status: EntryStatus; effectiveTo: string | null } {
  const i = rng.weighted([94, 2, 2, 2])
  return [
    { status: 'published' as const, effectiveTo: null },
    { status: 'draft' as const, effectiveTo: null },
    { status: 'review' as const, effectiveTo: null },
    { status: 'retired' as const, effectiveTo: '2024-01-01' },
  ][i]!
}

function isoDate(rng: Rng, from = 2019, to = 2026): string {
  const y = from + rng.int(to - from + 1)
  const m = 1 + rng.int(12)
  const d = 1 + rng.int(28)
  return `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`
}

const clip = (s: string, n: number) => (s.length > n ? s.slice(0, n) : s)

function localRegion(p: Pools, rng: Rng, cityShare: number): Region {
  return rng.chance(cityShare) ? rng.pick(p.cities) : rng.pick(p.provinces)
}

function layerFields(r: Region): Pick<Entry, 'layer' | 'regionCode'> {
  return { layer: r.level === 'city' ? 'city' : 'province', regionCode: r.code }
}

function makeFaq(p: Pools, rng: Rng, groups: ScaleOptions['synonymGroups'], seq: number): Entry {
  const r = localRegion(p, rng, 0.6)
  const prov = provinceOf(r, p.byCode)
  const st = status(rng)
  const suffix = `\n（${r.name}税务局12366纳税服务热线答复口径，${2019 + rng.int(8)}年${1 + rng.int(12)}月更新）`
  if (p.faqs.length > 0 && (p.laws.length === 0 || rng.chance(0.4))) {
    const f = rng.pick(p.faqs)
    const lead = rng.pick(['', `${r.shortName}`, `我在${r.shortName}，`, `${prov.shortName}地区`, '请问'])
    const question = clip(lead + reword(f.question ?? f.title, groups, rng), 300)
    return {
      ...f,
      id: `bench-faq-${seq}`,
      title: question,
      question,
      body: reword(f.body, groups, rng, 0.3) + suffix,
      ...layerFields(r),
      status: st.status,
      effectiveTo: st.effectiveTo,
      tags: [...f.tags.slice(0, 8), r.shortName],
      version: 1,
      updatedAt: BENCH_UPDATED_AT,
    }
  }
  const law = rng.pick(p.laws)
  const article = law.law?.article ?? ''
  const clause = reword(firstClause(law.body), groups, rng)
  const templates = [
    `${r.shortName}${clause}，具体怎么规定的？`,
    `请问${clause}吗？`,
    `${law.law?.shortName ?? ''}${article}是什么意思？`,
    `关于${law.law?.shortName ?? ''}，${r.shortName}有什么规定？`,
    `${clause}，${prov.shortName}怎么执行？`,
  ]
  const question = clip(rng.pick(templates), 300)
  return {
    id: `bench-faq-${seq}`,
    kind: 'faq',
    title: question,
    question,
    body: `根据《${law.law?.name ?? law.title}》${article}规定：${reword(law.body, groups, rng, 0.3)}${suffix}`,
    source: { title: `${r.name}税务局12366热点问答`, issuer: `国家税务总局${r.name}税务局` },
    ...layerFields(r),
    effectiveFrom: null,
    effectiveTo: st.effectiveTo,
    status: st.status,
    version: 1,
    tags: [...law.tags.slice(0, 4), r.shortName],
    citedArticleIds: [law.id],
    updatedAt: BENCH_UPDATED_AT,
  }
}

function makeGuide(p: Pools, rng: Rng, groups: ScaleOptions['synonymGroups'], seq: number): Entry {
  const g = rng.pick(p.guides)
  const c = rng.pick(p.cities)
  const prov = provinceOf(c, p.byCode)
  const st = status(rng)
  const guide = g.guide!
  return {
    ...g,
    id: `bench-guide-${seq}`,
    title: clip(`${c.name}${g.title}`, 300),
    body: `${reword(g.body, groups, rng, 0.3)}\n${c.name}纳税人可通过${prov.shortName}电子税务局或${c.name}各办税服务厅办理，咨询电话12366。`,
    ...layerFields(c),
    status: st.status,
    effectiveTo: st.effectiveTo,
    tags: [...g.tags.slice(0, 8), c.shortName],
    guide: {
      ...guide,
      code: clip(`${guide.code}-${c.code}`, 40),
      steps: guide.steps.map((s) => reword(s, groups, rng, 0.3)),
      channels: [...guide.channels.slice(0, 10), `${prov.shortName}电子税务局`, `${c.name}办税服务厅`],
    },
    version: 1,
    updatedAt: BENCH_UPDATED_AT,
  }
}

const NUMERALS = ['一', '二', '三', '四', '五', '六']

function makeNotice(p: Pools, rng: Rng, groups: ScaleOptions['synonymGroups'], seq: number): Entry {
  const r = localRegion(p, rng, 0.5)
  const topic = rng.pick(p.topics)
  const published = isoDate(rng)
  const year = published.slice(0, 4)
  const law = rng.pick(p.laws)
  const items = Array.from(
    { length: 2 + rng.int(4) },
    (_, i) => `${NUMERALS[i]}、${reword(rng.pick(p.laws).body, groups, rng, 0.4)}`,
  )
  const title = clip(`国家税务总局${r.name}税务局关于${topic}有关事项的公告`, 300)
  const expired = rng.chance(0.1)
  return {
    id: `bench-notice-${seq}`,
    kind: 'notice',
    title,
    body: `为贯彻落实《${law.law?.name ?? law.title}》，现就${r.name}${topic}有关事项公告如下：\n${items.join('\n')}\n本公告自${published}起施行。特此公告。`,
    source: {
      title,
      docNumber: `${r.shortName}税务局公告${year}年第${1 + rng.int(30)}号`,
      issuer: `国家税务总局${r.name}税务局`,
      publishedAt: published,
    },
    ...layerFields(r),
    effectiveFrom: published,
    effectiveTo: expired ? `${Number(year) + 1}-12-31` : null,
    status: expired ? 'retired' : 'published',
    version: 1,
    tags: [clip(topic, 50), '税务公告', r.shortName],
    citedArticleIds: [law.id],
    updatedAt: BENCH_UPDATED_AT,
  }
}

function makeCase(p: Pools, rng: Rng, groups: ScaleOptions['synonymGroups'], seq: number): Entry {
  const c = rng.pick(p.cases)
  const prov = rng.pick(p.provinces)
  const st = status(rng)
  return {
    ...c,
    id: `bench-hot-topic-${seq}`,
    title: clip(`${prov.shortName}税务稽查：${c.title}`, 300),
    body: reword(c.body, groups, rng, 0.3),
    ...layerFields(prov),
    status: st.status,
    effectiveTo: st.effectiveTo,
    tags: ['税案通报', prov.shortName],
    version: 1,
    updatedAt: BENCH_UPDATED_AT,
  }
}

const MAKERS: Record<VariantKind, typeof makeFaq> = {
  faq: makeFaq,
  guide: makeGuide,
  notice: makeNotice,
  'hot-topic': makeCase,
}

/**
 * `size` entries: the bundled ones (in their order) followed by variants. Sizes below the bundled corpus
 * take its first `size` entries. Kinds whose source pool is empty fall back to FAQ.
 */
export function scaleCorpus(base: readonly Entry[], opts: ScaleOptions): Entry[] {
  const out: Entry[] = base.slice(0, Math.min(opts.size, base.length))
  if (out.length >= opts.size) return out
  const p = pools(base, opts.regions, opts.synonymGroups)
  if (p.cities.length === 0 || p.provinces.length === 0) throw new Error('scaleCorpus needs province and city regions')
  if (p.laws.length === 0 && p.faqs.length === 0)
    throw new Error('scaleCorpus needs published law articles or FAQ to vary')
  const mix = opts.mix ?? DEFAULT_MIX
  const available: Record<VariantKind, boolean> = {
    faq: true,
    guide: p.guides.length > 0,
    notice: p.laws.length > 0,
    'hot-topic': p.cases.length > 0,
  }
  const weights = VARIANT_KINDS.map((k) => (available[k] ? mix[k] : 0))
  const rng = seededRandom(opts.seed)
  for (let seq = 1; out.length < opts.size; seq++) {
    const kind = VARIANT_KINDS[rng.weighted(weights)]!
    out.push(MAKERS[kind](p, rng, opts.synonymGroups, seq))
  }
  return out
}

/** Counts by kind and by layer, for the report and the generator test. */
export function corpusMix(entries: readonly Entry[]): {
  kinds: Record<string, number>
  layers: Record<string, number>
  regions: number
} {
  const kinds: Record<string, number> = {}
  const layers: Record<string, number> = {}
  const regions = new Set<string>()
  for (const e of entries) {
    kinds[e.kind] = (kinds[e.kind] ?? 0) + 1
    layers[e.layer] = (layers[e.layer] ?? 0) + 1
    if (e.regionCode) regions.add(e.regionCode)
  }
  return { kinds, layers, regions: regions.size }
}
