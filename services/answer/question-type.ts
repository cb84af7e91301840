/**
 * Pure: what kind of answer a question asks for, and whether a passage gives that kind. A calibration feature
 * for abstention (abstention.ts): a lead passage on the right topic that does not give what was asked (a filing
 * deadline for 「一个季度多少以下免增值税」, a rate-adjustment procedure for 「关税谁交」) is the typical confident
 * wrong answer, while a short passage that does (「契税税率为百分之三至百分之五」 for 「买房子契税是多少」) is the
 * typical right one. The kinds are general question forms of Chinese, not phrases of any evaluation set.
 */
import { taxesNamedIn } from '../search/analyzer.js'

export type QuestionType =
  | 'rate'
  | 'amount'
  | 'duration'
  | 'when'
  | 'basis'
  | 'who'
  | 'where'
  | 'how'
  | 'which'
  | 'yesno'
  | 'definition'
  | 'condition'

/**
 * The question asks for a figure (an amount, rate, limit, date or time span): a passage stating one answers it
 * better (passage scoring, sentence scoring and the figureFit feature share this one test).
 */
export const ASKS_FIGURE =
  /(多少|几|比例|税率|征收率|标准|期限|多久|多长|什么时候|何时|哪天|截止|时间|金额|限额|幅度|起征点|免征额|几号|怎么算|咋算|如何计算|怎么计算|怎样计算|怎么收|怎么罚|咋罚|怎么处罚|如何处罚)/

/** A passage that states a figure (an amount, a rate, a number of days or years, an age): what ASKS_FIGURE wants. */
export const STATES_FIGURE =
  /(\d|百分之|千分之|万分之|[％%‰]|[一二三四五六七八九十百千万]+(个)?(日|天|月|年|元|万元|倍|周岁))/

/**
 * 「一个季度卖了25万 要交增值税吗」, 「开票35万超了 是只交超出的还是都要交」: an amount compared with a threshold the
 * answer states as a figure (起征点 30万元), so passages with a figure are preferred as for ASKS_FIGURE.
 */
export const COMPARES_AMOUNT = /\d+(\.\d+)?\s*(万|千|块|元)[^。？?]{0,14}(交|缴|免)/

/** A question asking under which conditions a rule applies (shared with the passage ranking, direct-answer.ts). */
export const ASKS_CONDITION =
  /(什么条件|啥条件|哪些条件|条件是|条件有|有什么要求|有啥要求|需要满足|要满足|得满足|满足什么|满足啥|满足哪些|符合什么|符合啥|符合哪些|什么情况下|啥情况下|哪些情况下)/
/**
 * A passage stating conditions: 「符合下列条件」「同时满足」「…情形之一的」, or a rule under a condition 「…且危害后果轻微，
 * 在税务机关发现前主动改正的，不予行政处罚」 (a clause ending in 的， followed by what then applies).
 */
export const STATES_CONDITION =
  /(条件|符合|满足|同时|情形之一|[^。；;，,]{2,}的[，,](可以|可|不予|免予|免征|免|准予|应当|予以|不再|无需|暂不|不征收))/

/** First match wins: the more specific forms come first (「税率多少」 is a rate, 「几年」 a duration). */
const ASKED: readonly [QuestionType, RegExp][] = [
  ['rate', /(税率|征收率|预征率|扣除率|退税率|几个点|百分之几|百分比|比例|几成|按几|按多少)/],
  ['duration', /(几年|几个月|几天|多少天|多少年|多久|多长时间|多长|期限|最长|最短|最少几|最多几|年限)/],
  ['when', /(什么时候|啥时候|何时|几号|哪天|哪一天|截止|几月|什么时间|哪个月)/],
  ['basis', /(按什么|依据什么|以什么|怎么算|怎么计算|如何计算|咋算|计税依据)/],
  // 「逾期申报怎么处罚」 asks what the penalty is (an amount), not how a procedure goes
  ['amount', /(怎么处罚|如何处罚|怎么罚|咋罚|怎样处罚|处罚标准|罚款标准)/],
  ['definition', /(怎么认定|如何认定|怎样认定|什么是|是什么意思|指的是什么|指什么|怎么界定|如何界定)/],
  [
    'amount',
    /(多少钱|多少元|多少万|多少以下|多少以内|多少以上|交多少|扣多少|缴多少|退多少|罚多少|抵多少|是多少|多少|几块|标准)/,
  ],
  ['who', /(谁|哪个部门|哪一方|由哪)/],
  // 「首违不罚是什么条件」「简易注销要满足啥」: the conditions a rule applies under, not any list
  ['condition', ASKS_CONDITION],
  ['where', /(在哪|去哪|哪里|什么地方|哪儿|什么地点)/],
  ['how', /(怎么|如何|咋|流程|手续|步骤)/],
  ['which', /(哪些|什么|啥|哪几|哪种|哪类)/],
  [
    'yesno',
    /(吗|么|能不能|可不可以|可以不|要不要|用不用|需不需要|是否|算不算|是不是|有没有|交不交|免不免|会不会|行不行)/,
  ],
]

