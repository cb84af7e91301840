/**
 * DOM helpers shared by the staff consoles. Untrusted text is only ever set with textContent (or as an input
 * value); the one exception, the server's search snippet (HTML-escaped text with <mark>), is rebuilt node by
 * node in renderSnippet. Nothing is assigned to innerHTML. `h` (with `Attrs`) is the builder the widget and the
 * 征纳互动 feedback pages use.
 */
export { chinaDateTime } from '../../shared/clock.js'

export function $<T extends HTMLElement = HTMLElement>(id: string): T {
  const node = document.getElementById(id)
  if (!node) throw new Error(`missing #${id}`)
  return node as T
}

/** The value of an <input>, <select> or <textarea> by id. */
export function $value(id: string): string {
  return $<HTMLInputElement>(id).value
}

type Prop = string | number | boolean | null | undefined | ((ev: Event) => void) | ((ev: KeyboardEvent) => void)
export type Child = Node | string | null | undefined | false

/** Element builder: `text` sets textContent, `on*` adds listeners; null/undefined/false props are skipped. */
export function el(tag: string, props: Record<string, Prop> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'text') node.textContent = String(v)
    else if (k === 'class') node.className = String(v)
    else if (typeof v === 'function') node.addEventListener(k.slice(2), v as EventListener)
    else node.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c)
  return node
}

let toastTimer: ReturnType<typeof setTimeout> | undefined
/** The console's one toast line (#toast). */
export function toast(text: string, isError = false, ms = 3000): void {
  const t = $('toast')
  t.textContent = text
  t.className = isError ? 'toast error' : 'toast'
  t.hidden = false
  clearTimeout(toastTimer)
  toastTimer = setTimeout(() => {
    t.hidden = true
  }, ms)
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" }

/** Server snippets are HTML-escaped text with <mark>…</mark>: rebuild as text nodes + <mark> elements. */
export function renderSnippet(target: HTMLElement, snippet: string): void {
  target.replaceChildren()
  const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, e: string) => ENTITIES[e] ?? '')
  let inMark = false
  for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') inMark = true
    else if (part === '</mark>') inMark = false
    else if (part) {
      const text = document.createTextNode(decode(part))
      target.append(inMark ? el('mark', {}, text) : text)
    }
  }
}

/** Empties a node and returns it (for chaining into appends). */
export function clear<T extends HTMLElement>(node: T): T {
  node.replaceChildren()
  return node
}

export type Attrs = Record<string, string | boolean | number | undefined | ((e: Event) => void)>

/** Element builder: attributes via setAttribute, listeners via on*, strings become text nodes. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue
    if (typeof v === 'function') node.addEventListener(k.slice(2), v)
    else if (k === 'class') node.className = String(v)
    else node.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c) node.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  return node
}
