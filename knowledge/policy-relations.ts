/**
 * The relation parser, pure: clause texts of a 公告 → typed links to the documents (文号) and law articles
 * they name. Rules (README "Policy documents"):
 * - 「…（文号）…同时废止 / 自…起废止 / 停止执行 / 停止施行 / 不再执行」 → `repeals` (with `targetPart` when
 *   only 「第二条第（三）项」, 「附件1」… of the target goes); the date is the one in the sentence, else the
 *   document's own commencement (「同时」).
 * - 「…修改为 / 修订为 / 调整为」 naming a document → `amends`.
 * - 「延续执行至 / 执行期限延长至 …」 naming a document → `extends` (the date is the new end).
 * - 「本公告自…起施行 / 实施 / 执行」, 「自发布之日起施行」 → `effective` (no target).
 * - 「本公告执行至…」, 「…有效期至…」 → `expires` (no target; the date is the first day no longer covered).
 * - 「根据《中华人民共和国X法》…第N条」 in the preamble → `implements` (target a law-article id when the
 *   law is in the corpus).
 * 文号 are written in full (「国家税务总局公告2013年第18号」, 「国税函〔2010〕184号」) or short, after the title
 * (「《国家税务总局关于…的公告》（2023年第1号）」): the short form takes its issuer from the title. A short
 * name defined by the text (「（2026年第10号，以下简称10号公告）」) is resolved too.
 */
import { docNumberKey, type PolicyRelation } from './policy-info.js'

export interface RelationInput {
  docNumber: string
  publishedAt: string | null
  effectiveFrom: string | null
  /** `lead`: the parent heading a sub-clause passage repeats before its own text (not parsed twice). */
  clauses: readonly { label: string; text: string; lead?: string }[]
}

const TRAILING_JOINERS = /(?:[、和及，,]|以及)+$/

function partAfter(s: string, from: number): string | undefined {
  const part = PART.exec(s.slice(from))?.[1]?.replace(TRAILING_JOINERS, '')
  return part || undefined
}

function parentOf(label: string): string {
  const i = label.indexOf('（')
  return i > 0 ? label.slice(0, i) : label
}

export interface LawTitles {
  /** Full law title (「中华人民共和国增值税法」) or its short form → the corpus shortName (「增值税法」). */
  shortNameOf(title: string): string | undefined
}

// Issuers are listed, not guessed: a free 「…局」 pattern would swallow the words before the 文号.
const ORG =
  '(?:国家税务总局[\\u4e00-\\u9fa5]{2,8}?税务局|国家税务总局|税务总局|财政部|海关总署|商务部|工业和信息化部|公安部|' +
  '人力资源社会保障部|人力资源和社会保障部|农业农村部|退役军人事务部|证监会|中国证监会|国家外汇管理局|国家能源局|自然资源部|' +
  '科技部|民政部|外交部|生态环境部|住房城乡建设部|交通运输部|中国人民银行|金融监管总局|国家发展改革委|市场监管总局|' +
  '国家知识产权局|文化和旅游部|国家卫生健康委|水利部|国家林草局|中央宣传部|教育部|国务院)'
const FULL_GONGGAO = new RegExp(`(${ORG}(?: ?${ORG})*)公告 ?(?:(\\d{4})年第(\\d+)号|〔(\\d{4})〕(\\d+)号)`, 'gu')
// 「财税〔2016〕36号」, 「国税函[1999]37号」, 「税总办征科函〔2025〕64号」: the prefix is built from these characters
// only, so the verb before a free-standing 文号 (「同时废止财税…」) is not taken for part of it.
const BRACKET_NO =
  /([财国税总发函办字明电征科管政预关外社人厅海环苏浙沪京粤鲁闽川]{1,8})\s?[〔[［【](\d{4})[〕\]］】](\d+)号/gu
