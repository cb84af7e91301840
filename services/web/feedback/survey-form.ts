/** Renders one survey for a taxpayer with live show-if logic (the server checks the same rules again). */
import type { Answer, Question as PublicQuestion } from '../../feedback/survey-logic.js'
import { visibleQuestions as visible } from '../../feedback/survey-logic.js'
import { h } from './dom.js'

export type { PublicQuestion }

/** Builds the fieldsets; `read()` returns the answers of visible questions. */
export function surveyFields(questions: readonly PublicQuestion[]): {
  root: HTMLElement
  read: () => Record<string, Answer>
} {
  const root = h('div', { class: 'questions' })
  const sets = new Map<string, HTMLElement>()
  const readOne = (q: PublicQuestion): Answer | undefined => {
    const set = sets.get(q.id)!
    if (q.type === 'short' || q.type === 'long') {
      const v = (set.querySelector('input,textarea') as HTMLInputElement).value.trim()
      return v === '' ? undefined : v
    }
    const checked = Array.from(set.querySelectorAll<HTMLInputElement>('input:checked')).map((i) => i.value)
    if (q.type === 'multiple') return checked.length ? checked : undefined
    if (checked.length === 0) return undefined
    return q.type === 'single' ? checked[0]! : Number(checked[0])
  }
  const all = (): Record<string, Answer> => {
    const out: Record<string, Answer> = {}
    for (const q of questions) {
      const a = readOne(q)
      if (a !== undefined) out[q.id] = a
    }
    return out
  }
  const refresh = () => {
    const shown = visible(questions, all())
    for (const q of questions) sets.get(q.id)!.hidden = !shown.has(q.id)
  }
  questions.forEach((q, i) => {
    const legend = h(
      'legend',
      {},
      `${i + 1}. ${q.title}`,
      q.required ? h('span', { class: 'req', 'aria-label': '必答' }, ' *') : null,
    )
    const set = h('fieldset', { 'data-q': q.id }, legend)
    const name = `q-${q.id}`
    if (q.type === 'single' || q.type === 'multiple') {
      for (const o of q.options ?? []) {
        const input = h('input', {
          type: q.type === 'single' ? 'radio' : 'checkbox',
          name,
          value: o,
          onchange: refresh,
        })
        set.appendChild(h('label', { class: 'opt' }, input, o))
      }
    } else if (q.type === 'rating' || q.type === 'nps') {
      const [lo, hi] = q.type === 'rating' ? [1, 5] : [0, 10]
      const row = h('div', { class: 'scale' })
      for (let s = lo; s <= hi; s++)
        row.appendChild(
          h(
            'label',
            { class: 'pill' },
            h('input', { type: 'radio', name, value: String(s), onchange: refresh }),
            String(s),
          ),
        )
      set.appendChild(row)
    } else {
      const attrs = { name, maxlength: q.type === 'short' ? 100 : 2000, 'aria-label': q.title }
      set.appendChild(
        q.type === 'short' ? h('input', { type: 'text', ...attrs }) : h('textarea', { rows: 4, ...attrs }),
      )
    }
    sets.set(q.id, set)
    root.appendChild(set)
  })
  refresh()
  return {
    root,
    read: () => {
      const answers = all()
      const shown = visible(questions, answers)
      return Object.fromEntries(Object.entries(answers).filter(([id]) => shown.has(id)))
    },
  }
}
