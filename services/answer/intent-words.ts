/**
 * The vocabulary the intent rules (intent-rules.ts) are built from: word lists, not sentences. Each list says
 * one thing a taxpayer may type on a phone in many ways (colloquial, abbreviated, with fillers such as 点/个);
 * the rules combine them. Edit a list to teach a new way of saying the same thing.
 */

/** A regex alternation of the words, longest first so a longer word wins. */
export function anyOf(words: readonly string[]): string {
  return `(?:${[...words].sort((a, b) => b.length - a.length).join('|')})`
}

/** Words that say a report is meant, on their own. */
export const REPORT_WORDS = ['举报', '举抱', '检举', '揭发', '告发', '举告', '曝光', '实名反映', '揭露']

/** Someone in particular who does it (not 「举报人」 or 「别人」 in general). */
export const OFFENDERS = [
  '有人',
  '有个',
  '有家',
  '一家',
  '这家',
  '那家',
  '他们',
  '他',
  '她',
  '老板',
  '东家',
  '公司',
  '企业',
  '单位',
  '店',
  '饭店',
  '超市',
  '商家',
  '房东',
  '中介',
  '主播',
  '网红',
  '代账',
  '事务所',
  '隔壁',
  '楼下',
  '某',
]

/**
 * Tax violations as people describe them: the practice itself (偷税, 两套账) or what they saw (收钱不给票,
 * 发工资不扣个税, 拿别人身份证开票). 点/个 fillers are allowed where people put them (逃个税, 少报点收入).
 */
export const VIOLATIONS = [
  '偷税',
  '逃税',
  '漏税',
  '偷漏税',
  '虚开',
  '假发票',
  '两套账',
  '两本账',
  '内外账',
  '阴阳账',
  '账外账',
  '假账',
  '不开票',
  '不开发票',
  '不给开票',
  '不给开发票',
  '不给票',
  '不给发票',
  '不肯开票',
  '少报收入',
  '隐瞒收入',
  '收入不报',
  '不报税',
  '不报个税',
  '不扣个税',
  '不代扣',
  '不申报',
  '不交税',
  '不缴税',
  '没交税',
  '没缴税',
  '税没交',
  '税不交',
  '个税不交',
  '不交个税',
  '拖欠税款',
  '一分税没交',
  '卖发票',
  '卖专票',
  '代开发票',
  '冒用',
  '别人身份证',
  '别人的身份证',
  '别人身份',
  '走私户',
  '私户收款',
  '发现金',
  '收现金',
]
/** 卖…发票 with a few words between (卖增值税专票, 兜售发票), and 逃了好多税. */
export const SELLS_INVOICES = '(?:卖|售).{0,6}(?:专票|发票)|(?:偷|逃|漏)了?(?:好多|很多|不少|大量|几百万|几十万)?税'

/** A wish that the tax office look into it, or an offer of evidence: with a violation, the message is a report. */
export const LOOK_INTO = [
  '查查',
  '查一查',
  '查一下',
  '查下',
  '来查',
  '去查',
  '查他',
  '查她',
  '查不查',
  '管不管',
  '管吗',
  '管一管',
  '管管',
  '管一下',
  '处理一下',
  '查处',
  '调查',
  '稽查',
  '严查',
  '彻查',
  '介入',
  '反映',
  '反馈给',
  '证据',
  '线索',
  '我知道',
  '我发现',
  '我看到',
]
/** Where/whom to tell: 往哪里反映, 找谁, 向谁说. */
export const WHERE_TO_TELL = '(?:往|向|到|找|跟)?(?:哪里|哪儿|哪|谁)(?:反映|反馈|投诉|说|举报)?'
/** 「让税务局去查」: asking the tax office itself to investigate someone. */
export const ASK_OFFICE_TO_INVESTIGATE =
  '(?:让|请|叫|希望|要|要求)(?:税务局|税务机关|税务所|税务|你们|稽查局)(?:来|去)?(?:查|管|处理|稽查|知道|了解|介入)'

/** A complaint about a tax office, an officer or the service, with or without the word 投诉. */
export const COMPLAINT_WORDS = [
  '投诉',
  '投述',
  '态度差',
  '态度很差',
  '态度太差',
  '态度不好',
  '态度恶劣',
  '态度极差',
  '什么态度',
  '啥态度',
  '差得很',
  '刁难',
  '吃拿卡要',
  '大吼大叫',
  '骂人',
  '不作为',
  '乱收费',
  '乱罚款',
  '推诿',
  '踢皮球',
  '来回跑',
  '白跑',
  '不满意',
  '太不像话',
  '打不通',
  '没人接',
  '没人管',
  '没人理',
  '挂我电话',
  '爱答不理',
  '爱理不理',
  '不理人',
  '不搭理',
  '没人回复',
  '没人回',
  '都占线',
  '一直占线',
  '老是占线',
  '一直没解决',
  '都没解决',
  '还没解决',
  '没人解决',
  '迟迟不',
  '挂电话',
  '服务太差',
  '服务差',
  '什么服务',
  '啥服务',
  '告状',
]
/** 效率太低, 办事太慢, 跑了三趟, 我要告你们 (「告诉」 is not 告). */
export const COMPLAINT_PATTERNS = [
  '效率(?:太|很|真|也太|极)?低',
  '(?:办事|办理|处理|窗口|审核)(?:太|很|真|也太|特别)慢',
  '太慢了',
  '跑了(?:[两三四五六七八九十几好]|好几)(?:趟|次|回)',
  '(?:要|想|去|我)告(?:你们|他|她|税务)',
  '(?:态度|脸色)(?:[^，。,]{0,4})(?:差|恶劣|难看|凶)',
  '(?:服务|效率|态度)(?:太|很|真|也太|极其|非常|特别)?(?:烂|差劲|糟糕|不行)',
]

/** People to talk to: asking for one of them is a request for a person. */
export const PEOPLE = [
  '人工',
  '真人',
  '活人',
  '客服',
  '工作人员',
  '坐席',
  '座席',
  '12366',
  '专员',
  '懂行的人',
  '懂的人',
  '领导',
  '负责人',
  '管事的',
]

/** The illegal practices a request for help may name, with fillers people type (逃个税, 少报点收入). */
export const PRACTICE_WORDS = [
  '逃税',
  '逃个税',
  '逃点税',
  '偷税',
  '偷点税',
  '漏税',
  '逃避缴纳',
  '避开税务',
  '做假账',
  '假账',
  '造假账',
  '两套账',
  '两本账',
  '内外账',
  '阴阳账',
  '账外账',
  '虚开',
  '假发票',
  '隐瞒收入',
  '瞒报收入',
  '少报收入',
  '少报点收入',
  '少报些收入',
  '少报一点收入',
  '藏收入',
  '隐藏收入',
]
