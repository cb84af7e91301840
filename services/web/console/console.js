// 12366 agent console. Plain DOM: untrusted text is only ever set with textContent; the one exception,
// the server's search snippet (HTML-escaped text with <mark>), is rebuilt node by node (renderSnippet).
const $ = (id) => document.getElementById(id)
const TYPE = { consult: '咨询', complaint: '投诉', report: '举报', suggestion: '建议', callback: '预约回电' }
const KIND = { 'law-article': '法规条文', faq: '问答', guide: '办税指南', 'hot-topic': '热点', notice: '公告', policy: '政策文件' }
const ROLE = { user: '纳税人', assistant: '智能应答', agent: '坐席', system: '系统' }
const ACTION = { created: '创建', claim: '受理', reply: '答复', transfer: '转派', escalate: '升级', extend: '延期', close: '办结', redirect: '转办', reopen: '重新打开', difficulty: '设置难度', notified: '通知', promoted: '沉淀知识' }

let me = null
let current = null

function csrf() {
  const m = /(?:^|;\s*)taxkb_csrf=([^;]+)/.exec(document.cookie)
  return m ? decodeURIComponent(m[1]) : ''
}

async function api(method, url, body) {
  const headers = { accept: 'application/json' }
  if (method !== 'GET') headers['x-csrf-token'] = csrf()
  if (body !== undefined) headers['content-type'] = 'application/json'
  const res = await fetch(url, { method, headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) })
  const data = await res.json().catch(() => ({}))
  if (!res.ok) {
    const err = new Error(data?.error?.message || `请求失败（${res.status}）`)
    err.status = res.status
    throw err
  }
  return data
}

function toast(text, isError = false) {
  const t = $('toast')
  t.textContent = text
  t.className = isError ? 'toast error' : 'toast'
  t.hidden = false
  clearTimeout(toast.timer)
  toast.timer = setTimeout(() => { t.hidden = true }, 3000)
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v
    else if (k === 'class') node.className = v
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
    else node.setAttribute(k, v)
  }
  for (const c of children) if (c) node.append(c)
  return node
}

/** Server snippets are HTML-escaped text with <mark>…</mark>: rebuild as text nodes + <mark> elements. */
function renderSnippet(target, snippet) {
  target.replaceChildren()
  const decode = (s) => s.replace(/&(amp|lt|gt|quot|#39|#x27);/g, (_m, e) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", '#x27': "'" })[e])
  let inMark = false
  for (const part of String(snippet).split(/(<mark>|<\/mark>)/)) {
    if (part === '<mark>') { inMark = true; continue }
    if (part === '</mark>') { inMark = false; continue }
    if (!part) continue
    const text = document.createTextNode(decode(part))
    target.append(inMark ? el('mark', {}, text) : text)
  }
}

// ------------------------------------------------------------------ login

async function showApp() {
  $('login-view').hidden = true
  $('app-view').hidden = false
  $('whoami').hidden = false
  $('user-label').textContent = `${me.name}（${me.seatGroup || me.regionCode || '全国'}）`
  await Promise.all([loadQueue(), loadSeatGroups(), loadFollowUps().catch((e) => toast(e.message, true))])
  // Deep link from the operations dashboard's overdue list: /console/#ticket=<id>.
  const linked = /^#ticket=([\w-]+)$/.exec(location.hash)
  if (linked) await openTicket(linked[1]).catch((e) => toast(e.message, true))
}

function showLogin() {
  $('app-view').hidden = true
  $('whoami').hidden = true
  $('login-view').hidden = false
  $('login-username').focus()
}

$('login-form').addEventListener('submit', async (e) => {
  e.preventDefault()
  $('login-error').textContent = ''
  try {
    const r = await api('POST', '/api/auth/login', { username: $('login-username').value.trim(), password: $('login-password').value })
    me = r.user
    $('login-password').value = ''
    await showApp()
  } catch (err) {
    $('login-error').textContent = err.message
  }
})

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/auth/logout').catch(() => {})
  me = null
  current = null
  showLogin()
})

// ------------------------------------------------------------------ queue

