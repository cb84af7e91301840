/**
 * An analyzer handle whose implementation can be replaced (after a lexicon edit) while everyone who was
 * given it — search backends, the answering service — keeps holding the same object. A Proxy, so it
 * forwards whatever the Analyzer interface grows to without being edited.
 */
import type { Analyzer } from './analyzer.js'

export function swappableAnalyzer(initial: Analyzer): { analyzer: Analyzer; swap(next: Analyzer): void } {
  let current = initial
  const analyzer = new Proxy({} as Analyzer, {
    get(_target, prop) {
      const v = (current as unknown as Record<string | symbol, unknown>)[prop]
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v
    },
    has(_target, prop) {
      return prop in current
    },
  })
  return { analyzer, swap: (next) => void (current = next) }
}
