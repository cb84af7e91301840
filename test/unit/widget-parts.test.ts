/** Pure parts of the widget's view modules: in-app links, the 没帮助 reason, 猜你想问 without repeats, form checks. */
import { describe, expect, it } from 'vitest'
import { appLinks } from '../../services/web/widget/app-links.js'
import { ratingReason } from '../../services/web/widget/feedback-controls.js'
import { handoffProblem } from '../../services/web/widget/handoff-dialog.js'
import { incomingTurn } from '../../services/web/widget/live-updates.js'
import { ratingProblem } from '../../services/web/widget/rating-dialog.js'
import { parseInline } from '../../services/web/widget/safe-render.js'
import { FALLBACK_SUGGESTIONS, welcomeSuggestions } from '../../services/web/widget/welcome-panel.js'

describe('in-app links in answers', () => {
  it('parses /booking/ with its query as a link, leaves other slashes and foreign URLs as text', () => {
    expect(parseInline('预约页面：/booking/?region=320000 。')).toEqual([
      { t: 'text', v: '预约页面：' },
      { t: 'link', path: '/booking/?region=320000' },
      { t: 'text', v: ' 。' },
    ])
    expect(parseInline('见 https://x.cn/booking/ 或 1/2')).toEqual([
      { t: 'text', v: '见 https://x.cn/booking/ 或 1/2' },
    ])
  })

  it('resolves against the API origin and keeps (or adds) the portal region', () => {
    const link = appLinks('http://api.example:3000', '320100')
    expect(link('/booking/?region=320000')).toEqual({
      href: 'http://api.example:3000/booking/?region=320000',
      label: '网上预约办税',
    })
    expect(link('/booking/')?.href).toBe('http://api.example:3000/booking/?region=320100')
    expect(appLinks('http://api.example:3000', null)('/booking/')?.href).toBe('http://api.example:3000/booking/')
    expect(link('/admin/')).toBeNull()
  })
})

describe('feedback and forms', () => {
  it('joins the reason chip and the taxpayer text', () => {
    expect(ratingReason('答非所问', '  没说季度标准 ')).toBe('答非所问：没说季度标准')
    expect(ratingReason(null, '看不懂')).toBe('看不懂')
    expect(ratingReason('政策已过时', '')).toBe('政策已过时')
    expect(ratingReason(null, ' ')).toBe('')
  })

  it('checks the handoff and rating forms in Chinese', () => {
    expect(handoffProblem(false, '', true, '')).toContain('描述')
    expect(handoffProblem(true, '', false, '')).toContain('同意')
    expect(handoffProblem(true, '', true, 'abc')).toContain('电话')
    expect(handoffProblem(true, '', true, '139 1234 5678')).toBeNull()
    expect(ratingProblem(0, '', true)).toContain('满意程度')
    expect(ratingProblem(2, '', true)).toContain('原因')
    expect(ratingProblem(4, '', false)).toContain('咨询')
    expect(ratingProblem(1, '太慢', true)).toBeNull()
  })

  it('takes only agent and system turns from live events', () => {
    expect(incomingTurn({ turn: { id: 't1', role: 'agent', text: '您好', agentName: '李坐席' } })).toEqual({
      id: 't1',
      role: 'agent',
      text: '您好',
      agentName: '李坐席',
    })
    expect(incomingTurn({ id: 't2', role: 'assistant', text: 'x' })).toBeNull()
    expect(incomingTurn('keep-alive')).toBeNull()
  })
})

describe('猜你想问 in the welcome', () => {
  const shown = [{ label: '江苏契税税率', id: null, question: '江苏契税税率', source: 'regional' as const }]
  it('drops what the hot list shows and falls back to built-in questions when nothing is left', () => {
    expect(welcomeSuggestions(shown, ['江苏契税税率', '发票丢了怎么办'])).toEqual(['发票丢了怎么办'])
    expect(welcomeSuggestions(shown, ['江苏契税税率'])).toEqual(FALLBACK_SUGGESTIONS)
    expect(welcomeSuggestions([], [])).toEqual(FALLBACK_SUGGESTIONS)
  })
})
