/**
 * Safe rendering for the chat widget. Answer and question text is untrusted, so it is first parsed into a
 * tiny document model (paragraphs, lists, **bold**, [n] citation refs) and then materialised with
 * createElement/createTextNode only — never innerHTML. Search snippets arrive as server-escaped HTML whose
 * only markup is <mark>; they are split on the tags and their entities decoded into plain text segments.
 * The parsing half is pure so it is unit-tested without a browser.
 */

export type Inline =
  | { t: 'text'; v: string }
  | { t: 'bold'; c: Inline[] }
  | { t: 'cite'; n: number }
  | { t: 'link'; path: string }
  | { t: 'br' }

export type Block = { t: 'p'; c: Inline[] } | { t: 'ul' | 'ol'; items: Inline[][] }

/** In-app pages an answer may point to (e.g. the booking reply's `/booking/?region=320000`). */
const APP_PATH = /^\/(?:booking|feedback)\/(?:\?[\w=&%.-]*)?/
const APP_PATH_START = /\/(?:booking|feedback)\//g

const BULLET = /^\s*(?:[-*•·]|\u25CF)\s+(.*)$/
const NUMBERED = /^\s*(?:\d{1,3}[.、)）]|[（(]\d{1,3}[)）])\s*(.*)$/

/** Inline parse: **bold** and [n] where n is a known citation number; everything else stays text. */
export function parseInline(text: string, citeNumbers: ReadonlySet<number> = new Set(), allowBold = true): Inline[] {
  const out: Inline[] = []
  const pushText = (v: string) => {
    if (!v) return
    const last = out[out.length - 1]
    if (last && last.t === 'text') last.v += v
    else out.push({ t: 'text', v })
  }
  let i = 0
  while (i < text.length) {
    if (allowBold && text.startsWith('**', i)) {
      const end = text.indexOf('**', i + 2)
      if (end > i + 2) {
        out.push({ t: 'bold', c: parseInline(text.slice(i + 2, end), citeNumbers, false) })
        i = end + 2
        continue
      }
    }
    if (text[i] === '[') {
      const m = /^\[(\d{1,3})\]/.exec(text.slice(i, i + 5))
      if (m && citeNumbers.has(Number(m[1]))) {
        out.push({ t: 'cite', n: Number(m[1]) })
        i += m[0].length
        continue
      }
    }
    if (text[i] === '/' && !/[\w/]/.test(text[i - 1] ?? '')) {
      const m = APP_PATH.exec(text.slice(i))
      if (m) {
        out.push({ t: 'link', path: m[0] })
        i += m[0].length
        continue
      }
    }
    const next = nextSpecial(text, i + 1, allowBold)
    pushText(text.slice(i, next))
    i = next
  }
  return out
}

function nextSpecial(text: string, from: number, allowBold: boolean): number {
  const a = text.indexOf('[', from)
  const b = allowBold ? text.indexOf('**', from) : -1
  APP_PATH_START.lastIndex = from
  const c = APP_PATH_START.exec(text)?.index ?? -1
  const candidates = [a, b, c].filter((x) => x >= 0)
  return candidates.length ? Math.min(...candidates) : text.length
}

/** Block parse: blank lines separate paragraphs; "- " / "1." lines form lists; single newlines become <br>. */
export function parseMarkdown(text: string, citeNumbers: ReadonlySet<number> = new Set()): Block[] {
  const blocks: Block[] = []
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  let para: string[] = []
  let list: { t: 'ul' | 'ol'; items: Inline[][] } | null = null
  const flushPara = () => {
    if (para.length) {
      const c: Inline[] = []
      para.forEach((line, k) => {
        if (k > 0) c.push({ t: 'br' })
        c.push(...parseInline(line, citeNumbers))
      })
      blocks.push({ t: 'p', c })
    }
    para = []
  }
  const flushList = () => {
    if (list) blocks.push(list)
    list = null
  }
  for (const raw of lines) {
    const line = raw.trimEnd()
    if (!line.trim()) {
      flushPara()
      flushList()
      continue
    }
    const bullet = BULLET.exec(line)
    const numbered = bullet ? null : NUMBERED.exec(line)
    const kind = bullet ? 'ul' : numbered ? 'ol' : null
    if (kind) {
      flushPara()
      if (!list || list.t !== kind) {
        flushList()
        list = { t: kind, items: [] }
      }
      list.items.push(parseInline(((bullet ?? numbered)?.[1] ?? '').trim(), citeNumbers))
    } else {
      flushList()
      para.push(line.trim())
    }
  }
  flushPara()
  flushList()
  return blocks
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' }

/** Decodes the entities an HTML escaper emits (named basics and numeric); unknown ones stay literal. */
export function unescapeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#\d{1,7}|[a-z]{2,6});/gi, (whole, body: string) => {
    if (body[0] === '#') {
      const code = body[1] === 'x' || body[1] === 'X' ? parseInt(body.slice(2), 16) : parseInt(body.slice(1), 10)
      return Number.isFinite(code) && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : whole
    }
    return NAMED[body.toLowerCase()] ?? whole
  })
}

