/**
 * Policy documents on the real bundled 公告 (knowledge/corpus/policies/announcements.jsonl): the clause
 * splitter, the relation parser, validity at a date, the builder's links and the ripple into FAQ.
 */
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import { validateEntry } from '../../knowledge/entry.js'
import { splitClauses } from '../../knowledge/policy-clauses.js'
import { buildPolicy, linkPolicies } from '../../knowledge/policy-entries.js'
import { clauseLabelIn, clauseNumbersIn, findDocRefs, parseRelations } from '../../knowledge/policy-relations.js'
import { documentValidityAt, policyEntryValidityAt } from '../../knowledge/policy-validity.js'
import { citedDocNumbers, policyInputFromRecord } from '../../indexers/sources/policy-source.js'
import { needsReview, staleArticles } from '../../services/editorial/ripple.js'

const FILE = new URL('../../knowledge/corpus/policies/announcements.jsonl', import.meta.url)
const records = fs
  .readFileSync(FILE, 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>)
const record = (id: string) => records.find((r) => r.id === id) as Record<string, unknown>
const text = (id: string) => record(id).fullText as string
const input = (id: string) => {
  const problems: string[] = []
  const out = policyInputFromRecord(record(id), (m) => problems.push(m))
  if (!out) throw new Error(problems.join('; '))
  return out
}

describe('clause splitter', () => {
  it('keeps 一、 clauses with their heading and drops the closing lines', () => {
    const { clauses } = splitClauses(text('国家税务总局公告2016年第82号'), ['国家税务总局'])
    expect(clauses.map((c) => c.label)).toEqual(['正文', '一', '二', '三', '四'])
    expect(clauses[1]?.heading).toBe('一、增值税普通发票（卷票）规格、联次及防伪措施')
    expect(clauses[4]?.text).not.toMatch(/特此公告|2016年12月13日/)
  })

  it('lists the attachments', () => {
    expect(splitClauses(text('国家税务总局公告2016年第82号'), ['国家税务总局']).attachments).toEqual([
      '增值税普通发票（卷票）防伪措施的说明.doc',
      '增值税普通发票（卷票）票样.doc',
    ])
  })

  it('splits a long clause into （一） passages that repeat the parent heading', () => {
    const { clauses } = splitClauses(text('财政部 税务总局公告2026年第10号'), ['财政部', '税务总局'])
    const one = clauses.find((c) => c.label === '一')
    expect(one?.text).toContain('起征点为月销售额10万元')
    const sub = clauses.find((c) => c.label === '二（二）')
    expect(sub?.text.startsWith('二、免征增值税的项目\n（二）')).toBe(true)
    expect(new Set(clauses.map((c) => c.label)).size).toBe(clauses.length)
  })

  it('labels an attached 守则 whose numbering restarts as 附件1第一条', () => {
    const labels = splitClauses(text('国家税务总局公告2023年第16号'), ['国家税务总局']).clauses.map((c) => c.label)
    expect(labels).toContain('第二十九条')
    expect(labels).toContain('附件1第一条')
    expect(new Set(labels).size).toBe(labels.length)
  })
})