/** A question that asks how to fill in, file or apply (a procedure). */
const ASKS_PROCEDURE = /(如何|怎么|怎样|咋)(填写|填报|填|办理|申请|操作|申报|开具)/

/**
 * 「小规模纳税人季度销售额多少免征增值税」 (a figure) is not 「…本季度销售额未达起征点，该怎么填写增值税申报表？」 (a
 * procedure), though their words overlap: a FAQ asking how to fill in or apply answers another question than one
 * asking for a figure.
 */
export function otherQuestion(asked: string, faqQuestion: string): boolean {
  const q = asked.normalize('NFKC')
  return ASKS_FIGURE.test(q) && !ASKS_PROCEDURE.test(q) && ASKS_PROCEDURE.test(faqQuestion.normalize('NFKC'))
}

/** The asked kind; null when the question has no recognisable question form (a bare topic, 「个税汇算」). */
export function questionType(question: string): QuestionType | null {
  const q = question.normalize('NFKC')
  for (const [type, re] of ASKED) if (re.test(q)) return type
  return null
}

const NUMBER = '(\\d+(\\.\\d+)?|[一二两三四五六七八九十百千万零〇]+)'
const GIVES: Record<QuestionType, RegExp> = {
  rate: new RegExp(`(\\d+(\\.\\d+)?\\s*[%％‰]|百分之|千分之|万分之|零税率|税率为|征收率为|个百分点|${NUMBER}成)`),
  amount: new RegExp(
    `(${NUMBER}\\s*(元|万元|亿元|块)|\\d+(\\.\\d+)?\\s*[%％‰]|百分之|千分之|万分之|${NUMBER}倍|减除费用)`,
  ),
  duration: new RegExp(`(${NUMBER}\\s*(个)?(日|天|月|年|季度|周|工作日)|期限|最长|最低年限|期满)`),
  when: new RegExp(
    `(${NUMBER}\\s*(个)?(日|天|月|年|季度)(内|前|起|以内|终了)|之日起|日前|月${NUMBER}日|当日|当天|次月|次年|` +
      '按年|按月|按季|按次|同时|之前|以前|时起|终了|自.{0,30}起|前(申报|缴纳|办理|提出|报送|向))',
  ),
  // 「滞纳金怎么算」 is answered by the rate (「按日加收滞纳税款万分之五」) as much as by a formula
  basis:
    /(计税依据|按照|依照|以.{0,24}为|乘以|减除|计算|计征|按日加收|万分之|千分之|百分之|\d+(\.\d+)?\s*[%％‰]|税率为)/,
  who: /(纳税人|扣缴义务人|为.{0,8}人|由.{0,16}(缴纳|负担|申报|扣缴|承担|征收|办理)|以.{0,10}为|单位|个人|企业|机关|机构|方)/,
  where:
    /(税务机关|税务局|所在地|登记地|机构所在地|办税服务厅|电子税务局|网站|APP|App|app|【|地点|向.{0,16}(申报|缴纳|办理))/,
  how: /(办理步骤|办理条件|向.{0,20}(税务机关|税务局|申请|报送|办理|申报)|登录|点击|【|申请|填报|提供|报送|应当在|可以在|可以通过|建议|后再)/,
  which: /(包括|下列|如下|以下|：|分别|项目|情形|范围|、)/,
  definition: /(是指|指的是|构成|认定为|视为|界定为|属于|包括)/,
  condition: STATES_CONDITION,
  yesno:
    /(按年|按月|按季|按次|一次性|免征|不征收|不征|征收|不得|不能|不予|可以|可[申在通按选]|应当|应|准予|不属于|属于|必须|无需|不需要|需要|有权|不再|不另|也不|依法|视同|适用|免予|不适用|同等|不对)/,
}

