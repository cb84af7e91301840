/**
 * 12366 agent console (/console): queue, ticket detail and workflow steps, knowledge lookup. Bundled by esbuild
 * at serve time (services/web/shared/script-bundle.ts); login and API calls go through the shared staff-api
 * module, DOM building through shared/dom (untrusted text only ever via textContent).
 */
import type { JsonResponse } from '../shared/api-contract.js'
import { $, $value, chinaDateTime, el, renderSnippet, toast } from '../shared/dom.js'
import { api, errorMessage, type StaffUser, staffAuth } from '../shared/staff-api.js'
import { eventText } from './event-text.js'

type Ticket = JsonResponse<'getTicketsById'>
type Queue = JsonResponse<'getTickets'>
type SearchResult = JsonResponse<'getAgentSearch'>
type Hit = SearchResult['hits'][number]
type Entry = JsonResponse<'getEntriesById'>
type Recommendations = JsonResponse<'getTicketsByIdRecommendations'>
/** A search hit or a recommendation: both list the same way, a recommendation with its citation. */
type Listed = Pick<Hit, 'id' | 'title' | 'kind' | 'layer' | 'regionCode' | 'snippet'> & { citation?: string }

const TYPE: Record<string, string> = {
  consult: '咨询',
  complaint: '投诉',
  report: '举报',
  suggestion: '建议',
  callback: '预约回电',
}
const KIND: Record<string, string> = {
  'law-article': '法规条文',
  faq: '问答',
  guide: '办税指南',
  'hot-topic': '热点',
  notice: '公告',
  policy: '政策文件',
}
const ROLE: Record<string, string> = { user: '纳税人', assistant: '智能应答', agent: '坐席', system: '系统' }
const OPEN_STATES = ['new', 'transferred', 'reopened']

let me: StaffUser | null = null
let current: Ticket | null = null

// ------------------------------------------------------------------ login

async function showApp(): Promise<void> {
  if (!me) return
  $('login-view').hidden = true
  $('app-view').hidden = false
  $('whoami').hidden = false
  $('user-label').textContent = `${me.name}（${me.seatGroup || me.regionCode || '全国'}）`
  await Promise.all([loadQueue(), loadSeatGroups(), loadFollowUps().catch((e) => toast(errorMessage(e), true))])
  // Deep link from the operations dashboard's overdue list: /console/#ticket=<id>.
  const linked = /^#ticket=([\w-]+)$/.exec(location.hash)
  if (linked?.[1]) await openTicket(linked[1]).catch((e) => toast(errorMessage(e), true))
}

function showLogin(): void {
  $('app-view').hidden = true
  $('whoami').hidden = true
  $('login-view').hidden = false
  $('login-username').focus()
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  $('login-error').textContent = ''
  try {
    me = await staffAuth.login($value('login-username').trim(), $value('login-password'))
    $<HTMLInputElement>('login-password').value = ''
    await showApp()
  } catch (err) {
    $('login-error').textContent = errorMessage(err)
  }
})

$('logout').addEventListener('click', async () => {
  await staffAuth.logout()
  me = null
  current = null
  $('suggest-box').hidden = true
  showLogin()
})

// ------------------------------------------------------------------ queue

async function loadQueue(): Promise<void> {
  const { tickets } = await api<Queue>('GET', `/api/tickets?scope=${encodeURIComponent($value('queue-scope'))}`)
  const list = $('queue')
  list.replaceChildren()
  $('queue-empty').hidden = tickets.length > 0
  for (const t of tickets) {
    const cls = `${t.overdue ? 'overdue' : ''} ${current && current.id === t.id ? 'selected' : ''}`.trim()
    const open = () => void openTicket(t.id)
    const onkeydown = (ev: KeyboardEvent) => {
      if (ev.key === 'Enter') open()
    }
    const li = el(
      'li',
      { class: cls, 'data-id': t.id, tabindex: '0', onclick: open, onkeydown },
      el(
        'div',
        { class: 'q-top' },
        el('span', { text: t.number }),
        el('span', { text: `${TYPE[t.type] || t.type} · ${t.stateLabel}` }),
      ),
      el('div', { class: 'q-text', text: t.question, title: t.question }),
      el(
        'div',
        { class: 'q-due' },
        document.createTextNode(`期限 ${t.dueLabel} `),
        t.overdue ? el('span', { class: 'badge overdue', text: '已超期' }) : null,
        t.confidential ? el('span', { class: 'badge secret', text: '保密' }) : null,
      ),
    )
    list.append(li)
  }
}
$('queue-scope').addEventListener('change', () => loadQueue().catch((e: unknown) => toast(errorMessage(e), true)))
$('queue-refresh').addEventListener('click', () => loadQueue().catch((e: unknown) => toast(errorMessage(e), true)))

