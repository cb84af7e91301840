import { describe, expect, it } from 'vitest'
import {
  parseInline,
  parseMarkdown,
  parseSnippet,
  renderAnswer,
  renderPlain,
  renderSnippet,
  unescapeEntities,
  type SafeDoc,
} from '../../services/web/widget/safe-render.js'

/**
 * A minimal fake DOM: elements record their tag, attributes and children; setting innerHTML/outerHTML
 * throws, so any use of an HTML parser by the renderer fails the test. serialize() escapes text the way a
 * browser would, so the output shows exactly which elements were created.
 */
class FakeNode {
  children: FakeNode[] = []
  attrs = new Map<string, string>()
  listeners: string[] = []
  className = ''
  constructor(
    readonly tag: string | null,
    public text = '',
  ) {}
  appendChild(n: FakeNode): FakeNode {
    if (n.tag === '#fragment') this.children.push(...n.children)
    else this.children.push(n)
    return n
  }
  setAttribute(k: string, v: string): void {
    this.attrs.set(k, v)
  }
  addEventListener(type: string): void {
    this.listeners.push(type)
  }
  set innerHTML(_v: string) {
    throw new Error('innerHTML used')
  }
  set outerHTML(_v: string) {
    throw new Error('outerHTML used')
  }
  insertAdjacentHTML(): never {
    throw new Error('insertAdjacentHTML used')
  }
}
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
function serialize(n: FakeNode): string {
  if (n.tag === null) return esc(n.text)
  const inner = n.children.map(serialize).join('')
  if (n.tag === '#fragment') return inner
  const attrs = [...(n.className ? [['class', n.className] as const] : []), ...n.attrs]
    .map(([k, v]) => ` ${k}="${esc(v)}"`)
    .join('')
  return n.tag === 'br' ? '<br>' : `<${n.tag}${attrs}>${inner}</${n.tag}>`
}
function tags(n: FakeNode, out = new Set<string>()): Set<string> {
  if (n.tag && n.tag !== '#fragment') out.add(n.tag)
  for (const c of n.children) tags(c, out)
  return out
}
function attrNames(n: FakeNode, out: string[] = []): string[] {
  out.push(...n.attrs.keys())
  for (const c of n.children) attrNames(c, out)
  return out
}
const fakeDoc = {
  createElement: (tag: string) => new FakeNode(tag.toLowerCase()),
  createTextNode: (text: string) => new FakeNode(null, text),
  createDocumentFragment: () => new FakeNode('#fragment'),
} as unknown as SafeDoc
const html = (frag: unknown) => serialize(frag as FakeNode)

const ATTACKS = [
  '<img src=x onerror=alert(1)>',
  '<script>alert(1)</script>',
  '"><svg onload=alert(1)>',
  '**<b onmouseover=alert(1)>x</b>**',
  '- <a href="javascript:alert(1)">点我</a>',
  '[1]<iframe src=//evil>',
  '&lt;img src=x onerror=alert(1)&gt;',
]

describe('safe renderer (widget)', () => {
  it('parses paragraphs, lists, bold and known citation numbers only', () => {
    const blocks = parseMarkdown(
      '根据规定[1]，**免征**增值税。\n第二行\n\n- 条件一[2]\n- 条件二[9]\n\n1. 登录\n2、申报',
      new Set([1, 2]),
    )
    expect(blocks.map((b) => b.t)).toEqual(['p', 'ul', 'ol'])
    expect(blocks[0]).toEqual({
      t: 'p',
      c: [
        { t: 'text', v: '根据规定' },
        { t: 'cite', n: 1 },
        { t: 'text', v: '，' },
        { t: 'bold', c: [{ t: 'text', v: '免征' }] },
        { t: 'text', v: '增值税。' },
        { t: 'br' },
        { t: 'text', v: '第二行' },
      ],
    })
    // [9] is not a citation of this answer, so it stays literal text.
    expect(blocks[1]).toEqual({
      t: 'ul',
      items: [
        [
          { t: 'text', v: '条件一' },
          { t: 'cite', n: 2 },
        ],
        [{ t: 'text', v: '条件二[9]' }],
      ],
    })
    expect(parseInline('a ** b')).toEqual([{ t: 'text', v: 'a ** b' }])
  })

  it('renders answers with only p/ul/ol/li/strong/br/button elements and text nodes', () => {
    const frag = renderAnswer(fakeDoc, '说明[1]\n\n- **要点**', new Set([1]), () => {})
    expect(html(frag)).toBe(
      '<p>说明<button class="cite" type="button" aria-label="查看依据 1" data-cite="1">[1]</button></p><ul><li><strong>要点</strong></li></ul>',
    )
  })

  it.each(ATTACKS)('never turns %s into markup', (attack) => {
    for (const frag of [
      renderAnswer(fakeDoc, `问题：${attack}\n\n- ${attack}\n**${attack}**`, new Set([1])),
      renderPlain(fakeDoc, attack),
      renderSnippet(fakeDoc, attack),
    ]) {
      const allowed = new Set(['p', 'ul', 'ol', 'li', 'strong', 'br', 'button', 'mark'])
      for (const t of tags(frag as unknown as FakeNode)) expect(allowed.has(t)).toBe(true)
      const out = html(frag)
      expect(out).not.toMatch(/<(img|script|svg|iframe|a|b)\b/i)
      for (const name of attrNames(frag as unknown as FakeNode)) expect(name).toMatch(/^(type|aria-label|data-cite)$/)
    }
  })

  it('shows user text verbatim', () => {
    expect(html(renderPlain(fakeDoc, '<img src=x onerror=alert(1)>\n**不是粗体**'))).toBe(
      '&lt;img src=x onerror=alert(1)&gt;<br>**不是粗体**',
    )
  })

  it('splits server snippets on <mark> and decodes entities into text', () => {
    const snippet =
      '小规模纳税人&lt;b&gt;月&lt;/b&gt;<mark>销售额</mark>未超过10万元&amp;&#39;免征&#x27;<mark>增值税</mark>'
    expect(parseSnippet(snippet)).toEqual([
      { text: '小规模纳税人<b>月</b>', mark: false },
      { text: '销售额', mark: true },
      { text: "未超过10万元&'免征'", mark: false },
      { text: '增值税', mark: true },
    ])
    expect(html(renderSnippet(fakeDoc, snippet))).toBe(
      "小规模纳税人&lt;b&gt;月&lt;/b&gt;<mark>销售额</mark>未超过10万元&amp;'免征'<mark>增值税</mark>",
    )
    // A stray tag that is not <mark> stays literal text.
    expect(html(renderSnippet(fakeDoc, '<img src=x onerror=alert(1)><mark>税</mark>'))).toBe(
      '&lt;img src=x onerror=alert(1)&gt;<mark>税</mark>',
    )
  })

  it('unescapes only valid entities', () => {
    expect(unescapeEntities('&lt;&gt;&amp;&quot;&#65;&#x42;&bogus;&#0;')).toBe('<>&"AB&bogus;&#0;')
  })
})
