/**
 * Step 2, pure: intent rules. The order matters: an explicit report (举报) wins over a complaint (投诉),
 * both win over a request for a human, and a question that mentions tax is never out of scope.
 */
import {
  ASK_OFFICE_TO_INVESTIGATE,
  anyOf,
  COMPLAINT_PATTERNS,
  COMPLAINT_WORDS,
  DISPLEASURE,
  LOOK_INTO,
  OFFENDERS,
  PEOPLE,
  PRACTICE_WORDS,
  REPORT_WORDS,
  SELLS_INVOICES,
  SERVICE_TARGETS,
  VIOLATIONS,
  WHERE_TO_TELL,
} from './intent-words.js'

export const INTENTS = [
  'consult',
  'human',
  'complaint',
  'report',
  'suggestion',
  'greeting',
  'out-of-scope',
  'illegal',
  'blocked',
  'booking',
] as const
export type Intent = (typeof INTENTS)[number]

/** Words that make a message a tax matter even when it also mentions stocks, lottery, weather… */
const TAX_DOMAIN =
  /(税|发票|专票|普票|申报|纳税|缴纳|扣除|扣缴|汇算|社保|公积金|退税|减免|免征|抵扣|账簿|会计|稽查|登记|12366|电子税务局|办税|征收|滞纳金|罚款|个体户|小规模|一般纳税人)/

const REPORT = new RegExp(anyOf(REPORT_WORDS))
/** A question about reporting itself (is there a reward, is the reporter kept secret): a consult on the rule. */
const ABOUT_REPORTING = /(举报|检举).{0,12}(奖励|奖金|有奖|奖多少|保密|泄露|泄漏|匿名|被.{0,4}知道)/
/** The taxpayer's own business (我们公司, 本店): what it did is not a report about someone else. */
const SELF = /(我|我们|我家|本|自己)(的)?(公司|企业|店|单位|厂)|我司/
/** Any question at all (吗, 会不会, 多少, ？…). */
const ASKS = /(吗|么|呢|会不会|能不能|可不可以|是否|有没有|多少|几|怎么|如何|咋|哪|什么|谁|[?？]|[不没][\s?？]*$)/
/** Someone in particular (not 「举报人」 in general). */
const OFFENDER = new RegExp(anyOf(OFFENDERS))
/** A tax violation by someone: with a wish that the tax office look into it, the message is a report. */
const VIOLATION = new RegExp(`${anyOf(VIOLATIONS)}|${SELLS_INVOICES}`)
const WANTS_LOOKED_INTO = new RegExp(
  `${anyOf(LOOK_INTO)}|${WHERE_TO_TELL}(?:反映|反馈|投诉|说|举报)|怎么反映|发现(?!金|了?发票丢)`,
)
/** 「我们公司被人举报了 会怎么查」: the one reported asks what happens; not a report. */
const WAS_REPORTED = /被.{0,6}(举报|检举|揭发|告发|曝光)/
const OFFICE_TO_INVESTIGATE = new RegExp(ASK_OFFICE_TO_INVESTIGATE)
/** Asking what the rule or the penalty is (「…算虚开吗」「…会怎么处罚」): a consult, even about a violation. */
const ASKS_THE_RULE =
  /(算不算|算是|算虚开|是不是|是否|犯法吗|违法吗|合法吗|合规吗|合规不|是否合规|违不违法|犯不犯法|合不合法|合不合规|怎么处罚|怎么罚|罚多少|罚款多少|判刑|判几年|坐牢|后果|会怎么样|会怎样|有什么风险|(了|过).{0,8}(怎么办|怎么补救|如何补救|怎么处理))/
