import { describe, expect, it } from 'vitest'
import { draftFromIntake } from '../../services/editorial/policy-intake.js'

describe('policy intake (pasted 公告 text)', () => {
  it('reads the 文号 line of a pasted text, issuers separated by a space', () => {
    const d = draftFromIntake({
      format: 'text',
      content:
        '财政部 税务总局关于增值税法施行后增值税优惠政策衔接事项的公告\n财政部 税务总局公告2026年第10号\n一、增值税起征点标准\n起征点为月销售额10万元。',
    })
    expect(d.entry?.id).toBe('财政部 税务总局公告2026年第10号')
    expect(d.clauses.map((c) => c.label)).toContain('一')
  })

  it('a long line of Han characters is read at once (the 文号 pattern used to backtrack exponentially)', () => {
    // 40 characters already took minutes with the nested quantifier; vitest's 5 s timeout fails a hang
    for (const n of [40, 5000]) {
      const d = draftFromIntake({ format: 'text', content: '税'.repeat(n) })
      expect(d.problems.length).toBeGreaterThan(0)
    }
  })

  it('a 文号 that cannot be an entry id gives a problem and no entry (the preview never returns an invalid entry)', () => {
    const d = draftFromIntake({
      format: 'text',
      content: '国家税务总局关于某事项的公告\n一、起征点为月销售额10万元。',
      title: '国家税务总局关于某事项的公告',
      docNumber: '税总/函2026?1号',
    })
    expect(d.entry).toBeNull()
    expect(d.problems.join('；')).toMatch(/文号「税总\/函2026\?1号」不能用作条目编号/)
  })
})
