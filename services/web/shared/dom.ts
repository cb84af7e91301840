/** Browser DOM building shared by the widget and the 征纳互动 pages: createElement and text nodes only. */
export type Attrs = Record<string, string | boolean | number | undefined | ((e: Event) => void)>
export type Child = Node | string | null | undefined | false

/** Element builder: attributes via setAttribute, listeners via on*, strings become text nodes. */
export function h(tag: string, attrs: Attrs = {}, ...children: Child[]): HTMLElement {
  const el = document.createElement(tag)
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue
    if (typeof v === 'function') el.addEventListener(k.slice(2), v)
    else if (k === 'class') el.className = String(v)
    else el.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c) el.appendChild(typeof c === 'string' ? document.createTextNode(c) : c)
  return el
}