const COMPLAINT = new RegExp(`${anyOf(COMPLAINT_WORDS)}|${COMPLAINT_PATTERNS.join('|')}`)
/** 「你们系统太慢了」「窗口的人很不耐烦」: displeasure with the office, its staff or its channels. */
const SERVICE_TARGET = new RegExp(anyOf(SERVICE_TARGETS))
const DISPLEASED = new RegExp(anyOf(DISPLEASURE))
const PERSON = anyOf(PEOPLE)
const HUMAN: readonly RegExp[] = [
  /(转|接|找|要|联系|呼叫|叫|喊|换|请)(一下)?(个|一个)?人工/,
  /人工(在哪|在哪里|哪里|怎么转|怎么找|入口)/,
  /(跟|和|与)(个|一个)?人(说话|聊|沟通|交流|对话)/,
  /人工(客服|服务|坐席|座席|接听|咨询|解答|回复|帮助|帮忙)/,
  /^(人工[\s,，。!！]*)+$/,
  // 「我要跟工作人员说」, not 「工作人员说我要补税」 (what someone said)
  /(真人|活人|工作人员|客服人员|坐席|座席)(说|聊|沟通|交流|接|回复|帮我|联系我|给我回)(?![我要让了过是你他她的话])/,
  /(找|要|换|来)(个|一个|位)?(真人|活人|人工|客服|工作人员|坐席|座席|懂行的人)/,
  /找(个|一个)?人(?!所得|的)(跟|和|来|聊|说|帮|问)/,
  /(有没有|有)人工/,
  /让人工/,
  /(不想|不要|别)(再)?(让)?(跟|和|与)?(机器人|机器)/,
  new RegExp(`(跟|和|与|找|问|咨询|请教)(一下)?(你们)?(的)?${PERSON}(?!说我|说要|让我|告诉我)`),
  /(12366)?(坐席|座席)/,
  /(回电话|回电|打电话给我|给我打电话|电话联系我|联系我一下)/,
  // typed in pinyin: 「rengong」「zhuan ren gong」「rengongkefu」
  /^[\s,，。!！]*((zhuan\s*)?ren\s*gong(\s*ke\s*fu)?[\s,，。!！]*)+$/i,
  // in English: 「human please」「transfer to agent pls」「can I talk to a real person」
  /^\s*(human|agent|operator|real person)(\s+(please|pls|plz))?[\s.!?]*$/i,
  /\b(talk|speak|chat|transfer|connect)\b.{0,24}\b(human|agent|operator|real person|someone|staff)\b/i,
  /^(我要)?找人$/,
  /机器人.{0,8}(听不懂|没用|不行|答非所问)/,
  // 「你帮我把我的收入明细调出来看看」: the taxpayer's own records, which only a person with access can look up
  /(帮我|给我|替我)(把)?我(的|这个|这边)?.{0,12}(调出来|调取|调一下|调出|拉出来|查出来)/,
  /(帮我|给我|替我)(查查|查一查|查一下|查下|看看|看一下|核对一下)我(的|这个|这边)?.{0,8}(明细|记录|账户|数据|进度|信息|档案)/,
  // 转接一下, 接通客服, 转12366, 叫你们客服来, 有真人吗, 我要找人, 给我打个电话
  /转接/,
  new RegExp(`(接通|转给|转到|转去|转|叫|喊|让)(一下)?(你们)?(的)?${PERSON}`),
  /(有没有|有)(真人|活人|客服|工作人员)(吗|没|在|不|啊|呀|[?？\s]|$)/,
  /(我要|我想|要|想)找(个)?人([\s,，。!！?？吗啊呀]|$)/,
  new RegExp(`^(找|要|我要|联系|在线)?${PERSON}[\\s,，。!！?？呢吗啊呀在]*$`),
  /^(来|派|找)(个|一个)(真)?人(?!所得|的|工|员)/,
  /(换|来)(个|一个)人(?!所得|的|工|员)/,
  /(你|机器人|机器)(也|都|根本|完全|还是)?(不懂|听不懂|不明白|答非所问)/,
  /(有没有|有)人(在线|在吗|在不在|回复|回答)/,
  /(^|[\s,，。!！?？])(人呢|有人吗|有人在吗)/,
  /(需要|要|想要)人工/,
  // 「给我一个工作人员的电话」 (not 「12366电话是多少」, which asks for the hotline)
  /(工作人员|专管员|税管员|人工|坐席|座席|专家|领导|负责人|经理)(的)?(电话|联系方式|手机号|手机)/,
  /(给我|跟我|帮我)(回|打)(个|一个)(电话)/,
]
const SUGGESTION =
  /((我|想|要)(有|提|给你们提)(个|一个|一条|一点|几点|几条)?(建议|意见)|建议你们|你们(应该|能不能|可不可以)(改进|优化|增加|改善)|意见反馈)/
