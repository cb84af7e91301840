/** 评价服务: the five-level satisfaction form; the two lowest levels need a reason. */
import { h } from '../shared/dom.js'
import type { ApiClient } from './api-client.js'
import type { Sheets } from './sheets.js'

export const SATISFACTION: readonly [number, string][] = [
  [5, '非常满意'],
  [4, '满意'],
  [3, '基本满意'],
  [2, '不满意'],
  [1, '非常不满意'],
]

export interface RatingDeps {
  sessionId(): string | null
  rated(): void
}

/** Pure: what is wrong with the rating, in Chinese, or null. */
export function ratingProblem(satisfaction: number, reason: string, hasSession: boolean): string | null {
  if (!satisfaction) return '请选择满意程度。'
  if (satisfaction <= 2 && !reason) return '请填写不满意的原因，我们会据此改进。'
  if (!hasSession) return '请先咨询一个问题后再评价。'
  return null
}

export class RatingDialog {
  readonly el = h('section', { class: 'sheet', role: 'dialog', 'aria-labelledby': 'tk-rt-title', hidden: true })
  private idSeq = 0

  constructor(
    private readonly api: ApiClient,
    private readonly sheets: Sheets,
    private readonly deps: RatingDeps,
  ) {
    sheets.add(this.el)
  }

  open(from: HTMLElement): void {
    const err = h('p', { class: 'err', role: 'alert' })
    const heading = h('h3', { id: 'tk-rt-title', tabindex: '-1' }, '服务评价')
    const reasonId = `tk-reason-${++this.idSeq}`
    const reason = h('textarea', { id: reasonId, name: 'reason', rows: '3', maxlength: '500' }) as HTMLTextAreaElement
    const reasonLabel = h('label', { for: reasonId, hidden: true }, '请告诉我们不满意的原因（必填）', reason)
    const fs = h('fieldset', {}, h('legend', {}, '您对本次服务满意吗？'))
    for (const [value, label] of SATISFACTION) {
      const radio = h('input', { type: 'radio', name: 'satisfaction', value: String(value) }) as HTMLInputElement
      radio.addEventListener('change', () => {
        const needs = value <= 2
        reasonLabel.hidden = !needs
        reason.required = needs
        reason.setAttribute('aria-required', String(needs))
      })
      fs.appendChild(h('label', { class: 'opt' }, radio, label))
    }
    const submit = h('button', { type: 'submit', class: 'primary' }, '提交评价') as HTMLButtonElement
    const onsubmit = (e: Event) => {
      e.preventDefault()
      const picked = fs.querySelector<HTMLInputElement>('input[name=satisfaction]:checked')
      void this.submit(picked ? Number(picked.value) : 0, reason.value.trim(), err, submit)
    }
    const cancel = h('button', { type: 'button', onclick: () => this.sheets.close(this.el) }, '取消')
    // Own validation with role=alert messages instead of the browser's bubbles.
    const form = h(
      'form',
      { novalidate: true, onsubmit },
      heading,
      fs,
      reasonLabel,
      err,
      h('div', { class: 'row' }, cancel, submit),
    )
    this.el.replaceChildren(form)
    this.sheets.show(this.el, from, heading)
  }

  private async submit(
    satisfaction: number,
    reason: string,
    err: HTMLElement,
    submit: HTMLButtonElement,
  ): Promise<void> {
    const sessionId = this.deps.sessionId()
    err.textContent = ratingProblem(satisfaction, reason, sessionId !== null) ?? ''
    if (err.textContent || !sessionId) return
    submit.disabled = true
    try {
      await this.api.rate(sessionId, { satisfaction, ...(reason ? { reason } : {}) })
      this.el.hidden = true
      this.deps.rated()
    } catch (e) {
      err.textContent = e instanceof Error ? e.message : '提交失败，请稍后再试。'
    } finally {
      submit.disabled = false
    }
  }
}
