import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { KnownGaps, KnownGapsError } from '../../knowledge/known-gaps.js'

const corpusDir = path.resolve(import.meta.dirname, '../../knowledge/corpus')
const registerFile = path.resolve(import.meta.dirname, '../../knowledge/gaps/known-gaps.jsonl')

describe('known gaps register (knowledge/gaps/known-gaps.jsonl)', () => {
  const gaps = KnownGaps.load(registerFile)

  it('loads the bundled register, every line with leads, situation words, a Chinese note and its documents', () => {
    expect(gaps.gaps.length).toBeGreaterThanOrEqual(5)
    for (const g of gaps.gaps) {
      expect(g.note).toMatch(/知识库暂未收录/)
      for (const d of g.documents) expect(g.note).toContain(d.docNumber)
    }
  })

  it('stays true: no document it calls missing is in the bundled corpus (add one, and retire its gap)', () => {
    const files: string[] = []
    const walk = (dir: string) => {
      for (const f of fs.readdirSync(dir, { withFileTypes: true })) {
        const p = path.join(dir, f.name)
        if (f.isDirectory()) walk(p)
        else if (f.name.endsWith('.jsonl')) files.push(p)
      }
    }
    walk(corpusDir)
    const corpus = files.map((f) => fs.readFileSync(f, 'utf8')).join('\n')
    for (const g of gaps.gaps)
      for (const d of g.documents) expect(corpus.includes(d.docNumber), d.docNumber).toBe(false)
  })

  it('matches the situation only with a lead it names, and not when a word rules it out', () => {
    expect(gaps.match('个人出租房子房产税按多少交', '房产税暂行条例#第四条')?.id).toBe('gap-fcs-individual-rental')
    // a company renting out a 厂房 is under the 条例's rate; another lead is not the statute's incomplete rate
    expect(gaps.match('公司把厂房租出去房产税按多少交', '房产税暂行条例#第四条')).toBeNull()
    expect(gaps.match('个人出租房子房产税按多少交', '房产税暂行条例#第五条')).toBeNull()
    // a prefix lead: any article of the law
    expect(gaps.match('股票分红要交个税吗', '个人所得税法#第三条')?.id).toBe('gap-iit-listed-dividends')
    expect(gaps.match('公司之间分红要交企业所得税吗', '个人所得税法#第三条')).toBeNull()
    // a tenant asking about the 住房租金 deduction is not renting a home out
    expect(gaps.match('在外地上班租房子住 房租每个月能抵多少个税', '个人所得税法#第六条')).toBeNull()
    expect(gaps.match('房子租出去每个月3000租金个税咋算', '个人所得税法#第六条')?.id).toBe('gap-iit-individual-rental')
    // every group must be present: 契税 without a home purchase is the statute's own question
    expect(gaps.match('契税税率是多少', '契税法#第三条')).toBeNull()
    expect(gaps.match('买房子契税税率是多少', '契税法#第三条')?.id).toBe('gap-deed-individual-home')
    // 「*」: the corpus has no entry that states the rule, so any lead is held
    expect(gaps.match('年终奖发了3万 能单独计税吗', '国家税务总局公告2021年第2号#一')?.id).toBe('gap-iit-annual-bonus')
    expect(gaps.match('年终奖发了3万 能单独计税吗', '个人所得税法#第六条')?.id).toBe('gap-iit-annual-bonus')
    expect(gaps.match('公司给员工交的企业年金 税前能扣多少比例', '企业所得税法实施条例#第三十五条')?.id).toBe(
      'gap-cit-enterprise-annuity',
    )
    // the employee's side (个税 on the annuity) is another question
    expect(gaps.match('企业年金领取的时候个税怎么交 扣多少', '个人所得税法#第六条')).toBeNull()
  })

  it('a path with no file is an empty register', () => {
    expect(KnownGaps.load(path.join(corpusDir, 'no-such-register.jsonl')).gaps).toEqual([])
  })

  it('rejects a bad register line with its line number and the field at fault', () => {
    const good =
      '{"id":"a","leads":["x#"],"all":[["y"]],"note":"知识库暂未收录","documents":[{"docNumber":"d","title":"t"}],"checked":"2026-12-03"}'
    expect(KnownGaps.parse(good).gaps).toHaveLength(1)
    expect(() => KnownGaps.parse(`${good}\n${good}`, 'g.jsonl')).toThrow(/g\.jsonl:2: duplicate id a/)
    expect(() => KnownGaps.parse(good.replace('"all":[["y"]]', '"all":[]'), 'g.jsonl')).toThrow(KnownGapsError)
    expect(() => KnownGaps.parse(good.replace('知识库暂未收录', 'missing'), 'g.jsonl')).toThrow(
      /g\.jsonl:1: field "note"/,
    )
    expect(() => KnownGaps.parse('{oops', 'g.jsonl')).toThrow(/g\.jsonl:1: not JSON/)
  })
})