const GREETING =
  /^(你好|您好|hi|hello|嗨|哈喽|在吗|在不在|有人吗|早上好|上午好|下午好|晚上好|谢谢|多谢|感谢|谢了|好的|再见|拜拜)[\s!！。.~？?,，]*(啊|呀|你|您|了|哈)?[\s!！。.~？?]*$/i
const OFF_TOPIC =
  /(股票|炒股|涨停|牛股|基金.{0,4}(推荐|买|涨)|比特币|虚拟币|彩票号码|双色球号码|预测.{0,4}(彩票|号码)|天气|气温|下雨|作文|写一篇|写(一)?首.{0,10}诗|写诗|讲个笑话|小说|菜谱|怎么做菜|谈恋爱|星座|算命|游戏攻略|电影推荐|旅游攻略)/
const PRACTICE = anyOf(PRACTICE_WORDS)
/** Asking how not to be found out: refused even when the message also asks about the penalty. */
const EVADES_DETECTION: readonly RegExp[] = [
  /(不被|不让|逃过|躲过|躲避)(税务局|税务机关|稽查|税务)?.{0,4}(查到|发现|查出|稽查|知道)/,
  /(才|就)(能)?(查不到|查不出|发现不了|不会被.{0,6}(查|发现)|不被.{0,6}(查|发现))/,
  /(最好|保证|确保|要)(是)?.{0,4}(查不到|查不出|发现不了|不会被.{0,6}(查|发现))/,
  /(查不到|查不出来?|发现不了)的(那种|办法|方法|路子)/,
  /(让|使|叫)(税务局|税务机关|税务|稽查)?.{0,2}(查不到|查不出|发现不了)/,
  /(查账|检查|稽查)(前|之前).{0,8}(做平|平账|改账|调账|补账)/,
  // 「品名怎么写不容易被看出来」「收多少以内不会被预警」「倒签的合同税务上看得出来吗」
  /(不容易|(?<!会)不会|不至于)被.{0,8}(看出来|看出|发现|查到|查出|预警|识别|盯上)/,
  /(税务|税局|系统|金税|稽查).{0,6}(看得出来|看不出来|查得出来|查不出来|看得出|发现得了)/,
  // 「咋弄不被查」「怎么做才不被抓」 (not 「查询」「查看」)
  /(不被|别被|免得被|不会被)(税务局|税务机关|税务|稽查|人)?(查|抓)(?![询看阅])/,
]
/** 「偷偷不报税会被发现吗」: how likely a violation is to be caught. */
const CAUGHT = /(会不会|会|能不能|能|容易)被.{0,6}(发现|查到|查出)/
/** The papers a made-up deduction claim rests on (「假租房合同」「假的在职证明」). */
const DOCUMENTS = '(?:合同|协议|证明|材料|资料|凭证)'
/** 「按票面收3个点」: a fee on an invoice's face value, the price of a bought invoice. */
const FACE_VALUE_FEE = '票面.{0,4}(?:收|给|付|加|返|抽|拿).{0,3}点'
/** Asking to be taught evasion, fake books or where to buy invoices: refused unless it asks what the rule is. */
const ILLEGAL: readonly RegExp[] = [
  new RegExp(
    `(教我|帮我|帮忙|告诉我|教教我|有没有办法|有什么办法|有啥办法|有啥法子|有没有路子|有啥路子|怎么样?才能|如何才能|怎样才能|怎么|如何|咋|想)` +
      `.{0,10}${PRACTICE}`,
  ),
  new RegExp(
    `${PRACTICE}.{0,16}(怎么弄|怎么做|怎么操作|如何操作|咋弄|咋做|咋整|有什么办法|有啥办法|要注意啥|要注意什么|注意啥|注意什么|怎么写)`,
  ),
  /(去哪|哪里|哪儿|什么地方|怎么|在哪)(能|可以)?(买|购买)(到)?.{0,8}(发票|专票|普票)/,
  /(哪|哪里|哪儿|谁)(有|能|在)(卖|买|收)(发票|专票|普票|进项|票)/,
  // 「买点专票抵扣」, not 「买的货 拿到的专票能抵扣吗」 (goods bought, the invoice received)
  /(买|购买)(点|些|几张|一些|一点)?(增值税)?(专用)?(发票|专票|进项票|普票|票).{0,6}(抵扣|冲账|报销|抵进项|抵税|入账)/,
  /(帮我|给我|帮忙)(弄|搞|整|买|找)(几|点|些|一些|一点)(张)?.{0,4}(发票|专票|普票|票)/,
  /(把|将)?(收入|营业额|销售额|利润)(做|报|弄|搞|写)(低|少)/,
  /(没有|没|无)(实际|真实)?的?(业务|交易|经营|货物|买卖|服务).{0,8}(开|开具)(个|张|点|些)?.{0,4}(发票|专票|票)/,
  /(开|开具)(个|张|点|些)?.{0,4}(发票|专票|票).{0,10}(没有|没|无)(实际|真实)?的?(业务|交易|经营|货物|买卖)/,
  /(想|要)(买|购买)(点|些|几张|一些)?.{0,4}(发票|专票|普票|进项票)/,
  /(弄|搞|整|买|收)(点|些|几张|一些|一点)(专票|发票|普票|进项票|票)/,
  /(找|搞|弄)(点|些|几张)(发票|票).{0,4}(来)?(冲|抵|报销|入账|平账)/,
  // 「有朋友能帮忙找票冲成本，按票面收3个点」: invoices bought for a fee on their face value
  /(找|搞|弄|买)(点|些|几张)?(发票|专票|票)(来)?(冲|做|充|抵)(成本|费用|账|利润)/,
  new RegExp(FACE_VALUE_FEE),
  /(发票|专票|票).{0,12}(哪里|哪儿|去哪|在哪)(能|可以)?(搞|弄|买)(到)?/,
  /(金额|数额|价格|价钱).{0,4}(写|开|填)(大|高|多)(一)?点/,
  /多开(点|一点|一些|些)/,
  /(有没有办法|有什么办法|有啥办法|有啥法子|有没有路子|教我).{0,6}(不交|不缴|不用交)(个)?税/,
  /(收入|工资|劳务费|营业额).{0,6}(拆|分|挂)(到|给|在)?.{0,8}(人头|别人|几个人|亲戚|家人)/,
  // 「农产品收购发票」, 「开具收购发票」 name an invoice a buyer issues itself, not trading in invoices
  /(?<!农产品|农副产品|开|开具|自开|领用|申领)(收购|回收)(发票|专票|普票|进项票|票)|多余的(发票|专票|票)/,
  /(发票|开票|代开|专票|票).{0,16}(加钱|给你们钱|返给你|好处费|返点|回扣|手续费给你)/,
  /(少交|少缴|不交|不缴|避)(点)?税.{0,16}(个人账户|私人账户|私户|个人卡|私卡)/,
  // 「营业款我打算一半转进我老婆卡里不入账 这样能少交多少税」: takings kept off the books in a relative's card
  /(营业款|营业额|收入|货款|收的钱|钱).{0,12}(转进|转到|打到|打进|存到|存进|放到|放进)(我|他|她)?的?(老婆|老公|媳妇|家人|亲戚|朋友|父母|爸妈|个人|私人|自己)?的?(卡|账户).{0,6}(不入账|不走账|不记账)/,
  /(收入|钱|货款|营业款).{0,8}(放到|转到|打到|走|进)(个人|私人)(账户|卡|账)/,
  // the deceit told instead of named: 「开劳务费发票 其实没干活」「帮我编几张差旅票」「合同往前倒签」
  /(发票|票|合同).{0,16}(其实|实际上?|根本)(没|没有|并没有|并没)(干活|干过|业务|发生|交易|提供|经营|这回事)/,
  /(帮我|给我|教我|替我|想|要|能不能)(编|造|伪造|捏造|虚构)(几|一些|点|个|一下|一份)?/,
  /(倒签|往前签|日期往前)/,
  // 「开个假的在职证明去扣继续教育」「拿假租房合同填扣除」: a made-up document used to claim or to pay less
  new RegExp(`(假|虚假|伪造)的?.{0,6}${DOCUMENTS}.{0,10}(扣|抵|报销|申报|享受|少交|少缴|冲)`),
  /(借款|借条|借钱).{0,10}(挂着|永远不还|一直不还|不打算还|不用还)/,
  // 「把卖货的钱先挂在股东借款上」「收入挂往来」: sales booked as a loan or a current account, so no income is recognised
  /(收入|货款|营业款|营业额|销售款|卖货的钱|收的钱).{0,10}挂(在|到|进)?.{0,8}(借款|往来|其他应付)/,
  /(挂|放|转|落|记)(到|在)(我|他|她)?的?.{0,6}名下.{0,16}(少交|少缴|税.{0,3}少|少.{0,2}税|避税|省税)/,
]

