/** Issue 22: the dashboard's `/editor/#new=<topic>` link prefills a new draft. */
import { describe, expect, it } from 'vitest'
import { newEntryPrefill } from '../../services/web/editor/new-entry-link.js'

describe('newEntryPrefill', () => {
  it('reads the encoded topic or question', () => {
    expect(newEntryPrefill(`#new=${encodeURIComponent('小规模纳税人 免征额')}`)).toEqual({
      title: '小规模纳税人 免征额',
      question: '小规模纳税人 免征额',
      tags: ['小规模纳税人 免征额'],
    })
    expect(newEntryPrefill(`#new=${encodeURIComponent('未分类')}`)?.tags).toEqual([])
  })
  it('ignores other hashes, empty text and malformed escapes', () => {
    expect(newEntryPrefill('#ticket=abc')).toBeNull()
    expect(newEntryPrefill('#new=')).toBeNull()
    expect(newEntryPrefill('#new=%20%20')).toBeNull()
    expect(newEntryPrefill('#new=%E4%B8')).toBeNull()
    expect(newEntryPrefill(`#new=${'税'.repeat(400)}`)?.title).toHaveLength(300)
  })
})