async function loadQueue() {
  const scope = $('queue-scope').value
  const { tickets } = await api('GET', `/api/tickets?scope=${encodeURIComponent(scope)}`)
  const list = $('queue')
  list.replaceChildren()
  $('queue-empty').hidden = tickets.length > 0
  for (const t of tickets) {
    const li = el('li', { class: `${t.overdue ? 'overdue' : ''} ${current && current.id === t.id ? 'selected' : ''}`.trim(), 'data-id': t.id, tabindex: '0', onclick: () => openTicket(t.id), onkeydown: (ev) => { if (ev.key === 'Enter') openTicket(t.id) } },
      el('div', { class: 'q-top' }, el('span', { text: t.number }), el('span', { text: `${TYPE[t.type] || t.type} · ${t.stateLabel}` })),
      el('div', { class: 'q-text', text: t.question, title: t.question }),
      el('div', { class: 'q-due' }, document.createTextNode(`期限 ${t.dueLabel} `), t.overdue ? el('span', { class: 'badge overdue', text: '已超期' }) : null, t.confidential ? el('span', { class: 'badge secret', text: '保密' }) : null))
    list.append(li)
  }
}
$('queue-scope').addEventListener('change', () => loadQueue().catch((e) => toast(e.message, true)))
$('queue-refresh').addEventListener('click', () => loadQueue().catch((e) => toast(e.message, true)))

async function loadSeatGroups() {
  const { seatGroups } = await api('GET', '/api/tickets/seat-groups')
  const sel = $('transfer-group')
  sel.replaceChildren(...seatGroups.map((g) => el('option', { value: g, text: g })))
}

// ------------------------------------------------------------------ detail

async function openTicket(id) {
  const t = await api('GET', `/api/tickets/${encodeURIComponent(id)}`)
  renderTicket(t)
  for (const li of $('queue').children) li.classList.toggle('selected', li.dataset.id === id)
  suggest(t.question).catch(() => {})
}

function renderTicket(t) {
  current = t
  $('detail-empty').hidden = true
  $('detail').hidden = false
  $('d-number').textContent = `工单 ${t.number}`
  $('d-state').textContent = t.stateLabel
  $('d-overdue').hidden = !t.overdue
  $('d-confidential').hidden = !t.confidential
  $('d-type').textContent = `${TYPE[t.type] || t.type}${t.type === 'consult' ? `（${t.difficulty === 'difficult' ? '疑难' : '一般'}）` : ''} · ${t.channel}`
  $('d-region').textContent = `${t.regionCode || '全国'} / ${t.seatGroup}`
  $('d-due').textContent = `${t.dueLabel}${t.extension ? `（已延期 ${t.extension.days} 个工作日：${t.extension.reason}）` : ''}`
  $('d-assignee').textContent = t.assignee || '未受理'
  const c = $('d-contact')
  if (!t.contactVisible) c.textContent = '保密（无查看权限）'
  else if (t.contact) c.textContent = [t.contact.name, t.contact.phone].filter(Boolean).join(' ')
  else c.textContent = '未留联系方式'
  $('d-question').textContent = t.question
  $('d-transcript').replaceChildren(...(t.transcript.length ? t.transcript.map((l) => el('li', {}, el('span', { class: 'role', text: `${ROLE[l.role] || l.role}:` }), document.createTextNode(l.text))) : [el('li', { class: 'muted', text: t.contactVisible ? '无' : '保密工单仅显示问题' })]))
  $('d-answer-box').hidden = !t.answer
  $('d-answer').textContent = t.answer || ''
  $('difficulty-wrap').hidden = t.type !== 'consult'
  $('difficulty').value = t.difficulty
  $('claim').disabled = !['new', 'transferred', 'reopened'].includes(t.state)
  $('close').disabled = t.state !== 'answered'
  $('promote').disabled = !(t.answer && ['answered', 'closed'].includes(t.state)) || t.confidential
  $('reply-submit').disabled = ['answered', 'closed'].includes(t.state)
  $('d-events').replaceChildren(...t.events.map((e) => el('li', { text: `${new Date(e.at).toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })} ${e.by} ${ACTION[e.action] || e.action}${e.note ? `：${e.note}` : ''}` })))
}

async function act(fn, okText) {
  try {
    const t = await fn()
    if (t && t.id) renderTicket(t)
    if (okText) toast(okText)
    await loadQueue()
  } catch (err) {
    toast(err.message, true)
  }
}
const path = (action) => `/api/tickets/${encodeURIComponent(current.id)}/${action}`

