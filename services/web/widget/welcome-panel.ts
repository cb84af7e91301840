/**
 * The opening message: greeting, 热点问题 (what the region's taxpayers ask: pinned, then trending locally,
 * then nationally — `welcome` of GET /api/hot-topics, never case reports), 猜你想问 without repeats, open
 * surveys and the 征纳互动 links (我要投诉 / 我要建议 / 我要评价 on the portal's /feedback/ page).
 */
import { h } from '../shared/dom.js'
import type { ApiClient, HotTopicItem, WelcomeItem } from './api-client.js'
import type { WidgetOptions } from './options.js'
import { suggestionChips } from './suggestion-chips.js'

export const FALLBACK_SUGGESTIONS = [
  '小规模纳税人季度销售额多少免征增值税？',
  '个人所得税专项附加扣除有哪些？',
  '如何办理个人所得税综合所得年度汇算？',
  '发票丢失了怎么办？',
]
const TAG: Record<WelcomeItem['source'], string> = { pinned: '置顶', regional: '本地热门', national: '全国热门' }

export interface WelcomeDeps {
  ask(question: string): void
  openEntry(id: string, title: string, from: HTMLElement): void
}

/** Pure: 猜你想问 = the service's suggestions minus what 热点问题 already shows, else the built-in ones. */
export function welcomeSuggestions(shown: readonly WelcomeItem[], suggestions: readonly string[]): string[] {
  const seen = new Set(shown.flatMap((t) => [t.label, t.question ?? ''].filter(Boolean)))
  const fresh = suggestions.filter((q) => !seen.has(q))
  return fresh.length ? fresh : FALLBACK_SUGGESTIONS.filter((q) => !seen.has(q))
}

export function welcomePanel(api: ApiClient, opts: WidgetOptions, deps: WelcomeDeps): HTMLElement {
  const topics = h('div', { class: 'topics-wrap' }, h('p', { class: 'snip' }, '正在加载热点问题…'))
  const welcome = h(
    'section',
    { class: 'msg bot welcome', 'aria-label': '欢迎' },
    h('h3', {}, '您好！我是税务智能咨询助手'),
    h('p', {}, '7×24 小时为您解答涉税问题，答案均注明政策依据。复杂问题可随时“转人工”。'),
    topics,
  )
  interaction(api, opts, welcome)
  const pick = (item: HotTopicItem, from: HTMLElement) => {
    if (item.question) deps.ask(item.question)
    else if (item.id) deps.openEntry(item.id, item.label, from)
    else deps.ask(item.label)
  }
  api
    .hotTopics(opts.region)
    .then((hot) => {
      topics.replaceChildren()
      const shown = hot.welcome.slice(0, 6)
      if (shown.length) {
        const ul = h('ul', { class: 'topics', 'aria-label': '热点问题' })
        for (const item of shown) {
          const onclick = (e: Event) => pick(item, e.currentTarget as HTMLElement)
          ul.appendChild(
            h(
              'li',
              {},
              h('button', { type: 'button', onclick }, h('span', { class: 'tag' }, TAG[item.source]), item.label),
            ),
          )
        }
        topics.append(h('h3', {}, '热点问题'), ul)
      }
      const questions = hot.suggestions.map((s) => s.question ?? s.label)
      topics.append(...suggestionChips(welcomeSuggestions(shown, questions), '猜你想问', deps.ask))
    })
    .catch(() => topics.replaceChildren(...suggestionChips(FALLBACK_SUGGESTIONS, '猜你想问', deps.ask)))
  return welcome
}

/** 征纳互动 in the welcome: open surveys and links to the portal's /feedback/ page. */
function interaction(api: ApiClient, opts: WidgetOptions, welcome: HTMLElement): void {
  const q = opts.region ? `&region=${encodeURIComponent(opts.region)}` : ''
  const link = (view: string, text: string) =>
    h('a', { href: `${opts.base}/feedback/?view=${view}${q}`, target: '_blank', rel: 'noopener' }, text)
  const links = h(
    'p',
    { class: 'interaction' },
    link('complaint', '我要投诉'),
    ' · ',
    link('suggestion', '我要建议'),
    ' · ',
    link('rate', '我要评价'),
  )
  welcome.appendChild(links)
  api
    .openSurveys(opts.region)
    .then((surveys) => {
      if (!surveys.length) return
      const ul = h('ul', { class: 'topics surveys', 'aria-label': '网上调查' })
      for (const s of surveys.slice(0, 3)) {
        const href = `${opts.base}/feedback/?view=surveys&survey=${encodeURIComponent(s.id)}${q}`
        ul.appendChild(
          h(
            'li',
            {},
            h('a', { href, target: '_blank', rel: 'noopener' }, h('span', { class: 'tag' }, '调查'), s.title),
          ),
        )
      }
      welcome.insertBefore(h('div', {}, h('h3', {}, '网上调查'), ul), links)
    })
    .catch(() => undefined)
}