describe('relation parser on the real texts', () => {
  const relationsOf = (id: string) => {
    const r = record(id)
    const { clauses } = splitClauses(text(id), String(r.issuer).split(' '))
    return parseRelations({
      docNumber: id,
      publishedAt: r.publishedAt as string,
      effectiveFrom: r.effectiveFrom as string,
      clauses,
    })
  }

  it('reads 「本公告自…起施行。《…》（2023年第1号）同时废止」 with the short 文号 completed from the title', () => {
    const rels = relationsOf('国家税务总局公告2026年第4号')
    expect(rels).toContainEqual(
      expect.objectContaining({ type: 'effective', effectiveDate: '2026-01-01', clause: '五' }),
    )
    expect(rels).toContainEqual(
      expect.objectContaining({ type: 'repeals', target: '国家税务总局公告2023年第1号', effectiveDate: '2026-01-01' }),
    )
  })

  it('keeps the repealed part and the dated 「自…起废止」', () => {
    const rels = relationsOf('国家税务总局公告2017年第45号').filter((r) => r.type === 'repeals')
    expect(rels).toContainEqual(
      expect.objectContaining({
        target: '国税函〔2005〕693号',
        targetPart: '第六条、第八条、第七条',
        effectiveDate: '2018-04-01',
      }),
    )
  })

  it('does not take the exceptions of 「除…外」 for repealed documents', () => {
    const rels = relationsOf('财政部 税务总局公告2026年第10号').filter((r) => r.type === 'repeals')
    expect(rels.some((r) => r.target === '财政部 税务总局公告2025年第17号')).toBe(false)
    expect(rels).toContainEqual(expect.objectContaining({ target: '财税〔2017〕58号', effectiveDate: '2026-01-01' }))
    // the generic 「…前制发文件规定的…优惠政策同时停止执行」 names no document
    expect(rels.some((r) => r.clause === '六' && r.target === undefined)).toBe(true)
  })

  it('follows a 「下列规定…起废止：」 list into the sub-clauses', () => {
    const targets = relationsOf('国家税务总局公告2017年第37号')
      .filter((r) => r.type === 'repeals' && r.target)
      .map((r) => r.target)
    expect(targets).toContain('国税函〔2009〕698号')
    expect(targets).toContain('国家税务总局公告2015年第7号')
  })

  it('reads 「本公告执行至2027年12月31日」 as the first day out of force', () => {
    const r = record('财政部 税务总局公告2023年第19号')
    const rels = parseRelations({
      docNumber: String(r.id),
      publishedAt: null,
      effectiveFrom: null,
      clauses: input(String(r.id))
        .fullText.split('\n')
        .map((t, i) => ({ label: `第${i}条`, text: t })),
    })
    expect(rels).toContainEqual(expect.objectContaining({ type: 'expires', effectiveDate: '2028-01-01' }))
  })

  it('reads 「本公告第一条和第二条自…起施行，…终止执行」 as the own terms of those clauses only (real text)', () => {
    const built = buildPolicy(input('国家税务总局公告2021年第8号'))
    const clause = (label: string) => built.clauses.find((c) => c.policy?.label === label)!
    // the 12.5% rule for 小型微利企业 and the 个体工商户 减半 ended on 2022-12-31: out of force from 2023-01-01
    expect(clause('一').effectiveTo).toBe('2023-01-01')
    expect(clause('二').effectiveTo).toBe('2023-01-01')
    expect(policyEntryValidityAt(clause('一') as never, '2026-12-01')?.validity).toBe('失效')
    expect(policyEntryValidityAt(clause('一') as never, '2022-06-01')?.validity).toMatch(/有效/)
    // 「本公告第三条自2021年4月1日起施行」: the other clauses keep their own terms; the document is not ended
    expect(clause('三').effectiveFrom).toBe('2021-04-01')
    expect(clause('三').effectiveTo).toBeNull()
    expect(built.document.effectiveTo).toBeNull()
    expect(built.document.effectiveFrom).toBe('2021-01-01')
  })

  it('reads 「本公告自…起施行，2027年12月31日终止执行」 as the whole document ending (real text)', () => {
    const built = buildPolicy(input('国家税务总局公告2023年第12号'))
    expect(built.document.effectiveTo).toBe('2028-01-01')
    expect(built.clauses.every((c) => c.effectiveTo === '2028-01-01')).toBe(true)
  })

  it("reads 「在…至…期间，纳税人…」 at the head of a clause as that clause's own window (real text)", () => {
    const old = buildPolicy(input('国家税务总局公告2022年第21号'))
    const one = old.clauses.find((c) => c.policy?.label === '一')!
    expect([one.effectiveFrom, one.effectiveTo]).toEqual(['2022-10-01', '2024-01-01'])
    // the other clauses (申请资料, 退税计算) stay in force: the 2026 公告 still applies them
    expect(old.clauses.find((c) => c.policy?.label === '五')?.effectiveTo).toBeNull()
    expect(old.document.effectiveTo).toBeNull()
    const current = buildPolicy(input('国家税务总局公告2026年第12号')).clauses.find((c) => c.policy?.label === '二')!
    expect(current.effectiveTo).toBe('2028-01-01')
  })

  it('reads the clause numbers of 「第一条和第二条」 the same on every call, and matches labels to them', () => {
    // the clause-number regex is a shared global one: a leftover lastIndex would drop a number on a later call
    for (let i = 0; i < 3; i++) expect(clauseNumbersIn('第一条和第二条、第十二条')).toEqual(['一', '二', '十二'])
    expect(clauseNumbersIn('第一条')).toEqual(['一'])
    expect(clauseLabelIn('一（二）', ['一', '二'])).toBe(true)
    expect(clauseLabelIn('第二条', ['一', '二'])).toBe(true)
    expect(clauseLabelIn('三', ['一', '二'])).toBe(false)
  })

  it('finds full and bracketed 文号 without swallowing the verb before them', () => {
    expect(findDocRefs('同时废止财税〔2016〕36号和国家税务总局公告2015年第97号第一条').map((r) => r.docNumber)).toEqual(
      ['财税〔2016〕36号', '国家税务总局公告2015年第97号'],
    )
  })
})