/**
 * 「契税什么时候交」「印花税最晚哪天报」 ask when to pay or file: the deadline (「应当在依法办理…权属登记手续前申报缴纳」,
 * 「自纳税义务发生之日起六十日内申报缴纳」), not when the liability arises. 「从哪天开始算」「纳税义务什么时候发生」 ask the
 * latter, and are not this.
 */
const ASKS_PAY_WHEN =
  /((什么时候|啥时候|何时|几号|哪天|最晚|最迟|截止|几天内|多少天内|期限)[^。？?，,]{0,8}(交|缴|报|申报)|(交|缴|报|申报|缴纳)[^。？?，,]{0,8}(什么时候|啥时候|何时|几号|哪天|最晚|最迟|截止|期限))/
const ASKS_ARISES = /(发生|开始算|算起|起算|从哪天|从什么时候|哪天算|什么时候算|怎么算)/
/**
 * A passage that says when the liability arises and nothing about when to pay or file it. The phrase test comes first
 * and on the text as given (plain CJK, which NFKC leaves alone): most passages never get to the normalisation.
 */
export function arisesOnly(passage: string): boolean {
  if (!passage.includes('纳税义务发生时间')) return false
  return !/(申报|缴纳税款|同时缴纳|缴纳[^。；]{0,12}税|内缴纳|前缴纳)/.test(passage.normalize('NFKC'))
}

/** The question asks when to pay or file (not when the liability arises). */
export function asksPayWhen(question: string): boolean {
  const q = question.normalize('NFKC')
  return ASKS_PAY_WHEN.test(q) && !ASKS_ARISES.test(q)
}

/** The question asks when to pay or file, and the passage only says when the liability arises (not the answer). */
export function arisesForPayWhen(question: string, passage: string): boolean {
  return arisesOnly(passage) && asksPayWhen(question)
}

/** 1 when the passage gives the kind of answer the question asks for, 0 when it does not, ½ when unknown. */
export function typeFit(question: string, passage: string): number {
  return typeFitOf(question)(passage)
}

/** typeFit for one question over many passages: the question is read once. */
export function typeFitOf(question: string): (passage: string) => number {
  const type = questionType(question)
  if (!type) return () => 0.5
  const payWhen = asksPayWhen(question)
  return (passage) => (payWhen && arisesOnly(passage) ? 0 : GIVES[type].test(passage.normalize('NFKC')) ? 1 : 0)
}

/** The taxes by their statutory names. */
export const STATUTORY_TAXES = [
  ...['车辆购置税', '城市维护建设税', '城镇土地使用税', '土地增值税', '耕地占用税', '环境保护税', '个人所得税'],
  ...['企业所得税', '增值税', '消费税', '契税', '印花税', '房产税', '车船税', '资源税', '烟叶税', '船舶吨税'],
] as const
/** The first statutory tax name in a text (longer names first: 「土地增值税」 is not 增值税). */
export const TAX_NAME = new RegExp(`(${STATUTORY_TAXES.join('|')})`)

/** Short names people type for a tax (个税 → 个人所得税). */
export const TAX_ALIASES: readonly [RegExp, string][] = [
  [/个税/g, '个人所得税'],
  [/车购税/g, '车辆购置税'],
  [/土增税/g, '土地增值税'],
  [/城建税/g, '城市维护建设税'],
  [/企税/g, '企业所得税'],
  [/环保税/g, '环境保护税'],
]

export function expandTaxAliases(text: string): string {
  return TAX_ALIASES.reduce((t, [re, name]) => t.replace(re, name), text)
}

/** The statutory taxes a text names (「土地增值税」 names 土地增值税, not also 增值税). */
export function statutoryTaxesIn(text: string): string[] {
  return taxesNamedIn(text, STATUTORY_TAXES)
}

/** The statutory taxes a question names, the short names people type (个税, 车购税) included. */
export function taxesAskedIn(question: string): string[] {
  return statutoryTaxesIn(expandTaxAliases(question))
}
