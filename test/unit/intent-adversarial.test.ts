/**
 * Intent rules on messages typed the way people type on a phone (eval/datasets/dev.jsonl tq900–tq1045 hold the
 * same kinds of lines, with the behaviour each should get): reports without 举报, complaints without 投诉,
 * requests for a person in other words, requests for help with an illegal practice, and the near-misses that
 * are ordinary consultations.
 */
import { describe, expect, it } from 'vitest'
import { classifyIntent, illegalPractice } from '../../services/answer/intent-rules.js'
import { REPLIES } from '../../services/answer/replies.js'

const intent = (t: string) => classifyIntent(t).intent

describe('reports in other words', () => {
  it.each([
    '老板让我们收现金不开票 这样逃税税务局管吗',
    '想让税务局查查我们老板 发工资从来不扣个税',
    '实名反映某商贸公司虚开增值税发票',
    '有家公司拿别人身份证去开票 这种事找谁反映',
    '前东家一直用假发票冲账报销 我手上有证据',
    '隔壁超市收钱从不给票 你们来查一下',
    '我知道有个人专门卖发票 加他微信就能买',
    '公司一半工资发现金不报个税 我想反映一下这个情况',
    '这个老板偷税几百万 你们查不查',
    '房东收了一年房租一分税没交 能不能叫税务局去查他',
    '我发现楼下那家店开的都是假发票',
    '网上有人兜售发票 请你们处理一下',
    '有个公司拖欠员工个税不交 我要反映',
    '楼下小卖部卖东西从来不开票 能管管吗',
    '我们老板让财务做假账 我想让税务局知道',
    '他们公司用私人卡收货款 逃了好多税 请查处',
    '我要举抱一个偷税的公司',
    '俺们村有个厂子天天拉货从来不开票 这事谁管',
    '发现一个卖票的群 群里天天发开票广告',
    '前老板叫我们收款全走他个人微信 一分税都不交 我有聊天记录',
    '同行偷税太严重了 我们正规交税的吃亏 你们管管',
    '这家4S店买车不给开发票 要加钱才开',
    '请税务局去查一下我们单位 工资都走私户',
  ])('%s', (t) => expect(intent(t)).toBe('report'))

  it.each([
    ['虚开发票会怎么处罚', 'consult'],
    ['朋友让我帮他开发票 我没有业务 这算虚开吗', 'consult'],
    ['检举别人偷税 税务局会给奖励不', 'consult'],
    ['我想查一下我的个税缴纳记录', 'consult'],
    ['收款方不给开发票怎么办 必须开吗', 'consult'],
    ['公司跟个人交易没开发票要不要报增值税', 'consult'],
    ['举报人信息会不会泄露给老板', 'consult'],
    ['我公司不开发票被罚款了', 'consult'],
    ['我们店之前不开票 现在补开来得及吗', 'consult'],
    ['发现发票丢了怎么办', 'consult'],
  ])('near-miss %s stays a %s', (t, want) => expect(intent(t)).toBe(want))
})

describe('complaints without the word 投诉', () => {
  it.each([
    '那个窗口的工作人员态度差得很',
    '办个税务登记跑了三趟都没办好 效率太低了',
    '12366电话一直打不通 什么服务啊',
    '专管员故意刁难我 材料齐了就是不给办',
    '退税等了两个多月还没到 你们办事太慢了',
    '大厅排队排了三个小时 也没人管',
    '税务局的人对我大吼大叫 什么态度',
    '我对你们的服务很不满意',
    '我要告你们税务所的小王 乱收费',
    '客服态度恶劣还挂我电话',
    '投述一下办税厅的保安 说话很冲',
    '你们这服务太烂了',
    '办税厅的人爱答不理的',
    '工作人员一直在玩手机 不理人',
    '等了一个小时还没人回复',
    '12366电话打了十几次都占线',
    '问题反映好几次了一直没解决',
    '你们的人办事拖拖拉拉的 一个退税办了半年',
    '大厅工作人员说话阴阳怪气的',
    '电子税务局老是崩 什么破玩意',
    '窗口的人推来推去 没人给办',
    '要求你们给个说法 凭什么多收我滞纳金',
  ])('%s', (t) => expect(intent(t)).toBe('complaint'))

  it.each(['对税务局罚款不服怎么办', '退税多久能到账', '请告诉我契税税率', '多交的税多久能退回来'])(
    'near-miss %s stays a consult',
    (t) => expect(intent(t)).toBe('consult'),
  )
})