$('reply-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const text = $('reply-text').value.trim()
  if (!text) return
  act(async () => {
    // Replying to an unclaimed ticket claims it first, as a seat would on the phone.
    if (['new', 'transferred', 'reopened'].includes(current.state)) await api('POST', path('claim'))
    const t = await api('POST', path('reply'), { text })
    $('reply-text').value = ''
    return t
  }, '答复已发送')
})
$('claim').addEventListener('click', () => act(() => api('POST', path('claim')), '已受理'))
$('close').addEventListener('click', () => act(() => api('POST', path('close'), {}), '已办结'))
$('escalate').addEventListener('click', () => {
  const note = window.prompt('升级原因')
  if (note) act(() => api('POST', path('escalate'), { note }), '已升级到省级中心')
})
$('promote').addEventListener('click', () => act(async () => { const e = await api('POST', path('promote'), {}); toast(`已生成知识草稿 ${e.id}`); return api('GET', `/api/tickets/${encodeURIComponent(current.id)}`) }))
$('difficulty').addEventListener('change', () => act(() => api('POST', path('difficulty'), { difficulty: $('difficulty').value }), '难度已更新，期限已重新计算'))
$('transfer-form').addEventListener('submit', (e) => {
  e.preventDefault()
  act(() => api('POST', path('transfer'), { seatGroup: $('transfer-group').value, note: $('transfer-note').value }), '已转派')
})
$('extend-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const body = { days: Number($('extend-days').value), reason: $('extend-reason').value }
  if ($('extend-notice').value.trim()) body.notice = $('extend-notice').value.trim()
  act(() => api('POST', path('extend'), body), '已延期并告知纳税人')
})
$('redirect-form').addEventListener('submit', (e) => {
  e.preventDefault()
  const body = { note: $('redirect-note').value }
  if ($('redirect-region').value.trim()) body.regionCode = $('redirect-region').value.trim()
  act(() => api('POST', path('redirect'), body), '已转办并办结')
})

// ------------------------------------------------------------------ knowledge lookup

function searchUrl(q, limit) {
  const p = new URLSearchParams({ q, limit: String(limit) })
  if ($('lookup-kind').value) p.set('kind', $('lookup-kind').value)
  if ($('lookup-region').value.trim()) p.set('region', $('lookup-region').value.trim())
  if ($('lookup-date').value) p.set('date', $('lookup-date').value)
  return `/api/agent/search?${p}`
}

function renderHits(target, hits) {
  target.replaceChildren(...hits.map((h) => {
    const snippet = el('p', { class: 'r-snippet' })
    renderSnippet(snippet, h.snippet)
    return el('li', {},
      el('button', { type: 'button', class: 'r-title', text: h.title, onclick: () => openEntry(h.id) }),
      el('div', { class: 'r-meta', text: `${KIND[h.kind] || h.kind} · ${h.layer === 'national' ? '全国' : h.regionCode}` }),
      snippet)
  }))
}

let seq = 0
let timer = null
async function lookup() {
  const q = $('lookup').value.trim()
  const mine = ++seq
  if (!q) { $('lookup-results').replaceChildren(); $('lookup-status').textContent = ''; return }
  try {
    const r = await api('GET', searchUrl(q, 10))
    if (mine !== seq) return // a newer keystroke already asked
    $('lookup-status').textContent = `${r.total} 条结果，用时 ${r.tookMs} 毫秒`
    renderHits($('lookup-results'), r.hits)
  } catch (err) {
    if (mine === seq) $('lookup-status').textContent = err.message
  }
}
$('lookup').addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(lookup, 120) })
for (const id of ['lookup-kind', 'lookup-region', 'lookup-date']) $(id).addEventListener('change', lookup)

async function suggest(question) {
  const target = $('d-suggest')
  target.replaceChildren()
  const r = await api('GET', `/api/agent/search?${new URLSearchParams({ q: question.slice(0, 200), limit: '5' })}`)
  renderHits(target, r.hits)
  if (r.hits.length === 0) target.append(el('li', { class: 'muted', text: '暂无推荐' }))
}

