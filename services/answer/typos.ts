/**
 * Pure: the pinyin-IME homophone slips taxpayers make in tax terms (「起正点」 for 起征点, 「首违不法」 for 首违不罚,
 * 「个税会算」 for 个税汇算), corrected before intent, follow-up and retrieval read the message. What the taxpayer typed
 * is what the session and the ledger keep. Only strings that are not themselves words are listed, so a correct
 * message never changes (「你会算吗」 stays; only 会算 next to 个税/年度/清缴 is 汇算).
 */
const SLIPS: readonly [string, string][] = [
  ['起正点', '起征点'],
  ['起证点', '起征点'],
  ['起争点', '起征点'],
  ['起整点', '起征点'],
  ['个税会算', '个税汇算'],
  ['年度会算', '年度汇算'],
  ['会算清缴', '汇算清缴'],
  ['汇算清交', '汇算清缴'],
  ['首违不法', '首违不罚'],
  ['首违不发', '首违不罚'],
  ['首位不罚', '首违不罚'],
  ['至纳金', '滞纳金'],
  ['滞纳精', '滞纳金'],
  ['制纳金', '滞纳金'],
  ['发漂', '发票'],
  ['专漂', '专票'],
  ['普漂', '普票'],
  ['专项附家', '专项附加'],
  ['附家扣除', '附加扣除'],
  ['擅养老人', '赡养老人'],
  ['善养老人', '赡养老人'],
  ['房代利息', '房贷利息'],
  ['住房租经', '住房租金'],
  ['子女交育', '子女教育'],
  ['继续交育', '继续教育'],
  ['大病医料', '大病医疗'],
  ['申抱', '申报'],
  ['纳说人', '纳税人'],
  ['印花说', '印花税'],
  ['增值说', '增值税'],
  ['个人所得说', '个人所得税'],
  ['个体护', '个体户'],
  ['个题户', '个体户'],
  ['拍买', '拍卖'],
  ['注消', '注销'],
  ['税务登计', '税务登记'],
  ['抵口', '抵扣'],
  ['红充', '红冲'],
  ['电子税物局', '电子税务局'],
  ['加计口除', '加计扣除'],
  ['研发家计', '研发加计'],
  ['年终将', '年终奖'],
  ['劳务包筹', '劳务报酬'],
  ['劳务报筹', '劳务报酬'],
  ['残保经', '残保金'],
]

const PATTERN = new RegExp(SLIPS.map(([slip]) => slip).join('|'), 'g')
const FIX = new Map(SLIPS)

/** The message with known slips corrected (the same string when there is none). */
export function correctSlips(text: string): string {
  return text.replace(PATTERN, (m) => FIX.get(m) ?? m)
}
