/** Issue 20 item 15: 操作日志 rows as Chinese events and descriptions, developer notes translated. */
import { describe, expect, it } from 'vitest'
import { auditDescription, auditEvent, noteText } from '../../services/web/editor/audit-text.js'

const row = { entryId: 'faq-1', from: null, to: null, version: null, comment: null }

describe('audit rows for editors', () => {
  it('names events in Chinese, telling a scheduled end date from a retirement', () => {
    expect(auditEvent({ action: 'approve', to: 'published' })).toBe('审核通过并发布')
    expect(auditEvent({ action: 'retire', to: 'retired' })).toBe('废止')
    expect(auditEvent({ action: 'retire', to: 'published' })).toBe('设置失效日期')
    expect(auditEvent({ action: 'ripple', to: 'published' })).toBe('法规变更待复核')
  })

  it('describes the status change, the version and the comment', () => {
    expect(
      auditDescription({ ...row, action: 'submit', from: 'draft', to: 'review', version: 3, comment: '请审核' }),
    ).toBe('草稿 → 待审核，v3：请审核')
    expect(auditDescription({ ...row, action: 'create', to: 'draft', version: 1 })).toBe('新条目 → 草稿，v1')
    expect(
      auditDescription({
        ...row,
        action: 'ripple',
        from: 'published',
        to: 'published',
        version: 2,
        comment: 'cites 契税暂行条例#第六条',
      }),
    ).toBe('v2：引用的 契税暂行条例#第六条 已废止或失效')
  })

  it('translates the service notes and keeps editors’ words', () => {
    expect(noteText('过时; 3 citing entries need review')).toBe('过时；3 条引用它的条目进入法规变更待复核')
    expect(noteText('1 citing entry need review')).toBe('1 条引用它的条目进入法规变更待复核')
    expect(noteText('restored v2')).toBe('恢复 v2 的内容')
    expect(noteText('bulk import (csv)')).toBe('批量导入（CSV）')
    expect(noteText('policy bulk import (jsonl)')).toBe('公告批量导入（JSONL）')
    expect(noteText('reviewed citations a#1, b#2')).toBe('已复核引用：a#1、b#2')
    expect(noteText('synonyms.txt saved (12 lines)')).toBe('同义词已保存（12 行）')
    expect(noteText('内容准确，同意发布')).toBe('内容准确，同意发布')
  })

  it('shows a request row as method, route and status', () => {
    const http = { ...row, action: 'http', method: 'POST', route: '/api/editor/entries/:id/approve', status: 200 }
    expect(auditEvent(http)).toBe('请求')
    expect(auditDescription(http)).toBe('POST /api/editor/entries/:id/approve → 200')
  })
})
