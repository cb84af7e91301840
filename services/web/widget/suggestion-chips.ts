/**
 * 猜你想问 / 您可能还想问 chips. A request for a human is never offered as a chip: the one 转人工 control lives
 * in the tools bar above the input (issue 20 item 8).
 */
import { h } from '../shared/dom.js'

const HUMAN = /人工/

export function suggestionChips(list: readonly string[], heading: string, ask: (q: string) => void): HTMLElement[] {
  const questions = list.filter((q) => q && !HUMAN.test(q)).slice(0, 6)
  if (!questions.length) return []
  const ul = h('ul', { class: 'chips', 'aria-label': heading })
  for (const q of questions) ul.appendChild(h('li', {}, h('button', { type: 'button', onclick: () => ask(q) }, q)))
  return [h('h3', {}, heading), ul]
}
