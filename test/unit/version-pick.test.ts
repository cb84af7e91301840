/** Issue 20 item 14: the default comparison is the newest text against the last different one. */
import { describe, expect, it } from 'vitest'
import { defaultComparison } from '../../services/web/editor/version-pick.js'

const v = (version: number, body: string) => ({ version, entry: { title: 't', body } })

describe('defaultComparison', () => {
  it('skips versions with the same text (draft → review → published of one text)', () => {
    expect(defaultComparison([v(5, 'B'), v(4, 'B'), v(3, 'B'), v(2, 'A'), v(1, 'A')])).toEqual([5, 2])
  })
  it('falls back to the two newest when every version has the same text, and copes with one or none', () => {
    expect(defaultComparison([v(2, 'A'), v(1, 'A')])).toEqual([2, 1])
    expect(defaultComparison([v(1, 'A')])).toEqual([1])
    expect(defaultComparison([])).toEqual([])
  })
})
