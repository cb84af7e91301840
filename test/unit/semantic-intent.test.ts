import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { classifyIntent } from '../../services/answer/intent-rules.js'
import {
  combinedIntent,
  decideIntent,
  EXEMPLAR_INTENTS,
  type ExemplarIntent,
  type ExemplarVectors,
  parseExemplars,
  SemanticIntents,
} from '../../services/answer/semantic-intent.js'

const near = (o: Partial<Record<ExemplarIntent, number>>) =>
  new Map(Object.entries(o).map(([k, cos]) => [k as ExemplarIntent, { cos, text: `example of ${k}` }]))

describe('decideIntent (pure)', () => {
  it('takes the nearest non-consult intent when it is close and clearly closer than any consult example', () => {
    const d = decideIntent('楼下饭店从来不给开票 你们管不管', near({ report: 0.8, complaint: 0.7, consult: 0.7 }))
    expect(d?.intent).toBe('report')
    expect(d?.cos).toBe(0.8)
    expect(d?.consultCos).toBe(0.7)
    expect(d?.example).toBe('example of report')
  })

  it('stays a consult below the minimum cosine, or when a consult example is about as close', () => {
    expect(decideIntent('随便问问', near({ human: 0.55, consult: 0.3 }))).toBeNull()
    expect(decideIntent('随便问问', near({ human: 0.8, consult: 0.77 }))).toBeNull()
    expect(decideIntent('随便问问', near({ consult: 0.9 }))).toBeNull()
    expect(decideIntent('随便问问', near({ human: 0.8, consult: 0.7 }), { minCos: 0.85, margin: 0 })).toBeNull()
  })

  it('never turns a question about the rule or the penalty into a report or a refusal', () => {
    expect(decideIntent('两套账被查出来罚多少', near({ illegal: 0.9, consult: 0.5 }))).toBeNull()
    expect(decideIntent('我们公司被人举报了 会怎么查', near({ report: 0.9, consult: 0.5 }))).toBeNull()
    expect(decideIntent('直播带货主播的收入个税是怎么算的', near({ report: 0.9, consult: 0.5 }))).toBeNull()
    expect(decideIntent('对税务机关的投诉有没有时间限制', near({ complaint: 0.9, consult: 0.5 }))).toBeNull()
    // a request for a person is not vetoed by a question word
    expect(decideIntent('能找个人帮我看看税率是多少吗', near({ human: 0.9, consult: 0.5 }))?.intent).toBe('human')
  })

  it('never declines a message about tax as outside tax, however close it is to chatter', () => {
    const long = '我们公司今年利润太高想少交点所得税，这样操作会不会被查？怎么弄比较稳妥？'
    expect(decideIntent(long, near({ 'out-of-scope': 0.9, consult: 0.6 }))).toBeNull()
    expect(decideIntent('帮我写首诗', near({ 'out-of-scope': 0.9, consult: 0.6 }))?.intent).toBe('out-of-scope')
  })

  it('only fills in for the rules: a rule-decided intent is kept', () => {
    const semantic = decideIntent('x', near({ complaint: 0.9, consult: 0.1 }))
    expect(combinedIntent('report', semantic)).toBe('report')
    expect(combinedIntent('consult', semantic)).toBe('complaint')
    expect(combinedIntent('consult', null)).toBe('consult')
  })
})

describe('parseExemplars', () => {
  it('reads text and intent per line and names the line of a bad one', () => {
    expect(
      parseExemplars('{"text":"人工","intent":"human"}\n\n{"text":"税率","intent":"consult","source":"x"}\n'),
    ).toEqual([
      { text: '人工', intent: 'human' },
      { text: '税率', intent: 'consult' },
    ])
    expect(() => parseExemplars('{"text":"a","intent":"human"}\n{"text":"b","intent":"chat"}', 'f.jsonl')).toThrow(
      /f\.jsonl:2: "intent"/,
    )
    expect(() => parseExemplars('{"text":""}')).toThrow(/:1: "text"/)
    expect(() => parseExemplars('not json')).toThrow(/:1: not JSON/)
  })

  it('the shipped examples parse, cover every intent, and share no text with the test split', () => {
    const root = path.resolve(import.meta.dirname, '../..')
    const shipped = parseExemplars(fs.readFileSync(path.join(root, 'knowledge/intents/exemplars.jsonl'), 'utf8'))
    for (const i of EXEMPLAR_INTENTS) expect(shipped.some((e) => e.intent === i)).toBe(true)
    const test = new Set(
      fs
        .readFileSync(path.join(root, 'eval/datasets/test.jsonl'), 'utf8')
        .split('\n')
        .filter((l) => l.trim())
        .map((l) => (JSON.parse(l) as { question: string }).question.trim()),
    )
    expect(shipped.filter((e) => test.has(e.text.trim()))).toEqual([])
  })
})

/** Vectors by the characters a text contains (a real, if crude, embedding), so the class can run without the model. */
class CharVectors implements ExemplarVectors {
  queries = 0
  static readonly AXES = ['人', '举', '税', '诗']
  vec(text: string): Float32Array {
    const v = Float32Array.from(CharVectors.AXES.map((c) => (text.includes(c) ? 1 : 0)))
    const n = Math.hypot(...v) || 1
    return v.map((x) => x / n)
  }
  async queryVector(text: string): Promise<Float32Array> {
    this.queries++
    return this.vec(text)
  }
  async vectorsFor(passages: readonly { text: string }[]): Promise<Float32Array[]> {
    return passages.map((p) => this.vec(p.text))
  }
}

describe('SemanticIntents', () => {
  const exemplars = parseExemplars(
    [
      { text: '找人', intent: 'human' },
      { text: '举', intent: 'report' },
      { text: '税', intent: 'consult' },
      { text: '诗', intent: 'out-of-scope' },
    ]
      .map((e) => JSON.stringify(e))
      .join('\n'),
  )

  it('classifies by the nearest example and remembers the decision per message', async () => {
    const v = new CharVectors()
    const s = await SemanticIntents.create(exemplars, v)
    expect(s.size).toBe(4)
    expect((await s.classify('我要找个人'))?.intent).toBe('human')
    expect((await s.classify('写首诗'))?.intent).toBe('out-of-scope')
    expect(await s.classify('交税')).toBeNull()
    expect(await s.classify('交税')).toBeNull()
    expect(v.queries).toBe(3)
  })

  it('a message between a consult and another intent stays a consult', async () => {
    const s = await SemanticIntents.create(exemplars, new CharVectors())
    // 「举」 and 「税」 equally: cosine 0.71 to both, no margin
    expect(await s.classify('举税')).toBeNull()
  })
})

describe('the pinyin or English request for a person', () => {
  it('「rengong」「zhuan ren gong」 ask for a person; a word containing it in a sentence does not', () => {
    for (const t of ['rengong', 'zhuan ren gong', 'rengong rengong', ' Rengong！', 'rengongkefu', 'ren gong ke fu'])
      expect(classifyIntent(t).intent, t).toBe('human')
    expect(classifyIntent('rengong zhineng qiye youhui').intent).not.toBe('human')
  })

  it('a request for a person in English; English tax words are not one', () => {
    for (const t of [
      'human please',
      'Agent',
      'transfer to agent pls',
      'can I talk to a real person',
      'speak to someone',
    ])
      expect(classifyIntent(t).intent, t).toBe('human')
    for (const t of ['human resources expenses deductible?', 'VAT for a travel agent'])
      expect(classifyIntent(t).intent, t).not.toBe('human')
  })
})
