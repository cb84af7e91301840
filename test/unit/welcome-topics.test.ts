/** The welcome selection rules (services/editorial/welcome-topics.ts) without a store. */
import { describe, expect, it } from 'vitest'
import { isWithinRegion, welcomeTopics } from '../../services/editorial/welcome-topics.js'

const pin = (
  id: string,
  kind: 'faq' | 'hot-topic' | 'guide',
  regionCode: string | null,
  question: string | null = null,
) => ({
  id,
  kind,
  title: `标题${id}`,
  question,
  regionCode,
})

describe('welcomeTopics', () => {
  it('orders regional pins, national pins, regional then national trending; drops cases and repeats; caps', () => {
    const list = welcomeTopics(
      {
        pinned: [pin('n1', 'faq', null, '全国问题？'), pin('c1', 'hot-topic', null), pin('j1', 'guide', '320000')],
        regionalTrending: [{ question: '本地问题' }, { question: '全国问题' }],
        nationalTrending: [{ question: '全国热门' }, { question: '本地问题' }, { question: 'a' }, { question: 'b' }],
      },
      5,
    )
    expect(list.map((t) => [t.source, t.id ?? t.question])).toEqual([
      ['pinned', 'j1'],
      ['pinned', 'n1'],
      ['regional', '本地问题'],
      ['national', '全国热门'],
      ['national', 'a'],
    ])
    expect(list[0]).toMatchObject({ label: '标题j1', question: null })
  })

  it('knows which codes lie within a region (GB/T 2260)', () => {
    expect(isWithinRegion('320105', '320000')).toBe(true)
    expect(isWithinRegion('320105', '320100')).toBe(true)
    expect(isWithinRegion('320505', '320100')).toBe(false)
    expect(isWithinRegion('140000', '320000')).toBe(false)
    expect(isWithinRegion('320100', undefined)).toBe(false)
  })
})