const SHORT_NO = /^(\d{4})年第(\d+)号/
const TITLE_REF = /《([^《》]{2,200})》（([^（）]*(?:（[^（）]*）[^（）]*)*)）/gu
const ALIAS = /[（(]([^（）()]*?\d+号)[，,]\s*以下简称(?:《)?([^》）)]{1,30}?)(?:》)?[）)]/gu
const REPEAL = /(同时废止|予以废止|自[^，。；]*?起废止|相应废止|废止|停止执行|停止施行|不再执行)/
const AMEND = /(修改为|修订为|调整为|修改如下|修订如下)/
const EXTEND = /(延续执行至|延长至|继续执行至|执行期限延长)/
const DATE = /(\d{4})年(\d{1,2})月(\d{1,2})日/
const SELF = /^(本公告|本办法|本规定|本准则|本通知|本决定|本规程|本细则|本守则|本公告及其附件)/
const CN_NUM = '[一二三四五六七八九十百零]+'
/** 「本公告第一条和第二条…」: the clauses a self-referential sentence is about. */
const SELF_CLAUSES = new RegExp(`^本(?:公告|办法|规定|通知)(第${CN_NUM}条(?:(?:和|、|及|以及)第${CN_NUM}条)*)`, 'u')
/** 「…，2022年12月31日终止执行」 (the document's own end, no target named). */
const OWN_END = /(\d{4})年(\d{1,2})月(\d{1,2})日(起)?(?:终止执行|终止施行|停止执行|停止施行)/

function ownEndDate(m: RegExpExecArray): string {
  const day = isoDate(m) as string
  return m[4] ? day : nextDay(day)
}

const CLAUSE_NUMBER = new RegExp(`第(${CN_NUM})条`, 'gu')

/** Pure: 「第一条和第二条」 → ['一', '二'] (the labels of a 公告's clauses). */
export function clauseNumbersIn(part: string): string[] {
  return [...part.matchAll(CLAUSE_NUMBER)].map((m) => m[1] as string)
}

/** Pure: whether a clause label (「一」, 「一（二）」, 「第一条」) is one of those numbers. */
export function clauseLabelIn(label: string, numbers: readonly string[]): boolean {
  const top = parentOf(label).replace(/^第/, '').replace(/条.*$/, '')
  return numbers.includes(top)
}
const PART = new RegExp(
  '^(?:中|的)?((?:第[一二三四五六七八九十百零、]+条(?:至第[一二三四五六七八九十百零]+条)?(?:第[一二三四五六七八九十]+款)?(?:第?[（(][一二三四五六七八九十]+[）)]项)?' +
    '(?:第\\d+目)?|附件\\d*(?:[-至]\\d+)?|第[（(][一二三四五六七八九十]+[）)]项|[、和及，,]|以及)+)',
)

export function isoDate(m: RegExpExecArray | null): string | null {
  if (!m) return null
  return `${m[1]}-${String(m[2]).padStart(2, '0')}-${String(m[3]).padStart(2, '0')}`
}

