/**
 * Step 1 of the pipeline, pure: normalise what the taxpayer typed (NFKC full-width → half-width, collapsed
 * whitespace, length limit) and guard it (prompt injection, prompt extraction, abuse, sensitive words).
 * A guarded message gets a polite refusal, never an error: the caller logs the reason.
 */
import { AppError } from '../shared/errors.js'

export function normalizeMessage(raw: string, maxChars: number): string {
  const text = raw
    .normalize('NFKC')
    // zero-width and control characters are never meaningful in a question and hide injected text
    .replace(/[\u200b-\u200f\u2060\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
  if ([...text].length > maxChars) throw new AppError('MESSAGE_TOO_LONG', `消息不能超过 ${maxChars} 个字，请精简后再试`)
  if (text === '' || !/[\p{L}\p{N}]/u.test(text)) throw new AppError('MESSAGE_EMPTY')
  return text
}

export type GuardReason = 'injection' | 'prompt-extraction' | 'abuse' | 'sensitive'
export type GuardVerdict = { ok: true } | { ok: false; reason: GuardReason; matched: string }

const INJECTION: readonly RegExp[] = [
  /(忽略|无视|忘记|忘掉|跳过|不要理会|不用管)(掉)?(你|您)?(之前|以上|上面|前面|先前|所有|全部|原来|原有|此前)?的?(所有|全部|一切)?(指令|指示|提示|规则|设定|限制|要求|约束|设置)/,
  /ignore (all |any )?(the )?(previous|prior|above|earlier|preceding) (instructions|prompts?|rules)/i,
  /disregard (all |any )?(the )?(previous|prior|above|system) (instructions|prompts?|rules)/i,
  /(你|您)现在是.{0,12}(没有|不受|无|解除|去除).{0,4}(任何)?(限制|约束|规则|审查)/,
  /(扮演|假装(你是|成为)?|角色扮演).{0,12}(没有|不受|无).{0,4}(限制|约束|规则)/,
  /(越狱|jailbreak|开发者模式|developer mode|\bDAN\b|do anything now)/i,
  /(从现在(起|开始)|接下来)(你|您)(只|必须|要)?(听从|服从|按照)我的/,
]

const EXTRACTION: readonly RegExp[] = [
  /(系统|初始|原始|隐藏|内部)(提示词|指令|设定|prompt)/i,
  /(system|hidden|initial) prompt/i,
  /(输出|告诉我|显示|打印|透露|泄露|复述|重复|给我看)(一下)?(你的|你们的)?.{0,10}(配置|提示词|prompt|指令|设定|规则原文)/i,
  /把(上面|以上|之前|前面)的?(对话|内容|指令|文字).{0,16}(原样|完整|全部)?(输出|打印|复述|发给我|翻译)/,
]

const ABUSE: readonly RegExp[] = [
  /(傻逼|煞笔|傻b|sb\b|去死|滚蛋|狗屁|脑残|王八蛋|混蛋|贱人|智障|fuck|shit)/i,
  // 「他妈的」「妈的」 as a curse, not someone's mother: 「收入全打到他妈卡上」「用我妈的名字开个体户」「我妈的房子过户」
  /他妈(?!的?[卡账户名字房身份证钱款里那这妈家单工社养退老])/,
  /(?<![我你他她们爸姨舅姑岳后继亲干老丈])妈的(?![卡账户名字房身份证钱款里那这家单工社养退老])/,
  /(你们|你|这|税务局|系统|机器人).{0,10}(就是|都是|全是|真是|一群|一帮)(垃圾|废物|饭桶|蠢货|人渣)/,
  /(破|烂)(系统|机器人).{0,6}(垃圾|废物)/,
]

/** A small, editable list of politically sensitive or unlawful topics the tax assistant must not engage with. */
const SENSITIVE: readonly RegExp[] = [/(法轮功|台独|藏独|疆独|颠覆国家政权|制造炸弹|制作炸药|买卖枪支|贩卖毒品)/]

export function guardMessage(text: string): GuardVerdict {
  for (const [reason, patterns] of [
    ['injection', INJECTION],
    ['prompt-extraction', EXTRACTION],
    ['abuse', ABUSE],
    ['sensitive', SENSITIVE],
  ] as const) {
    for (const p of patterns) {
      const m = p.exec(text)
      if (m) return { ok: false, reason, matched: m[0] }
    }
  }
  return { ok: true }
}
