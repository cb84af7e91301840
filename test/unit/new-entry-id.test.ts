/** Issue 20 item 17: generated entry ids are valid, China-dated and differ between calls. */
import { describe, expect, it } from 'vitest'
import { validateEntry } from '../../knowledge/entry.js'
import { newEntryId } from '../../services/web/editor/new-entry-id.js'
import { templateExample } from '../../services/editorial/import-templates.js'

describe('newEntryId', () => {
  it('uses kind, region and the China date (16:30 UTC is the next day in Beijing)', () => {
    const id = newEntryId('faq', '320100', new Date('2026-11-25T16:30:00Z'), () => 0.5)
    expect(id).toBe('faq-320100-20261126-iiii')
    expect(newEntryId('notice', null, new Date('2026-11-25T02:00:00Z'), () => 0)).toBe('notice-national-20261125-0000')
  })
  it('passes the entry id rule and varies with the random source', () => {
    const a = newEntryId('guide', '320000', new Date(), Math.random)
    const b = newEntryId('guide', '320000', new Date(), Math.random)
    expect(validateEntry({ ...templateExample('guide'), id: a, regionCode: '320000', layer: 'province' })).toEqual([])
    expect(a).not.toBe(b)
  })
})
