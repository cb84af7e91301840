import { describe, expect, it } from 'vitest'
import {
  answerHashOf,
  judgedRates,
  openingOf,
  scoreCase,
  shownBehaviour,
  summarise,
  type Reply,
} from '../../eval/taxpayer-eval.js'
import type { TaxpayerCase } from '../../eval/taxpayer-set.js'
import { asExpected, matchesExpected } from '../../eval/expected-match.js'

const consult: TaxpayerCase = {
  id: 'tq900',
  question: '小规模纳税人标准是多少',
  behaviour: 'answer',
  topic: '增值税',
  expectedIds: ['增值税法#第九条'],
  keyFacts: ['五百万元'],
}
const cite = (id: string) => ({ n: 1, id, title: id, kind: 'law-article' as const, snippet: '' })
const reply = (over: Partial<Reply>): Reply => ({
  answer: '',
  mode: 'composed',
  intent: 'consult',
  handoffOffered: false,
  confidence: 0.8,
  citations: [],
  ...over,
})

describe('taxpayer eval scoring', () => {
  it('maps replies to behaviours', () => {
    expect(shownBehaviour(reply({ mode: 'refused' }))).toBe('refuse')
    expect(shownBehaviour(reply({ mode: 'handoff', intent: 'report' }))).toBe('report')
    expect(shownBehaviour(reply({ mode: 'handoff', intent: 'human' }))).toBe('handoff')
    expect(shownBehaviour(reply({ handoffOffered: true }))).toBe('abstain')
    expect(shownBehaviour(reply({}))).toBe('answer')
  })

  it('scores a good answer as opening-answers and not wrong-confident', () => {
    const r = scoreCase(
      consult,
      reply({
        answer: '年应征增值税销售额未超过五百万元的纳税人是小规模纳税人[1]。其他……',
        citations: [cite('增值税法#第九条')],
      }),
      ['增值税法#第九条'],
      3,
    )
    expect(r).toMatchObject({ ok: true, factCoverage: 1, citedExpected: true, opening: true, wrongConfident: false })
  })

  it('flags a confident answer that misses the facts or cites the wrong entry', () => {
    const wrong = scoreCase(
      consult,
      reply({ answer: '依据《增值税法》第十条：税率为百分之十三[1]。', citations: [cite('增值税法#第十条')] }),
      [],
      3,
    )
    expect(wrong.wrongConfident).toBe(true)
    const buried = scoreCase(
      consult,
      reply({ answer: '依据A：无关。[1]依据B：也无关。[2]\n五百万元[3]', citations: [cite('增值税法#第九条')] }),
      [],
      3,
    )
    expect(buried.opening).toBe(false)
    const abstain: TaxpayerCase = { ...consult, id: 'tq901', behaviour: 'abstain', expectedIds: [], keyFacts: [] }
    expect(scoreCase(abstain, reply({ answer: '税率为20%[1]。' }), [], 1).wrongConfident).toBe(true)
    expect(scoreCase(abstain, reply({ answer: '不确定', handoffOffered: true }), [], 1)).toMatchObject({
      ok: true,
      wrongConfident: false,
    })
  })

  it('counts over-refusal and recall over entries present in the store', () => {
    const r1 = scoreCase(consult, reply({ answer: '不确定', handoffOffered: true }), ['x', 'y', '增值税法#第九条'], 1)
    const m = summarise([r1], [consult], () => true)
    expect(m).toMatchObject({ overRefusal: 1, recallAt5: 1, mrr: 0.333 })
    expect(summarise([r1], [consult], () => false).recallN).toBe(0)
  })

  it('counts a clause of an expected 公告 as that 公告, never widens a law article', () => {
    expect(matchesExpected('国家税务总局公告2023年第14号#二', '国家税务总局公告2023年第14号')).toBe(true)
    expect(matchesExpected('国家税务总局公告2023年第1号#二', '国家税务总局公告2023年第14号')).toBe(false)
    expect(matchesExpected('个人所得税法#第六条', '个人所得税法#第六')).toBe(false)
    const doc: TaxpayerCase = {
      ...consult,
      id: 'tq902',
      expectedIds: ['国家税务总局公告2023年第14号'],
      keyFacts: ['1500元'],
    }
    const r = scoreCase(
      doc,
      reply({ answer: '每人不超过1500元[1]。', citations: [cite('国家税务总局公告2023年第14号#二')] }),
      ['a', '国家税务总局公告2023年第14号#二', '国家税务总局公告2023年第14号#一'],
      1,
    )
    expect(r.citedExpected).toBe(true)
    expect(summarise([r], [doc], () => true)).toMatchObject({ recallAt5: 1, mrr: 0.5 })
    // two clauses of one expected 公告 are one hit, and the ranks after it move up
    expect(asExpected(['x#一', 'x#二', 'y'], ['x'])).toEqual(['x', 'y'])
  })

  it('uses a judgement only for the exact reply it judged', () => {
    const r = scoreCase(consult, reply({ answer: 'A', citations: [cite('增值税法#第九条')] }), [], 1)
    const j = { id: 'tq900', verdict: 'good' as const, openingAnswers: true, judge: 'x' }
    expect(judgedRates([r], [{ ...j, answerHash: answerHashOf('A') }])).toMatchObject({
      judgedInScope: 1,
      good: 1,
      stale: 0,
    })
    expect(judgedRates([r], [{ ...j, answerHash: answerHashOf('B') }])).toMatchObject({ judgedInScope: 0, stale: 1 })
  })

  it('takes the first two sentences as the opening', () => {
    expect(openingOf('一。二！三。')).toBe('一。二！')
  })
})
