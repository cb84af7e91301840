/**
 * The transcript (an aria-live log). New messages of the taxpayer, agents and the system scroll the log to
 * the end; a new answer is *revealed*: shown whole when it fits, otherwise with its start at the top of the
 * log, so a long answer is read from its first line instead of its last (issue 20 item 6).
 */
import { h } from '../shared/dom.js'
import type { ChatTurn } from './api-client.js'
import { renderAnswer, renderPlain } from './safe-render.js'

/** Room kept above a revealed message so the previous one's edge shows it is a continuation. */
const REVEAL_MARGIN = 8

export class MessageLog {
  readonly el = h('div', {
    class: 'log',
    role: 'log',
    'aria-live': 'polite',
    'aria-relevant': 'additions',
    'aria-label': '对话记录',
    tabindex: '0',
  })

  clear(): void {
    this.el.replaceChildren()
  }

  /** Appends without scrolling (restoring a transcript, or a node revealed by the caller). */
  append(node: HTMLElement): HTMLElement {
    this.el.appendChild(node)
    return node
  }

  /** Appends and scrolls to the end. */
  push(node: HTMLElement): HTMLElement {
    this.append(node)
    this.scrollToEnd()
    return node
  }

  user(text: string): void {
    const who = h('span', { class: 'sr' }, '您说：')
    this.push(h('div', { class: 'msg user' }, who, h('div', { class: 'text' }, renderPlain(document, text))))
  }

  system(text: string): HTMLElement {
    return this.push(h('div', { class: 'msg system' }, h('div', { class: 'text' }, renderPlain(document, text))))
  }

  agent(turn: ChatTurn): void {
    const who = h('span', { class: 'who' }, `人工坐席${turn.agentName ? ` ${turn.agentName}` : ''}：`)
    const text = h('div', { class: 'text' }, renderAnswer(document, turn.text, new Set()))
    this.push(h('div', { class: 'msg agent', 'data-turn': turn.id }, who, text))
  }

  scrollToEnd(): void {
    this.el.scrollTop = this.el.scrollHeight
  }

  /** A short message is shown whole (end of the log); a long one with its first line at the top. */
  reveal(node: HTMLElement): void {
    const offset = node.getBoundingClientRect().top - this.el.getBoundingClientRect().top
    const room = this.el.clientHeight - REVEAL_MARGIN * 2
    if (node.getBoundingClientRect().height <= room) this.scrollToEnd()
    else this.el.scrollTop += offset - REVEAL_MARGIN
  }
}
