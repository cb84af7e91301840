/**
 * The arithmetic around the encoder's forward pass (services/search/bert-batch.ts), as transformers.js'
 * feature-extraction pipeline did it: padding, truncation without a new [SEP], [CLS] and mean pooling.
 */
import { describe, expect, it } from 'vitest'
import { padBatch, poolBatch } from '../../services/search/bert-batch.js'

describe('padBatch', () => {
  it('pads right to the longest text with the pad id and mask 0; segment ids kept', () => {
    const b = padBatch([{ ids: [101, 7, 102] }, { ids: [101, 5, 6, 9, 102], typeIds: [0, 0, 0, 1, 1] }], 0, 512)
    expect(b).toMatchObject({ size: 2, length: 5 })
    expect(Array.from(b.inputIds, Number)).toEqual([101, 7, 102, 0, 0, 101, 5, 6, 9, 102])
    expect(Array.from(b.attentionMask, Number)).toEqual([1, 1, 1, 0, 0, 1, 1, 1, 1, 1])
    expect(Array.from(b.tokenTypeIds, Number)).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 1, 1])
  })

  it('cuts a text longer than the model allows at maxLength, dropping its [SEP] (the pipeline does the same)', () => {
    const b = padBatch([{ ids: [101, 1, 2, 3, 4, 102] }, { ids: [101, 9, 102] }], 0, 4)
    expect(b.length).toBe(4)
    expect(Array.from(b.inputIds, Number)).toEqual([101, 1, 2, 3, 101, 9, 102, 0])
  })
})

describe('poolBatch', () => {
  // 2 texts × 3 tokens × 2 dims; text 2 has a pad token whose state is huge, so a mask bug shows
  const hidden = Float32Array.from([3, 4, 1, 1, 1, 1, 0, 2, 2, 0, 1000, 1000])
  const batch = padBatch([{ ids: [1, 2, 3] }, { ids: [1, 2] }], 0, 8)

  it('cls: the first token’s state, L2-normalised', () => {
    const [a, b] = poolBatch(hidden, batch, 2, 'cls')
    expect((a as Float32Array)[0]).toBeCloseTo(0.6, 6)
    expect((a as Float32Array)[1]).toBeCloseTo(0.8, 6)
    expect(Array.from(b as Float32Array)).toEqual([0, 1])
  })

  it('mean: over the real tokens only, then L2-normalised', () => {
    const [a, b] = poolBatch(hidden, batch, 2, 'mean')
    const unit = (x: number, y: number) => [x / Math.hypot(x, y), y / Math.hypot(x, y)]
    ;[...(a as Float32Array)].forEach((v, i) => expect(v).toBeCloseTo(unit(5 / 3, 2)[i] as number, 6))
    ;[...(b as Float32Array)].forEach((v, i) => expect(v).toBeCloseTo(unit(1, 1)[i] as number, 6))
  })
})
