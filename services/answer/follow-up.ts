/**
 * Multi-turn, pure: an elliptical follow-up ("那小规模呢", "要交多少", "那个体户呢") is resolved against the
 * previous consultation turn of the session by searching with both. A complete new question stands alone.
 */
const LEAD = /^(那么?|那如果|如果是|如果|要是|假如|换成|还有|另外|那要是|那我|那个)/
const TAIL = /(呢|吗)?[?？。!！\s]*$/
const BARE =
  /^(那)?(要|需要|得|应该)?(交|缴|扣|退|罚|补)?(多少|几个点|多少钱|多久|几天|什么时候|怎么办|怎么算|怎么交|怎么申报|在哪办|在哪里办)(钱|税)?(呢|啊)?[?？。!！\s]*$/
const TAX_TOPIC =
  /(个人所得税|个税|增值税|企业所得税|契税|印花税|房产税|车船税|车辆购置税|车购税|土地增值税|城镇土地使用税|消费税|关税|环境保护税|资源税|耕地占用税|城市维护建设税|教育费附加)/

/** 「什么时候交」「要交多少」「多久能退」: a short question that names no topic of its own. */
const ASKS_ONLY =
  /^(那|那么)?(要|需要|得|应该|大概|一般)?(什么时候|啥时候|何时|多久|多长时间|几号|哪天|多少|几个点|几天|在哪|去哪|哪里|怎么)/
const OWN_TOPIC = /(税|发票|申报|汇算|社保|登记|注销|扣除|罚款|滞纳金|退税|公司|企业|个体|房|车|工资|合同)/

/**
 * 「大概要交多少钱」「一年交几次」「最晚什么时候」「按月还是按季」「逾期了咋办」: a short message that, once its
 * question words and the verbs and fillers of paying are taken away, has nothing left: no subject of its own.
 * 「环保税多久申报一次」 keeps 环保, 「工会经费能扣多少」 keeps 工会经费: they stand alone.
 */
const QUESTION_WORDS =
  /(什么时候|啥时候|神马时候|何时|多久|多长时间|几号|哪天|哪一天|几月|多少|几个点|几次|几天|几年|在哪里|在哪|去哪|哪里|哪儿|怎么办|怎么|咋办|咋|如何|期限|截止|最晚|最后|还是|带啥|带什么|要啥|什么)/g
const PAYING_WORDS =
  /(那么|那|需要|应该|大概|一般|可以|能|会|要|得|是|的|了|吗|呢|啊|呀|申报|交|缴|退|报|扣|罚|算|办|弄|带|一年|每年|每个月|每月|一次|按|季度|季|月|年|份|钱|税率|税款|税|合适|到|之前|前|以后|下来|回来|逾期|过期|晚交|没交|补交|晚了|[\s?？。!！,，])/g

function nothingLeft(t: string): boolean {
  return t.replace(QUESTION_WORDS, '').replace(PAYING_WORDS, '').length === 0
}

export function isElliptical(text: string): boolean {
  const t = text.trim()
  const len = [...t].length
  if (BARE.test(t)) return true
  if (len <= 12 && ASKS_ONLY.test(t) && !OWN_TOPIC.test(t.replace(/(交税|缴税|报税|扣税|纳税)/g, ''))) return true
  if (len <= 12 && nothingLeft(t)) return true
  if (len <= 12 && LEAD.test(t)) return true
  if (len <= 8 && /呢[?？\s]*$/.test(t) && !TAX_TOPIC.test(t)) return true
  return false
}

export interface FollowUp {
  query: string
  resolved: boolean
}

/** Slots a follow-up typically swaps: the tax, or the kind of taxpayer. */
const SLOTS: readonly RegExp[] = [
  new RegExp(TAX_TOPIC.source, 'g'),
  /(小规模纳税人|小规模|一般纳税人|个体工商户|个体户|小型微利企业|高新技术企业|企业|公司|个人)/g,
]

/**
 * The search query for this turn: the previous question with the slot the follow-up names swapped
 * (「契税税率多少」 + 「那印花税呢」 → 「印花税税率多少」), or with the follow-up appended.
 */
export function resolveFollowUp(text: string, previousQuery: string | null | undefined): FollowUp {
  if (!previousQuery || !isElliptical(text)) return { query: text, resolved: false }
  const core = text.trim().replace(LEAD, '').replace(TAIL, '').trim()
  if (!core) return { query: previousQuery, resolved: true }
  for (const slot of SLOTS) {
    const now = core.match(slot)
    const before = previousQuery.match(slot)
    if (now && before && now[0] !== before[0]) {
      const replaced = previousQuery.replace(before[0], now[0])
      const rest = core.replace(now[0], '').trim()
      return { query: rest ? `${replaced} ${rest}` : replaced, resolved: true }
    }
  }
  // 「契税税率多少」 + 「那什么时候交」: a new question about the same subject, so the earlier question's own
  // ask (税率多少) must not outweigh it: 「契税 什么时候交」.
  if (nothingLeft(core)) return { query: `${subjectOf(previousQuery)} ${core}`, resolved: true }
  return { query: `${previousQuery} ${core}`, resolved: true }
}

/** What an earlier question was about, without what it asked: 「契税税率多少」 → 「契税」. */
const ASPECTS = /(税率|征收率|税额|标准|期限|时间|材料|流程|地点|比例|起征点)/g
/** A question word with the modal before it and the verb after it: 「要怎么交」「税率多少」. */
const ASK = new RegExp(`(要|能|可以|需要|得|应该)?${QUESTION_WORDS.source}(交|缴|算|报|申报|办|弄|退)?`, 'g')
const PARTICLES = /(吗|呢|啊|呀|了|[?？。!！,，])+(?=\s|$)/g

function subjectOf(query: string): string {
  const subject = query.replace(ASK, ' ').replace(ASPECTS, ' ').replace(PARTICLES, ' ').replace(/\s+/g, ' ').trim()
  return subject || query
}
