import { describe, expect, it } from 'vitest'
import { Bm25Index } from '../../services/search/bm25-index.js'

/** Deterministic pseudo-random generator so failures reproduce. */
function rng(seed: number) {
  let s = seed >>> 0
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0
    return s / 2 ** 32
  }
}

function randomCorpus(n: number, seed: number) {
  const r = rng(seed)
  const vocab = Array.from({ length: 60 }, (_, i) => `t${i}`)
  // Zipf-like: low-numbered terms are common, so some postings are long (the "税" case).
  const pick = () => vocab[Math.floor(vocab.length * r() ** 2.5)]!
  return Array.from({ length: n }, (_, i) => ({
    id: `d${i}`,
    fields: {
      title: Array.from({ length: 1 + Math.floor(r() * 4) }, pick),
      body: Array.from({ length: 5 + Math.floor(r() * 60) }, pick),
    },
  }))
}

describe('Bm25Index', () => {
  it('MaxScore top-k equals exhaustive scoring on random queries, with and without filters', () => {
    const idx = new Bm25Index()
    idx.addMany(randomCorpus(800, 7))
    const r = rng(99)
    for (let q = 0; q < 200; q++) {
      const weights = new Map<string, number>()
      const nTerms = 1 + Math.floor(r() * 5)
      for (let i = 0; i < nTerms; i++) weights.set(`t${Math.floor(r() * 70)}`, r() < 0.3 ? 0.6 : 1)
      const k = 1 + Math.floor(r() * 12)
      const accept = q % 3 === 0 ? (d: number) => d % 4 !== 0 : undefined
      const fast = idx.search(weights, k, accept)
      const slow = idx.searchExhaustive(weights, k, accept)
      expect(fast.map((h) => h.id)).toEqual(slow.map((h) => h.id))
      fast.forEach((h, i) => expect(h.score).toBeCloseTo(slow[i]!.score, 9))
    }
  })

  it('ranks a document with the rare term above ones with only the common term', () => {
    const idx = new Bm25Index()
    idx.addMany([
      { id: 'a', fields: { body: ['税', '税', '申报'] } },
      { id: 'b', fields: { body: ['税', '契税', '申报'] } },
      { id: 'c', fields: { body: ['税'] } },
    ])
    const hits = idx.search(
      new Map([
        ['税', 1],
        ['契税', 1],
      ]),
      3,
    )
    expect(hits[0]!.id).toBe('b')
  })

  it('title matches outrank body matches (field boosts)', () => {
    const idx = new Bm25Index()
    idx.addMany([
      { id: 'body', fields: { title: ['其他'], body: ['契税', '其他', '内容'] } },
      { id: 'title', fields: { title: ['契税'], body: ['其他', '内容', '更多'] } },
    ])
    expect(idx.search(new Map([['契税', 1]]), 2).map((h) => h.id)).toEqual(['title', 'body'])
  })

  it('supports incremental upsert and remove, and compacts tombstones', () => {
    const idx = new Bm25Index()
    idx.addMany(randomCorpus(300, 3))
    for (let i = 0; i < 200; i++) idx.remove(`d${i}`)
    expect(idx.size).toBe(100)
    idx.addMany([{ id: 'd250', fields: { title: ['唯一词'] } }])
    expect(idx.size).toBe(100)
    const hits = idx.search(new Map([['唯一词', 1]]), 5)
    expect(hits.map((h) => h.id)).toEqual(['d250'])
    for (let i = 0; i < 200; i++) expect(idx.has(`d${i}`)).toBe(false)
    const all = idx.search(new Map(Array.from({ length: 60 }, (_, i) => [`t${i}`, 1] as [string, number])), 1000)
    expect(all.every((h) => Number(h.id.slice(1)) >= 200)).toBe(true)
  })

  it('single common term stops after k accepted documents and honours filters', () => {
    const idx = new Bm25Index()
    idx.addMany(
      Array.from({ length: 5000 }, (_, i) => ({
        id: `d${i}`,
        fields: { body: i % 2 ? ['税', '税'] : ['税', 'x', 'y', 'z'] },
      })),
    )
    let calls = 0
    const hits = idx.search(new Map([['税', 1]]), 10, (d) => {
      calls++
      return d % 3 === 0
    })
    expect(hits).toHaveLength(10)
    expect(hits.every((h) => Number(h.id.slice(1)) % 3 === 0)).toBe(true)
    expect(calls).toBeLessThan(200)
  })

  it('snapshot round-trips to an index that answers identically', () => {
    const idx = new Bm25Index()
    idx.addMany(randomCorpus(200, 5))
    idx.remove('d3')
    const copy = Bm25Index.restore(structuredClone(idx.snapshot()))
    const w = new Map([
      ['t1', 1],
      ['t7', 1],
      ['t30', 1],
    ])
    expect(copy.search(w, 10)).toEqual(idx.search(w, 10))
    expect(copy.size).toBe(199)
  })
})
