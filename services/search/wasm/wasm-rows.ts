/**
 * A growable float32 matrix in WebAssembly memory with a SIMD dot-product scan over it (dot-scan.wat): the
 * storage and the hot loop of VectorIndex. The scan gives exactly the doubles of VectorIndex's JavaScript loop
 * (see the .wat header), ≈ 2.5× faster, and the rows live in one buffer as before (no copy).
 *
 * Layout of the memory: rows at offset 0 (capacity × dim float32, so growing never moves them), then for each of
 * two queries (scan2 scores two in one pass) the query widened to f64 (dim) and one f64 score per row (capacity).
 */
import { DOT_SCAN_WASM_BASE64 } from './dot-scan-wasm.js'

type Scan = (rows: number, n: number, dim: number, q: number, out: number) => void
type Scan2 = (rows: number, n: number, dim: number, q: number, out: number, q2: number, out2: number) => void

let compiled: WebAssembly.Module | undefined
const PAGE = 65_536

export class WasmRows {
  /** The rows, row-major; re-created when the memory grows (never keep it across an ensure()). */
  data = new Float32Array(0)
  readonly #memory = new WebAssembly.Memory({ initial: 1 })
  readonly #scan: Scan
  readonly #scan2: Scan2
  #capacity = 0

  /** Only for dimensions divisible by 4 (the scan works on four floats at a time); see supports(). */
  constructor(readonly dim: number) {
    if (!WasmRows.supports(dim)) throw new RangeError(`WasmRows: dimensions must be a positive multiple of 4`)
    compiled ??= new WebAssembly.Module(Buffer.from(DOT_SCAN_WASM_BASE64, 'base64'))
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.#memory } })
    this.#scan = instance.exports.scan as Scan
    this.#scan2 = instance.exports.scan2 as Scan2
  }

  static supports(dim: number): boolean {
    return Number.isInteger(dim) && dim > 0 && dim % 4 === 0
  }

  get capacity(): number {
    return this.#capacity
  }

  /** Bytes of WebAssembly memory held (never returned: a wasm memory only grows). */
  get memoryBytes(): number {
    return this.#memory.buffer.byteLength
  }

  /**
   * Room for at least `rows` rows; existing rows keep their content and offsets. Capacity grows by an eighth, not
   * doubling: growing a wasm memory commits pages in place (nothing is copied), so doubling bought nothing and left
   * up to half of it unused for good — 32 MB held for the bundled corpus' 17 MB of passage vectors.
   */
  ensure(rows: number): void {
    if (rows <= this.#capacity) return
    const capacity = Math.max(16, Math.ceil(this.#capacity * 1.125), rows)
    const bytes = capacity * this.dim * 4 + 2 * (this.dim * 8 + capacity * 8)
    const pages = Math.ceil(bytes / PAGE) - this.#memory.buffer.byteLength / PAGE
    if (pages > 0) this.#memory.grow(pages)
    this.#capacity = capacity
    this.data = new Float32Array(this.#memory.buffer, 0, capacity * this.dim)
  }

  /** Dot product of `query` (length dim) with each of the first `n` rows; the view is valid until the next call. */
  scores(query: Float32Array, n: number): Float64Array {
    const q = this.#query(0, query)
    this.#scan(0, n, this.dim, q, q + this.dim * 8)
    return new Float64Array(this.#memory.buffer, q + this.dim * 8, n)
  }

  /** scores() of two queries in one pass over the rows: the same doubles, each row read once. */
  scores2(query: Float32Array, query2: Float32Array, n: number): [Float64Array, Float64Array] {
    const q = this.#query(0, query)
    const q2 = this.#query(1, query2)
    const out = q + this.dim * 8
    const out2 = q2 + this.dim * 8
    this.#scan2(0, n, this.dim, q, out, q2, out2)
    return [new Float64Array(this.#memory.buffer, out, n), new Float64Array(this.#memory.buffer, out2, n)]
  }

  /** Writes query `slot` (0 or 1) widened to f64 after the rows; returns its offset (its scores follow it). */
  #query(slot: number, query: Float32Array): number {
    const offset = this.#capacity * this.dim * 4 + slot * (this.dim * 8 + this.#capacity * 8)
    const q = new Float64Array(this.#memory.buffer, offset, this.dim)
    for (let i = 0; i < this.dim; i++) q[i] = query[i] as number
    return offset
  }
}
