/**
 * 有帮助 / 没帮助 under an answer. 有帮助 is sent at once; 没帮助 opens a short form — reason chips and an
 * optional text box, laid out on their own lines so no label is squeezed to one character per line (issue 20
 * item 7) — and sends one rating with the reason, so worklists count each answer once.
 */
import { h } from '../shared/dom.js'

export const NOT_HELPFUL_REASONS = ['答非所问', '看不懂', '政策已过时', '没解决我的问题'] as const

export type SendRating = (rating: { helpful: boolean; reason?: string }) => Promise<void>

/** The stored reason: the chip, then the taxpayer's words. */
export function ratingReason(chip: string | null, text: string): string {
  return [chip, text.trim()].filter(Boolean).join('：')
}

export function feedbackControls(send: SendRating): HTMLElement {
  const note = h('span', { role: 'status', class: 'fb-note' })
  const yes = h('button', { type: 'button', 'aria-pressed': 'false' }, '有帮助')
  const no = h('button', { type: 'button', 'aria-pressed': 'false', 'aria-expanded': 'false' }, '没帮助')
  const form = h('div', { class: 'fb-form', hidden: true })
  const group = h(
    'div',
    { class: 'fb', role: 'group', 'aria-label': '这个回答对您有帮助吗' },
    h('div', { class: 'fb-row' }, h('span', {}, '这个回答有帮助吗？'), yes, no),
    form,
    note,
  )
  const lock = (locked: boolean) => {
    for (const b of Array.from(group.querySelectorAll('button'))) b.toggleAttribute('disabled', locked)
  }
  const submit = async (helpful: boolean, pressed: HTMLElement, reason?: string) => {
    lock(true)
    try {
      await send(reason ? { helpful, reason } : { helpful })
      pressed.setAttribute('aria-pressed', 'true')
      form.hidden = true
      note.textContent = helpful ? '感谢您的反馈！' : '感谢您的反馈，我们会据此改进。也可以点下方“转人工”咨询坐席。'
    } catch (err) {
      lock(false)
      note.textContent = err instanceof Error ? err.message : '提交失败'
    }
  }
  yes.addEventListener('click', () => void submit(true, yes))
  no.addEventListener('click', () => {
    no.setAttribute('aria-expanded', 'true')
    if (!form.hasChildNodes()) form.append(...reasonForm((reason) => submit(false, no, reason)))
    form.hidden = false
    form.querySelector<HTMLElement>('.reasons button')?.focus()
  })
  return group
}

function reasonForm(done: (reason: string) => Promise<void>): HTMLElement[] {
  let chip: string | null = null
  const chips = h('div', { class: 'reasons', role: 'group', 'aria-label': '没帮助的原因' })
  for (const r of NOT_HELPFUL_REASONS) {
    const b = h('button', { type: 'button', 'aria-pressed': 'false' }, r)
    b.addEventListener('click', () => {
      chip = chip === r ? null : r
      for (const other of Array.from(chips.querySelectorAll('button')))
        other.setAttribute('aria-pressed', String(other === b && chip !== null))
    })
    chips.appendChild(b)
  }
  const text = h('textarea', {
    rows: '2',
    maxlength: '500',
    placeholder: '还可以告诉我们哪里不对（选填）',
  }) as HTMLTextAreaElement
  const label = h('label', { class: 'fb-text' }, h('span', { class: 'sr' }, '没帮助的原因（选填）'), text)
  const send = h('button', { type: 'button', class: 'primary' }, '提交')
  send.addEventListener('click', () => void done(ratingReason(chip, text.value)))
  return [chips, label, h('div', { class: 'fb-row end' }, send)]
}