export interface SnippetSegment {
  text: string
  mark: boolean
}

/** Splits a server snippet on <mark>/</mark>; any other tag-looking text is kept as literal text. */
export function parseSnippet(html: string): SnippetSegment[] {
  const out: SnippetSegment[] = []
  let mark = false
  for (const part of html.split(/(<\/?mark>)/i)) {
    if (/^<mark>$/i.test(part)) mark = true
    else if (/^<\/mark>$/i.test(part)) mark = false
    else if (part) out.push({ text: unescapeEntities(part), mark })
  }
  return out
}

/** The DOM surface the materialisers use: a subset of Document, so tests can pass a fake. */
export interface SafeDoc {
  createElement(tag: string): HTMLElement
  createTextNode(text: string): Text
  createDocumentFragment(): DocumentFragment
}

export type CiteHandler = (n: number, button: HTMLElement) => void
/** An in-app path → its absolute URL and link text; null leaves the path as text. */
export type LinkResolver = (path: string) => { href: string; label: string } | null

function appendLink(doc: SafeDoc, parent: Node, path: string, link?: LinkResolver): void {
  const target = link?.(path)
  if (!target) return void parent.appendChild(doc.createTextNode(path))
  const a = doc.createElement('a')
  a.setAttribute('href', target.href)
  a.setAttribute('target', '_blank')
  a.setAttribute('rel', 'noopener')
  a.appendChild(doc.createTextNode(target.label))
  parent.appendChild(a)
}

function appendInlines(doc: SafeDoc, parent: Node, inlines: Inline[], onCite?: CiteHandler, link?: LinkResolver): void {
  for (const x of inlines) {
    if (x.t === 'text') parent.appendChild(doc.createTextNode(x.v))
    else if (x.t === 'link') appendLink(doc, parent, x.path, link)
    else if (x.t === 'br') parent.appendChild(doc.createElement('br'))
    else if (x.t === 'bold') {
      const b = doc.createElement('strong')
      appendInlines(doc, b, x.c, onCite, link)
      parent.appendChild(b)
    } else {
      const btn = doc.createElement('button')
      btn.setAttribute('type', 'button')
      btn.className = 'cite'
      btn.setAttribute('aria-label', `查看依据 ${x.n}`)
      btn.setAttribute('data-cite', String(x.n))
      btn.appendChild(doc.createTextNode(`[${x.n}]`))
      if (onCite) btn.addEventListener('click', () => onCite(x.n, btn))
      parent.appendChild(btn)
    }
  }
}

export function renderBlocks(
  doc: SafeDoc,
  blocks: Block[],
  onCite?: CiteHandler,
  link?: LinkResolver,
): DocumentFragment {
  const frag = doc.createDocumentFragment()
  for (const b of blocks) {
    if (b.t === 'p') {
      const p = doc.createElement('p')
      appendInlines(doc, p, b.c, onCite, link)
      frag.appendChild(p)
    } else {
      const list = doc.createElement(b.t)
      for (const item of b.items) {
        const li = doc.createElement('li')
        appendInlines(doc, li, item, onCite, link)
        list.appendChild(li)
      }
      frag.appendChild(list)
    }
  }
  return frag
}

/** Answer text → DOM, with [n] turned into citation buttons for the given numbers and in-app paths into links. */
export function renderAnswer(
  doc: SafeDoc,
  text: string,
  citeNumbers: ReadonlySet<number>,
  onCite?: CiteHandler,
  link?: LinkResolver,
): DocumentFragment {
  return renderBlocks(doc, parseMarkdown(text, citeNumbers), onCite, link)
}

/** User text → DOM: plain text with line breaks, no markup at all. */
export function renderPlain(doc: SafeDoc, text: string): DocumentFragment {
  const frag = doc.createDocumentFragment()
  text.split(/\r\n?|\n/).forEach((line, k) => {
    if (k > 0) frag.appendChild(doc.createElement('br'))
    frag.appendChild(doc.createTextNode(line))
  })
  return frag
}

export function renderSnippet(doc: SafeDoc, html: string): DocumentFragment {
  const frag = doc.createDocumentFragment()
  for (const seg of parseSnippet(html)) {
    if (seg.mark) {
      const m = doc.createElement('mark')
      m.appendChild(doc.createTextNode(seg.text))
      frag.appendChild(m)
    } else frag.appendChild(doc.createTextNode(seg.text))
  }
  return frag
}
