import { describe, expect, it } from 'vitest'
import { evenOdds, modelFor } from '../../services/answer/abstention.js'
import { REPLIES } from '../../services/answer/replies.js'
import { uncertainBand, uncertainReply } from '../../services/answer/uncertain-reply.js'

const evidence = '契税税率为百分之三至百分之五。[1]'

describe('the 不确定 reply says what the evidence is', () => {
  it('a likely but unconfirmed rule is named as the closest rule, never as "nothing found"', () => {
    const r = uncertainReply({ band: 'relevant', years: [], notes: [], evidence })
    expect(r.startsWith('不确定：')).toBe(true)
    expect(r).not.toContain('没有找到')
    expect(r.split('\n')[1]).toBe(evidence)
    expect(r).toContain('转人工')
  })

  it('a time-sensitive question names the year whose document is missing', () => {
    const r = uncertainReply({ band: 'period', years: ['2026'], notes: [], evidence })
    expect(r.split('\n')[0]).toContain('2026年')
    expect(r.startsWith('不确定：')).toBe(true)
    expect(r).toContain(evidence)
    expect(r).toContain('转人工')
    expect(r.split('\n')[0]).toContain('法律法规条文的规定如下')
    // an FAQ or 公告 as the evidence is not called a statute
    const faq = uncertainReply({ band: 'period', years: ['2026'], notes: [], evidence, statuteLead: false })
    expect(faq.split('\n')[0]).not.toContain('法律法规条文')
    expect(faq.split('\n')[0]).toContain('知识库中已收录的相关内容如下')
  })

  it('weak evidence is reference only; no evidence says so; notes stay after the opening', () => {
    const weak = uncertainReply({ band: 'weak', years: [], notes: ['提示：某条已废止。'], evidence })
    expect(weak.split('\n')).toEqual([
      REPLIES.lowConfidence,
      '提示：某条已废止。',
      `可供参考的相关规定：`,
      evidence,
      REPLIES.lowConfidenceTail,
    ])
    const none = uncertainReply({ band: 'relevant', years: [], notes: [], evidence: '' })
    expect(none).not.toContain('最相关')
    expect(none).toContain('转人工')
  })

  it('bands: the time cap first, then the model odds', () => {
    expect(uncertainBand({ capped: true, evenOdds: true })).toBe('period')
    expect(uncertainBand({ capped: false, evenOdds: true })).toBe('relevant')
    expect(uncertainBand({ capped: false, evenOdds: false })).toBe('weak')
    // even odds = the unfolded probability ½: score 1 − threshold
    const m = modelFor(true)
    expect(evenOdds(1 - m.threshold, m)).toBe(true)
    expect(evenOdds(1 - m.threshold - 0.01, m)).toBe(false)
  })
})
