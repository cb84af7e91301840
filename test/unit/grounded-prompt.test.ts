import { describe, expect, it } from 'vitest'
import { buildGroundedPrompt, MAX_ANSWER_CHARS, validateCitations } from '../../services/answer/grounded-prompt.js'

const sources = [
  { n: 1, title: '增值税法#第二十四条', text: '下列项目免征增值税：（一）农业生产者销售的自产农产品……' },
  {
    n: 2,
    title: '小规模纳税人免征增值税政策',
    text: '小规模纳税人发生增值税应税销售行为，合计月销售额未超过10万元（以1个季度为1个纳税期的，季度销售额未超过30万元）的，免征增值税。',
  },
]

describe('buildGroundedPrompt', () => {
  const prompt = buildGroundedPrompt({ question: '  小规模纳税人季度销售额多少免征增值税？ ', sources })

  it('puts the rules and the numbered sources in the system prompt, the question in the user prompt', () => {
    expect(prompt.system).toContain('只能依据下面编号的“参考资料”回答')
    expect(prompt.system).toContain('[1] 《增值税法#第二十四条》')
    expect(prompt.system).toContain('[2] 《小规模纳税人免征增值税政策》\n小规模纳税人发生增值税应税销售行为')
    expect(prompt.system).toContain('季度销售额未超过30万元')
    expect(prompt.system).toContain('不确定')
    expect(prompt.system).toContain(`不超过${MAX_ANSWER_CHARS}字`)
    expect(prompt.system).toContain('[1][2]')
    expect(prompt.system).toMatch(/法律意见/)
    expect(prompt.user).toBe('纳税人的问题：小规模纳税人季度销售额多少免征增值税？')
    expect(prompt.user).not.toContain('参考资料')
  })

  it('is Simplified Chinese (no traditional-only characters in the rules)', () => {
    expect(prompt.system).not.toMatch(/[資據應稅與為這條]/)
  })

  it('cuts long sources and collapses whitespace', () => {
    const p = buildGroundedPrompt({
      question: 'q',
      sources: [{ n: 1, title: 't', text: `甲\n\n乙 ${'税'.repeat(50)}` }],
      maxSourceChars: 10,
    })
    expect(p.system).toContain('[1] 《t》\n甲 乙 税税税税税税……')
  })

  it('says so when there are no sources', () => {
    expect(buildGroundedPrompt({ question: 'q', sources: [] }).system).toContain('参考资料：\n（无）')
  })
})

describe('validateCitations', () => {
  it('accepts an answer whose every sentence cites an existing source', () => {
    const answer = '小规模纳税人季度销售额未超过30万元的，免征增值税[2]。农业生产者销售的自产农产品也免征增值税[1]。'
    expect(validateCitations(answer, 2)).toEqual({ ok: true, cited: [1, 2], problems: [] })
  })

  it('accepts full-width ［n］, 【n】, adjacent [1][2], lists [1,2] / [1，2] / [1、2] and ranges [1-3]', () => {
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税［２］。', 2).cited).toEqual([2])
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税【1】。', 2).cited).toEqual([1])
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1][2]。', 2)).toMatchObject({
      ok: true,
      cited: [1, 2],
    })
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1,2]。', 2)).toMatchObject({
      ok: true,
      cited: [1, 2],
    })
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1，2]。', 2)).toMatchObject({
      ok: true,
      cited: [1, 2],
    })
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税【1、2】。', 2)).toMatchObject({
      ok: true,
      cited: [1, 2],
    })
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1-3]。', 3)).toMatchObject({
      ok: true,
      cited: [1, 2, 3],
    })
  })

  it('rejects a citation outside 1..sourceCount ([5] with 2 sources)', () => {
    const r = validateCitations('小规模纳税人季度销售额未超过30万元的，免征增值税[5]。', 2)
    expect(r.ok).toBe(false)
    expect(r.cited).toEqual([])
    expect(r.problems).toEqual(['citation [5] is outside 1..2'])
  })

  it('rejects [0], out-of-range members of a list and of a range', () => {
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[0]。', 2).problems).toContain(
      'citation [0] is outside 1..2',
    )
    const list = validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1,3]。', 2)
    expect(list).toMatchObject({ ok: false, cited: [1], problems: ['citation [3] is outside 1..2'] })
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1-3]。', 2).ok).toBe(false)
  })

  it('rejects an answer without any citation', () => {
    const r = validateCitations('小规模纳税人季度销售额未超过30万元的，免征增值税。', 2)
    expect(r.ok).toBe(false)
    expect(r.problems).toContain('no citation')
  })

  it('rejects 「不确定」 without citations (the caller then uses the extractive answer)', () => {
    expect(validateCitations('不确定。', 2)).toEqual({ ok: false, cited: [], problems: ['no citation'] })
  })

  it('rejects an uncited substantive sentence even when others cite', () => {
    const answer =
      '小规模纳税人季度销售额未超过30万元的，免征增值税[2]。另外一般纳税人销售货物适用百分之十三的税率，可以抵扣进项税额。'
    const r = validateCitations(answer, 2)
    expect(r.ok).toBe(false)
    expect(r.cited).toEqual([2])
    expect(r.problems).toEqual(['uncited sentence: 另外一般纳税人销售货物适用百分之十三的税率，可以抵扣进项税额。'])
  })

  it('lets short connective sentences (< 15 Chinese characters) go uncited', () => {
    const answer = '可以免征。小规模纳税人季度销售额未超过30万元的，免征增值税[2]。如有疑问请拨打12366。'
    expect(validateCitations(answer, 2)).toMatchObject({ ok: true, cited: [2] })
  })

  it('attaches a citation written after the full stop to the sentence before it', () => {
    const answer = '小规模纳税人季度销售额未超过30万元的，免征增值税。[2] 农业生产者销售的自产农产品也免征增值税。【1】'
    expect(validateCitations(answer, 2)).toMatchObject({ ok: true, cited: [1, 2] })
  })

  it('checks sentences split by line breaks and ignores a trailing 参考资料 list', () => {
    const answer =
      '小规模纳税人季度销售额未超过30万元的，免征增值税[2]\n农业生产者销售的自产农产品也免征增值税[1]\n\n参考资料：\n[1] 增值税法第二十四条规定了免税项目的具体范围和内容\n[7] 其他'
    expect(validateCitations(answer, 2)).toEqual({ ok: true, cited: [1, 2], problems: [] })
    const bad =
      '小规模纳税人季度销售额未超过30万元的，免征增值税[2]\n农业生产者销售的自产农产品也免征增值税，不需要申报'
    expect(validateCitations(bad, 2).ok).toBe(false)
  })

  it('rejects an empty answer', () => {
    expect(validateCitations('  ', 2)).toEqual({ ok: false, cited: [], problems: ['empty answer'] })
  })

  it('with zero sources every citation is out of range', () => {
    expect(validateCitations('小规模纳税人季度销售额未超过三十万元的免征增值税[1]。', 0).ok).toBe(false)
  })
})

describe('validateCitations: what is not a sources section', () => {
  it('does not treat a sentence that merely starts with 来源 as the sources list', () => {
    const answer =
      '小规模纳税人季度销售额未超过30万元的，免征增值税[2]。\n来源于农业生产者自产的农产品销售同样免征增值税，无需申报。'
    expect(validateCitations(answer, 2).ok).toBe(false)
  })
})
