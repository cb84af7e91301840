/**
 * A growable float32 matrix in WebAssembly memory with a SIMD dot-product scan over it (dot-scan.wat): the
 * storage and the hot loop of VectorIndex. The scan gives exactly the doubles of VectorIndex's JavaScript loop
 * (see the .wat header), ≈ 2.5× faster, and the rows live in one buffer as before (no copy).
 *
 * Layout of the memory: rows at offset 0 (capacity × dim float32, so growing never moves them), then the query
 * widened to f64 (dim), then one f64 score per row (capacity).
 */
import { DOT_SCAN_WASM_BASE64 } from './dot-scan-wasm.js'

type Scan = (rows: number, n: number, dim: number, q: number, out: number) => void

let compiled: WebAssembly.Module | undefined
const PAGE = 65_536

export class WasmRows {
  /** The rows, row-major; re-created when the memory grows (never keep it across an ensure()). */
  data = new Float32Array(0)
  readonly #memory = new WebAssembly.Memory({ initial: 1 })
  readonly #scan: Scan
  #capacity = 0

  /** Only for dimensions divisible by 4 (the scan works on four floats at a time); see supports(). */
  constructor(readonly dim: number) {
    if (!WasmRows.supports(dim)) throw new RangeError(`WasmRows: dimensions must be a positive multiple of 4`)
    compiled ??= new WebAssembly.Module(Buffer.from(DOT_SCAN_WASM_BASE64, 'base64'))
    const instance = new WebAssembly.Instance(compiled, { env: { memory: this.#memory } })
    this.#scan = instance.exports.scan as Scan
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
    const bytes = capacity * this.dim * 4 + this.dim * 8 + capacity * 8
    const pages = Math.ceil(bytes / PAGE) - this.#memory.buffer.byteLength / PAGE
    if (pages > 0) this.#memory.grow(pages)
    this.#capacity = capacity
    this.data = new Float32Array(this.#memory.buffer, 0, capacity * this.dim)
  }

  /** Dot product of `query` (length dim) with each of the first `n` rows; the view is valid until the next call. */
  scores(query: Float32Array, n: number): Float64Array {
    const rowsBytes = this.#capacity * this.dim * 4
    const q = new Float64Array(this.#memory.buffer, rowsBytes, this.dim)
    for (let i = 0; i < this.dim; i++) q[i] = query[i] as number
    const out = rowsBytes + this.dim * 8
    this.#scan(0, n, this.dim, rowsBytes, out)
    return new Float64Array(this.#memory.buffer, out, n)
  }
}