async function loadSeatGroups(): Promise<void> {
  const { seatGroups } = await api<JsonResponse<'getTicketsSeatGroups'>>('GET', '/api/tickets/seat-groups')
  $('transfer-group').replaceChildren(...seatGroups.map((g) => el('option', { value: g, text: g })))
}

// ------------------------------------------------------------------ detail

async function openTicket(id: string): Promise<void> {
  const t = await api<Ticket>('GET', `/api/tickets/${encodeURIComponent(id)}`)
  renderTicket(t)
  for (const li of Array.from($('queue').children))
    li.classList.toggle('selected', (li as HTMLElement).dataset.id === id)
  suggest(t.id).catch((e: unknown) => {
    $('d-suggest').replaceChildren(el('li', { class: 'muted', text: errorMessage(e) }))
  })
}

function button(id: string): HTMLButtonElement {
  return $<HTMLButtonElement>(id)
}

function renderTicket(t: Ticket): void {
  current = t
  $('detail-empty').hidden = true
  $('detail').hidden = false
  $('d-number').textContent = `工单 ${t.number}`
  $('d-state').textContent = t.stateLabel
  $('d-overdue').hidden = !t.overdue
  $('d-confidential').hidden = !t.confidential
  const difficulty = t.type === 'consult' ? `（${t.difficulty === 'difficult' ? '疑难' : '一般'}）` : ''
  $('d-type').textContent = `${TYPE[t.type] || t.type}${difficulty} · ${t.channel}`
  $('d-region').textContent = `${t.regionCode || '全国'} / ${t.seatGroup}`
  const ext = t.extension ? `（已延期 ${t.extension.days} 个工作日：${t.extension.reason}）` : ''
  $('d-due').textContent = `${t.dueLabel}${ext}`
  $('d-assignee').textContent = t.assignee || '未受理'
  const c = $('d-contact')
  if (!t.contactVisible) c.textContent = '保密（无查看权限）'
  else if (t.contact) c.textContent = [t.contact.name, t.contact.phone].filter(Boolean).join(' ')
  else c.textContent = '未留联系方式'
  $('d-question').textContent = t.question
  const transcript = t.transcript.length
    ? t.transcript.map((l) =>
        el(
          'li',
          {},
          el('span', { class: 'role', text: `${ROLE[l.role] || l.role}:` }),
          document.createTextNode(l.text),
        ),
      )
    : [el('li', { class: 'muted', text: t.contactVisible ? '无' : '保密工单仅显示问题' })]
  $('d-transcript').replaceChildren(...transcript)
  $('d-answer-box').hidden = !t.answer
  $('d-answer').textContent = t.answer || ''
  $('difficulty-wrap').hidden = t.type !== 'consult'
  $<HTMLSelectElement>('difficulty').value = t.difficulty
  button('claim').disabled = !OPEN_STATES.includes(t.state)
  button('close').disabled = t.state !== 'answered'
  button('promote').disabled = !(t.answer && ['answered', 'closed'].includes(t.state)) || t.confidential
  button('reply-submit').disabled = ['answered', 'closed'].includes(t.state)
  const events = t.events.map((e) => el('li', { text: `${chinaDateTime(e.at)} ${eventText(e, me)}` }))
  $('d-events').replaceChildren(...events)
}

async function act(fn: () => Promise<Ticket | undefined>, okText?: string): Promise<void> {
  try {
    const t = await fn()
    if (t?.id) renderTicket(t)
    if (okText) toast(okText)
    await loadQueue()
  } catch (err) {
    toast(errorMessage(err), true)
  }
}
const path = (action: string) => `/api/tickets/${encodeURIComponent(current?.id ?? '')}/${action}`
const post = (action: string, body?: unknown) => api<Ticket>('POST', path(action), body)

