import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { quantize, readInt8File, VectorCache, writeInt8File } from '../../services/search/vector-cache.js'

/** Deterministic pseudo-random unit vectors. */
function vectors(n: number, dims: number, seed: number): Float32Array[] {
  let x = seed
  const rnd = () => {
    x = (x * 1103515245 + 12345) % 2 ** 31
    return x / 2 ** 31 - 0.5
  }
  return Array.from({ length: n }, () => {
    const v = Float32Array.from({ length: dims }, rnd)
    const norm = Math.hypot(...v)
    return v.map((y) => y / norm)
  })
}

describe('rebuilding the shipped int8 vector file', () => {
  it('keeps the bytes of rows it already holds and quantises only the new ones', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'taxkb-i8-'))
    const file = path.join(dir, 'v.i8.v8')
    const dims = 64
    const first = vectors(200, dims, 7)
    const keys = first.map((_, i) => `k${i}`)
    writeInt8File(
      file,
      'm',
      dims,
      keys.map((k, i) => [k, first[i]!]),
    )
    const before = readInt8File(file)!
    // What a rebuild sees: the cache's dequantised vectors for the old rows, plus one new row.
    const cache = new VectorCache('m', null, [file])
    const extra = vectors(1, dims, 99)[0]!
    const rows: [string, Float32Array][] = [
      ...keys.map((k) => [k, cache.get(k)!] as [string, Float32Array]),
      ['new', extra],
    ]
    // Quantising the dequantised vectors again moves some rows (the scale rounds): the reason `keep` exists.
    const requantised = quantize(
      rows.slice(0, 200).map(([, v]) => v),
      dims,
    )
    const moved = keys.filter((_, i) => requantised.scales[i] !== before.scales[i]).length
    expect(moved).toBeGreaterThan(0)

    writeInt8File(file, 'm', dims, rows, before)
    const after = readInt8File(file)!
    expect(after.keys).toEqual([...keys, 'new'])
    expect(Buffer.from(after.codes.subarray(0, 200 * dims))).toEqual(Buffer.from(before.codes))
    expect(Array.from(after.scales.subarray(0, 200))).toEqual(Array.from(before.scales))
    // the new row is quantised from its own vector
    const fresh = quantize([extra], dims)
    expect(Array.from(after.codes.subarray(200 * dims))).toEqual(Array.from(fresh.codes))
    // a file of another model is never used as the source of kept bytes
    writeInt8File(file, 'other', dims, rows, before)
    expect(readInt8File(file)!.modelId).toBe('other')
    expect(Array.from(readInt8File(file)!.scales.subarray(0, 200))).toEqual(Array.from(requantised.scales))
    expect(readInt8File(path.join(dir, 'missing'))).toBeNull()
    fs.rmSync(dir, { recursive: true, force: true })
  })
})
