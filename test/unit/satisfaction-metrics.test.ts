/** Satisfaction arithmetic and the rating rules, against figures computed by hand. */
import { describe, expect, it } from 'vitest'
import { satisfactionBy, type RatedEvent } from '../../services/feedback/satisfaction-metrics.js'
import { validateLevelAndReason } from '../../services/feedback/rating-levels.js'
import { aggregateResults } from '../../services/feedback/survey-results.js'

const r = (level: RatedEvent['level'], extra: Partial<RatedEvent> = {}): RatedEvent => ({
  level,
  channel: 'web',
  regionCode: '320100',
  seatGroup: '320100-remote',
  agentId: null,
  hallId: null,
  entryIds: [],
  ...extra,
})

describe('satisfactionBy', () => {
  const data = [
    r('very-satisfied', { hallId: 'h1', regionCode: '320100' }),
    r('satisfied', { hallId: 'h1', regionCode: '320500' }),
    r('very-dissatisfied', { hallId: 'h1', regionCode: '320500' }),
    r('neutral', { hallId: 'h2', channel: 'app', regionCode: null }),
  ]
  it('hall: h1 = (5+4+1)/3 = 3.33, 2 of 3 satisfied; h2 = 3, 1 of 1', () => {
    const rows = satisfactionBy(data, 'hall')
    expect(rows).toEqual([
      {
        key: 'h1',
        count: 3,
        meanScore: 3.33,
        satisfiedRate: 0.6667,
        levels: { 'very-satisfied': 1, satisfied: 1, neutral: 0, dissatisfied: 0, 'very-dissatisfied': 1 },
      },
      {
        key: 'h2',
        count: 1,
        meanScore: 3,
        satisfiedRate: 1,
        levels: { 'very-satisfied': 0, satisfied: 0, neutral: 1, dissatisfied: 0, 'very-dissatisfied': 0 },
      },
    ])
  })
  it('region skips ratings without one; channel counts all', () => {
    expect(satisfactionBy(data, 'region').map((x) => [x.key, x.count, x.meanScore])).toEqual([
      ['320500', 2, 2.5],
      ['320100', 1, 5],
    ])
    expect(satisfactionBy(data, 'channel').map((x) => [x.key, x.count])).toEqual([
      ['web', 3],
      ['app', 1],
    ])
  })
  it('an entry listed twice in one rating counts once', () => {
    expect(satisfactionBy([r('satisfied', { entryIds: ['e1', 'e1'] })], 'entry')[0]!.count).toBe(1)
  })
})

describe('rating rules', () => {
  it('requires a reason for the two lowest levels only and masks phone numbers', () => {
    expect(() => validateLevelAndReason('dissatisfied', '  ')).toThrow()
    expect(() => validateLevelAndReason('very-dissatisfied', undefined)).toThrow()
    expect(validateLevelAndReason('neutral', undefined)).toEqual({ level: 'neutral', reason: null })
    expect(validateLevelAndReason('dissatisfied', '打 13812345678 没人接').reason).not.toContain('13812345678')
    expect(() => validateLevelAndReason('great', 'x')).toThrow()
  })
})

describe('aggregateResults', () => {
  it('NPS: 3 promoters, 1 passive, 2 detractors of 6 → (3 − 2) / 6 = 16.7', () => {
    const answers = [10, 9, 9, 8, 6, 0].map((v) => ({ answers: { n: v } }))
    const [res] = aggregateResults([{ id: 'n', type: 'nps', title: '推荐', required: true }], answers)
    expect(res!.nps).toEqual({ promoters: 3, passives: 1, detractors: 2, score: 16.7 })
    expect(res!.mean).toBe(7)
    expect(res!.counts!.find((c) => c.label === '9')!.count).toBe(2)
  })
  it('pages text answers', () => {
    const answers = Array.from({ length: 25 }, (_, i) => ({ answers: { t: `意见${i}` } }))
    const [res] = aggregateResults([{ id: 't', type: 'long', title: '意见', required: false }], answers, 2, 20)
    expect(res!.texts).toEqual({
      items: ['意见20', '意见21', '意见22', '意见23', '意见24'],
      total: 25,
      page: 2,
      pageSize: 20,
    })
  })
})
