/**
 * One assistant answer: the text with [n] citation buttons and in-app links, the numbered sources, the
 * feedback controls, a low-confidence note pointing at the one 转人工 control, and follow-up suggestions.
 */
import { h } from '../shared/dom.js'
import type { ChatAnswer, Citation } from './api-client.js'
import { KIND_LABEL } from './kind-labels.js'
import { type LinkResolver, renderAnswer, renderSnippet } from './safe-render.js'
import { suggestionChips } from './suggestion-chips.js'

export const LOW_CONFIDENCE = 0.5
const ANSWERED = new Set(['faq', 'composed', 'llm'])

export interface AnswerViewDeps {
  openSource(id: string, title: string, from: HTMLElement): void
  /** The feedback controls for a turn (omitted when there is no turn to rate). */
  feedback(turnId: string): HTMLElement
  ask(question: string): void
  link: LinkResolver
}

/** Does this answer call for a human (the service offered one, refused, or answered with low confidence)? */
export function wantsHuman(a: ChatAnswer): boolean {
  if (a.ticketId) return false
  const answered = ANSWERED.has(a.mode)
  const low = answered && a.confidence !== undefined && a.confidence < LOW_CONFIDENCE
  return a.handoffOffered === true || a.mode === 'refused' || low
}

export function answerView(a: ChatAnswer, live: boolean, deps: AnswerViewDeps): HTMLElement {
  const cites = new Map<number, Citation>(a.citations.map((c) => [c.n, c]))
  const onCite = (n: number, btn: HTMLElement) => {
    const c = cites.get(n)
    if (c) deps.openSource(c.id, c.title, btn)
  }
  const text = h('div', { class: 'text' }, renderAnswer(document, a.answer, new Set(cites.keys()), onCite, deps.link))
  const el = h(
    'div',
    { class: 'msg bot', 'data-mode': a.mode, 'data-turn': a.turnId },
    h('span', { class: 'sr' }, '智能助手：'),
    text,
  )
  if (a.citations.length) el.append(h('div', { class: 'sr' }, '政策依据：'), sourceList(a.citations, deps))
  if (a.turnId && ANSWERED.has(a.mode)) el.appendChild(deps.feedback(a.turnId))
  if (a.ticketId) el.classList.add('ticket')
  if (a.ticketNumber) el.setAttribute('data-ticket', a.ticketNumber)
  if (wantsHuman(a)) {
    // No button here: the one 转人工 control is in the tools bar (a typed request opens its consent form).
    const offer =
      a.intent === 'human'
        ? '确认转人工吗？请在“转人工服务”中同意提供对话记录后提交。'
        : '这个回答可能不够准确，可以点下方“转人工”咨询人工坐席。'
    el.appendChild(h('p', { class: 'offer' }, offer))
  }
  if (live && a.suggestions.length) el.append(...suggestionChips(a.suggestions, '您可能还想问', deps.ask))
  return el
}

function sourceList(citations: readonly Citation[], deps: AnswerViewDeps): HTMLElement {
  const ol = h('ol', { class: 'sources', 'aria-label': '政策依据' })
  for (const c of citations) {
    const open = (e: Event) => deps.openSource(c.id, c.title, e.currentTarget as HTMLElement)
    const btn = h(
      'button',
      { type: 'button', class: 'src', 'data-cite': String(c.n), onclick: open },
      `[${c.n}] ${c.title}`,
    )
    const li = h('li', {}, btn, h('span', { class: 'kind' }, KIND_LABEL[c.kind] ?? ''))
    // Policy documents: 文号 + clause + validity (h14-policies).
    if (c.docNumber) {
      const clause = c.clause && c.clause !== '正文' ? ` ${c.clause}` : ''
      li.appendChild(h('span', { class: 'docno' }, `${c.docNumber}${clause}${c.validity ? `｜${c.validity}` : ''}`))
    }
    if (c.snippet) li.appendChild(h('span', { class: 'snip' }, renderSnippet(document, c.snippet)))
    ol.appendChild(li)
  }
  return ol
}
