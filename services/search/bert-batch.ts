/**
 * The pure arithmetic around a BERT-style encoder's forward pass, as transformers.js' feature-extraction
 * pipeline does it (the shipped corpus vectors were built with that pipeline; LocalEmbedder now drives
 * onnxruntime-node directly and must give the same vectors): tokenized texts → padded int64 tensors, and the
 * hidden states → one pooled, L2-normalised vector per text.
 */
import { l2Normalize } from './rank-fusion.js'

export type Pooling = 'mean' | 'cls'

export interface TokenizedText {
  ids: readonly number[]
  /** Segment ids; all 0 for a single text. */
  typeIds?: readonly number[]
}

export interface BertBatch {
  /** Texts in the batch. */
  size: number
  /** Tokens per text after padding / truncation. */
  length: number
  inputIds: BigInt64Array
  attentionMask: BigInt64Array
  tokenTypeIds: BigInt64Array
}

/**
 * Pads to the longest text (right side, `padId`, mask 0) but never beyond `maxLength`; a longer text is cut
 * at `maxLength` with no [SEP] re-added — exactly transformers.js' `padding: true, truncation: true`.
 */
export function padBatch(texts: readonly TokenizedText[], padId: number, maxLength: number): BertBatch {
  const longest = texts.reduce((n, t) => Math.max(n, t.ids.length), 0)
  const length = Math.min(longest, maxLength)
  const size = texts.length
  const inputIds = new BigInt64Array(size * length).fill(BigInt(padId))
  const attentionMask = new BigInt64Array(size * length)
  const tokenTypeIds = new BigInt64Array(size * length)
  texts.forEach((t, b) => {
    const n = Math.min(t.ids.length, length)
    for (let i = 0; i < n; i++) {
      inputIds[b * length + i] = BigInt(t.ids[i] as number)
      attentionMask[b * length + i] = 1n
      tokenTypeIds[b * length + i] = BigInt(t.typeIds?.[i] ?? 0)
    }
  })
  return { size, length, inputIds, attentionMask, tokenTypeIds }
}

/** transformers.js' Tensor.normalize(2, -1) on one row: the sum of squares accumulated in float32. */
function float32Normalize(row: Float32Array): Float32Array {
  const acc = new Float32Array(1)
  for (let i = 0; i < row.length; i++) acc[0] = (acc[0] as number) + (row[i] as number) ** 2
  acc[0] = (acc[0] as number) ** 0.5
  const norm = acc[0] as number
  const out = new Float32Array(row.length)
  for (let i = 0; i < row.length; i++) out[i] = (row[i] as number) / norm
  return out
}

/**
 * One vector per text from `hidden` ([size × length × dim], row-major): the [CLS] token's state, or the mean
 * over the attention mask; then the pipeline's float32 normalisation and our own l2Normalize (the two steps the
 * former path took, so the result is bit-identical to it, not merely close).
 */
export function poolBatch(hidden: Float32Array, batch: BertBatch, dim: number, pooling: Pooling): Float32Array[] {
  const { size, length, attentionMask } = batch
  const out: Float32Array[] = []
  for (let b = 0; b < size; b++) {
    const base = b * length * dim
    let row: Float32Array
    if (pooling === 'cls') row = hidden.slice(base, base + dim)
    else {
      // Per dimension, summed in double over the real tokens, stored as float32 (the pipeline's mean_pooling).
      row = new Float32Array(dim)
      let count = 0
      for (let t = 0; t < length; t++) if (attentionMask[b * length + t] === 1n) count++
      for (let j = 0; j < dim; j++) {
        let sum = 0
        for (let t = 0; t < length; t++)
          if (attentionMask[b * length + t] === 1n) sum += hidden[base + t * dim + j] as number
        row[j] = sum / count
      }
    }
    out.push(l2Normalize(float32Normalize(row)))
  }
  return out
}