/** 「我想预约…」: booking a hall visit (网上预约办税), answered with a link to the booking page. */
const BOOKING = /((我|想|要|怎么|如何|能不能|可以).{0,4}预约(?!定价)|预约办税|网上预约(?!定价))/

/** The illegal practice a refused request names, so the refusal can say plainly that it is illegal. */
const PRACTICES: readonly [RegExp, string][] = [
  [
    /(虚开|假发票|开几张|代开|(没有|没|无).{0,8}(业务|交易).{0,8}开|开.{0,6}票.{0,10}(没有|没|无).{0,4}(业务|交易)|金额.{0,4}(写|开|填)(大|高|多)|多开|空壳公司|皮包公司|走票|洗票|过票)/,
    '虚开发票或使用假发票',
  ],
  [
    new RegExp(
      `(买|购买|卖|收购|回收).{0,8}(发票|专票|进项|票)|多余的(发票|票)|(弄|搞|整|找)(几|点|些|一些|一点)张?.{0,4}(发票|票)|找(发票|专票|票)(来)?(冲|做|充|抵)|${FACE_VALUE_FEE}`,
    ),
    '买卖发票',
  ],
  // 「让员工拿假租房合同填扣除」: a made-up contract or certificate to claim a deduction
  [new RegExp(`(假|虚假|伪造|编造?)的?.{0,4}${DOCUMENTS}|阴阳合同`), '编造虚假合同、资料少缴税款或骗取扣除'],
  [/(两套账|两本账|内外账|阴阳账|账外账|做假账|假账|造假账|账做平|做平|虚增|虚列|多列支出)/, '设置两套账、做假账'],
  [
    /(隐瞒收入|瞒报|少报.{0,2}收入|不报收入|不入账|(不|少)确认收入|藏.{0,2}收入|收入.{0,4}(藏|做低|报低|做少|报少)|收入.{0,8}(个人|私人)(账户|卡)|收入.{0,6}(拆|分|挂)|(货款|营业款|卖货的钱|收的钱).{0,10}挂.{0,8}(借款|往来|其他应付))/,
    '隐瞒收入、少报收入',
  ],
  [/(逃|偷|漏).{0,2}税|逃避缴纳|少交|不被|不报税/, '逃避缴纳税款'],
]

