// 税务知识库编辑台. Plain DOM: every untrusted string is set with textContent or as an input value;
// nothing is ever assigned to innerHTML.
const $ = (id) => document.getElementById(id)
const KIND = { faq: '问答', guide: '办税指南', 'hot-topic': '热点/税案通报', notice: '公告', 'law-article': '法规条文' }
const STATUS = { draft: '草稿', review: '待审核', published: '已发布', retired: '已废止' }
const LAYER = { national: '全国', province: '省级', city: '市级' }
const ACTION = { create: '新建', save: '保存', submit: '提交审核', approve: '审核通过并发布', reject: '退回', retire: '废止', rollback: '回滚', import: '批量导入', acknowledge: '确认复核', pin: '置顶', unpin: '取消置顶', lexicon: '词典' }
const REASON = { retired: '已废止', replaced: '已被替代', expired: '已到期', missing: '不存在' }

let me = null
let current = null // { id | null (new), detail }

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
    err.data = data
    throw err
  }
  return data
}

function el(tag, props = {}, ...children) {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue
    if (k === 'text') node.textContent = String(v)
    else if (k === 'class') node.className = v
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v)
    else node.setAttribute(k, v === true ? '' : String(v))
  }
  for (const c of children) if (c !== null && c !== undefined && c !== false) node.append(c)
  return node
}

function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild)
  return node
}

function toast(text, isError = false) {
  const t = $('toast')
  t.textContent = text
  t.className = isError ? 'toast error' : 'toast'
  t.hidden = false
  clearTimeout(toast.timer)
  toast.timer = setTimeout(() => { t.hidden = true }, 3500)
}

const can = (p) => !!me && me.permissions.includes(p)
const fmtTime = (iso) => (iso ? iso.replace('T', ' ').slice(0, 16) : '')
const lines = (v) => v.split(/\n/).map((s) => s.trim()).filter(Boolean)

// ------------------------------------------------------------------ login

async function showApp() {
  $('login-view').hidden = true
  $('app-view').hidden = false
  $('who').hidden = false
  const roleZh = { editor: '编辑', reviewer: '审核', admin: '管理员', agent: '坐席' }[me.role] || me.role
  $('who-name').textContent = `${me.name}（${roleZh}${me.regionCode ? ` · ${me.regionCode}` : ' · 全国'}）`
  await loadEntries()
  refreshBadges()
}

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  $('login-error').textContent = ''
  try {
    const res = await api('POST', '/api/auth/login', { username: $('login-username').value.trim(), password: $('login-password').value })
    me = res.user
    await showApp()
  } catch (e) {
    $('login-error').textContent = e.message
  }
})

$('logout').addEventListener('click', async () => {
  await api('POST', '/api/auth/logout', {}).catch(() => {})
  me = null
  location.reload()
})

// ------------------------------------------------------------------ tabs

const loaders = { entries: loadEntries, review: loadReview, ripple: loadRipple, worklists: loadWorklists, lexicon: loadLexicon, hot: loadHot, audit: loadAudit, import: async () => {} }
$('tabs').addEventListener('click', (ev) => {
  const b = ev.target.closest('button[data-tab]')
  if (!b) return
  for (const x of $('tabs').querySelectorAll('button')) x.classList.toggle('active', x === b)
  for (const s of document.querySelectorAll('.tab')) s.hidden = s.id !== `tab-${b.dataset.tab}`
  loaders[b.dataset.tab]().catch((e) => toast(e.message, true))
})

async function refreshBadges() {
  try {
    const [q, r] = await Promise.all([api('GET', '/api/editor/review-queue'), api('GET', '/api/editor/needs-review')])
    $('review-count').textContent = q.length ? String(q.length) : ''
    $('ripple-count').textContent = r.length ? String(r.length) : ''
  } catch { /* badges are best effort */ }
}

// ------------------------------------------------------------------ entry list

