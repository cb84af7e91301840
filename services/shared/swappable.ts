/**
 * A handle whose implementation can be replaced at run time (an edited lexicon, a new year's holiday
 * calendar) while every service that was given it keeps holding the same object. The composition root
 * builds each service once; what must change afterwards changes behind one of these, never by
 * reassigning a service. A Proxy, so it forwards whatever the wrapped type grows to without being edited.
 */
export interface Swappable<T extends object> {
  /** The stable handle to hand to services; reads always reach the current value. */
  readonly value: T
  current(): T
  swap(next: T): void
}

export function swappable<T extends object>(initial: T): Swappable<T> {
  let current = initial
  const value = new Proxy({} as T, {
    get(_target, prop) {
      const v = (current as Record<string | symbol, unknown>)[prop]
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(current) : v
    },
    has: (_target, prop) => prop in current,
    ownKeys: () => Reflect.ownKeys(current),
    getOwnPropertyDescriptor(_target, prop) {
      const d = Reflect.getOwnPropertyDescriptor(current, prop)
      return d ? { ...d, configurable: true } : undefined
    },
    set: () => false,
  })
  return {
    value,
    current: () => current,
    swap: (next) => void (current = next),
  }
}
