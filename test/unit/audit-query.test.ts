/** Issue 20 item 15: the 操作日志 filter as a store query (China-time days, editorial events by default). */
import { describe, expect, it } from 'vitest'
import type { AppError } from '../../services/shared/errors.js'
import { ACTIONS } from '../../services/editorial/lifecycle.js'
import { auditQuery, chinaDayStart } from '../../services/editorial/audit-query.js'

describe('auditQuery', () => {
  it('keeps request rows out unless asked for', () => {
    expect(auditQuery({}).where).toEqual({ action: [...ACTIONS] })
    expect(auditQuery({}).where?.action).not.toContain('http')
    expect(auditQuery({ kind: 'http' }).where).toEqual({ action: 'http' })
    expect(auditQuery({ action: 'approve', entryId: 'faq-1', actorId: 'js-li' }).where).toEqual({
      action: 'approve',
      entryId: 'faq-1',
      actorId: 'js-li',
    })
  })

  it('turns China-time days into UTC bounds, the end day included', () => {
    expect(chinaDayStart('2026-11-25')).toBe('2026-11-24T16:00:00.000Z')
    expect(auditQuery({ from: '2026-11-25', to: '2026-11-25' }).range).toEqual({
      field: 'at',
      gte: '2026-11-24T16:00:00.000Z',
      lt: '2026-11-25T16:00:00.000Z',
    })
    expect(auditQuery({ to: '2026-12-31' }).range).toEqual({ field: 'at', lt: '2026-12-31T16:00:00.000Z' })
  })

  it('refuses impossible dates, reversed ranges and unknown events in Chinese', () => {
    const zh = (f: Parameters<typeof auditQuery>[0]) => {
      try {
        auditQuery(f)
      } catch (e) {
        return `${(e as AppError).code} ${(e as AppError).userMessage}`
      }
      return 'accepted'
    }
    expect(zh({ from: '2026-02-30' })).toBe('VALIDATION_FAILED 日期 2026-02-30 无效，请按 年-月-日 填写')
    expect(zh({ from: '2026-11-26', to: '2026-11-25' })).toBe('VALIDATION_FAILED 开始日期不能晚于结束日期')
    expect(zh({ action: 'http' })).toBe('VALIDATION_FAILED 操作类型无效')
    expect(auditQuery({ limit: 5000 }).limit).toBe(1000)
  })
})