export function illegalPractice(text: string): string {
  for (const [re, name] of PRACTICES) if (re.test(text)) return name
  return '逃避缴纳税款'
}

export interface IntentResult {
  intent: Intent
  /** The rule that fired, for logs and tests. */
  rule: string
}

export function classifyIntent(text: string): IntentResult {
  const t = text.trim()
  // 「有人在网上卖发票，怎么举报，有奖励吗」 names someone's violation: still a report; only the bare question
  // about the rules (「检举偷税的人会保密吗」) is a consult.
  const violation = VIOLATION.test(t)
  const offender = OFFENDER.test(t)
  const namesOffender = violation && offender
  const mentionsReport =
    REPORT.test(t) && !WAS_REPORTED.test(t) && !(ABOUT_REPORTING.test(t) && ASKS.test(t) && !namesOffender)
  if (mentionsReport) return { intent: 'report', rule: 'report' }
  // 「老板让我们收现金不开票 税务局管吗」: someone's violation and a wish that it be looked into. Asking what
  // the rule or the penalty is (「…这算虚开吗」) stays a consult.
  // 「这家4S店买车不给开发票 要加钱才开」: someone's violation told as a plain statement is a report too.
  const implied =
    (namesOffender && (WANTS_LOOKED_INTO.test(t) || (!ASKS.test(t) && !SELF.test(t)))) ||
    (OFFICE_TO_INVESTIGATE.test(t) && offender)
  const asksTheRule = ASKS_THE_RULE.test(t)
  if (implied && !asksTheRule) return { intent: 'report', rule: 'report#implied' }
  for (const [i, p] of EVADES_DETECTION.entries()) if (p.test(t)) return { intent: 'illegal', rule: `evasion#${i}` }
  if (violation && CAUGHT.test(t)) return { intent: 'illegal', rule: 'evasion#caught' }
  if (!asksTheRule)
    for (const [i, p] of ILLEGAL.entries()) if (p.test(t)) return { intent: 'illegal', rule: `illegal#${i}` }
  if (COMPLAINT.test(t)) return { intent: 'complaint', rule: 'complaint' }
  if (SERVICE_TARGET.test(t) && DISPLEASED.test(t) && !asksTheRule)
    return { intent: 'complaint', rule: 'complaint#displeasure' }
  for (const [i, p] of HUMAN.entries()) if (p.test(t)) return { intent: 'human', rule: `human#${i}` }
  if (SUGGESTION.test(t)) return { intent: 'suggestion', rule: 'suggestion' }
  if (GREETING.test(t)) return { intent: 'greeting', rule: 'greeting' }
  if (BOOKING.test(t)) return { intent: 'booking', rule: 'booking' }
  if (OFF_TOPIC.test(t) && !TAX_DOMAIN.test(t)) return { intent: 'out-of-scope', rule: 'off-topic' }
  return { intent: 'consult', rule: 'default' }
}