async function openEntry(id) {
  try {
    const e = await api('GET', `/api/entries/${encodeURIComponent(id)}`)
    $('entry-title').textContent = e.title
    $('entry-meta').textContent = `${KIND[e.kind] || e.kind} · ${e.layer === 'national' ? '全国' : e.regionCode} · ${e.effectiveFrom ? `自 ${e.effectiveFrom} 起施行` : ''}${e.effectiveTo ? `，${e.effectiveTo} 失效` : ''}`
    $('entry-body').textContent = e.question ? `问：${e.question}\n\n${e.body}` : e.body
    $('entry-source').textContent = `来源：${e.source.title}${e.source.docNumber ? `（${e.source.docNumber}）` : ''}`
    showPolicyInfo(e)
    $('entry-modal').hidden = false
  } catch (err) {
    toast(err.message, true)
  }
}
/** Policy documents (公告): 文号, clause, validity today, official page, and the whole document's text. */
function showPolicyInfo(e) {
  const p = e.policy
  if (!p) return
  const v = e.validityNow
  const clause = p.label && p.label !== '正文' ? ` ${p.label}` : ''
  $('entry-meta').textContent += ` · ${p.docNumber}${clause}${v ? ` · ${v.label}` : ''}`
  const src = $('entry-source')
  if (/^https?:\/\//.test(e.source.url || '')) src.append(' ', el('a', { href: e.source.url, target: '_blank', rel: 'noopener noreferrer', text: '官方原文' }))
  if (p.documentId && p.documentId !== e.id) src.append(' ', el('button', { type: 'button', class: 'link', text: '查看公告全文', onclick: () => openEntry(p.documentId) }))
}
$('entry-close').addEventListener('click', () => { $('entry-modal').hidden = true })
$('entry-modal').addEventListener('click', (e) => { if (e.target === $('entry-modal')) $('entry-modal').hidden = true })
document.addEventListener('keydown', (e) => { if (e.key === 'Escape') $('entry-modal').hidden = true })

// ------------------------------------------------------------------ start

api('GET', '/api/auth/me').then((u) => { me = u; return showApp() }).catch(() => showLogin())

// ------------------------------------------------------------------ follow-ups (回访, 征纳互动)
// Self-contained: a 不满意 / 非常不满意 rating opens a 回访 task for the seat group; the agent calls back,
// writes what came of it and marks it done. Kept apart from the ticket code above for the TS conversion.

const EVENT = { 'chat-answer': '智能咨询答复', 'ticket-reply': '人工答复', 'hall-visit': '办税服务厅办理', overall: '整体服务' }

async function loadFollowUps() {
  const { followUps } = await api('GET', '/api/feedback/followups')
  renderFollowUps(followUps)
}

function renderFollowUps(followUps) {
  const list = $('followup-list')
  list.replaceChildren()
  $('followups-empty').hidden = followUps.length > 0
  for (const f of followUps) {
    const overdue = Date.parse(f.dueAt) < Date.now()
    const note = el('input', { type: 'text', maxlength: '1000', placeholder: '回访结果', 'aria-label': '回访结果' })
    const done = el('button', { type: 'button', class: 'small', text: '完成回访', onclick: () => completeFollowUp(f.id, note.value) })
    list.append(el('li', { class: overdue ? 'overdue' : '', 'data-id': f.id },
      el('div', { class: 'q-top' }, el('span', { text: f.levelLabel }), el('span', { text: EVENT[f.eventType] || f.eventType })),
      el('div', { class: 'q-text', text: f.reason || '（未填写原因）' }),
      el('div', { class: 'q-due' }, document.createTextNode(`回访期限 ${f.dueLabel} `), overdue ? el('span', { class: 'badge overdue', text: '已超期' }) : null),
      el('div', { class: 'q-act' }, note, done)))
  }
}

async function completeFollowUp(id, note) {
  if (!note.trim()) return toast('请填写回访结果', true)
  try {
    await api('POST', `/api/feedback/followups/${encodeURIComponent(id)}/done`, { note: note.trim() })
    toast('已完成回访')
    await loadFollowUps()
  } catch (e) {
    toast(e.message, true)
  }
}

$('followups-refresh').addEventListener('click', () => loadFollowUps().catch((e) => toast(e.message, true)))