$('reply-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const text = $value('reply-text').trim()
  if (!text) return
  void act(async () => {
    // Replying to an unclaimed ticket claims it first, as a seat would on the phone.
    if (current && OPEN_STATES.includes(current.state)) await post('claim')
    const t = await post('reply', { text })
    $<HTMLTextAreaElement>('reply-text').value = ''
    return t
  }, '答复已发送')
})
$('claim').addEventListener('click', () => void act(() => post('claim'), '已受理'))
$('close').addEventListener('click', () => void act(() => post('close', {}), '已办结'))
$('escalate').addEventListener('click', () => {
  const note = window.prompt('升级原因')
  if (note) void act(() => post('escalate', { note }), '已升级到省级中心')
})
$('promote').addEventListener('click', () => {
  void act(async () => {
    const e = await api<{ id: string }>('POST', path('promote'), {})
    toast(`已生成知识草稿 ${e.id}`)
    return api<Ticket>('GET', `/api/tickets/${encodeURIComponent(current?.id ?? '')}`)
  })
})
$('difficulty').addEventListener('change', () => {
  void act(() => post('difficulty', { difficulty: $value('difficulty') }), '难度已更新，期限已重新计算')
})
$('transfer-form').addEventListener('submit', (e) => {
  e.preventDefault()
  void act(() => post('transfer', { seatGroup: $value('transfer-group'), note: $value('transfer-note') }), '已转派')
})
$('extend-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const body: { days: number; reason: string; notice?: string } = {
    days: Number($value('extend-days')),
    reason: $value('extend-reason'),
  }
  if ($value('extend-notice').trim()) body.notice = $value('extend-notice').trim()
  void act(() => post('extend', body), '已延期并告知纳税人')
})
$('redirect-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const body: { note: string; regionCode?: string } = { note: $value('redirect-note') }
  if ($value('redirect-region').trim()) body.regionCode = $value('redirect-region').trim()
  void act(() => post('redirect', body), '已转办并办结')
})

// ------------------------------------------------------------------ knowledge lookup

function searchUrl(q: string, limit: number): string {
  const p = new URLSearchParams({ q, limit: String(limit) })
  if ($value('lookup-kind')) p.set('kind', $value('lookup-kind'))
  if ($value('lookup-region').trim()) p.set('region', $value('lookup-region').trim())
  if ($value('lookup-date')) p.set('date', $value('lookup-date'))
  return `/api/agent/search?${p}`
}

function renderHits(target: HTMLElement, hits: Listed[]): void {
  const items = hits.map((h) => {
    const open = () => void openEntry(h.id)
    // The snippet opens the entry too (issue 20 item 10); the title stays the keyboard control.
    const snippet = el('p', { class: 'r-snippet', title: '点击查看全文', onclick: open })
    renderSnippet(snippet, h.snippet)
    return el(
      'li',
      { 'data-id': h.id },
      el('button', { type: 'button', class: 'r-title', text: h.title, onclick: open }),
      el(
        'div',
        { class: 'r-meta', text: `${KIND[h.kind] || h.kind} · ${h.layer === 'national' ? '全国' : h.regionCode}` },
        h.citation ? el('span', { class: 'r-cite', text: ` · 依据：${h.citation}` }) : null,
      ),
      snippet,
    )
  })
  target.replaceChildren(...items)
}

let seq = 0
let timer: ReturnType<typeof setTimeout> | undefined
async function lookup(): Promise<void> {
  const q = $value('lookup').trim()
  const mine = ++seq
  if (!q) {
    $('lookup-results').replaceChildren()
    $('lookup-status').textContent = ''
    return
  }
  try {
    const r = await api<SearchResult>('GET', searchUrl(q, 10))
    if (mine !== seq) return // a newer keystroke already asked
    $('lookup-status').textContent = `${r.total} 条结果，用时 ${r.tookMs} 毫秒`
    renderHits($('lookup-results'), r.hits)
  } catch (err) {
    if (mine === seq) $('lookup-status').textContent = errorMessage(err)
  }
}
$('lookup').addEventListener('input', () => {
  clearTimeout(timer)
  timer = setTimeout(lookup, 120)
})
for (const id of ['lookup-kind', 'lookup-region', 'lookup-date']) $(id).addEventListener('change', lookup)

/** 推荐知识: the chat's retrieval over the ticket's question and transcript, computed by the server. */
async function suggest(ticketId: string): Promise<void> {
  const target = $('d-suggest')
  target.replaceChildren(el('li', { class: 'muted', text: '正在推荐…' }))
  $('suggest-box').hidden = false
  const r = await api<Recommendations>('GET', `/api/tickets/${encodeURIComponent(ticketId)}/recommendations`)
  if (current?.id !== ticketId) return // another ticket was opened meanwhile
  renderHits(target, r.hits)
  if (r.hits.length === 0) target.append(el('li', { class: 'muted', text: '暂无推荐' }))
}