describe('a person, asked for in other words', () => {
  it.each([
    '转接一下',
    '能不能转个人工服务',
    '我想找个人问问',
    '有真人吗',
    '叫你们客服来',
    '不想和机器人聊了',
    '人工人工人工',
    '给我转接工作人员',
    '机器人回答的都不对 我要找人',
    '可以帮我接通客服吗',
    '客服',
    '转12366',
    '要人工 快点',
    '能不能让懂的人给我打个电话',
    '我要和你们领导说',
    '来个人吧',
    '我想直接问工作人员',
    '在线客服',
    '请帮我转接到人工',
    '有活人没',
    '能跟人说话吗',
    '人工在哪里',
    '帮我叫个人工',
    '不要自动回复 要真人',
    '麻烦让专家给我解答一下',
    '转坐席',
    '找你们经理',
  ])('%s', (t) => expect(intent(t)).toBe('human'))

  it.each([
    '企业的人工成本能税前扣除吗',
    '客服说我要补税 滞纳金怎么算',
    '税务局有工作人员上门检查要出示证件吗',
    '想找人代开发票去哪里代开',
    '个人所得税怎么算',
    '股权转让人怎么交个税',
    '工作人员说我要补税 是真的吗',
    '来个人所得税的例子',
  ])('near-miss %s stays a consult', (t) => expect(intent(t)).toBe('consult'))
})

describe('help with an illegal practice, in other words', () => {
  it.each([
    ['怎么少报点收入', '少报收入'],
    ['帮我弄几张发票冲下账', '买卖发票'],
    ['哪有卖专票的', '买卖发票'],
    ['想做两本账 一本给税务局看 咋弄', '两套账'],
    ['个体户收入怎么藏才查不到', '隐瞒收入'],
    ['没有实际业务能开专票吗 我给手续费', '虚开发票'],
    ['买点进项票抵税 哪里有', '买卖发票'],
    ['教我怎么逃个税', '逃避缴纳税款'],
    ['帮我把收入做低一点 少交点税', '少报收入'],
    ['私户收款不报税 怎么弄才不会被发现', '逃避缴纳税款'],
    ['做假账怎么做才不会被罚', '做假账'],
    ['怎样隐藏收入不让税务局知道', '隐瞒收入'],
    ['偷偷不报税会被发现吗', '逃避缴纳税款'],
    ['我想买发票', '买卖发票'],
    ['能不能帮忙开张发票 没有交易的那种', '虚开发票'],
    ['帮我做个假账', '做假账'],
    ['有没有路子弄点专票', '买卖发票'],
    ['开票的时候金额能不能写大点 我好报销', '虚开发票'],
    ['教教我怎么避税 最好是查不出来的那种', '逃避缴纳税款'],
    ['老板让我找点发票来冲成本 哪里能搞到', '买卖发票'],
  ])('%s is refused, naming %s as illegal', (t, name) => {
    expect(intent(t)).toBe('illegal')
    const reply = REPLIES.illegalNamed(illegalPractice(t))
    expect(reply).toContain(name)
    expect(reply).toContain('违法')
    expect(reply).not.toMatch(/第[一二三四五六七八九十百]+条/)
  })

  it.each([
    '虚开发票会怎么处罚',
    '做两套账被查出来怎么罚',
    '买增值税专票犯法吗 会坐牢吗',
    '隐瞒收入少交税被查到罚多少',
    '代开发票要交手续费吗',
    '个人所得税app怎么查不到我的收入',
    '小规模纳税人怎么合法少交税',
    '发票丢了去哪里找回来',
    '专家说个税汇算可以退税 是真的吗',
  ])('near-miss %s stays a consult', (t) => expect(intent(t)).toBe('consult'))
})
