import { describe, expect, it } from 'vitest'
import type { Embedder } from '../../services/search/embedder.js'
import { NoEmbedder } from '../../services/search/embedder.js'
import { PassageCloseness } from '../../services/answer/passage-closeness.js'
import type { Entry } from '../../knowledge/entry.js'
import { splitPassages } from '../../services/search/passages.js'
import { textKey } from '../../services/search/vector-cache.js'

/** A deterministic bag-of-characters embedder standing in for the model (the cache is what is tested). */
class CharEmbedder implements Embedder {
  readonly name = 'chars'
  readonly modelId = 'chars'
  readonly dimensions = 64
  calls: string[][] = []
  async embed(texts: string[]): Promise<Float32Array[]> {
    this.calls.push(texts)
    return texts.map((t) => {
      const v = new Float32Array(this.dimensions)
      for (const ch of t) {
        const i = (ch.codePointAt(0) as number) % this.dimensions
        v[i] = (v[i] as number) + 1
      }
      const n = Math.hypot(...v) || 1
      return v.map((x) => x / n)
    })
  }
}

/**
 * 个人所得税法第四条 indexed as the search backend cuts it, each passage's vector stored, and the question's vector in
 * the query LRU: a PassageCloseness over that index (the embedder's call log cleared).
 */
async function indexed(question: string) {
  const e = new CharEmbedder()
  const body = '下列各项个人所得，免征个人所得税：\n（一）国债和国家发行的金融债券利息；\n（二）保险赔款；'
  const entry = {
    id: '个人所得税法#第四条',
    kind: 'law-article',
    title: '第四条',
    body,
    law: { shortName: '个人所得税法', article: '第四条' },
  } as unknown as Entry
  const [vq] = await e.embed([question])
  const stored = new Map<string, Float32Array>()
  for (const p of splitPassages(entry)) stored.set(textKey(p.text), (await e.embed([p.text]))[0] as Float32Array)
  e.calls = []
  const index = { queryVector: async () => vq as Float32Array, cache: { get: (k: string) => stored.get(k) } }
  return { e, entry, c: new PassageCloseness(e, index) }
}

describe('passage closeness', () => {
  it("ranks the passage sharing the question's meaning-bearing characters higher, embedding each text once", async () => {
    const e = new CharEmbedder()
    const c = new PassageCloseness(e)
    const a = '契税税率为百分之三至百分之五。'
    const b = '纳税人办理纳税事宜后，税务机关应当开具完税凭证。'
    const first = await c.of('契税税率是多少', [a, b, a])
    expect(first?.get(a)).toBeGreaterThan(first?.get(b) as number)
    expect(e.calls).toHaveLength(1)
    expect(e.calls[0]).toHaveLength(3) // question + two distinct passages
    const again = await c.of('契税税率是多少', [b])
    expect(again?.get(b)).toBeCloseTo(first?.get(b) as number, 6)
    expect(e.calls).toHaveLength(1) // all cached: no model call
    await c.of('契税怎么交', [a, '新的一款。'])
    expect(e.calls[1]).toEqual(['契税怎么交', '新的一款。'])
  })

  it('gives no closeness without an embedder or when the model fails (the lexical ranking stands)', async () => {
    expect(await new PassageCloseness(new NoEmbedder()).of('q', ['p'])).toBeUndefined()
    expect(await new PassageCloseness(undefined).of('q', ['p'])).toBeUndefined()
    const failing: Embedder = { name: 'x', modelId: 'x', dimensions: 4, embed: () => Promise.reject(new Error('down')) }
    expect(await new PassageCloseness(failing).of('q', ['p'])).toBeUndefined()
  })

  it('reads the question and the passages from the search index instead of calling the model', async () => {
    const { e, entry, c } = await indexed('国债利息要交个税吗')
    const item = '下列各项个人所得，免征个人所得税：（一）国债和国家发行的金融债券利息。'
    const other = '下列各项个人所得，免征个人所得税：（二）保险赔款。'
    const out = await c.of('国债利息要交个税吗', [
      { text: item, entry },
      { text: other, entry },
    ])
    expect(e.calls).toHaveLength(0)
    expect(c.stats.stored).toBe(2)
    // each item takes its own 项 passage (with the lead-in), not the whole article: the two differ
    expect(out?.get(item)).toBeGreaterThan(out?.get(other) as number)
  })

  it('scores the further candidates from stored vectors only, never embedding them', async () => {
    const { e, entry, c } = await indexed('保险赔款要交个税吗')
    const first = '下列各项个人所得，免征个人所得税：（一）国债和国家发行的金融债券利息。'
    const further = '下列各项个人所得，免征个人所得税：（二）保险赔款。'
    const unindexed = '一段不在任何已索引段落里的文字。'
    const out = await c.of(
      '保险赔款要交个税吗',
      [{ text: first, entry }],
      [
        { text: further, entry },
        { text: unindexed, entry },
      ],
    )
    // the further item is scored from its 项's stored vector and is the closer one; the unindexed text is not
    // embedded (no model call) and gets no closeness
    expect(e.calls).toHaveLength(0)
    expect(out?.get(further)).toBeGreaterThan(out?.get(first) as number)
    expect(out?.has(unindexed)).toBe(false)
  })
})
