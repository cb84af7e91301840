/**
 * 转人工: the consent form (optional phone, required consent; the question itself when there is no
 * conversation yet) and the ticket confirmation it leads to.
 */
import { h } from '../shared/dom.js'
import type { ApiClient, HandoffResult } from './api-client.js'
import { renderAnswer } from './safe-render.js'
import type { Sheets } from './sheets.js'

export interface HandoffDeps {
  sessionId(): string | null
  /** Asks the question first (no conversation yet); true when that already opened a ticket. */
  askFirst(question: string): Promise<boolean>
  created(r: HandoffResult): void
}

/** Pure: what is wrong with the form, in Chinese, or null. */
export function handoffProblem(hasSession: boolean, question: string, consent: boolean, phone: string): string | null {
  if (!hasSession && !question) return '请简要描述您的问题。'
  if (!consent) return '请先勾选同意，才能转人工。'
  if (phone && !/^[0-9+\-\s()]{7,20}$/.test(phone)) return '联系电话格式不正确。'
  return null
}

export class HandoffDialog {
  readonly el = h('section', { class: 'sheet', role: 'dialog', 'aria-labelledby': 'tk-ho-title', hidden: true })

  constructor(
    private readonly api: ApiClient,
    private readonly sheets: Sheets,
    private readonly deps: HandoffDeps,
  ) {
    sheets.add(this.el)
  }

  get isOpen(): boolean {
    return !this.el.hidden
  }

  open(from: HTMLElement | null): void {
    const err = h('p', { class: 'err', role: 'alert' })
    const phone = h('input', {
      type: 'tel',
      name: 'phone',
      autocomplete: 'tel',
      inputmode: 'tel',
      maxlength: '20',
    }) as HTMLInputElement
    const consent = h('input', { type: 'checkbox', name: 'consent' }) as HTMLInputElement
    // Without a conversation yet the agent needs the question itself.
    const question = h('textarea', {
      name: 'question',
      rows: '2',
      maxlength: '500',
      'aria-required': 'true',
    }) as HTMLTextAreaElement
    const questionLabel = this.deps.sessionId() ? null : h('label', {}, '请简要描述您的问题（必填）', question)
    const heading = h('h3', { id: 'tk-ho-title', tabindex: '-1' }, '转人工服务')
    const submit = h('button', { type: 'submit', class: 'primary' }, '提交工单') as HTMLButtonElement
    const cancel = h('button', { type: 'button', onclick: () => this.sheets.close(this.el) }, '取消')
    const onsubmit = (e: Event) => {
      e.preventDefault()
      void this.submit(phone.value.trim(), consent.checked, question.value.trim(), err, submit)
    }
    const agree = '我同意将本次对话记录和联系电话提供给税务机关人工坐席，仅用于答复本次咨询。'
    // Own validation with role=alert messages instead of the browser's bubbles.
    const form = h(
      'form',
      { novalidate: true, onsubmit },
      heading,
      h('p', {}, '将为您生成咨询工单并转给 12366 人工坐席，坐席回复会显示在本对话中。'),
      questionLabel,
      h('label', {}, '联系电话（选填，便于坐席回电）', phone),
      h('label', { class: 'check' }, consent, h('span', {}, agree)),
      err,
      h('div', { class: 'row' }, cancel, submit),
    )
    this.el.replaceChildren(form)
    this.sheets.show(this.el, from, heading)
  }

  private async submit(
    phone: string,
    consent: boolean,
    question: string,
    err: HTMLElement,
    submit: HTMLButtonElement,
  ): Promise<void> {
    err.textContent = handoffProblem(this.deps.sessionId() !== null, question, consent, phone) ?? ''
    if (err.textContent) return
    submit.disabled = true
    try {
      if (!this.deps.sessionId()) {
        // 转人工 before any question: ask it first, so the ticket carries the question and its answer.
        this.el.hidden = true
        if (await this.deps.askFirst(question)) return // the question itself asked for a human: ticket open
      }
      const sessionId = this.deps.sessionId()
      if (!sessionId) throw new Error('无法创建会话，请稍后再试。')
      const r = await this.api.handoff(sessionId, phone ? { phone } : null)
      this.el.hidden = true
      this.deps.created(r)
    } catch (e) {
      this.el.hidden = false
      err.textContent = e instanceof Error ? e.message : '转人工失败，请稍后再试。'
    } finally {
      submit.disabled = false
    }
  }
}

/** The ticket confirmation: number first (what the taxpayer quotes on 12366), then the service notice. */
export function ticketNote(r: HandoffResult): HTMLElement {
  const number = r.number || r.ticketId || '—'
  const el = h(
    'div',
    { class: 'msg bot ticket', 'data-ticket': number },
    h('span', { class: 'sr' }, '智能助手：'),
    h('p', { class: 'ticket-no' }, '工单号：', h('strong', {}, number)),
  )
  const notice = r.notice || (r.dueLabel ? `工作人员将在 ${r.dueLabel} 前处理并答复。` : '')
  if (notice) el.appendChild(h('div', { class: 'text' }, renderAnswer(document, notice, new Set())))
  if (r.humansAvailableNow === false && !/非工作时间/.test(notice)) {
    el.appendChild(h('p', { class: 'offhours' }, '现在是非工作时间，人工坐席将在工作时间处理您的问题。'))
  }
  el.appendChild(h('p', { class: 'snip' }, '坐席回复后会显示在这里；关闭页面后再打开也能看到。'))
  return el
}