/**
 * 「投诉电话多少」「怎么举报」「检举箱在哪里」: a question about the channel that says nothing yet about whom or what.
 * It is answered with how to report or complain here (no ticket: an empty ticket only costs a seat's time); the
 * next message that names the matter is the report or complaint. A message that already names someone, a violation
 * or what went wrong (「有家饭店不给开发票 在哪举报」) stays a ticket.
 */
const CHANNEL =
  /(怎么|怎样|如何|在哪|哪里|去哪|到哪|向谁|找谁|通过什么|什么渠道|什么方式|电话|热线|号码).{0,6}(举报|检举|投诉)|(举报|检举|投诉)(电话|热线|渠道|方式|途径|流程|箱|邮箱|网址|入口|地址)/

const CHANNEL_EVERYWHERE = new RegExp(CHANNEL.source, 'g')

const FILLER = /(我要|我想|想要|请问|你好|您好|麻烦|一下|这个|那个|我|要|想|的|了|吗|啊|呀|呢|吧|是|多少|什么|号码)/g

export function asksHowToReport(text: string): boolean {
  const t = text.trim()
  if (!CHANNEL.test(t) || OFFENDER.test(t) || VIOLATION.test(t) || DISPLEASED.test(t)) return false
  // what is left once the channel question and fillers are gone: six or more characters tell the matter itself
  // (「苏州的办税大厅排队三个小时没人管」)
  const rest = t
    .replace(CHANNEL_EVERYWHERE, '')
    .replace(/(举报|检举|投诉)/g, '')
    .replace(FILLER, '')
  return [...rest.replace(/[^\p{Script=Han}\p{L}\p{N}]/gu, '')].length < 6
}

/**
 * 「虚开发票会判几年」「被举报了会怎么查」「举报有奖励吗」: a question about the rule, the penalty or reporting itself.
 * The semantic intent step (semantic-intent.ts) never turns such a message into a report or a refusal.
 */
export function asksAboutTheRule(text: string): boolean {
  const t = text.trim()
  return ASKS_THE_RULE.test(t) || WAS_REPORTED.test(t) || (ABOUT_REPORTING.test(t) && ASKS.test(t))
}

/** Whether a message is about tax at all (used to decline vague non-tax chatter politely). */
export function mentionsTax(text: string): boolean {
  return TAX_DOMAIN.test(text)
}
