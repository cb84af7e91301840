/**
 * The side panel with a cited entry in full: kind, validity (现行有效 / 已废止), dates, 文号 and clause of a
 * policy document, source and issuer, the body, and a guide's conditions, materials and steps.
 */
import { h } from '../shared/dom.js'
import type { ApiClient } from './api-client.js'
import { KIND_LABEL } from './kind-labels.js'
import type { Sheets } from './sheets.js'

type Json = Record<string, unknown>
const str = (v: unknown) => (typeof v === 'string' ? v : '')
const obj = (v: unknown): Json | null => (v && typeof v === 'object' ? (v as Json) : null)
const CURRENT = new Set(['全文有效', '部分有效', '有效', '已修改'])

export class SourcePanel {
  readonly el = h('section', {
    class: 'sheet source',
    role: 'dialog',
    'aria-modal': 'false',
    'aria-labelledby': 'tk-src-title',
    hidden: true,
  })

  constructor(
    private readonly api: ApiClient,
    private readonly sheets: Sheets,
  ) {
    sheets.add(this.el)
  }

  async open(id: string, title: string, from: HTMLElement): Promise<void> {
    const heading = h('h3', { id: 'tk-src-title', tabindex: '-1' }, title || '政策依据')
    const content = h('div', { class: 'content', 'aria-busy': 'true' }, h('p', {}, '正在加载…'))
    const close = h(
      'button',
      { type: 'button', class: 'back', 'aria-label': '关闭依据', onclick: () => this.sheets.close(this.el) },
      '关闭',
    )
    this.el.replaceChildren(h('header', {}, heading, close), content)
    this.sheets.show(this.el, from, heading)
    try {
      const e = await this.api.entry(id)
      heading.textContent = String(e.title ?? title)
      content.replaceChildren(...this.entryView(e))
    } catch (err) {
      content.replaceChildren(h('p', { class: 'err' }, err instanceof Error ? err.message : '加载失败'))
    }
    content.removeAttribute('aria-busy')
  }

  private entryView(e: Json): Node[] {
    const src = obj(e.source) ?? {}
    const law = obj(e.law)
    const dl = h('dl', { class: 'meta' })
    const row = (k: string, v: Node | string) => dl.append(h('dt', {}, k), h('dd', {}, v))
    row('类型', KIND_LABEL[str(e.kind)] ?? str(e.kind))
    if (law) {
      const inForce = law.lawStatus !== 'repealed' && e.status !== 'retired'
      const by = str(law.repealedBy) ? `（被${str(law.repealedBy)}替代）` : ''
      row('效力', h('span', { class: inForce ? 'status-in' : 'status-out' }, inForce ? '现行有效' : `已废止${by}`))
    } else if (e.status === 'retired') row('效力', h('span', { class: 'status-out' }, '已失效'))
    if (str(e.effectiveFrom)) row('施行日期', str(e.effectiveFrom))
    if (str(e.effectiveTo)) row('失效日期', str(e.effectiveTo))
    this.policyRows(e, row)
    const source = [str(src.title), str(src.docNumber)].filter(Boolean).join(' ')
    if (source) row('来源', source)
    if (str(src.issuer)) row('发布机关', str(src.issuer))
    if (/^https?:\/\//i.test(str(src.url))) {
      row('原文', h('a', { href: str(src.url), target: '_blank', rel: 'noopener noreferrer' }, '查看原文'))
    }
    const out: Node[] = [dl]
    if (str(e.question)) out.push(h('p', {}, h('strong', {}, '问：'), str(e.question)))
    const body = h('div', { class: 'body' })
    for (const para of str(e.body).split(/\n+/)) if (para.trim()) body.appendChild(h('p', {}, para))
    out.push(body)
    const guide = obj(e.guide)
    if (guide) {
      const list = (label: string, v: unknown) => {
        if (!Array.isArray(v) || !v.length) return
        out.push(h('h3', {}, label), h('ol', {}, ...v.map((x) => h('li', {}, str(x)))))
      }
      list('办理条件', guide.conditions)
      list('所需材料', guide.materials)
      list('办理流程', guide.steps)
      if (str(guide.timeLimit)) out.push(h('p', {}, h('strong', {}, '办理时限：'), str(guide.timeLimit)))
    }
    return out
  }

  /** A policy document or clause: 文号, clause, validity today, and a link to the whole document's text. */
  private policyRows(e: Json, row: (k: string, v: Node | string) => void): void {
    const p = obj(e.policy)
    if (!p) return
    const v = obj(e.validityNow) ?? {}
    row('文号', String(p.docNumber ?? ''))
    if (typeof p.label === 'string' && p.label !== '正文') row('条款', p.label)
    if (typeof v.label === 'string') {
      row('效力', h('span', { class: CURRENT.has(str(v.validity)) ? 'status-in' : 'status-out' }, v.label))
    }
    const doc = typeof p.documentId === 'string' ? p.documentId : null
    if (!doc) return
    const open = (ev: Event) => void this.open(doc, String(p.docNumber ?? ''), ev.currentTarget as HTMLElement)
    row('全文', h('button', { type: 'button', class: 'link', onclick: open }, '查看公告全文'))
  }
}