/** The day after an ISO date (an end date 「至2027年12月31日」 means in force up to and including it). */
export function nextDay(iso: string): string {
  const d = new Date(`${iso}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + 1)
  return d.toISOString().slice(0, 10)
}

interface Ref {
  docNumber: string
  title?: string
  start: number
  end: number
}

/** Issuer part of a title: 「财政部 税务总局关于…的公告」 → 「财政部 税务总局」. */
function issuerOfTitle(title: string): string | null {
  const i = title.indexOf('关于')
  if (i <= 0) return null
  return title.slice(0, i).trim()
}

function firstDocNumber(s: string): string | null {
  FULL_GONGGAO.lastIndex = 0
  BRACKET_NO.lastIndex = 0
  const a = FULL_GONGGAO.exec(s)
  const b = BRACKET_NO.exec(s)
  const best = [a, b].filter((m): m is RegExpExecArray => m !== null).sort((x, y) => x.index - y.index)[0]
  if (!best) return null
  return best[0].trim()
}

/** Every document a sentence names, in order of appearance. */
export function findDocRefs(sentence: string, aliases: ReadonlyMap<string, string> = new Map()): Ref[] {
  const refs: Ref[] = []
  const covered: [number, number][] = []
  for (const m of sentence.matchAll(TITLE_REF)) {
    const title = m[1] ?? ''
    const paren = (m[2] ?? '').trim()
    let no = firstDocNumber(paren)
    const short = SHORT_NO.exec(paren)
    if (short && (!no || paren.indexOf(no) > 0)) {
      const issuer = issuerOfTitle(title)
      no = issuer && /公告$/.test(title) ? `${issuer}公告${short[1]}年第${short[2]}号` : no
    }
    const at = m.index ?? 0
    covered.push([at, at + m[0].length])
    if (no) refs.push({ docNumber: no, title, start: at, end: at + m[0].length })
  }
  const free = (re: RegExp, make: (m: RegExpExecArray) => string) => {
    re.lastIndex = 0
    for (const m of sentence.matchAll(re)) {
      const at = m.index ?? 0
      if (covered.some(([s, e]) => at >= s && at < e)) continue
      // 「（国家税务总局公告2018年第31号修改）」 names the amender of a cited document, not a target
      if (/^[^（）]*?(?:修改|印发|发布)[）)]/.test(sentence.slice(at + m[0].length))) continue
      refs.push({ docNumber: make(m as RegExpExecArray), start: at, end: at + m[0].length })
      covered.push([at, at + m[0].length])
    }
  }
  free(FULL_GONGGAO, (m) => m[0].trim())
  free(BRACKET_NO, (m) => m[0].trim())
  for (const [alias, no] of aliases) {
    let from = 0
    for (;;) {
      const at = sentence.indexOf(alias, from)
      if (at < 0) break
      from = at + alias.length
      if (covered.some(([s, e]) => at >= s && at < e)) continue
      refs.push({ docNumber: no, start: at, end: at + alias.length })
      covered.push([at, at + alias.length])
    }
  }
  return refs.sort((a, b) => a.start - b.start)
}

/** 「（2026年第10号，以下简称10号公告）」 style short names defined anywhere in the document. */
export function findAliases(text: string): Map<string, string> {
  const out = new Map<string, string>()
  for (const m of text.matchAll(TITLE_REF)) {
    const title = m[1] ?? ''
    const paren = m[2] ?? ''
    const alias = /以下简称(?:《)?([^》，,）)]{1,30}?)(?:》)?$/.exec(paren)?.[1]
    if (!alias) continue
    const refs = findDocRefs(m[0])
    const no = refs[0]?.docNumber
    if (no) out.set(alias, no)
    else if (/公告$/.test(title)) void 0
  }
  for (const m of text.matchAll(ALIAS)) {
    const no = firstDocNumber(m[1] ?? '')
    if (no && m[2]) out.set(m[2], no)
  }
  return out
}

function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[。；])|\n/)
    .map((s) => s.trim())
    .filter(Boolean)
}

/** One parsed link to a document named in sentence `quote` of clause `clause`. */
function docRelation(
  type: PolicyRelation['type'],
  r: Ref,
  date: string | null,
  clause: string,
  quote: string,
  part: string | undefined,
): PolicyRelation {
  const rel: PolicyRelation = { type, target: r.docNumber, effectiveDate: date, clause, quote, origin: 'parsed' }
  if (r.title) rel.targetTitle = r.title
  if (part) rel.targetPart = part
  return rel
}

export function parseRelations(doc: RelationInput, laws?: LawTitles): PolicyRelation[] {
  const out: PolicyRelation[] = []
  const selfKey = docNumberKey(doc.docNumber)
  const aliases = findAliases(doc.clauses.map((c) => c.text).join('\n'))
  let commencement = doc.effectiveFrom
  // first pass: the document's own commencement, so 「同时废止」 gets its date
  for (const c of doc.clauses) {
    const own = c.lead && c.text.startsWith(c.lead) ? c.text.slice(c.lead.length) : c.text
    for (const s of splitSentences(own)) {
      const body = s.replace(/^[一二三四五六七八九十]+、|^第[一二三四五六七八九十百]+条\s*/, '')
      if (!SELF.test(body)) continue
      if (/自(发布|公布|印发)之日起(施行|实施|执行|生效)/.test(body)) {
        out.push({ type: 'effective', effectiveDate: doc.publishedAt, clause: c.label, quote: s, origin: 'parsed' })
        commencement ??= doc.publishedAt
        continue
      }
      // 「本公告第一条和第二条自…起施行，…终止执行」: the own terms of those clauses only
      const scope = SELF_CLAUSES.exec(body)?.[1]
      const part = scope ? { targetPart: scope } : {}
      const eff = /自(\d{4})年(\d{1,2})月(\d{1,2})日起(?:施行|实施|执行|生效|试行)/.exec(body)
      if (eff && !/废止|停止/.test(body.slice(0, eff.index))) {
        out.push({
          type: 'effective',
          effectiveDate: isoDate(eff),
          clause: c.label,
          quote: s,
          origin: 'parsed',
          ...part,
        })
        commencement = isoDate(eff)
      }
      const until = /(?:执行至|有效期至|施行至|实施至)(\d{4})年(\d{1,2})月(\d{1,2})日/.exec(body)
      // 「2022年12月31日终止执行」 covers that day; 「自2026年1月1日起终止执行」 does not
      const ends = until ? null : OWN_END.exec(body)
      const end = until ? nextDay(isoDate(until) as string) : ends ? ownEndDate(ends) : null
      if (end) out.push({ type: 'expires', effectiveDate: end, clause: c.label, quote: s, origin: 'parsed', ...part })
    }
  }
  // 「下列规定自2017年12月1日起废止：」 followed by a list of documents (possibly in sub-clause passages)
  let pendingList: { parent: string; date: string | null } | null = null
  for (const c of doc.clauses) {
    const isPreamble = c.label === '正文'
    const own = c.lead && c.text.startsWith(c.lead) ? c.text.slice(c.lead.length) : c.text
    if (pendingList && pendingList.parent !== parentOf(c.label)) pendingList = null
    for (const s of splitSentences(own)) {
      // 「除本公告和《…》（…2025年第17号）外，…同时停止执行」: the documents named as exceptions are not targets
      const except = /除(.+?)外[，,]/.exec(s)
      const exceptEnd = except ? except.index + except[0].length : -1
      const refs = findDocRefs(s, aliases).filter((r) => docNumberKey(r.docNumber) !== selfKey && r.start >= exceptEnd)
      const repeal = REPEAL.exec(s)
      const amend = AMEND.exec(s)
      const extend = EXTEND.exec(s)
      if (pendingList && refs.length > 0 && !repeal && !amend) {
        for (const r of refs) {
          out.push(docRelation('repeals', r, pendingList.date, c.label, s, partAfter(s, r.end)))
        }
        continue
      }
      if (repeal && refs.length === 0 && /[：:]$/.test(s)) {
        const d = /自(\d{4})年(\d{1,2})月(\d{1,2})日起/.exec(s)
        pendingList = { parent: parentOf(c.label), date: isoDate(d) ?? commencement }
        continue
      }
      if (repeal && !/不予废止/.test(s)) {
        const dated = /自(\d{4})年(\d{1,2})月(\d{1,2})日起[^，。；]*?(?:废止|停止执行|停止施行|不再执行)/.exec(s)
        const date = isoDate(dated ? (DATE.exec(dated[0]) as RegExpExecArray) : null) ?? commencement
        const before = refs.filter((r) => r.start < repeal.index)
        const targets = before.length > 0 ? before : refs
        // 「《A》（…）、《B》（…）中的上述表单和填报说明同时废止」: the part after the list applies to every document in it
        const last = before[before.length - 1]
        const tail = last
          ? s
              .slice(last.end, repeal.index)
              .replace(/(同时|相应|予以|自.*?起)$/, '')
              .trim()
          : ''
        const shared = /^(中|的|所附)/.test(tail) ? tail.slice(0, 80) : undefined
        for (const r of targets) {
          out.push(docRelation('repeals', r, date, c.label, s, partAfter(s, r.end) ?? shared))
        }
        if (targets.length === 0) {
          // 「《废止文件及条款清单》（附件3）所列文件、条款同时废止」, 「…前制发文件规定的…政策同时停止执行」
          out.push({ type: 'repeals', effectiveDate: date, clause: c.label, quote: s, origin: 'parsed' })
        }
        continue
      }
      if (amend && refs.length > 0) {
        for (const r of refs.filter((x) => x.start < amend.index)) {
          out.push(docRelation('amends', r, commencement, c.label, s, partAfter(s, r.end)))
        }
        continue
      }
      if (extend && refs.length > 0) {
        const until = DATE.exec(s.slice(extend.index))
        for (const r of refs) {
          out.push(docRelation('extends', r, until ? nextDay(isoDate(until) as string) : null, c.label, s, undefined))
        }
        continue
      }
      if (isPreamble && laws && /^(根据|依据|按照|为贯彻落实|为落实|为做好|为了)/.test(s)) {
        for (const m of s.matchAll(/《([^《》]+?)》(第[一二三四五六七八九十百零]+条)?/gu)) {
          const short = laws.shortNameOf(m[1] ?? '')
          if (!short) continue
          const target = m[2] ? `${short}#${m[2]}` : short
          if (out.some((r) => r.type === 'implements' && r.target === target)) continue
          out.push({
            type: 'implements',
            target,
            targetTitle: m[1] ?? '',
            effectiveDate: commencement,
            clause: c.label,
            quote: s,
            origin: 'parsed',
          })
        }
      }
    }
  }
  return out
}