async function openEntry(id: string): Promise<void> {
  try {
    const e = await api<Entry>('GET', `/api/entries/${encodeURIComponent(id)}`)
    $('entry-title').textContent = e.title
    const from = e.effectiveFrom ? `自 ${e.effectiveFrom} 起施行` : ''
    const to = e.effectiveTo ? `，${e.effectiveTo} 失效` : ''
    $('entry-meta').textContent =
      `${KIND[e.kind] || e.kind} · ${e.layer === 'national' ? '全国' : e.regionCode} · ${from}${to}`
    $('entry-body').textContent = e.question ? `问：${e.question}\n\n${e.body}` : e.body
    $('entry-source').textContent = `来源：${e.source.title}${e.source.docNumber ? `（${e.source.docNumber}）` : ''}`
    showPolicyInfo(e)
    $('entry-modal').hidden = false
  } catch (err) {
    toast(errorMessage(err), true)
  }
}
/** Policy documents (公告): 文号, clause, validity today, official page, and the whole document's text. */
function showPolicyInfo(e: Entry): void {
  const p = e.policy
  if (!p) return
  const v = e.validityNow
  const clause = p.label && p.label !== '正文' ? ` ${p.label}` : ''
  $('entry-meta').textContent += ` · ${p.docNumber}${clause}${v ? ` · ${v.label}` : ''}`
  const src = $('entry-source')
  const url = e.source.url || ''
  if (/^https?:\/\//.test(url)) {
    src.append(' ', el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', text: '官方原文' }))
  }
  const documentId = p.documentId
  if (documentId && documentId !== e.id) {
    const onclick = () => openEntry(documentId)
    src.append(' ', el('button', { type: 'button', class: 'link', text: '查看公告全文', onclick }))
  }
}
const closeEntry = () => {
  $('entry-modal').hidden = true
}
$('entry-close').addEventListener('click', closeEntry)
$('entry-modal').addEventListener('click', (e) => {
  if (e.target === $('entry-modal')) closeEntry()
})
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') closeEntry()
})

// ------------------------------------------------------------------ start

staffAuth
  .me()
  .then((u) => {
    me = u
    return showApp()
  })
  .catch(() => showLogin())

// ------------------------------------------------------------------ follow-ups (回访, 征纳互动)
// A 不满意 / 非常不满意 rating opens a 回访 task for the seat group; the agent calls back, writes what came
// of it and marks it done.

type FollowUps = JsonResponse<'getFeedbackFollowups'>
type FollowUp = FollowUps['followUps'][number]

const EVENT: Record<string, string> = {
  'chat-answer': '智能咨询答复',
  'ticket-reply': '人工答复',
  'hall-visit': '办税服务厅办理',
  overall: '整体服务',
}

async function loadFollowUps(): Promise<void> {
  const { followUps } = await api<FollowUps>('GET', '/api/feedback/followups')
  renderFollowUps(followUps)
}

function renderFollowUps(followUps: FollowUp[]): void {
  const list = $('followup-list')
  list.replaceChildren()
  $('followups-empty').hidden = followUps.length > 0
  for (const f of followUps) {
    const overdue = Date.parse(f.dueAt) < Date.now()
    const note = el('input', {
      type: 'text',
      maxlength: '1000',
      placeholder: '回访结果',
      'aria-label': '回访结果',
    }) as HTMLInputElement
    const done = el('button', {
      type: 'button',
      class: 'small',
      text: '完成回访',
      onclick: () => completeFollowUp(f.id, note.value),
    })
    list.append(
      el(
        'li',
        { class: overdue ? 'overdue' : '', 'data-id': f.id },
        el(
          'div',
          { class: 'q-top' },
          el('span', { text: f.levelLabel }),
          el('span', { text: EVENT[f.eventType] || f.eventType }),
        ),
        el('div', { class: 'q-text', text: f.reason || '（未填写原因）' }),
        el(
          'div',
          { class: 'q-due' },
          document.createTextNode(`回访期限 ${f.dueLabel} `),
          overdue ? el('span', { class: 'badge overdue', text: '已超期' }) : null,
        ),
        el('div', { class: 'q-act' }, note, done),
      ),
    )
  }
}

async function completeFollowUp(id: string, note: string): Promise<void> {
  if (!note.trim()) return toast('请填写回访结果', true)
  try {
    await api('POST', `/api/feedback/followups/${encodeURIComponent(id)}/done`, { note: note.trim() })
    toast('已完成回访')
    await loadFollowUps()
  } catch (e) {
    toast(errorMessage(e), true)
  }
}

$('followups-refresh').addEventListener('click', () => loadFollowUps().catch((e) => toast(errorMessage(e), true)))
