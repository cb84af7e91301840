/**
 * Pure: Chinese numerals and amounts as taxpayers and statutes write them. Used to read 「月薪一万五」 and to
 * compare key facts in evaluation (百分之三 ~ 3%, 六万元 ~ 60000元, 十五日 ~ 15日).
 */
const DIGIT: Record<string, number> = {
  零: 0,
  〇: 0,
  一: 1,
  壹: 1,
  二: 2,
  两: 2,
  贰: 2,
  三: 3,
  叁: 3,
  四: 4,
  肆: 4,
  五: 5,
  伍: 5,
  六: 6,
  陆: 6,
  七: 7,
  柒: 7,
  八: 8,
  捌: 8,
  九: 9,
  玖: 9,
}
const SMALL_UNIT: Record<string, number> = { 十: 10, 拾: 10, 百: 100, 佰: 100, 千: 1000, 仟: 1000 }
const BIG_UNIT: Record<string, number> = { 万: 10_000, 亿: 100_000_000 }

export const CN_NUMERAL = '[零〇一壹二两贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万亿]'

/** 「一万五」 = 15000, 「三十六」 = 36, 「一百八十三」 = 183, 「二〇二六」 = 2026; null when not a numeral. */
export function parseChineseNumber(s: string): number | null {
  if (!s || !new RegExp(`^${CN_NUMERAL}+$`).test(s)) return null
  // digit-by-digit years: 二〇二六
  if (!/[十拾百佰千仟万亿]/.test(s)) return Number([...s].map((c) => DIGIT[c]).join(''))
  let total = 0
  let section = 0
  let digit = 0
  let lastUnit = 1
  const chars = [...s]
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i] as string
    if (c in DIGIT) {
      digit = DIGIT[c] as number
      // 「一万五」: a trailing digit after a unit means one unit lower (五千)
      if (i === chars.length - 1 && i > 0 && lastUnit >= 10) {
        section += digit * (lastUnit >= 10_000 ? lastUnit / 10 : lastUnit / 10)
        digit = 0
      }
    } else if (c in SMALL_UNIT) {
      const u = SMALL_UNIT[c] as number
      section += (digit || 1) * u
      digit = 0
      lastUnit = u
    } else if (c in BIG_UNIT) {
      const u = BIG_UNIT[c] as number
      total += (section + digit) * u
      section = 0
      digit = 0
      lastUnit = u
    }
  }
  return total + section + digit
}

/** A money amount in text: 「一万五」, 「1.5万」, 「15000」, 「15k」 → 15000. */
export function parseAmount(s: string): number | null {
  const t = s.trim().normalize('NFKC')
  let m = /^(\d+(?:\.\d+)?)\s*(万|w|k|千)?$/i.exec(t)
  if (m) {
    const n = Number(m[1])
    const unit = m[2]?.toLowerCase()
    return unit === '万' || unit === 'w' ? n * 10_000 : unit === 'k' || unit === '千' ? n * 1000 : n
  }
  m = new RegExp(`^(${CN_NUMERAL}+)$`).exec(t)
  return m ? parseChineseNumber(m[1] as string) : null
}

/** The monthly salary a question states (月薪一万五, 工资15000, 每月收入1.5万), if any. */
export function monthlySalaryIn(text: string): number | null {
  const m = new RegExp(
    `(?:月薪|月工资|每月工资|每个月工资|工资每月|每月收入|月收入|税前月薪|税前工资)(?:是|为|有|大概|大约)?\\s*((?:\\d+(?:\\.\\d+)?\\s*(?:万|w|k|千)?)|${CN_NUMERAL}+)`,
    'i',
  ).exec(text.normalize('NFKC'))
  if (!m) return null
  const v = parseAmount(m[1] as string)
  return v !== null && v > 0 && v < 10_000_000 ? v : null
}

/**
 * Canonical form for comparing facts: NFKC, no spaces, full-width → half-width, 百分之N → N%, 千分之N → N‰,
 * 万分之N → N‱, Chinese numbers followed by a unit (日, 天, 个月, 年, 元, 万元) → digits.
 */
export function canonicalFacts(text: string): string {
  let t = text.normalize('NFKC').replace(/\s+/g, '').replace(/％/g, '%')
  t = t.replace(new RegExp(`百分之(${CN_NUMERAL}+(?:点${CN_NUMERAL}+)?)`, 'g'), (_m, n: string) => `${cnDecimal(n)}%`)
  t = t.replace(new RegExp(`千分之(${CN_NUMERAL}+(?:点${CN_NUMERAL}+)?)`, 'g'), (_m, n: string) => `${cnDecimal(n)}‰`)
  t = t.replace(new RegExp(`万分之(${CN_NUMERAL}+(?:点${CN_NUMERAL}+)?)`, 'g'), (_m, n: string) => `${cnDecimal(n)}‱`)
  t = t.replace(
    new RegExp(`(${CN_NUMERAL}+)(?=(个)?(日|天|月|年|元|万元|亿元|周岁|岁|次|倍|项|条|款|小时))`, 'g'),
    (m) => String(parseChineseNumber(m) ?? m),
  )
  return t
}

function cnDecimal(s: string): string {
  const [a, b] = s.split('点')
  const whole = parseChineseNumber(a as string)
  if (whole === null) return s
  if (!b) return String(whole)
  return `${whole}.${[...b].map((c) => DIGIT[c] ?? '').join('')}`
}