for (const [k, v] of Object.entries(KIND)) $('f-kind').append(el('option', { value: k, text: v }))
for (const [k, v] of Object.entries(STATUS)) $('f-status').append(el('option', { value: k, text: v }))
for (const [k, v] of Object.entries(KIND)) $('e-kind').append(el('option', { value: k, text: v }))

async function loadEntries() {
  const p = new URLSearchParams()
  if ($('f-kind').value) p.set('kind', $('f-kind').value)
  if ($('f-layer').value) p.set('layer', $('f-layer').value)
  if ($('f-region').value.trim()) p.set('region', $('f-region').value.trim())
  if ($('f-status').value) p.set('status', $('f-status').value)
  if ($('f-needs-review').checked) p.set('needsReview', 'true')
  if ($('f-q').value.trim()) p.set('q', $('f-q').value.trim())
  p.set('limit', '200')
  const res = await api('GET', `/api/editor/entries?${p}`)
  $('list-summary').textContent = `共 ${res.total} 条${res.total > res.rows.length ? `，显示前 ${res.rows.length} 条` : ''}`
  const tb = clear($('entry-rows'))
  for (const r of res.rows) {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
    const status = STATUS[r.status] + (r.status === 'published' && r.effectiveTo && r.effectiveTo <= today ? '（已到期）' : r.status === 'published' && r.effectiveFrom && r.effectiveFrom > today ? `（${r.effectiveFrom} 生效）` : '') + (r.pendingRevision ? `（修订${STATUS[r.pendingRevision.status]}）` : '') + (r.needsReview ? ' ⚠待复核' : '')
    tb.append(el('tr', { 'data-id': r.id, onclick: () => openEntry(r.id) },
      el('td', { text: r.id }), el('td', { text: KIND[r.kind] || r.kind }), el('td', { text: r.title }), el('td', { text: LAYER[r.layer] }),
      el('td', { text: r.regionCode || '—' }), el('td', { text: status }), el('td', { text: `v${r.version}` }), el('td', { text: `${fmtTime(r.updatedAt)} ${r.updatedBy || ''}` })))
  }
}
$('filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadEntries().catch((e) => toast(e.message, true)) })

// ------------------------------------------------------------------ editor form

function showKindFields() {
  const kind = $('e-kind').value
  for (const n of document.querySelectorAll('[data-kinds]')) n.hidden = !n.dataset.kinds.split(',').includes(kind)
}
$('e-kind').addEventListener('change', showKindFields)

function fillForm(e) {
  $('e-id').value = e.id || ''
  $('e-kind').value = e.kind || 'faq'
  $('e-title').value = e.title || ''
  $('e-question').value = e.question || ''
  $('e-body').value = e.body || ''
  $('e-layer').value = e.layer || (me.regionCode ? (me.regionCode.endsWith('0000') ? 'province' : 'city') : 'national')
  $('e-region').value = e.regionCode === undefined ? me.regionCode || '' : e.regionCode || ''
  $('e-from').value = e.effectiveFrom || ''
  $('e-to').value = e.effectiveTo || ''
  $('e-tags').value = (e.tags || []).join('，')
  $('e-cited').value = (e.citedArticleIds || []).join('\n')
  $('e-source-title').value = e.source?.title || ''
  $('e-source-doc').value = e.source?.docNumber || ''
  $('e-source-url').value = e.source?.url || ''
  const g = e.guide || {}
  $('g-code').value = g.code || ''
  $('g-time').value = g.timeLimit || ''
  $('g-fees').value = g.fees || ''
  $('g-conditions').value = (g.conditions || []).join('\n')
  $('g-materials').value = (g.materials || []).join('\n')
  $('g-steps').value = (g.steps || []).join('\n')
  $('g-channels').value = (g.channels || []).join('\n')
  showKindFields()
}

/** The form as an entry; `law` fields of law articles are carried over unchanged. */
function readForm(base) {
  const kind = $('e-kind').value
  const source = { title: $('e-source-title').value.trim() || '编辑部' }
  if ($('e-source-doc').value.trim()) source.docNumber = $('e-source-doc').value.trim()
  if ($('e-source-url').value.trim()) source.url = $('e-source-url').value.trim()
  if (base?.source?.issuer) source.issuer = base.source.issuer
  if (base?.source?.publishedAt) source.publishedAt = base.source.publishedAt
  const layer = $('e-layer').value
  const e = {
    id: $('e-id').value.trim(),
    kind,
    title: $('e-title').value.trim(),
    body: $('e-body').value.trim(),
    source,
    layer,
    regionCode: layer === 'national' ? null : $('e-region').value.trim() || null,
    effectiveFrom: $('e-from').value || null,
    effectiveTo: $('e-to').value || null,
    tags: $('e-tags').value.split(/[,，、]/).map((s) => s.trim()).filter(Boolean),
    citedArticleIds: lines($('e-cited').value),
  }
  if (kind === 'faq' && $('e-question').value.trim()) e.question = $('e-question').value.trim()
  if (kind === 'guide') e.guide = { code: $('g-code').value.trim(), conditions: lines($('g-conditions').value), materials: lines($('g-materials').value), steps: lines($('g-steps').value), timeLimit: $('g-time').value.trim(), fees: $('g-fees').value.trim(), channels: lines($('g-channels').value) }
  if (base?.law) e.law = base.law
  if (base?.replacedBy) e.replacedBy = base.replacedBy
  return e
}

/** Client-side checks so editors see every problem at once; the server checks again. */
function validateForm(e) {
  const errs = []
  if (!e.id) errs.push('请填写编号')
  else if (/[\s/?]/.test(e.id)) errs.push('编号不能包含空格、/ 或 ?')
  if (!e.title) errs.push('请填写标题')
  if (!e.body) errs.push('请填写正文 / 答复')
  if (e.kind === 'faq' && !e.question) errs.push('问答类条目请填写问题')
  if (e.kind === 'guide' && !e.guide.code) errs.push('办税指南请填写事项编码')
  if (e.layer === 'province' && !/^\d{2}0000$/.test(e.regionCode || '')) errs.push('省级条目的地区代码应为省级代码（如 320000）')
  if (e.layer === 'city' && !/^\d{4}00$/.test(e.regionCode || '') ) errs.push('市级条目的地区代码应为市级代码（如 320100）')
  if (e.layer === 'city' && /0000$/.test(e.regionCode || '')) errs.push('市级条目不能使用省级代码')
  if (e.effectiveFrom && e.effectiveTo && e.effectiveTo < e.effectiveFrom) errs.push('失效日期早于生效日期')
  return errs
}

function showErrors(list) {
  const ul = clear($('form-errors'))
  for (const m of list) ul.append(el('li', { text: m }))
}

function openNew(prefill = {}) {
  current = { id: null, detail: null }
  $('ed-heading').textContent = '新建条目'
  $('ed-state').textContent = '新条目（保存后为草稿）'
  $('ed-stale').hidden = true
  fillForm({ kind: 'faq', tags: [], citedArticleIds: [], ...prefill })
  $('e-id').disabled = false
  showErrors([])
  $('ed-submit').hidden = true
  $('review-box').hidden = true
  $('publish-box').hidden = true
  $('ed-ack').hidden = true
  $('ed-discard').hidden = true
  clear($('version-rows'))
  clear($('diff-out'))
  $('editor-panel').hidden = false
  $('e-title').focus()
}
$('new-entry').addEventListener('click', () => openNew())
$('ed-close').addEventListener('click', () => { $('editor-panel').hidden = true })

async function openEntry(id) {
  const d = await api('GET', `/api/editor/entries/${encodeURIComponent(id)}`)
  current = { id, detail: d }
  const w = d.working
  $('ed-heading').textContent = `${KIND[w.kind] || w.kind}：${w.title}`
  const live = d.entry
  let state = `线上状态：${STATUS[live.status]}（v${live.version}）`
  if (d.revision) state += ` ｜ 待审修订：${STATUS[d.revision.status]}（v${d.revision.version}）`
  if (d.authors.length && (w.status === 'draft' || w.status === 'review')) state += ` ｜ 起草人：${d.authors.join('、')}`
  $('ed-state').textContent = state
  const stale = clear($('ed-stale'))
  stale.hidden = d.stale.length === 0
  for (const s of d.stale) stale.append(el('div', { text: `引用的 ${s.articleId} ${REASON[s.reason] || s.reason}${s.replacedBy.length ? `，现行依据：${s.replacedBy.join('、')}` : ''}${s.effectiveTo ? `（${s.effectiveTo} 起）` : ''}` }))
  fillForm(w)
  $('e-id').disabled = true
  showErrors([])
  const editable = d.canEdit
  $('ed-save').disabled = !editable
  $('ed-submit').hidden = false
  $('ed-submit').disabled = !editable || w.status !== 'draft'
  $('ed-ack').hidden = !(editable && d.stale.length)
  $('ed-discard').hidden = !(editable && d.revision)
  // Approve is shown only to reviewers; for the author of the draft it is disabled (four eyes).
  $('review-box').hidden = !can('entries:review') || w.status !== 'review'
  $('ed-approve').disabled = !d.canApprove
  $('ed-reject').disabled = !d.canApprove
  $('ed-approve').title = d.canApprove ? '' : '不能审核自己起草或修改过的条目'
  $('publish-box').hidden = !can('entries:publish') || live.status !== 'published'
  $('editor-panel').hidden = false
  await loadVersions(id)
}

async function afterChange(msg, id) {
  toast(msg)
  await Promise.all([loadEntries(), refreshBadges()])
  if (id) await openEntry(id)
}

async function act(fn) {
  try {
    await fn()
  } catch (e) {
    const details = e.data?.error?.message
    showErrors([details || e.message])
    toast(e.message, true)
  }
}

$('entry-form').addEventListener('submit', (ev) => {
  ev.preventDefault()
  act(async () => {
    const base = current?.detail?.working
    const e = readForm(base)
    const errs = validateForm(e)
    showErrors(errs)
    if (errs.length) return
    if (current?.id) {
      await api('PUT', `/api/editor/entries/${encodeURIComponent(current.id)}?baseVersion=${base.version}`, e)
      await afterChange('已保存为新版本', current.id)
    } else {
      const created = await api('POST', '/api/editor/entries', e)
      await afterChange('草稿已保存', created.id)
    }
  })
})
$('ed-submit').addEventListener('click', () => act(async () => {
  await api('POST', `/api/editor/entries/${encodeURIComponent(current.id)}/submit`, {})
  await afterChange('已提交审核', current.id)
}))
$('ed-approve').addEventListener('click', () => act(async () => {
  await api('POST', `/api/editor/entries/${encodeURIComponent(current.id)}/approve`, { comment: $('ed-comment').value.trim() || undefined })
  $('ed-comment').value = ''
  await afterChange('已审核通过并发布', current.id)
}))
$('ed-reject').addEventListener('click', () => act(async () => {
  const comment = $('ed-comment').value.trim()
  if (!comment) return showErrors(['退回时请填写审核意见'])
  await api('POST', `/api/editor/entries/${encodeURIComponent(current.id)}/reject`, { comment })
  $('ed-comment').value = ''
  await afterChange('已退回修改', current.id)
}))
$('ed-retire').addEventListener('click', () => act(async () => {
  const date = $('ed-retire-date').value
  if (!confirm(date ? `确定在 ${date} 失效吗？` : '确定立即废止吗？废止后检索不到该条目。')) return
  await api('POST', `/api/editor/entries/${encodeURIComponent(current.id)}/retire`, date ? { effectiveTo: date } : {})
  await afterChange(date ? '已设置失效日期' : '已废止', current.id)
}))
$('ed-ack').addEventListener('click', () => act(async () => {
  await api('POST', `/api/editor/entries/${encodeURIComponent(current.id)}/acknowledge`, {})
  await afterChange('已确认复核', current.id)
}))
$('ed-discard').addEventListener('click', () => act(async () => {
  if (!confirm('确定放弃这次修订吗？线上版本不受影响。')) return
  await api('DELETE', `/api/editor/entries/${encodeURIComponent(current.id)}/revision`)
  await afterChange('已放弃修订', current.id)
}))
$('ed-pin').addEventListener('click', () => act(async () => {
  await api('POST', '/api/editor/hot-topics/pins', { id: current.id, pinned: true })
  toast('已置顶为热点')
}))

// ------------------------------------------------------------------ versions and diff

async function loadVersions(id) {
  const versions = await api('GET', `/api/editor/entries/${encodeURIComponent(id)}/versions`)
  const tb = clear($('version-rows'))
  versions.forEach((v, i) => {
    const rollback = can('entries:publish') ? el('button', { type: 'button', class: 'secondary', 'data-version': v.version, text: '回滚到此版本', onclick: () => act(async () => {
      if (!confirm(`确定回滚到 v${v.version} 吗？将生成一个新版本。`)) return
      await api('POST', `/api/editor/entries/${encodeURIComponent(id)}/rollback`, { version: v.version })
      await afterChange(`已回滚到 v${v.version}`, id)
    }) }) : null
    tb.append(el('tr', {},
      el('td', {}, el('input', { type: 'checkbox', class: 'pick', value: String(v.version), checked: i < 2 })),
      el('td', { text: `v${v.version}` }), el('td', { text: STATUS[v.entry.status] }), el('td', { text: v.savedBy }), el('td', { text: fmtTime(v.savedAt) }), el('td', { text: v.note }), el('td', {}, rollback)))
  })
}

$('ed-diff').addEventListener('click', () => act(async () => {
  const picked = [...document.querySelectorAll('#version-rows .pick:checked')].map((c) => Number(c.value)).sort((a, b) => a - b)
  if (picked.length !== 2) return toast('请选择两个版本', true)
  const res = await api('GET', `/api/editor/entries/${encodeURIComponent(current.id)}/diff?from=${picked[0]}&to=${picked[1]}`)
  const out = clear($('diff-out'))
  out.append(el('h4', { text: `v${picked[0]} → v${picked[1]}` }))
  if (!res.diff.fields.length) out.append(el('p', { class: 'muted', text: '内容无差异' }))
  const show = (v) => (v === null || v === undefined ? '（空）' : typeof v === 'string' ? v : JSON.stringify(v))
  for (const f of res.diff.fields) {
    if (['title', 'question', 'body'].includes(f.field)) continue
    out.append(el('div', {}, el('strong', { text: `${f.field}：` }), el('del', { text: show(f.before) }), ' → ', el('ins', { text: show(f.after) })))
  }
  for (const t of res.diff.text) {
    const p = el('div', { class: 'diff-text' }, el('strong', { text: `${t.field}：` }))
    for (const part of t.parts) p.append(part.added ? el('ins', { text: part.value }) : part.removed ? el('del', { text: part.value }) : document.createTextNode(part.value))
    out.append(p)
  }
}))

// ------------------------------------------------------------------ review queue, ripple

async function loadReview() {
  const q = await api('GET', '/api/editor/review-queue')
  const tb = clear($('review-rows'))
  if (!q.length) tb.append(el('tr', {}, el('td', { colspan: 6, class: 'muted', text: '没有待审核的条目' })))
  for (const r of q) {
    tb.append(el('tr', { 'data-id': r.id },
      el('td', { text: r.id }), el('td', { text: r.title }), el('td', { text: r.regionCode || '全国' }), el('td', { text: r.authors.join('、') }),
      el('td', { text: r.isRevision ? '已发布条目的修订' : '新条目' }),
      el('td', {}, el('button', { type: 'button', text: r.canApprove ? '审阅' : '查看（本人起草）', onclick: () => openEntry(r.id).catch((e) => toast(e.message, true)) }))))
  }
}

async function loadRipple() {
  const items = await api('GET', '/api/editor/needs-review')
  const box = clear($('ripple-list'))
  if (!items.length) box.append(el('p', { class: 'muted', text: '没有需要复核的条目' }))
  for (const i of items) {
    const g = el('div', { class: 'group', 'data-id': i.id }, el('h4', { text: `${i.title}（${KIND[i.kind] || i.kind}，${i.regionCode || '全国'}，${STATUS[i.status]}）` }))
    for (const s of i.stale) g.append(el('div', { text: `引用 ${s.articleId} ${REASON[s.reason] || s.reason}${s.replacedBy.length ? ` → ${s.replacedBy.join('、')}` : ''}` }))
    g.append(el('button', { type: 'button', text: '打开', onclick: () => openEntry(i.id).catch((e) => toast(e.message, true)) }))
    box.append(g)
  }
}

// ------------------------------------------------------------------ worklists

function groupList(node, groups) {
  clear(node)
  if (!groups.length) node.append(el('p', { class: 'muted', text: '暂无' }))
  for (const g of groups) {
    const box = el('div', { class: 'group' }, el('h4', { text: `${g.topic}（${g.count}）` }))
    for (const q of g.questions.slice(0, 20)) {
      box.append(el('div', { class: 'q' }, el('span', { text: `${q.question} ×${q.count}${q.reasons?.length ? `（${q.reasons.join('；')}）` : ''}` }),
        el('button', { type: 'button', text: '起草答复', onclick: () => openNew({ kind: 'faq', title: q.question, question: q.question, body: '', layer: q.regionCode ? (q.regionCode.endsWith('0000') ? 'province' : 'city') : undefined, regionCode: q.regionCode ?? undefined, tags: g.topic === '未分类' ? [] : [g.topic] }) })))
    }
    node.append(box)
  }
}

async function loadWorklists() {
  const w = await api('GET', '/api/editor/worklists')
  groupList($('wl-unanswered'), w.unanswered)
  groupList($('wl-low'), w.lowConfidence)
  groupList($('wl-bad'), w.badlyRated)
  const p = clear($('wl-promoted'))
  if (!w.promoted.length) p.append(el('p', { class: 'muted', text: '暂无' }))
  for (const r of w.promoted) p.append(el('div', { class: 'q' }, el('span', { text: `${r.title}（${STATUS[r.status]}，${r.updatedBy || ''}）` }), el('button', { type: 'button', text: '编辑', onclick: () => openEntry(r.id).catch((e) => toast(e.message, true)) })))
}

// ------------------------------------------------------------------ import

function toBase64(buf) {
  const bytes = new Uint8Array(buf)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

async function runImport(dryRun) {
  const file = $('imp-file').files[0]
  if (!file) return toast('请选择文件', true)
  const format = $('imp-format').value
  const buf = await file.arrayBuffer()
  const content = format === 'xlsx' ? toBase64(buf) : new TextDecoder().decode(buf)
  let report
  try {
    report = await api('POST', '/api/editor/import', { format, content, dryRun, publish: $('imp-publish').checked })
  } catch (e) {
    if (!e.data?.report) throw e
    report = e.data.report
  }
  const box = clear($('imp-report'))
  const verdict = report.ok ? (dryRun ? `预检通过：${report.rows} 行，可新建 ${report.created} 条、更新 ${report.updated} 条、未变化 ${report.unchanged} 条` : `导入完成：已导入 ${report.imported} 条`) : `${dryRun ? '预检' : '导入'}未通过：${report.problems.length} 行有错误${dryRun ? '' : '，未导入任何条目'}`
  box.append(el('p', { id: 'imp-verdict', class: report.ok ? '' : 'error', text: verdict }))
  if (report.problems.length) {
    const tb = el('tbody')
    for (const p of report.problems) tb.append(el('tr', { 'data-row': p.row }, el('td', { text: `第 ${p.row} 行` }), el('td', { text: p.id || '' }), el('td', { text: p.messages.join('；') })))
    box.append(el('table', { class: 'grid' }, el('thead', {}, el('tr', {}, el('th', { text: '行号' }), el('th', { text: '编号' }), el('th', { text: '问题' }))), tb))
  }
  if (!dryRun && report.ok) loadEntries()
}
$('imp-dry').addEventListener('click', () => runImport(true).catch((e) => toast(e.message, true)))
$('imp-run').addEventListener('click', () => runImport(false).catch((e) => toast(e.message, true)))

// ------------------------------------------------------------------ lexicon

let lexFiles = []
async function loadLexicon() {
  const res = await api('GET', '/api/editor/lexicon')
  lexFiles = res.files
  const sel = $('lex-file')
  const keep = sel.value || 'synonyms.txt'
  clear(sel)
  const names = { 'synonyms.txt': '同义词', 'user-dict.txt': '用户词典', 'stopwords.txt': '停用词', 'expansions.txt': '口语扩展' }
  for (const f of lexFiles) sel.append(el('option', { value: f.name, text: `${names[f.name] || f.name}（${f.name}）` }))
  sel.value = keep
  showLexFile()
}
function showLexFile() {
  const f = lexFiles.find((x) => x.name === $('lex-file').value)
  $('lex-text').value = f ? f.text : ''
  $('lex-source').textContent = f ? (f.source === 'overlay' ? '（已由编辑修改，保存在数据目录）' : f.source === 'bundled' ? '（随软件发布的版本）' : '（空）') : ''
}
$('lex-file').addEventListener('change', showLexFile)
$('lex-save').addEventListener('click', () => act(async () => {
  $('lex-msg').textContent = '正在提交……'
  try {
    const res = await api('PUT', `/api/editor/lexicon/${encodeURIComponent($('lex-file').value)}`, { text: $('lex-text').value })
    $('lex-msg').textContent = `已提交（${res.id.slice(0, 8)}），待另一位全国层编辑批准后生效`
    await loadLexicon()
  } catch (e) {
    $('lex-msg').textContent = e.message
    throw e
  }
}))

// ------------------------------------------------------------------ hot topics

async function loadHot() {
  const h = await api('GET', '/api/hot-topics')
  const pinned = clear($('hot-pinned'))
  if (!h.pinned.length) pinned.append(el('p', { class: 'muted', text: '暂无置顶' }))
  for (const p of h.pinned) pinned.append(el('div', { class: 'q', 'data-id': p.id }, el('span', { text: `${p.title}（${p.id}）` }), el('button', { type: 'button', text: '取消置顶', onclick: () => act(async () => { await api('POST', '/api/editor/hot-topics/pins', { id: p.id, pinned: false }); await loadHot() }) })))
  const tr = clear($('hot-trending'))
  for (const t of h.trending) tr.append(el('li', { text: `${t.question}（${t.count} 次）` }))
  const cs = clear($('hot-cases'))
  for (const c of h.cases) cs.append(el('li', { text: `${c.publishedAt || ''} ${c.title}` }))
}
$('hot-pin').addEventListener('click', () => act(async () => {
  const id = $('hot-id').value.trim()
  if (!id) return
  await api('POST', '/api/editor/hot-topics/pins', { id, pinned: true })
  $('hot-id').value = ''
  await loadHot()
}))

// ------------------------------------------------------------------ audit

async function loadAudit() {
  const rows = await api('GET', '/api/editor/audit?limit=200')
  const tb = clear($('audit-rows'))
  for (const a of rows) tb.append(el('tr', {}, el('td', { text: fmtTime(a.at) }), el('td', { text: a.actorName }), el('td', { text: ACTION[a.action] || a.action }), el('td', { text: a.entryId || '' }), el('td', { text: a.from || a.to ? `${STATUS[a.from] || '—'} → ${STATUS[a.to] || '—'}` : '' }), el('td', { text: a.version ? `v${a.version}` : '' }), el('td', { text: a.comment || '' })))
}

// ------------------------------------------------------------------ start

;(async () => {
  try {
    me = await api('GET', '/api/auth/me')
    await showApp()
  } catch {
    $('login-view').hidden = false
  }
})()
