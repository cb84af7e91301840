/** Issue 20 item 11: the agent console's ticket history in people's words. */
import { describe, expect, it } from 'vitest'
import { actorName, eventText, noticeText } from '../../services/web/console/event-text.js'

const me = { id: 'nj-wang', name: '王坐席' }

describe('ticket history lines', () => {
  it('names the system and the agent, not internal ids', () => {
    expect(eventText({ action: 'created', by: 'system' }, me)).toBe('系统 创建工单')
    expect(eventText({ action: 'reply', by: 'nj-wang' }, me)).toBe('王坐席 答复')
    expect(actorName('js-li', me)).toBe('js-li')
  })

  it('turns the notification note into a sentence', () => {
    expect(noticeText('reply: 已推送至会话；log 已发送')).toBe('答复：已推送至会话；通知记录已发送')
    expect(eventText({ action: 'notified', by: 'nj-wang', note: 'extension: 无会话；webhook 发送失败 503' }, me)).toBe(
      '王坐席 通知纳税人：延期告知：无会话；外部通知渠道发送失败 503',
    )
    expect(eventText({ action: 'transfer', by: 'nj-wang', note: '请省局处理' }, me)).toBe('王坐席 转派：请省局处理')
  })
})
