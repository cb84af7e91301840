/**
 * Persisted passage vectors, keyed by model id + SHA-1 of the passage text, so a restart, a reindex or an
 * unchanged passage never re-embeds. Two layers: the vectors shipped with the bundled corpus (int8, read
 * only, built by scripts/build-corpus-vectors.ts) and the data directory's own file (float32, written after
 * new passages were embedded). A file for another model id is ignored, never mixed in.
 */
import crypto from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import v8 from 'node:v8'
import { l2NormalizeInto } from './rank-fusion.js'

export const textKey = (text: string): string => crypto.createHash('sha1').update(text).digest('hex')

interface FloatFile {
  format: 'taxkb-vectors-f32-v1'
  modelId: string
  dims: number
  keys: string[]
  data: Float32Array
}

export interface Int8File {
  format: 'taxkb-vectors-i8-v1'
  modelId: string
  dims: number
  keys: string[]
  /** Row-major int8 codes; row i is keys[i]. */
  codes: Int8Array
  /** Per-row scale: value ≈ code × scale. */
  scales: Float32Array
}

/** Pure: symmetric per-vector int8 quantisation (max |x| → 127). */
export function quantize(vectors: readonly Float32Array[], dims: number): { codes: Int8Array; scales: Float32Array } {
  const codes = new Int8Array(vectors.length * dims)
  const scales = new Float32Array(vectors.length)
  vectors.forEach((v, r) => {
    let max = 0
    for (let i = 0; i < dims; i++) max = Math.max(max, Math.abs(v[i] as number))
    const scale = max === 0 ? 1 : max / 127
    scales[r] = scale
    for (let i = 0; i < dims; i++) codes[r * dims + i] = Math.round((v[i] as number) / scale)
  })
  return { codes, scales }
}

/** Pure: row r of an int8 file back to a unit vector. */
export function dequantize(codes: Int8Array, scales: Float32Array, dims: number, r: number): Float32Array {
  const out = new Float32Array(dims)
  const s = scales[r] as number
  const base = r * dims
  for (let i = 0; i < dims; i++) out[i] = (codes[base + i] as number) * s
  l2NormalizeInto(out, out)
  return out
}

/**
 * Writes an int8 file of `rows`. A row whose key `keep` (the file being replaced) already holds keeps its codes and
 * scale byte for byte: quantising a dequantised vector again is not exact (rounding of the scale), so a rebuild
 * would otherwise move unchanged passages' vectors.
 */
export function writeInt8File(
  file: string,
  modelId: string,
  dims: number,
  rows: readonly [string, Float32Array][],
  keep: Int8File | null = null,
): void {
  const { codes, scales } = quantize(
    rows.map(([, v]) => v),
    dims,
  )
  if (keep && keep.modelId === modelId && keep.dims === dims) {
    const at = new Map(keep.keys.map((k, i) => [k, i]))
    rows.forEach(([k], r) => {
      const i = at.get(k)
      if (i === undefined) return
      codes.set(keep.codes.subarray(i * dims, (i + 1) * dims), r * dims)
      scales[r] = keep.scales[i] as number
    })
  }
  const data: Int8File = { format: 'taxkb-vectors-i8-v1', modelId, dims, keys: rows.map(([k]) => k), codes, scales }
  atomicWrite(file, v8.serialize(data))
}

/** The int8 file at `file`, or null when absent, unreadable or of another format. */
export function readInt8File(file: string): Int8File | null {
  const data = readV8<Int8File>(file)
  return data?.format === 'taxkb-vectors-i8-v1' ? data : null
}

function atomicWrite(file: string, bytes: Uint8Array): void {
  fs.mkdirSync(path.dirname(file), { recursive: true })
  const tmp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(tmp, bytes)
  fs.renameSync(tmp, file)
}

export class VectorCache {
  readonly #shipped = new Map<string, number>()
  #shippedFile: Int8File | null = null
  readonly #own = new Map<string, Float32Array>()
  #dirty = false
  readonly stats = { shipped: 0, own: 0 }

  /**
   * @param modelId vectors of other models are ignored
   * @param file the data directory's float32 file (null: memory only)
   * @param shippedFiles read-only int8 files (bundled corpus)
   */
  constructor(
    readonly modelId: string,
    private readonly file: string | null,
    shippedFiles: readonly string[] = [],
  ) {
    for (const f of shippedFiles) {
      const data = readV8<Int8File>(f)
      if (data?.format !== 'taxkb-vectors-i8-v1' || data.modelId !== modelId) continue
      this.#shippedFile = data
      data.keys.forEach((k, i) => this.#shipped.set(k, i))
    }
    const own = file ? readV8<FloatFile>(file) : null
    if (own?.format === 'taxkb-vectors-f32-v1' && own.modelId === modelId) {
      own.keys.forEach((k, i) => this.#own.set(k, own.data.slice(i * own.dims, (i + 1) * own.dims)))
    }
    this.stats.shipped = this.#shipped.size
    this.stats.own = this.#own.size
  }

  get(key: string): Float32Array | undefined {
    const own = this.#own.get(key)
    if (own) return own
    const row = this.#shipped.get(key)
    const f = this.#shippedFile
    return row === undefined || !f ? undefined : dequantize(f.codes, f.scales, f.dims, row)
  }

  set(key: string, vector: Float32Array): void {
    this.#own.set(key, vector)
    this.#dirty = true
  }

  /** Writes the own layer when something was added, keeping only `live` keys (dropped passages go). */
  persist(live?: ReadonlySet<string>): void {
    if (!this.file || !this.#dirty) return
    const rows = [...this.#own].filter(([k]) => !live || live.has(k))
    const dims = rows[0]?.[1].length ?? 0
    const data = new Float32Array(rows.length * dims)
    rows.forEach(([, v], i) => data.set(v, i * dims))
    const out: FloatFile = {
      format: 'taxkb-vectors-f32-v1',
      modelId: this.modelId,
      dims,
      keys: rows.map(([k]) => k),
      data,
    }
    atomicWrite(this.file, v8.serialize(out))
    this.#dirty = false
  }
}

function readV8<T>(file: string): T | null {
  try {
    return fs.existsSync(file) ? (v8.deserialize(fs.readFileSync(file)) as T) : null
  } catch {
    return null // a corrupt file is rebuilt by embedding again
  }
}
