import { describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import { abstentionScore, type AnswerFeatures, modelFor, noFeatures } from '../../services/answer/abstention.js'
import {
  askFit,
  codePoints,
  composeDirect,
  HAND_SET_LEAD_WEIGHTS,
  isTransitional,
  LEAD_FEATURES,
  passageCoverage,
  passagesOf,
  rankPassages,
  windowEnded,
} from '../../services/answer/direct-answer.js'

const law = (id: string, title: string, body: string) =>
  ({
    id,
    kind: 'law-article',
    title,
    body,
    question: null,
    law: { shortName: id.split('#')[0], article: id.split('#')[1] },
  }) as unknown as Entry
const qishui6 = law(
  '契税法#第六条',
  '中华人民共和国契税法 第六条',
  '有下列情形之一的，免征契税：\n（一）国家机关、事业单位承受土地、房屋权属用于办公；\n（四）婚姻关系存续期间夫妻之间变更土地、房屋权属；\n（五）法定继承人通过继承承受土地、房屋权属；\n国务院可以规定免征或者减征契税。',
)
const qishui3 = law(
  '契税法#第三条',
  '中华人民共和国契税法 第三条',
  '契税税率为百分之三至百分之五。\n契税的具体适用税率，由省、自治区、直辖市人民政府在前款规定的税率幅度内提出。',
)
/** A 款 applying 「前款规定」: it states no penalty without the 款 before it. */
const fp34 = law(
  '发票管理办法#第三十四条',
  '中华人民共和国发票管理办法 第三十四条',
  '跨规定的使用区域携带空白发票的，由税务机关责令改正，可以处1万元以下的罚款。\n丢失发票或者擅自损毁发票的，依照前款规定处罚。',
)
const table = law(
  '个人所得税法#附表',
  '中华人民共和国个人所得税法 附表',
  '个人所得税税率表一（综合所得适用）\n（注1：本表所称全年应纳税所得额是指……）',
)
/** A 公告 clause. */
const policy = (id: string, title: string, body: string) => ({ ...law(id, title, body), kind: 'policy' }) as Entry
const terms = (...t: string[]) => new Map(t.map((x) => [x, 1]))
/** The entry whose passage leads when `entries` are the retrieved sources, in this order. */
const leadOf = (question: string, t: ReadonlyMap<string, number>, ...entries: Entry[]) =>
  rankPassages(
    question,
    t,
    entries.map((entry, i) => ({ n: i + 1, entry })),
  )[0]?.entry.id
/** A clause of a 换购住房 公告 in force from `from`. */
const housingNotice = (id: string, body: string, from: string) =>
  ({ ...policy(id, '支持居民换购住房个人所得税政策', body), effectiveFrom: from }) as Entry

describe('direct answer', () => {
  it('keeps a list item together with its lead-in', () => {
    const items = passagesOf(qishui6, 0).filter((p) => p.text.includes('继承'))
    expect(items).toHaveLength(1)
    expect(items[0]?.text).toBe('有下列情形之一的，免征契税：（五）法定继承人通过继承承受土地、房屋权属。')
  })

  // 财政部 税务总局公告2026年第10号 二（一）, shortened: a list announced by a sentence ending in 「。」, items 「1.」 with
  // explanation paragraphs and sub-items 「（1）」, then the next list 「（二）…」 of the same level as the first lead-in
  const exemptions = {
    ...law(
      '财政部 税务总局公告2026年第10号#二（一）',
      '免征增值税的项目',
      [
        '（一）自2026年1月1日起，下列项目免征增值税。',
        '8.农业生产用地，具体包括：',
        '（1）将国有农用地出租给农业生产者用于农业生产。',
        '9.个人从事金融商品转让业务取得的收入。',
        '19.涉及家庭财产分割的个人无偿转让不动产、土地使用权。',
        '家庭财产分割，包括下列情形：离婚财产分割；无偿赠与配偶、父母、子女。',
        '（二）自2026年1月1日至2027年12月31日，下列项目免征增值税。',
        '5.家政服务企业由员工制家政服务员提供家政服务取得的收入。',
      ].join('\n'),
    ),
    kind: 'policy',
    law: undefined,
  } as unknown as Entry

  it('an item of a list announced by a sentence (「下列项目免征增值税。」) keeps that lead-in; so do its explanation and sub-items', () => {
    const texts = passagesOf(exemptions, 0).map((p) => p.text)
    // without its lead-in 「9.个人从事金融商品转让业务取得的收入」 does not say 免征
    expect(texts).toContain('（一）自2026年1月1日起，下列项目免征增值税：9.个人从事金融商品转让业务取得的收入。')
    expect(texts).not.toContain('9.个人从事金融商品转让业务取得的收入。')
    // the paragraph explaining item 19 is read under the item and the lead-in, not alone
    expect(texts).toContain(
      '（一）自2026年1月1日起，下列项目免征增值税：19.涉及家庭财产分割的个人无偿转让不动产、土地使用权。家庭财产分割，包括下列情形：离婚财产分割；无偿赠与配偶、父母、子女。',
    )
    expect(texts.filter((t) => t.startsWith('家庭财产分割'))).toEqual([])
    expect(texts).toContain(
      '（一）自2026年1月1日起，下列项目免征增值税：8.农业生产用地，具体包括：（1）将国有农用地出租给农业生产者用于农业生产。',
    )
    // 「（二）…」 closes the first list (same level as its lead-in) and opens its own: its items carry its dates
    expect(texts).toContain(
      '（二）自2026年1月1日至2027年12月31日，下列项目免征增值税：5.家政服务企业由员工制家政服务员提供家政服务取得的收入。',
    )
    expect(texts.some((t) => t.startsWith('（一）') && t.includes('（二）'))).toBe(false)
  })

  it('「离婚了房子过户给前妻要交增值税吗」 opens with the exemption item and its explanation once, not the item twice', () => {
    const t = terms('离婚', '房子', '过户', '增值税', '家庭财产分割', '无偿转让')
    const d = composeDirect('离婚了，房子过户给前妻，这种要交增值税吗？', t, [{ n: 1, entry: exemptions }])
    const opening = d.text.split('\n')[0] ?? ''
    expect(opening).toContain('下列项目免征增值税：19.涉及家庭财产分割')
    expect(opening).toContain('离婚财产分割')
    expect(opening.split('19.涉及家庭财产分割').length).toBe(2)
  })

  it('「首违不罚是什么条件」 leads with the conditions, not with what the tax office does once they are met', () => {
    const notice = (id: string, body: string) =>
      ({ ...law(id, '税务行政处罚“首违不罚”事项清单', body), kind: 'policy', law: undefined }) as unknown as Entry
    const procedure = notice(
      '公告2021年第33号#二',
      '二、适用税务行政处罚“首违不罚”的，主管税务机关应及时作出不予行政处罚决定。',
    )
    const conditions = notice(
      '公告2021年第6号#正文',
      '对于首次发生清单中所列事项且危害后果轻微，在税务机关发现前主动改正或者在税务机关责令限期改正的期限内改正的，不予行政处罚。',
    )
    const t = terms('首违不罚', '条件')
    // the procedure covers 首违不罚 in its own words, the conditions only through the title: only the kind of answer
    // asked for (a conditional rule) puts the conditions first
    expect(leadOf('首违不罚是什么条件', t, conditions, procedure)).toBe('公告2021年第6号#正文')
    expect(leadOf('首违不罚是怎么回事', t, conditions, procedure)).toBe('公告2021年第33号#二')
  })

  it('a short 款 the retriever matched is found again when it is read together with the 款 before it', () => {
    const fp37 = law(
      '发票管理办法#第三十七条',
      '中华人民共和国发票管理办法 第三十七条',
      '有下列情形之一的，由税务机关处1万元以上5万元以下的罚款：\n（二）知道是伪造的发票而受让、开具、存放、携带、邮寄、运输的。',
    )
    const ranked = rankPassages('发票丢了会罚款吗', terms('发票', '丢', '罚款'), [
      { n: 1, entry: fp37, passage: '发票管理办法第三十七条 有下列情形之一的，由税务机关处1万元以上5万元以下的罚款：' },
      { n: 2, entry: fp34, passage: '发票管理办法第三十四条 丢失发票或者擅自损毁发票的，依照前款规定处罚。' },
    ])
    const lost = ranked.find((p) => p.text.includes('丢失发票'))
    expect(lost?.matched).toBe(true)
    expect(ranked[0]?.entry.id).toBe('发票管理办法#第三十四条')
  })

  it('a 公告 sentence that only mentions 以下简称 or 以下 an amount announces no list', () => {
    const notice = {
      ...law(
        '公告X#一',
        '某公告',
        '纳税人应当填报《申报单》（以下简称《申报单》）。\n（二）纳税人需要开具发票的，由主管税务机关开通。',
      ),
      kind: 'policy',
      law: undefined,
    } as unknown as Entry
    const texts = passagesOf(notice, 0).map((p) => p.text)
    expect(texts).toContain('（二）纳税人需要开具发票的，由主管税务机关开通。')
  })

  it('a 款 that applies 「前款规定」 is read together with the 款 before it (it states no penalty on its own)', () => {
    const lost = passagesOf(fp34, 0).filter((p) => p.text.includes('丢失发票'))
    expect(lost.map((p) => p.text)).toEqual([
      '跨规定的使用区域携带空白发票的，由税务机关责令改正，可以处1万元以下的罚款。丢失发票或者擅自损毁发票的，依照前款规定处罚。',
    ])
    // a 款 that only mentions 前款 in passing is still cut into sentences on its own
    expect(passagesOf(qishui3, 0).map((p) => p.text)).toContain(
      '契税的具体适用税率，由省、自治区、直辖市人民政府在前款规定的税率幅度内提出。',
    )
  })

  it('「契税什么时候交」 leads with the deadline to pay, not with when the liability arises; 「从哪天开始算」 the reverse', () => {
    const arises = law(
      '契税法#第九条',
      '中华人民共和国契税法 第九条',
      '契税的纳税义务发生时间，为纳税人签订土地、房屋权属转移合同的当日，或者纳税人取得其他具有土地、房屋权属转移合同性质凭证的当日。',
    )
    const deadline = law(
      '契税法#第十条',
      '中华人民共和国契税法 第十条',
      '纳税人应当在依法办理土地、房屋权属登记手续前申报缴纳契税。',
    )
    // the arising article first in retrieval order and covering more of the question's words
    const sources = [
      { n: 1, entry: arises },
      { n: 2, entry: deadline },
    ]
    const t = terms('买房', '契税', '合同', '什么时候', '交')
    expect(rankPassages('签了买房合同 契税什么时候交', t, sources)[0]?.entry.id).toBe('契税法#第十条')
    expect(askFit('契税什么时候交', arises.body)).toBe(0)
    expect(askFit('契税什么时候交', deadline.body)).toBe(1)
    // asking when the liability arises is answered by the arising article
    expect(rankPassages('契税纳税义务从哪天开始算 签合同那天吗', t, sources)[0]?.entry.id).toBe('契税法#第九条')
  })

  it('a 公告 transitional clause (a period before the 公告 took effect) does not lead for a question that names no year', () => {
    const notice = (id: string, body: string) =>
      ({
        ...law(id, '国家税务总局关于增值税一般纳税人登记管理有关事项的公告', body),
        kind: 'policy',
        effectiveFrom: '2026-01-01',
      }) as Entry
    const transitional = notice(
      '国家税务总局公告2026年第2号#十一',
      '纳税人办理2025年四季度或12月税款所属期小规模纳税人增值税申报，年应征增值税销售额超过规定标准的，一般纳税人生效之日为2026年1月1日。',
    )
    const general = notice(
      '国家税务总局公告2026年第2号#六',
      '纳税人年应征增值税销售额超过规定标准的，一般纳税人生效之日为超过规定标准的当期1日。',
    )
    expect(isTransitional(transitional.body, transitional)).toBe(true)
    expect(isTransitional('2026年1月1日前按销售额依照增值税税率计算应纳税额的纳税人', transitional)).toBe(true)
    expect(isTransitional(general.body, general)).toBe(false)
    // 「2023年发生的税前扣除」 is no date condition (税前 is not 前), and a later year is the rule's own period
    expect(isTransitional('下列在2023年发生的税前扣除，纳税人可在汇算期间填报', { effectiveFrom: '2024-02-01' })).toBe(
      false,
    )
    expect(isTransitional('自2026年1月1日至2027年12月31日，起征点为月销售额10万元', general)).toBe(false)
    const t = terms('一般纳税人', '生效之日', '销售额', '超过')
    const sources = [
      { n: 1, entry: transitional },
      { n: 2, entry: general },
    ]
    expect(rankPassages('销售额超过标准 一般纳税人生效之日是哪天', t, sources)[0]?.entry.id).toBe(
      '国家税务总局公告2026年第2号#六',
    )
    // a question about that period is answered by the transitional clause
    expect(rankPassages('2025年四季度销售额超过标准 一般纳税人生效之日是哪天', t, sources)[0]?.entry.id).toBe(
      '国家税务总局公告2026年第2号#十一',
    )
  })

  it('a 公告 passage whose own window ended before today does not lead for a question naming no year', () => {
    const notice = (id: string, body: string) => housingNotice(id, body, '2024-01-01')
    // the ended window is listed first and is the shorter passage: without the rule it leads
    const ended = notice(
      '国家税务总局公告2024年第2号#十二',
      '在2024年1月1日至2025年12月31日期间，纳税人出售自有住房并在现住房出售后1年内，在同一城市重新购买住房的，可申请退还个人所得税。',
    )
    const current = notice(
      '国家税务总局公告2026年第12号#二',
      '根据《财政部 税务总局 住房城乡建设部关于延续实施支持居民换购住房有关个人所得税政策的公告》（2026年第3号）规定，在2026年1月1日至2027年12月31日期间，纳税人出售自有住房并在现住房出售后1年内，在同一城市重新购买住房的，可按规定申请退还其出售现住房已缴纳的个人所得税。',
    )
    expect(windowEnded(ended.body, '2026-12-02')).toBe(true)
    expect(windowEnded(ended.body, '2025-06-30')).toBe(false)
    expect(windowEnded(current.body, '2026-12-02')).toBe(false)
    expect(windowEnded('纳税人出售自有住房的，可申请退税。', '2026-12-02')).toBe(false)
    const t = terms('出售', '住房', '重新购买', '退还', '个人所得税')
    const sources = [
      { n: 1, entry: ended },
      { n: 2, entry: current },
    ]
    const q = '卖了房子一年内又在同城买了 个税能退吗'
    expect(rankPassages(q, t, sources)[0]?.entry.id).toBe('国家税务总局公告2024年第2号#十二')
    expect(rankPassages(q, t, sources, undefined, '2026-12-02')[0]?.entry.id).toBe('国家税务总局公告2026年第12号#二')
    // a question about that year still gets that window
    expect(rankPassages(`2025年${q}`, t, sources, undefined, '2026-12-02')[0]?.entry.id).toBe(
      '国家税务总局公告2024年第2号#十二',
    )
  })

  it("a 公告's preamble (「…现予以发布」) weighs less than its clauses: it introduces the rules, it states none", () => {
    const clause = (label: string, body: string) =>
      ({
        ...law(`国家税务总局公告2018年第45号#${label}`, '延长高新技术企业亏损结转弥补年限', body),
        kind: 'policy',
        effectiveFrom: '2018-01-01',
        policy: { part: 'clause', label, documentId: '国家税务总局公告2018年第45号' },
      }) as unknown as Entry
    const preamble = clause(
      '正文',
      '为支持高新技术企业发展，国家税务总局明确了高新技术企业亏损结转弥补年限的处理。现予以发布，自2018年1月1日起施行。',
    )
    const rule = clause('一', '具备资格的企业，其尚未弥补完的亏损，均准予结转以后年度弥补，最长结转年限为10年。')
    const t = terms('高新技术企业', '亏损', '结转', '弥补', '年限')
    const ranked = rankPassages('高新技术企业的亏损结转弥补年限有啥规定', t, [
      { n: 1, entry: preamble },
      { n: 2, entry: rule },
    ])
    expect(ranked[0]?.entry.id).toBe('国家税务总局公告2018年第45号#一')
    // a 正文 that is the whole rule (no 「公告如下」) is not a preamble
    const whole = clause('正文', '高新技术企业亏损结转弥补年限最长为10年。')
    expect(
      rankPassages('高新技术企业的亏损结转弥补年限有啥规定', t, [
        { n: 1, entry: whole },
        { n: 2, entry: rule },
      ])[0]?.entry.id,
    ).toBe('国家税务总局公告2018年第45号#正文')
  })

  it('a list of papers to hand in answers 「要带啥材料」, not 「能退吗」', () => {
    const notice = (id: string, body: string) => housingNotice(id, body, '2026-01-01')
    // the materials item is listed first and covers the question's words as well as the rule does
    const papers = notice(
      '国家税务总局公告2022年第21号#五',
      '纳税人享受换购住房退税的，应当提出申请，并应提供下列资料：（四）新购住房为新房的，提供房屋交易合同及其复印件。',
    )
    const rule = notice(
      '国家税务总局公告2026年第12号#二',
      '纳税人出售自有住房并在现住房出售后1年内，在同一城市重新购买住房的，可申请退还其出售现住房已缴纳的个人所得税。',
    )
    const t = terms('出售', '住房', '新房', '退还', '个人所得税')
    const sources = [
      { n: 1, entry: papers },
      { n: 2, entry: rule },
    ]
    expect(rankPassages('卖了住房又买了新房 个人所得税能退还吗', t, sources)[0]?.entry.id).toBe(
      '国家税务总局公告2026年第12号#二',
    )
    // asked for the papers, the list answers (without the rule it would be halved here too and lose)
    const t2 = terms('新房', '退还', '个人所得税', '房屋交易合同')
    expect(rankPassages('退还个人所得税 新房要带啥材料', t2, sources)[0]?.entry.id).toBe(
      '国家税务总局公告2022年第21号#五',
    )
  })

  it("a relief threshold question is answered by a passage stating the relief, not by the asker's definition", () => {
    const guide = {
      ...law(
        'guide-sb-004',
        '增值税小规模纳税人申报',
        '年应征增值税销售额500万元及以下的纳税人为小规模纳税人，可以按季度申报增值税。',
      ),
      kind: 'guide',
    } as Entry
    const clause = {
      ...law(
        '财政部 税务总局公告2026年第10号#一',
        '增值税起征点标准',
        '小规模纳税人以一个季度为一个计税期间的，起征点为季度销售额30万元。',
      ),
      kind: 'policy',
    } as Entry
    const t = terms('小规模纳税人', '季度', '销售额', '免征', '增值税')
    expect(leadOf('小规模纳税人季度销售额多少免征增值税', t, guide, clause)).toBe('财政部 税务总局公告2026年第10号#一')
    // asked what a 小规模纳税人 is, the definition answers (with either weight at 1 the guide leads both times)
    expect(leadOf('小规模纳税人的年销售额标准是多少', t, guide, clause)).toBe('guide-sb-004')
  })

  it('which box of a return to fill in answers a question about filling in, not one about the rule', () => {
    const faq = (id: string, body: string) =>
      ({ ...law(id, '公司业务多与个人发生，针对不开发票部分是否需要申报增值税？', body), kind: 'faq' }) as Entry
    const box = faq(
      'faq-a',
      '不享受免征增值税的小规模纳税人，未开票收入的不含税销售额填写在《增值税及附加税费申报表（小规模纳税人适用）》主表第1栏。',
    )
    const duty = faq('faq-b', '未开票收入在收讫销售款项的当天，就已经产生了纳税义务，应该按规定缴纳增值税。')
    expect(
      leadOf('不开票的销售额收入要交增值税吗', terms('未开票收入', '增值税', '销售额', '纳税义务'), box, duty),
    ).toBe('faq-b')
    const asked = terms('未开票收入', '增值税', '销售额', '申报表')
    expect(leadOf('未开票收入的销售额在申报表哪一栏填', asked, box, duty)).toBe('faq-a')
  })

  it('a FAQ asking how to fill in a form does not answer a question asking for a figure', () => {
    const faq = {
      ...law('faq-js-21d8212241', '我单位是小规模纳税人，本季度销售额未达起征点，该怎么填写增值税申报表？', ''),
      kind: 'faq',
      question: '我单位是小规模纳税人，本季度销售额未达起征点，该怎么填写增值税申报表？',
      body: '小规模纳税人未达起征点的免税销售额，应填写在申报表第10栏“小微企业免税销售额”。',
      law: undefined,
    } as unknown as Entry
    const rule = law(
      '财政部 税务总局公告2026年第10号#一',
      '增值税起征点标准',
      '以一个季度为一个计税期间的，起征点为季度销售额30万元。',
    )
    const t = terms('小规模纳税人', '季度', '销售额', '免征', '增值税', '起征点')
    const sources = [
      { n: 1, entry: faq },
      { n: 2, entry: rule },
    ]
    expect(rankPassages('小规模纳税人季度销售额多少免征增值税', t, sources)[0]?.entry.id).toBe(
      '财政部 税务总局公告2026年第10号#一',
    )
    expect(rankPassages('小规模纳税人季度销售额未达起征点 申报表怎么填写', t, sources)[0]?.entry.id).toBe(
      'faq-js-21d8212241',
    )
  })

  it('「滞纳金怎么算」 leads with the rate, not with an article that only says 计算; a table footnote does not lead', () => {
    const rate = law(
      '税收征收管理法#第三十二条',
      '中华人民共和国税收征收管理法 第三十二条',
      '纳税人未按照规定期限缴纳税款的，税务机关除责令限期缴纳外，从滞纳税款之日起，按日加收滞纳税款万分之五的滞纳金。',
    )
    const period = law(
      '税收征收管理法实施细则#第八十三条',
      '中华人民共和国税收征收管理法实施细则 第八十三条',
      '税收征管法第五十二条规定的补缴和追征税款、滞纳金的期限，自纳税人应缴未缴或者少缴税款之日起计算。',
    )
    const q = '滞纳金怎么算'
    // the analyzer's terms: 算 is the question's form (GENERIC), so 「计算」 covers nothing
    const t = new Map([
      ['滞纳金', 1],
      ['算', 1],
    ])
    const sources = [
      { n: 1, entry: period },
      { n: 2, entry: rate },
    ]
    expect(rankPassages(q, t, sources)[0]?.entry.id).toBe('税收征收管理法#第三十二条')
    const note = law(
      '个人所得税法#附表',
      '中华人民共和国个人所得税法 附表',
      '注2：非居民个人取得工资、薪金所得，依照本表按月换算后计算应纳税额。',
    )
    const art = law(
      '个人所得税法#第六条',
      '中华人民共和国个人所得税法 第六条',
      '居民个人的综合所得，以每一纳税年度的收入额减除费用六万元后的余额，为应纳税所得额。',
    )
    const tt = terms('个人所得税', '纳税', '所得')
    const ranked = rankPassages('个人所得税应纳税所得怎么算', tt, [
      { n: 1, entry: note },
      { n: 2, entry: art },
    ])
    expect(ranked[0]?.entry.id).toBe('个人所得税法#第六条')
  })

  it('an amount compared with a threshold (「一个季度卖了25万 要交吗」) prefers the passage stating the figure', () => {
    const guide = law(
      '增值税法#第八条',
      '中华人民共和国增值税法 第八条',
      '小规模纳税人可以按照简易计税方法计算缴纳增值税。',
    )
    const notice = law(
      '某公告#一',
      '增值税起征点标准',
      '小规模纳税人以一个季度为一个计税期间的，起征点为季度销售额30万元。',
    )
    const q = '小规模一个季度卖了25万 要交增值税吗'
    const t = terms('小规模', '季度', '25', '万', '交', '增值税')
    const ranked = rankPassages(q, t, [
      { entry: guide, score: 1 },
      { entry: notice, score: 1 },
    ] as never)
    expect(ranked[0]?.entry.id).toBe('某公告#一')
  })

  it("an older regulation's 「一、…；二、…」 list keeps its lead-in; a 公告's 「一、」 sections do not take one", () => {
    const fcs5 = law(
      '房产税暂行条例#第五条',
      '中华人民共和国房产税暂行条例 第五条',
      '下列房产免纳房产税：\n一、国家机关、人民团体、军队自用的房产；\n四、个人所有非营业用的房产；',
    )
    const own = passagesOf(fcs5, 0).find((p) => p.text.includes('个人所有'))
    expect(own?.text).toBe('下列房产免纳房产税：四、个人所有非营业用的房产。')
    const notice = {
      ...law('国家税务总局公告2099年第1号#正文', '某公告', '现将有关事项公告如下：\n一、自2099年1月1日起施行。'),
      kind: 'policy',
    } as unknown as Entry
    expect(passagesOf(notice, 0).map((p) => p.text)).toContain('一、自2099年1月1日起施行。')
  })

  it('opens with the passage that answers, cited, and quotes at most two more', () => {
    const r = composeDirect('继承父母的房子要交契税吗', terms('继承', '房子', '契税'), [
      { n: 1, entry: qishui3 },
      { n: 2, entry: qishui6 },
    ])
    const [opening, ...rest] = r.text.split('\n')
    expect(opening).toMatch(/^有下列情形之一的，免征契税：（五）法定继承人通过继承承受土地、房屋权属。\[1\]$/)
    expect(r.used[0]?.id).toBe('契税法#第六条')
    expect(rest.length).toBeLessThanOrEqual(2)
    expect(r.text).not.toContain('依据《')
  })

  it('reads the items of a list together when the question cannot tell them apart, one item when it can', () => {
    const qzd = law(
      '财政部 税务总局公告2026年第10号#一',
      '增值税起征点标准',
      '小规模纳税人发生应税交易，起征点标准如下：\n（一）按期纳税的，起征点为月销售额10万元；\n（二）按次纳税的，起征点为每次（日）销售额1000元。',
    )
    const items = passagesOf(qzd, 0).filter((p) => /（[一二]）/.test(p.text))
    // the dense side prefers the second item: alone it would be one tier of the rule
    const closeness = new Map([
      [items[1]!.text, 0.8],
      [items[0]!.text, 0.6],
    ])
    const both = composeDirect(
      '小规模纳税人起征点是多少',
      terms('小规模纳税人', '起征点'),
      [{ n: 1, entry: qzd }],
      undefined,
      [],
      closeness,
    )
    expect(both.text.split('\n')[0]).toBe(
      '小规模纳税人发生应税交易，起征点标准如下：（一）按期纳税的，起征点为月销售额10万元；（二）按次纳税的，起征点为每次（日）销售额1000元。[1]',
    )
    // a question whose words pick one item gets that item alone
    const one = composeDirect(
      '按次纳税的起征点',
      terms('按次', '纳税', '起征点'),
      [{ n: 1, entry: qzd }],
      undefined,
      [],
      closeness,
    )
    expect(one.text.split('\n')[0]).toContain('（二）按次纳税')
    expect(one.text.split('\n')[0]).not.toContain('（一）')
  })

  it('never quotes a table caption as the answer', () => {
    expect(passagesOf(table, 0).some((p) => p.text.startsWith('个人所得税税率表'))).toBe(false)
    const r = composeDirect('综合所得税率是多少', terms('综合所得', '税率'), [
      { n: 1, entry: table },
      { n: 2, entry: qishui3 },
    ])
    expect(r.text).not.toContain('税率表一')
  })

  it('reads a table row with its caption and header, never as a bare 「3｜…｜20」', () => {
    const rates = law(
      '个人所得税法#附表',
      '中华人民共和国个人所得税法 附表',
      [
        '个人所得税税率表二（经营所得适用）',
        '级数｜全年应纳税所得额｜税率（%）',
        '1｜不超过30000元的｜5',
        '3｜超过90000元至300000元的部分｜20',
        '（注：本表所称全年应纳税所得额是指……）',
      ].join('\n'),
    )
    const ps = passagesOf(rates, 0)
    expect(ps.map((p) => p.text)).toEqual([
      '个人所得税税率表二（经营所得适用）第1级：全年应纳税所得额不超过30000元的，税率5%',
      '个人所得税税率表二（经营所得适用）第3级：全年应纳税所得额超过90000元至300000元的部分，税率20%',
    ])
    expect(ps.every((p) => p.row)).toBe(true)
    expect(passagesOf(qishui6, 0).some((p) => p.row)).toBe(false)
  })

  it('prefers the article that states a rule over one that refers to it, unless the question asks what a term means', () => {
    const art4 = law('企业所得税法#第四条', '中华人民共和国企业所得税法 第四条', '企业所得税的税率为25％。')
    const art118 = law(
      '企业所得税法实施条例#第一百一十八条',
      '中华人民共和国企业所得税法实施条例 第一百一十八条',
      '企业所得税法第四十五条所称实际税负明显低于企业所得税法第四条第一款规定税率水平，是指低于企业所得税法第四条第一款规定税率的50%。',
    )
    const q = '企业所得税税率是多少'
    const t = terms('企业所得税', '税率')
    // the referring passage first in retrieval order; both state a figure and cover the question
    const sources = [
      { n: 1, entry: art118 },
      { n: 2, entry: art4 },
    ]
    const ranked = rankPassages(q, t, sources)
    const of = (id: string) => ranked.find((p) => p.entry.id === id)!.score
    // with the referenced article among the candidates the referring passage is discounted; alone it is not
    const alone = rankPassages(q, t, [{ n: 1, entry: art118 }])[0]!.score
    expect(of('企业所得税法实施条例#第一百一十八条')).toBeCloseTo(alone * 0.85, 5)
    expect(ranked[0]!.entry.id).toBe('企业所得税法#第四条')
    // …是指什么: the explaining article is the answer, not discounted
    const d = '实际税负明显低于是指什么'
    expect(rankPassages(d, t, sources).find((p) => p.entry.id.endsWith('一百一十八条'))!.score).toBeCloseTo(
      rankPassages(d, t, [{ n: 1, entry: art118 }])[0]!.score,
      5,
    )
  })

  it('reads a relief (减半, 减按, 暂免) as the answer to a yes/no question about it', () => {
    const half = '对增值税小规模纳税人减半征收印花税（不含证券交易印花税）。'
    expect(askFit('小规模纳税人印花税能减半吗', half)).toBe(1)
    expect(askFit('高新技术企业企业所得税能少交吗', '高新技术企业，减按15％的税率征收企业所得税。')).toBe(1)
    expect(askFit('小规模纳税人印花税能减半吗', '印花税按季、按年或者按次计征。')).toBe(0)
  })

  it('prefers the passage that names the tax asked over one about it only by implication', () => {
    // retrieved first: about 「六税两费」 (which include 印花税) for a 小规模纳税人 turned 一般纳税人, never naming 印花税
    const conversion = policy(
      '国家税务总局公告2022年第3号#二',
      '关于增值税小规模纳税人转为一般纳税人时“六税两费”减免政策的适用',
      '增值税小规模纳税人按规定登记为一般纳税人的，自一般纳税人生效之日起不再按照增值税小规模纳税人适用“六税两费”减免政策。',
    )
    const halved = policy(
      '财政部 税务总局公告2023年第12号#第二条',
      '财政部 税务总局关于进一步支持小微企业和个体工商户发展有关税费政策的公告 第二条',
      '自2023年1月1日至2027年12月31日，对增值税小规模纳税人、小型微利企业和个体工商户减半征收资源税（不含水资源税）、城市维护建设税、房产税、城镇土地使用税、印花税（不含证券交易印花税）、耕地占用税和教育费附加、地方教育附加。',
    )
    const t = terms('小规模纳税人', '印花税', '减免')
    expect(leadOf('我们是小规模纳税人，印花税有减免吗', t, conversion, halved)).toBe(halved.id)
    // a question naming no tax ranks them as before: the one retrieved first, which covers its words, leads
    expect(
      leadOf(
        '小规模纳税人转一般纳税人以后还能享受减免吗',
        terms('小规模纳税人', '一般纳税人', '减免'),
        conversion,
        halved,
      ),
    ).toBe(conversion.id)
  })

  it('scores answer kinds and abstains without evidence', () => {
    expect(askFit('契税税率是多少', '契税税率为百分之三至百分之五。')).toBe(1)
    expect(askFit('什么时候申报', '契税税率为百分之三至百分之五。')).toBe(0)
    expect(abstentionScore(noFeatures(0))).toBeLessThan(0.5)
  })

  it('decides BM25-only retrieval with its own model: no dense signal is not a reason to refuse', () => {
    // strong lexical evidence, as a BM25-only backend reports it (no dense cosine at all)
    const lexical: AnswerFeatures = {
      ...noFeatures(30),
      leadCoverage: 1,
      leadScore: 2,
      margin: 0.8,
      leadRank: 1,
      topCoverage: 1,
      figureFit: 1,
      askFit: 1,
      agreement: 0.5,
      leadFused: 1,
      leadMatched: 1,
      leadBm25: 0.9,
      typeFit: 1,
      leadOwn: 1,
      leadBm25Rank: 1,
    }
    expect(abstentionScore(lexical, modelFor(false))).toBeGreaterThanOrEqual(0.5)
    // the hybrid model reads a missing dense match as "nothing in the corpus is close"
    expect(abstentionScore(lexical, modelFor(true))).toBeLessThan(abstentionScore(lexical, modelFor(false)))
    expect(abstentionScore(noFeatures(0), modelFor(false))).toBeLessThan(0.5)
    expect(
      abstentionScore(
        { ...lexical, dense: 0.8, denseTop: 0.8, agreement: 1, leadDense: 0.8, leadDenseRank: 1 },
        modelFor(true),
      ),
    ).toBeGreaterThanOrEqual(0.5)
  })
})

describe('passage arithmetic without allocating', () => {
  it('codePoints counts like [...text].length, surrogate pairs and lone halves included', () => {
    for (const t of ['', '增值税', '𠀀𠀁税', 'a\ud800b', '\udc00x', 'x\ud800', '😀😀', '１２％'])
      expect(codePoints(t)).toBe([...t].length)
  })

  it('coverage of title + passage is the same whether the two are normalised apart or together', () => {
    const terms: [string, number, boolean][] = [
      ['增值税', 3, true],
      ['ｐｐｔ', 2, true],
      ['σ', 1, true],
    ]
    for (const [a, b] of [
      ['ＡΣ', 'σ增值税'],
      ['增值', '税ｐｐｔ'],
      ['Σ', 'Σ'],
    ] as const) {
      const together = passageCoverage(terms, `${a} ${b}`)
      const apart = `${a.normalize('NFKC').toLowerCase()} ${b.normalize('NFKC').toLowerCase()}`
      expect(apart).toBe(`${a} ${b}`.normalize('NFKC').toLowerCase())
      expect(passageCoverage(terms, apart)).toBe(together)
    }
  })
})

describe('the lead score is log-linear in its features', () => {
  const sources = [
    { n: 1, entry: qishui6 },
    { n: 2, entry: qishui3 },
  ]
  const q = '契税税率是多少'
  const t = terms('契税', '税率')

  it('every passage scores e^(Σ weight · feature) with the hand-set weights', () => {
    const ranked = rankPassages(q, t, sources)
    expect(ranked.length).toBeGreaterThan(3)
    for (const p of ranked) {
      const sum = LEAD_FEATURES.reduce((s, k) => s + HAND_SET_LEAD_WEIGHTS[k] * p.features[k], 0)
      expect(p.score).toBeCloseTo(p.score > 0 ? Math.exp(sum) : 0, 10)
    }
    // the hand-set factors are there as features: 第三条's first 款 states the figure asked for
    const rate = ranked.find((p) => p.text.startsWith('契税税率为'))
    expect(rate?.features.figure).toBe(1)
    expect(rate?.features.rank).toBeCloseTo(-Math.log(1.08), 10)
    expect(ranked[0]?.entry.id).toBe('契税法#第三条')
  })

  it('other weights reorder the candidates (the fitted weights are tried this way)', () => {
    // a large reward for the first source and a penalty for stating a figure make 第六条 lead instead
    const weights = { ...HAND_SET_LEAD_WEIGHTS, rank: 40, figure: -5 }
    expect(rankPassages(q, t, sources, undefined, undefined, weights)[0]?.entry.id).toBe('契税法#第六条')
  })
})
