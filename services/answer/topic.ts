/** Pure: a coarse tax topic tag for the ledger and the editors' worklist (e.g. 个人所得税). */
const TOPICS: readonly [string, RegExp][] = [
  ['个人所得税', /(个人所得税|个税|工资|薪金|年终奖|专项附加扣除|劳务报酬|稿酬|汇算)/],
  ['企业所得税', /(企业所得税|企税|小型微利|高新技术企业|研发费用|加计扣除|业务招待费|广告费|亏损弥补)/],
  ['增值税', /(增值税|小规模|一般纳税人|进项|销项|征收率|留抵|VAT)/i],
  ['发票', /(发票|专票|普票|开票|虚开)/],
  ['契税', /契税/],
  ['印花税', /印花税/],
  ['房产税', /房产税/],
  ['车辆购置税', /(车辆购置税|车购税)/],
  ['车船税', /车船税/],
  ['土地增值税', /(土地增值税|土增税)/],
  ['城镇土地使用税', /(城镇土地使用税|土地使用税)/],
  ['城市维护建设税及附加', /(城市维护建设税|城建税|教育费附加|地方教育附加)/],
  ['环境保护税', /(环境保护税|环保税)/],
  ['资源税', /资源税/],
  ['耕地占用税', /(耕地占用税|耕占税)/],
  ['消费税', /消费税/],
  ['社保费', /(社保|社会保险费|医保费)/],
  ['征收管理', /(滞纳金|税务登记|申报期限|逾期|罚款|退税|追征|延期缴纳|账簿|稽查|纳税信用)/],
]

export function topicOf(question: string, citedTitles: readonly string[] = []): string | null {
  for (const [topic, re] of TOPICS) if (re.test(question)) return topic
  for (const t of citedTitles) for (const [topic, re] of TOPICS) if (re.test(t)) return topic
  return null
}
