import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadLexicon, parseExpansions, parseLexicon, LexiconError } from '../../knowledge/lexicon.js'
import {
  BigramAnalyzer,
  EXPANSION_WEIGHT,
  JiebaAnalyzer,
  SCOPE_WEIGHT,
  scopeToken,
  SYNONYM_WEIGHT,
} from '../../services/search/analyzer.js'
import { CitationLinks } from '../../services/search/citation-links.js'
import { REPO_ROOT } from '../../services/shared/config.js'
import type { Entry } from '../../knowledge/entry.js'

const lexicon = loadLexicon(path.join(REPO_ROOT, 'knowledge', 'lexicon'))
const jieba = new JiebaAnalyzer(lexicon)

describe('lexicon files', () => {
  it('ships the sizes the issue asks for', () => {
    expect(lexicon.userDict.length).toBeGreaterThanOrEqual(300)
    expect(lexicon.synonymGroups.length).toBeGreaterThanOrEqual(100)
    expect(lexicon.stopwords.has('请问')).toBe(true)
    expect(lexicon.expansions.length).toBeGreaterThan(50)
  })

  it('reports the file and line of a bad rule', () => {
    expect(() => parseExpansions('# ok\n卖房 => 财产转让\n只有左边\n')).toThrow(LexiconError)
    expect(() => parseExpansions('卖房 => 财产转让\n只有左边\n')).toThrow(/expansions\.txt:2/)
    expect(() => parseLexicon({ userDict: '', synonyms: '个税\n', stopwords: '' })).toThrow(/synonyms\.txt:1/)
  })
})