describe('validity at a date', () => {
  const built = [
    '国家税务总局公告2023年第1号',
    '国家税务总局公告2026年第4号',
    '财政部 税务总局公告2023年第19号',
    '财政部 税务总局公告2026年第10号',
  ].map((id) => buildPolicy(input(id)))
  linkPolicies(built)
  const doc = (id: string) => built.find((b) => b.document.id === id)?.document as Entry

  it('retires a repealed document on the repeal date, not before', () => {
    const old = doc('国家税务总局公告2023年第1号')
    expect(old.effectiveTo).toBe('2026-01-01')
    expect(policyEntryValidityAt(old, '2025-12-31')?.validity).toBe('全文有效')
    const v = policyEntryValidityAt(old, '2026-01-01')
    expect(v?.validity).toBe('全文废止')
    expect(v?.by).toBe('国家税务总局公告2026年第4号')
  })

  it('says 尚未生效 before effectiveFrom and 失效 after its own term', () => {
    expect(policyEntryValidityAt(doc('国家税务总局公告2026年第4号'), '2025-06-30')?.validity).toBe('尚未生效')
    expect(
      documentValidityAt(
        { effectiveFrom: '2023-01-01', ownEnd: '2028-01-01', repealedBy: [], amendedBy: [] },
        '2028-01-01',
      ).validity,
    ).toBe('失效')
  })

  it('gives a clause the period its own text states', () => {
    const one = built
      .find((b) => b.document.id === '财政部 税务总局公告2026年第10号')
      ?.clauses.find((c) => c.id.endsWith('#一')) as Entry
    expect([one.effectiveFrom, one.effectiveTo]).toEqual(['2026-01-01', '2028-01-01'])
    expect(policyEntryValidityAt(one, '2027-12-31')?.validity).toBe('有效')
    expect(policyEntryValidityAt(one, '2028-01-01')?.validity).toBe('失效')
  })

  it('marks a document whose clause another repeals as 部分有效, and that clause as 已废止', () => {
    const a = buildPolicy({
      docNumber: '国家税务总局公告2099年第1号',
      title: '甲',
      issuers: ['国家税务总局'],
      category: '税务规范性文件',
      publishedAt: '2099-01-01',
      effectiveFrom: '2099-01-01',
      fullText: '一、甲规则。\n二、乙规则。',
    })
    const b = buildPolicy({
      docNumber: '国家税务总局公告2099年第2号',
      title: '乙',
      issuers: ['国家税务总局'],
      category: '税务规范性文件',
      publishedAt: '2099-03-01',
      effectiveFrom: null,
      fullText: '一、本公告自2099年3月1日起施行。《国家税务总局关于甲的公告》（2099年第1号）第二条同时废止。',
    })
    linkPolicies([a, b])
    expect(policyEntryValidityAt(a.document as Entry, '2099-02-01')?.validity).toBe('全文有效')
    expect(policyEntryValidityAt(a.document as Entry, '2099-03-01')?.validity).toBe('部分有效')
    const two = a.clauses.find((c) => c.id.endsWith('#二')) as Entry
    expect(two.effectiveTo).toBe('2099-03-01')
    expect(policyEntryValidityAt(two, '2099-03-01')?.validity).toBe('已废止')
    expect(a.clauses.find((c) => c.id.endsWith('#一'))?.effectiveTo).toBeNull()
  })

  it('builds entries that pass the entry schema', () => {
    for (const b of built)
      for (const e of [b.document, ...b.clauses])
        expect(validateEntry({ ...e, version: 1, updatedAt: '2026-01-01T00:00:00Z' })).toEqual([])
  })
})

