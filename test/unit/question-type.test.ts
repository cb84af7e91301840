import { describe, expect, it } from 'vitest'
import { ASKS_FIGURE, asksPayWhen, otherQuestion, questionType, typeFit } from '../../services/answer/question-type.js'

describe('question type (what kind of answer is asked for)', () => {
  it('reads the question form, the specific forms before the general ones', () => {
    expect(questionType('契税税率是多少')).toBe('rate')
    expect(questionType('小规模一个季度卖多少以下不交税')).toBe('amount')
    expect(questionType('亏损能往后弥补几年')).toBe('duration')
    expect(questionType('汇算什么时候截止')).toBe('when')
    expect(questionType('房产税怎么算')).toBe('basis')
    expect(questionType('进口货物的税谁交')).toBe('who')
    expect(questionType('印花税在哪儿交')).toBe('where')
    expect(questionType('公司不干了怎么注销')).toBe('how')
    expect(questionType('免税的收入有哪些')).toBe('which')
    expect(questionType('退休金要交个税吗')).toBe('yesno')
    expect(questionType('个税汇算')).toBeNull()
  })

  it('condition: 「是什么条件」「要满足啥」 ask the conditions a rule applies under, answered by a conditional rule', () => {
    expect(questionType('首违不罚是什么条件')).toBe('condition')
    expect(questionType('个体户简易注销需要满足什么条件')).toBe('condition')
    expect(questionType('什么情况下可以延期申报')).toBe('condition')
    // a plain 「哪些」 list question stays a list question
    expect(questionType('免税的收入有哪些')).toBe('which')
    const q = '首违不罚是什么条件'
    expect(typeFit(q, '对于首次发生清单中所列事项且危害后果轻微，在税务机关发现前主动改正的，不予行政处罚。')).toBe(1)
    expect(typeFit(q, '符合下列条件之一的，可免于到税务机关办理清税证明：1.未办理过涉税事宜的。')).toBe(1)
    // what the tax office does once the rule applies is not the condition
    expect(typeFit(q, '二、适用税务行政处罚首违不罚的，主管税务机关应及时作出不予行政处罚决定。')).toBe(0)
  })

  it('a deadline does not answer 「多少以下」, an amount does', () => {
    const q = '按季申报的小规模一个季度多少以下免税'
    expect(typeFit(q, '以一个季度为一个计税期间的，自期满之日起十五日内申报纳税。')).toBe(0)
    expect(typeFit(q, '以一个季度为一个计税期间的，季度销售额不超过30万元的，免征增值税。')).toBe(1)
  })

  it('a rate answers a rate question, a procedure does not', () => {
    expect(typeFit('提供建筑服务几个点', '纳税人销售建筑服务，税率为百分之九。')).toBe(1)
    expect(typeFit('提供建筑服务几个点', '应分别核算货物和建筑服务的销售额。')).toBe(0)
    expect(typeFit('预征率降到多少了', '将预征率下限降低0.5个百分点。')).toBe(1)
  })

  it('who: a passage naming the liable party; when: a time limit', () => {
    expect(typeFit('境外公司提供服务增值税谁来扣', '境外单位在境内发生应税交易，以购买方为扣缴义务人。')).toBe(1)
    expect(typeFit('关税谁交', '关税税率的调整，按照下列规定执行：')).toBe(0)
    expect(typeFit('土地增值税签合同后什么时候申报', '自转让房地产合同签订之日起7日内办理纳税申报。')).toBe(1)
    expect(typeFit('留抵退税什么时候可以申请', '自2025年9月增值税纳税申报期起，符合条件的纳税人可以申请。')).toBe(1)
    expect(typeFit('什么时候申报', '契税税率为百分之三至百分之五。')).toBe(0)
  })

  it('yes/no: a rule with its condition; unknown form: neutral', () => {
    expect(
      typeFit('卖车过户了车船税要退吗', '已缴纳车船税的车船在同一纳税年度内办理转让过户的，不另纳税，也不退税。'),
    ).toBe(1)
    expect(typeFit('炒股卖出交印花税吗', '证券交易印花税对证券交易的出让方征收，不对受让方征收。')).toBe(1)
    expect(typeFit('个税汇算', '居民个人取得综合所得，按年计算个人所得税。')).toBe(0.5)
  })

  it('definition: 怎么认定 is answered by what a thing is or when it is constituted, not by a procedure', () => {
    const q = '逃税罪怎么认定的'
    expect(questionType(q)).toBe('definition')
    expect(questionType('公司不干了怎么注销')).toBe('how')
    expect(typeFit(q, '逃税数额占应纳税额百分之十以上的，即构成逃税罪。')).toBe(1)
    expect(typeFit(q, '纳税人应当在次月十五日内申报。')).toBe(0)
    expect(typeFit('什么是小型微利企业', '小型微利企业是指从事国家非限制和禁止行业的企业。')).toBe(1)
  })

  it('yes/no about a payment rhythm: 「按年申报，一次性缴纳」 answers 「一年交一次吗」', () => {
    expect(typeFit('车船税一年交一次吗', '车船税按年申报，分月计算，一次性缴纳。')).toBe(1)
  })

  it('how: steps, an application or where to file answer it; a rule that only says what applies does not', () => {
    const q = '发票丢了怎么办'
    expect(questionType(q)).toBe('how')
    expect(typeFit(q, '丢失发票或者擅自损毁发票的，依照前款规定处罚。')).toBe(0)
    expect(typeFit(q, '办理步骤：向主管税务机关书面报告发票丢失情况。')).toBe(1)
    expect(
      typeFit('跨区域涉税事项怎么报验', '纳税人应当在外出生产经营以前，向税务机关申请开具外出经营活动税收管理证明。'),
    ).toBe(1)
  })

  it('which: a list answers 「哪些」, a single statement that something 「为」 or 「属于」 does not', () => {
    const q = '专项附加扣除有哪些'
    expect(questionType(q)).toBe('which')
    expect(
      typeFit(q, '专项附加扣除，包括子女教育、继续教育、大病医疗、住房贷款利息或者住房租金、赡养老人等支出。'),
    ).toBe(1)
    expect(typeFit(q, '纳税人为居民个人的，可以享受专项附加扣除。')).toBe(0)
  })
  it('when to pay or file: a passage that only says when the liability arises does not answer it', () => {
    const arises = '契税的纳税义务发生时间，为纳税人签订土地、房屋权属转移合同的当日。'
    expect(typeFit('买房的契税是什么时候交', arises)).toBe(0)
    expect(typeFit('契税最晚啥时候得交', '纳税人应当在依法办理土地、房屋权属登记手续前申报缴纳契税。')).toBe(1)
    // a passage with both (车辆购置税法第十二条) answers it
    expect(
      typeFit(
        '车购税什么时候交',
        '车辆购置税的纳税义务发生时间为纳税人购置应税车辆的当日。纳税人应当自纳税义务发生之日起六十日内申报缴纳车辆购置税。',
      ),
    ).toBe(1)
    // 「从哪天开始算」 asks when it arises: the arising passage is the answer
    expect(typeFit('增值税从什么时候开始算', arises)).toBe(1)
    expect(asksPayWhen('增值税纳税义务什么时候发生')).toBe(false)
    expect(asksPayWhen('印花税几号前交')).toBe(true)
  })
  it('「怎么处罚」 asks for the penalty (an amount); 「怎么算」 is answered by a rate as much as by a formula', () => {
    expect(questionType('逾期申报怎么处罚')).toBe('amount')
    expect(typeFit('逾期申报怎么处罚', '由税务机关责令限期改正，可以处二千元以下的罚款。')).toBe(1)
    expect(typeFit('逾期申报怎么处罚', '税务机关有权核定其应纳税额。')).toBe(0)
    expect(typeFit('滞纳金怎么算', '从滞纳税款之日起，按日加收滞纳税款万分之五的滞纳金。')).toBe(1)
    expect(ASKS_FIGURE.test('滞纳金怎么算')).toBe(true)
  })
})

describe('a FAQ that asks another question', () => {
  it('a figure is not answered by a FAQ about how to fill in a form; a procedure question still is', () => {
    const faq = '我单位是小规模纳税人，本季度销售额未达起征点，该怎么填写增值税申报表？'
    expect(otherQuestion('小规模纳税人季度销售额多少免征增值税', faq)).toBe(true)
    expect(otherQuestion('未达起征点的申报表怎么填写', faq)).toBe(false)
    // a FAQ asking a figure or a date answers a figure question; a question without a figure is not concerned
    expect(otherQuestion('2026年每个月申报截止日是哪天', '2026年各月税费种申报的截止期限是什么时候？')).toBe(false)
    expect(otherQuestion('汇算退税在哪看进度', '个人如何查询综合所得年度汇算清缴退税进度？')).toBe(false)
  })
})
