/**
 * The bottom of the panel: the tools bar with the one 转人工 control (always in the same place, highlighted
 * after an answer that calls for a human) and 评价服务, and the question box (Enter sends, Shift+Enter
 * starts a new line).
 */
import { h } from '../shared/dom.js'

export interface ComposerDeps {
  send(text: string): void
  handoff(from: HTMLElement): void
  rate(from: HTMLElement): void
}

export class Composer {
  readonly input = h('textarea', {
    id: 'tk-input',
    rows: '1',
    maxlength: '500',
    placeholder: '请输入您的涉税问题…',
    'aria-describedby': 'tk-hint',
    autocomplete: 'off',
  }) as HTMLTextAreaElement
  private readonly sendBtn = h('button', { type: 'submit' }, '发送') as HTMLButtonElement
  readonly handoffBtn: HTMLElement
  readonly tools: HTMLElement
  readonly form: HTMLElement

  constructor(private readonly deps: ComposerDeps) {
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault()
        this.submit()
      }
    })
    const onHandoff = (e: Event) => deps.handoff(e.currentTarget as HTMLElement)
    this.handoffBtn = h('button', { type: 'button', class: 'ho', onclick: onHandoff }, '转人工')
    const onRate = (e: Event) => deps.rate(e.currentTarget as HTMLElement)
    this.tools = h(
      'div',
      { class: 'tools' },
      this.handoffBtn,
      h('button', { type: 'button', onclick: onRate }, '评价服务'),
    )
    const onsubmit = (e: Event) => {
      e.preventDefault()
      this.submit()
    }
    this.form = h(
      'form',
      { class: 'composer', onsubmit },
      h('label', { for: 'tk-input', class: 'sr' }, '输入您的问题'),
      h('span', { id: 'tk-hint', class: 'sr' }, 'Enter 发送，Shift+Enter 换行'),
      this.input,
      this.sendBtn,
    )
  }

  private submit(): void {
    const text = this.input.value.trim()
    if (!text || this.sendBtn.disabled) return
    this.input.value = ''
    this.deps.send(text)
  }

  set busy(busy: boolean) {
    this.sendBtn.disabled = busy
  }

  /** Draws attention to 转人工 after an answer that calls for a human; the next good answer clears it. */
  suggestHandoff(on: boolean): void {
    this.handoffBtn.classList.toggle('suggested', on)
  }

  focus(): void {
    this.input.focus()
  }
}