describe('FAQ ↔ 公告 and the needs-review ripple', () => {
  it('reads the 文号 and clause a FAQ answer cites', () => {
    expect(
      citedDocNumbers(
        '根据《财政部 税务总局关于增值税法施行后增值税优惠政策衔接事项的公告》（财政部 税务总局公告2026年第10号）第一条规定，…',
      ),
    ).toEqual(['财政部 税务总局公告2026年第10号#第一条'])
  })

  it('queues a FAQ citing a document once another repeals it', () => {
    const built = ['国家税务总局公告2023年第1号', '国家税务总局公告2026年第4号'].map((id) => buildPolicy(input(id)))
    linkPolicies(built)
    const faq = {
      id: 'faq-x',
      kind: 'faq',
      title: 'q',
      question: 'q',
      body: 'a',
      status: 'published',
      citedArticleIds: ['国家税务总局公告2023年第1号'],
      layer: 'national',
      regionCode: null,
    } as unknown as Entry
    const all = [...built.flatMap((b) => [b.document, ...b.clauses]), faq] as Entry[]
    expect(needsReview(all, staleArticles(all, '2025-12-31'), new Map())).toEqual([])
    const items = needsReview(all, staleArticles(all, '2026-01-01'), new Map())
    expect(items.map((i) => i.id)).toEqual(['faq-x'])
    expect(items[0]?.stale[0]).toMatchObject({ reason: 'retired', replacedBy: ['国家税务总局公告2026年第4号'] })
  })
})

describe('record errors', () => {
  it('reports missing fields and bad dates in Chinese', () => {
    const problems: string[] = []
    expect(
      policyInputFromRecord({ docNumber: '', title: 'x', publishedAt: '2026/1/1' }, (m) => problems.push(m)),
    ).toBeNull()
    expect(problems.join('\n')).toMatch(/字段「docNumber」/)
    expect(problems.join('\n')).toMatch(/字段「publishedAt」应为日期/)
    expect(problems.join('\n')).toMatch(/字段「fullText」/)
  })
})

describe('the whole bundled file', () => {
  const built = records.map((r) => {
    const problems: string[] = []
    const i = policyInputFromRecord(r, (m) => problems.push(m))
    if (!i) throw new Error(`${String(r.id)}: ${problems.join('; ')}`)
    return { r, b: buildPolicy(i) }
  })
  linkPolicies(built.map((x) => x.b))
  const TODAY = '2026-12-01'

  it('never shows a document the data marks repealed as in force today', () => {
    const repealed = built.filter((x) => x.r.status === 'repealed')
    expect(repealed.length).toBeGreaterThan(0)
    for (const { b } of repealed) {
      expect(policyEntryValidityAt(b.document as Entry, TODAY)?.validity).toBe('全文废止')
      for (const c of b.clauses) expect(c.effectiveTo !== null && c.effectiveTo <= TODAY).toBe(true)
    }
  })

  it('shows the amended (已修改) ones as 部分有效 and every clause id is unique', () => {
    const wrong = built
      .filter((x) => x.r.status === 'amended')
      .filter((x) => policyEntryValidityAt(x.b.document as Entry, TODAY)?.validity !== '部分有效')
    expect(wrong.map((x) => `${x.b.document.id} ${JSON.stringify(x.b.document.policy?.repealedBy)}`)).toEqual([])
    const ids = built.flatMap((x) => x.b.clauses.map((c) => c.id))
    expect(new Set(ids).size).toBe(ids.length)
  })
})
