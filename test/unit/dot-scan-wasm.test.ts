/**
 * The WebAssembly dot-product scan behind VectorIndex (services/search/wasm/) must give exactly the doubles of
 * the JavaScript reference loop — not close: hybrid fusion, confidence and abstention read these scores, and
 * replies must not change with the engine. Also: the committed module bytes are the build of the .wat.
 */
import { describe, expect, it } from 'vitest'
import { compileDotScan, dotScanSource } from '../../scripts/build-dot-scan-wasm.js'
import { dotProducts, l2Normalize, VectorIndex } from '../../services/search/rank-fusion.js'
import { DOT_SCAN_WASM_BASE64 } from '../../services/search/wasm/dot-scan-wasm.js'
import { WasmRows } from '../../services/search/wasm/wasm-rows.js'

function rng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = Math.imul(a ^ (a >>> 15), a | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5
  }
}

describe('dot-scan WebAssembly module', () => {
  it('the committed bytes are the build of dot-scan.wat (rebuild: npx tsx scripts/build-dot-scan-wasm.ts)', async () => {
    const bytes = await compileDotScan()
    expect(Buffer.from(bytes).toString('base64')).toBe(DOT_SCAN_WASM_BASE64)
    expect(dotScanSource(bytes)).toContain(DOT_SCAN_WASM_BASE64)
  })

  it.each([4, 16, 512, 1028])('scores are bit-identical to the JavaScript loop (dim %i), across growth', (dim) => {
    const rand = rng(dim)
    const rows = new WasmRows(dim)
    const n = 300
    for (let r = 0; r < n; r++) {
      rows.ensure(r + 1) // grows the memory several times: rows written earlier must survive
      for (let j = 0; j < dim; j++) rows.data[r * dim + j] = rand() * (r % 7 === 0 ? 1e-6 : 3)
    }
    const plain = Float32Array.from(rows.data.subarray(0, n * dim))
    for (let t = 0; t < 5; t++) {
      const q = l2Normalize(Array.from({ length: dim }, rand))
      const want = dotProducts(q, plain, n, dim)
      const got = rows.scores(q, n)
      expect(Array.from(got)).toEqual(Array.from(want))
      // a different last bit would show here even where toEqual's number comparison could not
      expect(Buffer.from(got.buffer, got.byteOffset, got.byteLength).equals(Buffer.from(want.buffer))).toBe(true)
    }
  })

  it.each([4, 512])('scan2 gives each of two queries exactly the doubles of scan (dim %i)', (dim) => {
    const rand = rng(dim + 1)
    const rows = new WasmRows(dim)
    const n = 257
    rows.ensure(n)
    for (let j = 0; j < n * dim; j++) rows.data[j] = rand() * 2
    const plain = Float32Array.from(rows.data.subarray(0, n * dim))
    const q1 = l2Normalize(Array.from({ length: dim }, rand))
    const q2 = l2Normalize(Array.from({ length: dim }, rand))
    const [a, b] = rows.scores2(q1, q2, n).map((x) => Buffer.from(Float64Array.from(x).buffer))
    expect(a?.equals(Buffer.from(dotProducts(q1, plain, n, dim).buffer))).toBe(true)
    expect(b?.equals(Buffer.from(dotProducts(q2, plain, n, dim).buffer))).toBe(true)
    expect(a?.equals(b as Buffer)).toBe(false)
  })

  it('VectorIndex.searchMany gives each query the list search gives it, filters included', () => {
    const dim = 64
    const rand = rng(5)
    const index = new VectorIndex(dim)
    for (let i = 0; i < 600; i++) index.upsert(`p${i}`, Float32Array.from({ length: dim }, rand), i % 40)
    const queries = [0, 1, 2].map(() => Float32Array.from({ length: dim }, rand))
    const group = (g: number) => g % 3 !== 1
    const id = (x: string) => !x.endsWith('7')
    expect(index.searchMany(queries, 25, undefined, group)).toEqual(
      queries.map((q) => index.search(q, 25, undefined, group)),
    )
    expect(index.searchMany(queries, 25, id)).toEqual(queries.map((q) => index.search(q, 25, id)))
    expect(index.searchMany(queries.slice(0, 2), 0)).toEqual([[], []])
    const [first, second] = index.searchMany(queries.slice(0, 2), 10)
    expect(first).not.toEqual(second)
  })

  it('ties at the cut-off still go by id (the early score cut lets equal scores through)', () => {
    const index = new VectorIndex(4)
    const ids = ['p9', 'p3', 'p7', 'p1', 'p5', 'p2', 'p8']
    for (const id of ids) index.upsert(id, Float32Array.from([1, 2, 3, 4])) // all the same score
    index.upsert('p0', Float32Array.from([4, 3, 2, 1])) // lower score, sorts first by id
    expect(index.search(Float32Array.from([1, 2, 3, 4]), 4).map((h) => h.id)).toEqual(['p1', 'p2', 'p3', 'p5'])
  })

  it('grows its memory by at most an eighth over what the rows need (a wasm memory never shrinks)', () => {
    const dim = 512
    const rows = new WasmRows(dim)
    const n = 8486 // the bundled corpus' passages
    for (let r = 0; r < n; r++) rows.ensure(r + 1)
    const needed = n * dim * 4 + 2 * (dim * 8 + n * 8) // the rows, then two queries with their scores
    expect(rows.capacity).toBeGreaterThanOrEqual(n)
    expect(rows.memoryBytes).toBeGreaterThanOrEqual(needed)
    expect(rows.memoryBytes).toBeLessThanOrEqual(needed * 1.125 + 65_536)
  })

  it('rejects sizes it cannot scan; VectorIndex keeps the plain loop for those', () => {
    expect(() => new WasmRows(6)).toThrow(RangeError)
    expect(WasmRows.supports(0)).toBe(false)
    const index = new VectorIndex(6)
    index.upsert('a', Float32Array.from([1, 0, 0, 0, 0, 1]))
    index.upsert('b', Float32Array.from([0, 1, 0, 0, 0, 0]))
    expect(index.search(Float32Array.from([1, 0, 0, 0, 0, 1]), 1)[0]).toEqual({ id: 'a', score: expect.closeTo(1, 6) })
  })

  it('VectorIndex over WebAssembly ranks exactly like the reference, with removals and a filter', () => {
    const dim = 64
    const rand = rng(7)
    const index = new VectorIndex(dim)
    const vectors = new Map<string, Float32Array>()
    for (let i = 0; i < 500; i++) {
      const v = Float32Array.from({ length: dim }, rand)
      vectors.set(`p${i}`, l2Normalize(v))
      index.upsert(`p${i}`, v)
    }
    for (let i = 0; i < 500; i += 3) {
      index.remove(`p${i}`)
      vectors.delete(`p${i}`)
    }
    const q = Float32Array.from({ length: dim }, rand)
    const qn = l2Normalize(q)
    const accept = (id: string) => !id.endsWith('5')
    const want = [...vectors]
      .filter(([id]) => accept(id))
      .map(([id, v]) => ({ id, score: dotProducts(qn, v, 1, dim)[0] as number }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1))
      .slice(0, 20)
    expect(index.search(q, 20, accept)).toEqual(want)
  })

  it('filters by row group exactly as by id, groups following their rows through removals', () => {
    const dim = 32
    const rand = rng(11)
    const index = new VectorIndex(dim)
    // 400 passages of 80 entries (group = entry number); rows are swapped around by the removals below
    for (let i = 0; i < 400; i++) index.upsert(`e${i % 80}#${i}`, Float32Array.from({ length: dim }, rand), i % 80)
    for (let i = 0; i < 400; i += 7) index.remove(`e${i % 80}#${i}`)
    index.upsert('e3#3', Float32Array.from({ length: dim }, rand), 3) // an update keeps the row, new vector
    const q = Float32Array.from({ length: dim }, rand)
    const entryOf = (id: string) => Number(id.slice(1, id.indexOf('#')))
    const wanted = (entry: number) => entry % 3 === 0 // selective: a third of the entries
    const byId = index.search(q, 15, (id) => wanted(entryOf(id)))
    const byGroup = index.search(q, 15, undefined, wanted)
    expect(byGroup).toEqual(byId)
    expect(byGroup.length).toBe(15)
    expect(byGroup.every((h) => wanted(entryOf(h.id)))).toBe(true)
  })
})