describe('JiebaAnalyzer', () => {
  it('keeps tax terms whole with the user dictionary, normalises width and case, drops stopwords', () => {
    const toks = jieba.tokens('请问小规模纳税人怎么开具增值税专用发票？ＡＢＣ')
    expect(toks).toContain('小规模纳税人')
    expect(toks).toContain('增值税专用发票')
    expect(toks).toContain('abc')
    expect(toks).not.toContain('请问')
    expect(toks).not.toContain('？')
  })

  it('expands synonyms both ways at a lower weight, and not at all when disabled', () => {
    const q = jieba.query('个税怎么算')
    expect(q.weights.get('个税')).toBe(1)
    expect(q.weights.get('个人所得税')).toBe(SYNONYM_WEIGHT)
    expect(jieba.query('个税怎么算', { synonyms: false }).weights.has('个人所得税')).toBe(false)
  })

  it('applies one-directional expansions from colloquial words to statutory terms', () => {
    const q = jieba.query('房贷利息能抵个税吗')
    expect(q.weights.get('专项附加扣除')).toBeGreaterThan(0)
    expect(q.weights.get('专项附加扣除')).toBeLessThanOrEqual(Math.max(SYNONYM_WEIGHT, EXPANSION_WEIGHT))
    // …but the statutory word does not drag the colloquial one in.
    expect(jieba.query('专项附加扣除').weights.has('房贷')).toBe(false)
  })

  it("the shipped rules reach the rule's own words from situations as taxpayers type them", () => {
    const fired = (q: string) => jieba.query(q).expansions ?? []
    // when to pay is the deadline (申报缴纳), not when the liability arises (纳税义务发生时间)
    expect(fired('签了购房合同 契税最晚啥时候得交')).toContain('申报缴纳')
    expect(fired('买房的契税是什么时候交')).not.toContain('纳税义务发生时间')
    expect(fired('增值税从哪天开始算')).toContain('纳税义务发生时间')
    expect(fired('这个月没收入还要报税吗')).toContain('也应当按照规定办理纳税申报')
    expect(fired('一直没报税也没交 被查出来要罚多少')).toContain('不进行纳税申报')
    expect(fired('发票先开出去了 对方还没给钱')).toContain('先开具发票')
    expect(fired('朋友送我一辆新车 要交车购税吗')).toContain('受赠')
    expect(fired('单位嫌麻烦 不给我填专项附加扣除')).toContain('扣缴义务人不得拒绝')
    // s20: odd jobs and side work are 劳务报酬; a person without a licence or a company gets an invoice issued (代开)
    expect(fired('我打零工挣的钱要交税吗')).toContain('劳务报酬所得')
    expect(fired('下班接私活帮人做logo 这钱算啥')).toContain('劳务报酬所得')
    expect(fired('搞副业赚了点外快')).toContain('劳务报酬所得')
    expect(fired('接了个设计的活 对方要发票 我又没开公司')).toContain('代开发票')
    expect(fired('我没执照 偶尔帮人修电脑')).toContain('代开发票')
  })

  // s21 and s22: the words of the unseen batches' misses, one row each: [message, expansion it reaches]
  it.each([
    // wages in a foreign currency, a joint job, a disputed assessment, a withholder who will not correct
    ['工资发美元 个税按哪天汇率算', '人民币汇率中间价'],
    ['我们仨合伙接活 钱全打我卡上', '两个以上的个人共同取得同一项目收入'],
    ['觉得补税算错了 能先不交去复议吗', '纳税上发生争议'],
    ['公司给我多报了收入 找财务改不理', '扣缴义务人拒绝修改'],
    ['卖货和咨询收入没分开记', '从高适用税率'],
    ['设备买来一直没用 能提折旧吗', '未投入使用'],
    ['税务局调走我们的发票', '发票换票证'],
    ['没到500万能转一般人吗', '一般纳税人登记'],
    // a flat given as a reward, work clothes, a change a licence does not show, a farm that is not an industry
    ['单位奖励给我一套房 契税按啥价算', '以获奖方式承受'],
    ['给工人买的工作服劳保鞋 能税前扣吗', '劳动保护支出'],
    ['财务负责人换人了 执照不用改', '不需要到工商行政管理机关或者其他机关办理变更登记'],
    ['家里散养了几十头猪 要交环保税吗', '不包括规模化养殖'],
    ['一本纸质发票能拆开给两个门店用吗', '拆本使用发票'],
  ])('%s reaches %s', (q, term) => {
    expect(jieba.query(q).expansions ?? []).toContain(term)
  })

  it.each([
    // a partnership enterprise is not a joint job, and 一般人 alone is not 一般纳税人
    ['合伙企业的个税怎么交', '两个以上的个人共同取得同一项目收入'],
    ['一般人不知道这个政策', '一般纳税人登记'],
    // a refund set off against tax owed is not a flat given for a debt; an association's fees are not registration
    ['退税能抵欠税吗', '以房屋权属抵偿债务'],
    ['行业协会会费能税前扣除吗', '前款规定以外的纳税人'],
  ])('%s does not reach %s', (q, term) => {
    expect(jieba.query(q).expansions ?? []).not.toContain(term)
  })

  it('everyday words for disasters, holidays, second-hand goods, gifts to family and a move reach the statutory terms', () => {
    const fired = (q: string) => jieba.query(q).expansions ?? []
    expect(fired('仓库火灾 这个月报不了税了')).toContain('不可抗力')
    expect(fired('国庆假正好赶上申报期')).toContain('休假日期满的次日')
    expect(fired('在转转卖了台旧家电 要交税吗')).toContain('自然人销售自己使用过的物品')
    // a company selling its used machines is not a person selling things they used
    expect(fired('公司卖旧机器 增值税咋交')).not.toContain('自然人销售自己使用过的物品')
    expect(fired('商铺无偿过户给儿子')).toContain('无偿赠与')
    expect(fired('公司迁到外地 税务登记咋办')).toContain('改变税务登记机关')
    expect(fired('兼职单位压根没扣个税')).toContain('扣缴义务人未扣缴税款')
    expect(fired('大病医疗能扣几年')).toContain('扣除期限')
    expect(fired('补几百块钱 可以不补吗')).toContain('无需办理年度汇算')
    expect(fired('滞纳金从哪天开始收')).toContain('加收滞纳金的起止时间')
    expect(fired('数电票额度不够用')).toContain('发票额度')
    expect(fired('两个地方拿工资 房租扣除两边都填吗')).toContain('两处以上取得工资、薪金所得')
    expect(fired('刚开了个帐户 要报税务局吗')).toContain('存款账户')
    expect(fired('卖了一间旧仓库 也算销售额吗 偶尔卖的')).toContain('偶然发生')
    expect(fired('疫情期间停业了')).toContain('公共卫生事件')
    expect(fired('去外省施工半年')).toContain('跨区域涉税事项')
    expect(fired('供应商的发票还没来 能先入账吗')).toContain('税前扣除凭证')
  })

  it('lists the formal phrases of the expansion rules a question fired, once each, for the dense side', () => {
    const q = jieba.query('房贷利息能抵个税吗')
    expect(q.expansions).toContain('专项附加扣除')
    expect(new Set(q.expansions).size).toBe(q.expansions!.length)
    // a phrase the question already says is not repeated; no rule fired → no field; synonyms off → none
    expect(jieba.query('专项附加扣除房贷利息').expansions ?? []).not.toContain('专项附加扣除')
    expect(jieba.query('增值税专用发票').expansions).toBeUndefined()
    expect(jieba.query('房贷利息能抵个税吗', { synonyms: false }).expansions).toBeUndefined()
  })

  it('a named tax (or its synonym) adds the scope token that the articles of its laws carry', () => {
    expect(jieba.query('个税税率').weights.get(scopeToken('个人所得税'))).toBe(SCOPE_WEIGHT)
    expect(jieba.query('房贷利息').weights.has(scopeToken('个人所得税'))).toBe(false)
    // a tax an expansion rule only relates to the words does not scope the question (账本 → 营业账簿 印花税)
    const books = jieba.query('账本和凭证要保存几年')
    expect(books.weights.has('印花税')).toBe(true)
    expect(books.weights.has(scopeToken('印花税'))).toBe(false)
    expect(jieba.scopeTokens('增值税法')).toEqual([scopeToken('增值税')])
    expect(jieba.scopeTokens('刑法')).toEqual([])
  })

  it('the bigram baseline produces overlapping CJK bigrams and ASCII words', () => {
    expect(new BigramAnalyzer().tokens('契税税率 VAT 3%')).toEqual(['契税', '税税', '税率', 'vat', '3'])
  })
})

describe('CitationLinks', () => {
  it('indexes the vocabulary of published guides and FAQ with the articles they cite; drafts do not count', () => {
    const base = {
      body: 'x',
      source: { title: 's' },
      layer: 'national',
      regionCode: null,
      effectiveFrom: null,
      effectiveTo: null,
      version: 1,
      updatedAt: '',
      tags: ['契税'],
    }
    const links = CitationLinks.build([
      { ...base, id: 'g1', kind: 'guide', title: '契税申报', status: 'published', citedArticleIds: ['契税法#第九条'] },
      { ...base, id: 'g2', kind: 'guide', title: '草稿指南', status: 'draft', citedArticleIds: ['契税法#第九条'] },
    ] as unknown as Entry[])
    expect(links.textFor('契税法#第九条')).toBe('契税申报 契税')
    expect(links.textFor('契税法#第一条')).toBe('')
  })
})
