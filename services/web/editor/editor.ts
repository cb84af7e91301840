/**
 * 税务知识库编辑台 (/editor): entry list, edit form and lifecycle, versions and diff, review and ripple queues,
 * worklists, bulk import, lexicon, hot topics, audit. Bundled by esbuild at serve time like the agent console;
 * login and API calls through the shared staff-api module, DOM through shared/dom (untrusted strings only via
 * textContent or input values, never innerHTML). Editorial responses are loosely typed in the contract
 * (`Loose(...)` schemas), so they are read as `any` here; requests and auth use the generated types.
 */
// biome-ignore-all lint/suspicious/noExplicitAny: the editorial API's responses are untyped in the contract
import { $, chinaDateTime, clear, el, toast as showToast } from '../shared/dom.js'
import { ApiError, api, errorMessage, type StaffUser, staffAuth } from '../shared/staff-api.js'
import { newEntryId } from './new-entry-id.js'
import { newEntryPrefill } from './new-entry-link.js'
import { AUDIT_EVENTS, auditDescription, auditEvent } from './audit-text.js'
import { defaultComparison } from './version-pick.js'

type FormField = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement
const $v = (id: string) => $<FormField>(id)
const $in = (id: string) => $<HTMLInputElement>(id)
const $b = (id: string) => $<HTMLButtonElement>(id)
const toast = (text: string, isError = false) => showToast(text, isError, 3500)

const KIND: Record<string, string> = {
  faq: '问答',
  guide: '办税指南',
  'hot-topic': '热点/税案通报',
  notice: '公告',
  'law-article': '法规条文',
  policy: '政策文件',
}
/** The kinds editors write (not 法规条文, 政策文件 or 税案通报): the entry list's default (issue 20 item 18). */
const EDITABLE_KINDS = 'faq,guide,notice'
const STATUS: Record<string, string> = { draft: '草稿', review: '待审核', published: '已发布', retired: '已废止' }
const LAYER: Record<string, string> = { national: '全国', province: '省级', city: '市级' }
const REASON: Record<string, string> = {
  retired: '已废止',
  replaced: '已被替代',
  expired: '已到期',
  missing: '不存在',
  amended: '已被修改',
}

let me: StaffUser | null = null
let current: { id: string | null; detail: any } | null = null

/** Why a cited article is stale, and what replaces it. */
const staleText = (s: any, sep: string) =>
  `${REASON[s.reason] || s.reason}${s.replacedBy.length ? `${sep}${s.replacedBy.join('、')}` : ''}`
/** The logged-in user; the app view is only shown after login. */
const user = (): StaffUser => {
  if (!me) throw new Error('未登录')
  return me
}
/** Id of the entry open in the edit panel. */
const cid = (): string => current?.id ?? ''
const can = (p: string) => !!me && me.permissions.includes(p)
const lines = (v: string) =>
  v
    .split(/\n/)
    .map((s) => s.trim())
    .filter(Boolean)

// ------------------------------------------------------------------ login

async function showApp() {
  $('login-view').hidden = true
  $('app-view').hidden = false
  $('who').hidden = false
  const roleZh = { editor: '编辑', reviewer: '审核', admin: '管理员', agent: '坐席' }[user().role] || user().role
  $('who-name').textContent = `${user().name}（${roleZh}${user().regionCode ? ` · ${user().regionCode}` : ' · 全国'}）`
  // The list starts at the editor's own layer and the kinds they write; other layers and kinds by filter.
  $v('f-kind').value = EDITABLE_KINDS
  if (user().regionCode) $v('f-region').value = user().regionCode ?? ''
  else $v('f-layer').value = 'national'
  if (can('users:manage')) $('a-action').append(el('option', { value: 'http', text: '请求日志（管理员）' }))
  await loadEntries()
  refreshBadges()
  openLinkedDraft()
}

/** `/editor/#new=<topic>` from the operations dashboard: a new draft with the topic filled in. */
function openLinkedDraft() {
  const prefill = newEntryPrefill(location.hash)
  if (!prefill || !me) return
  // Consumed once: a reload or a later tab switch does not open a second draft.
  history.replaceState(null, '', location.pathname + location.search)
  openNew({ kind: 'faq', ...prefill })
}
window.addEventListener('hashchange', openLinkedDraft)

$('login-form').addEventListener('submit', async (ev) => {
  ev.preventDefault()
  $('login-error').textContent = ''
  try {
    me = await staffAuth.login($v('login-username').value.trim(), $v('login-password').value)
    await showApp()
  } catch (e) {
    $('login-error').textContent = errorMessage(e)
  }
})

$('logout').addEventListener('click', async () => {
  await staffAuth.logout()
  me = null
  location.reload()
})

// ------------------------------------------------------------------ tabs

const loaders = {
  entries: loadEntries,
  review: loadReview,
  ripple: loadRipple,
  worklists: loadWorklists,
  lexicon: loadLexicon,
  hot: loadHot,
  audit: loadAudit,
  import: async () => {},
  policies: loadPolicies,
}
$('tabs').addEventListener('click', (ev) => {
  const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-tab]')
  if (!b) return
  for (const x of Array.from($('tabs').querySelectorAll('button'))) x.classList.toggle('active', x === b)
  for (const s of Array.from(document.querySelectorAll<HTMLElement>('.tab'))) s.hidden = s.id !== `tab-${b.dataset.tab}`
  // Another view: the edit panel closes so nothing of the new view is under it (issue 20 item 16).
  showPanel(false)
  loaders[(b.dataset.tab ?? 'entries') as keyof typeof loaders]().catch((e: unknown) => toast(errorMessage(e), true))
})

async function refreshBadges() {
  try {
    const [q, r] = await Promise.all([api('GET', '/api/editor/review-queue'), api('GET', '/api/editor/needs-review')])
    $('review-count').textContent = q.length ? String(q.length) : ''
    $('ripple-count').textContent = r.length ? String(r.length) : ''
  } catch {
    /* badges are best effort */
  }
}

// ------------------------------------------------------------------ entry list

$('f-kind').append(el('option', { value: EDITABLE_KINDS, text: '可编辑类型' }))
for (const [k, v] of Object.entries(KIND)) $('f-kind').append(el('option', { value: k, text: v }))
for (const [k, v] of Object.entries(STATUS)) $('f-status').append(el('option', { value: k, text: v }))
for (const [k, v] of Object.entries(KIND)) $('e-kind').append(el('option', { value: k, text: v }))

async function loadEntries() {
  const p = new URLSearchParams()
  if ($v('f-kind').value) p.set('kind', $v('f-kind').value)
  if ($v('f-layer').value) p.set('layer', $v('f-layer').value)
  if ($v('f-region').value.trim()) p.set('region', $v('f-region').value.trim())
  if ($v('f-status').value) p.set('status', $v('f-status').value)
  if ($in('f-needs-review').checked) p.set('needsReview', 'true')
  if ($v('f-q').value.trim()) p.set('q', $v('f-q').value.trim())
  p.set('limit', '200')
  const res = await api('GET', `/api/editor/entries?${p}`)
  renderKindChips(res.counts)
  $('list-summary').textContent =
    `共 ${res.total} 条${res.total > res.rows.length ? `，显示前 ${res.rows.length} 条` : ''}`
  const tb = clear($('entry-rows'))
  for (const r of res.rows) {
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10)
    const status =
      STATUS[r.status] +
      (r.status === 'published' && r.effectiveTo && r.effectiveTo <= today
        ? '（已到期）'
        : r.status === 'published' && r.effectiveFrom && r.effectiveFrom > today
          ? `（${r.effectiveFrom} 生效）`
          : '') +
      (r.pendingRevision ? `（修订${STATUS[r.pendingRevision.status]}）` : '') +
      (r.needsReview ? ' ⚠待复核' : '')
    tb.append(
      el(
        'tr',
        { 'data-id': r.id, onclick: () => openEntry(r.id) },
        el('td', { text: r.id }),
        el('td', { text: KIND[r.kind] || r.kind }),
        el('td', { text: r.title }),
        el('td', { text: LAYER[r.layer] }),
        el('td', { text: r.regionCode || '—' }),
        el('td', { text: status }),
        el('td', { text: `v${r.version}` }),
        el('td', { text: `${chinaDateTime(r.updatedAt)} ${r.updatedBy || ''}` }),
      ),
    )
  }
}
/** 「可编辑 130」「问答 123」…「全部 2421」: counts under the other filters; a click filters by that kind. */
function renderKindChips(counts: Record<string, number>) {
  const n = (kinds: string[]) => kinds.reduce((sum, k) => sum + (counts[k] ?? 0), 0)
  const chips: [string, string, number][] = [
    [EDITABLE_KINDS, '可编辑', n(EDITABLE_KINDS.split(','))],
    ...Object.keys(KIND).map((k): [string, string, number] => [k, KIND[k] ?? k, n([k])]),
    ['', '全部', n(Object.keys(counts))],
  ]
  const box = clear($('kind-chips'))
  for (const [value, label, count] of chips) {
    if (count === 0 && value !== $v('f-kind').value && value !== EDITABLE_KINDS) continue
    const onclick = () => {
      $v('f-kind').value = value
      loadEntries().catch((e) => toast(errorMessage(e), true))
    }
    const cls = value === $v('f-kind').value ? 'active' : ''
    box.append(el('button', { type: 'button', class: cls, 'data-kind': value, text: `${label} ${count}`, onclick }))
  }
}
$('filters').addEventListener('submit', (ev) => {
  ev.preventDefault()
  loadEntries().catch((e) => toast(errorMessage(e), true))
})

// ------------------------------------------------------------------ editor form

function showKindFields() {
  const kind = $v('e-kind').value
  for (const n of Array.from(document.querySelectorAll<HTMLElement>('[data-kinds]')))
    n.hidden = !(n.dataset.kinds ?? '').split(',').includes(kind)
}
/** A generated id follows kind and region until the editor types their own (e.g. a source id). */
const generatedId = () => newEntryId($v('e-kind').value, $v('e-region').value.trim() || null, new Date(), Math.random)
function refreshGeneratedId() {
  const field = $v('e-id')
  if (current?.id || !field.dataset.generated || field.value !== field.dataset.generated) return
  field.value = generatedId()
  field.dataset.generated = field.value
}
$('e-kind').addEventListener('change', () => {
  showKindFields()
  refreshGeneratedId()
})
$('e-region').addEventListener('change', refreshGeneratedId)

function fillForm(e: any) {
  $v('e-id').value = e.id || ''
  $v('e-kind').value = e.kind || 'faq'
  $v('e-title').value = e.title || ''
  $v('e-question').value = e.question || ''
  $v('e-body').value = e.body || ''
  const home = user().regionCode
  $v('e-layer').value = e.layer || (home ? (home.endsWith('0000') ? 'province' : 'city') : 'national')
  $v('e-region').value = e.regionCode === undefined ? user().regionCode || '' : e.regionCode || ''
  $v('e-from').value = e.effectiveFrom || ''
  $v('e-to').value = e.effectiveTo || ''
  $v('e-tags').value = (e.tags || []).join('，')
  $v('e-cited').value = (e.citedArticleIds || []).join('\n')
  $v('e-source-title').value = e.source?.title || ''
  $v('e-source-doc').value = e.source?.docNumber || ''
  $v('e-source-url').value = e.source?.url || ''
  const g = e.guide || {}
  $v('g-code').value = g.code || ''
  $v('g-time').value = g.timeLimit || ''
  $v('g-fees').value = g.fees || ''
  $v('g-conditions').value = (g.conditions || []).join('\n')
  $v('g-materials').value = (g.materials || []).join('\n')
  $v('g-steps').value = (g.steps || []).join('\n')
  $v('g-channels').value = (g.channels || []).join('\n')
  showKindFields()
}

/** The form as an entry; `law` fields of law articles are carried over unchanged. */
function readForm(base: any): any {
  const kind = $v('e-kind').value
  const source: any = { title: $v('e-source-title').value.trim() || '编辑部' }
  if ($v('e-source-doc').value.trim()) source.docNumber = $v('e-source-doc').value.trim()
  if ($v('e-source-url').value.trim()) source.url = $v('e-source-url').value.trim()
  if (base?.source?.issuer) source.issuer = base.source.issuer
  if (base?.source?.publishedAt) source.publishedAt = base.source.publishedAt
  const layer = $v('e-layer').value
  const e: any = {
    id: $v('e-id').value.trim(),
    kind,
    title: $v('e-title').value.trim(),
    body: $v('e-body').value.trim(),
    source,
    layer,
    regionCode: layer === 'national' ? null : $v('e-region').value.trim() || null,
    effectiveFrom: $v('e-from').value || null,
    effectiveTo: $v('e-to').value || null,
    tags: $v('e-tags')
      .value.split(/[,，、]/)
      .map((s) => s.trim())
      .filter(Boolean),
    citedArticleIds: lines($v('e-cited').value),
  }
  if (kind === 'faq' && $v('e-question').value.trim()) e.question = $v('e-question').value.trim()
  if (kind === 'guide')
    e.guide = {
      code: $v('g-code').value.trim(),
      conditions: lines($v('g-conditions').value),
      materials: lines($v('g-materials').value),
      steps: lines($v('g-steps').value),
      timeLimit: $v('g-time').value.trim(),
      fees: $v('g-fees').value.trim(),
      channels: lines($v('g-channels').value),
    }
  if (base?.law) e.law = base.law
  if (base?.replacedBy) e.replacedBy = base.replacedBy
  return e
}

/** Client-side checks so editors see every problem at once; the server checks again. */
function validateForm(e: any): string[] {
  const errs: string[] = []
  if (!e.id) errs.push('请填写编号')
  else if (/[\s/?]/.test(e.id)) errs.push('编号不能包含空格、/ 或 ?')
  if (!e.title) errs.push('请填写标题')
  if (!e.body) errs.push('请填写正文 / 答复')
  if (e.kind === 'faq' && !e.question) errs.push('问答类条目请填写问题')
  if (e.kind === 'guide' && !e.guide.code) errs.push('办税指南请填写事项编码')
  if (e.layer === 'province' && !/^\d{2}0000$/.test(e.regionCode || ''))
    errs.push('省级条目的地区代码应为省级代码（如 320000）')
  if (e.layer === 'city' && !/^\d{4}00$/.test(e.regionCode || ''))
    errs.push('市级条目的地区代码应为市级代码（如 320100）')
  if (e.layer === 'city' && /0000$/.test(e.regionCode || '')) errs.push('市级条目不能使用省级代码')
  if (e.effectiveFrom && e.effectiveTo && e.effectiveTo < e.effectiveFrom) errs.push('失效日期早于生效日期')
  return errs
}

function showErrors(list: string[]) {
  const ul = clear($('form-errors'))
  for (const m of list) ul.append(el('li', { text: m }))
}

function openNew(prefill: any = {}) {
  current = { id: null, detail: null }
  $('ed-heading').textContent = '新建条目'
  $('ed-state').textContent = '新条目（保存后为草稿）'
  $('ed-stale').hidden = true
  fillForm({ kind: 'faq', tags: [], citedArticleIds: [], ...prefill })
  $v('e-id').value = prefill.id || generatedId()
  $v('e-id').dataset.generated = prefill.id ? '' : $v('e-id').value
  $v('e-id').disabled = false
  showErrors([])
  $('ed-submit').hidden = true
  $('review-box').hidden = true
  $('publish-box').hidden = true
  $('ed-ack').hidden = true
  $('ed-discard').hidden = true
  clear($('version-rows'))
  clear($('diff-out'))
  showPanel(true)
  $('e-title').focus()
}
$('new-entry').addEventListener('click', () => openNew())
$('ed-close').addEventListener('click', () => showPanel(false))

/** While open, the panel is docked: the page narrows beside it (editor.css `panel-open`) instead of under it. */
function showPanel(open: boolean) {
  $('editor-panel').hidden = !open
  document.body.classList.toggle('panel-open', open)
}

async function openEntry(id: string) {
  const d = await api('GET', `/api/editor/entries/${encodeURIComponent(id)}`)
  current = { id, detail: d }
  const w = d.working
  $('ed-heading').textContent = `${KIND[w.kind] || w.kind}：${w.title}`
  const live = d.entry
  let state = `线上状态：${STATUS[live.status]}（v${live.version}）`
  if (d.revision) state += ` ｜ 待审修订：${STATUS[d.revision.status]}（v${d.revision.version}）`
  if (d.authors.length && (w.status === 'draft' || w.status === 'review'))
    state += ` ｜ 起草人：${d.authors.join('、')}`
  $('ed-state').textContent = state
  const stale = clear($('ed-stale'))
  stale.hidden = d.stale.length === 0
  for (const s of d.stale)
    stale.append(
      el('div', {
        text: `引用的 ${s.articleId} ${staleText(s, '，现行依据：')}${s.effectiveTo ? `（${s.effectiveTo} 起）` : ''}`,
      }),
    )
  fillForm(w)
  $v('e-id').disabled = true
  showErrors([])
  const editable = d.canEdit
  $b('ed-save').disabled = !editable
  $('ed-submit').hidden = false
  $b('ed-submit').disabled = !editable || w.status !== 'draft'
  $('ed-ack').hidden = !(editable && d.stale.length)
  $('ed-discard').hidden = !(editable && d.revision)
  // Approve is shown only to reviewers; for the author of the draft it is disabled (four eyes).
  $('review-box').hidden = !can('entries:review') || w.status !== 'review'
  $b('ed-approve').disabled = !d.canApprove
  $b('ed-reject').disabled = !d.canApprove
  $('ed-approve').title = d.canApprove ? '' : '不能审核自己起草或修改过的条目'
  $('publish-box').hidden = !can('entries:publish') || live.status !== 'published'
  showPanel(true)
  await loadVersions(id)
}

async function afterChange(msg: string, id?: string | null) {
  toast(msg)
  await Promise.all([loadEntries(), refreshBadges()])
  if (id) await openEntry(id)
}

async function act(fn: () => Promise<unknown>) {
  try {
    await fn()
  } catch (e) {
    const details = e instanceof ApiError ? (e.data as any)?.error?.message : undefined
    showErrors([details || errorMessage(e)])
    toast(errorMessage(e), true)
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
      await api('PUT', `/api/editor/entries/${encodeURIComponent(cid())}?baseVersion=${base.version}`, e)
      await afterChange('已保存为新版本', cid())
    } else {
      const created = await api('POST', '/api/editor/entries', e)
      await afterChange('草稿已保存', created.id)
    }
  })
})
$('ed-submit').addEventListener('click', () =>
  act(async () => {
    await api('POST', `/api/editor/entries/${encodeURIComponent(cid())}/submit`, {})
    await afterChange('已提交审核', cid())
  }),
)
$('ed-approve').addEventListener('click', () =>
  act(async () => {
    await api('POST', `/api/editor/entries/${encodeURIComponent(cid())}/approve`, {
      comment: $v('ed-comment').value.trim() || undefined,
    })
    $v('ed-comment').value = ''
    await afterChange('已审核通过并发布', cid())
  }),
)
$('ed-reject').addEventListener('click', () =>
  act(async () => {
    const comment = $v('ed-comment').value.trim()
    if (!comment) return showErrors(['退回时请填写审核意见'])
    await api('POST', `/api/editor/entries/${encodeURIComponent(cid())}/reject`, { comment })
    $v('ed-comment').value = ''
    await afterChange('已退回修改', cid())
  }),
)
$('ed-retire').addEventListener('click', () =>
  act(async () => {
    const date = $v('ed-retire-date').value
    if (!confirm(date ? `确定在 ${date} 失效吗？` : '确定立即废止吗？废止后检索不到该条目。')) return
    await api('POST', `/api/editor/entries/${encodeURIComponent(cid())}/retire`, date ? { effectiveTo: date } : {})
    await afterChange(date ? '已设置失效日期' : '已废止', cid())
  }),
)
$('ed-ack').addEventListener('click', () =>
  act(async () => {
    await api('POST', `/api/editor/entries/${encodeURIComponent(cid())}/acknowledge`, {})
    await afterChange('已确认复核', cid())
  }),
)
$('ed-discard').addEventListener('click', () =>
  act(async () => {
    if (!confirm('确定放弃这次修订吗？线上版本不受影响。')) return
    await api('DELETE', `/api/editor/entries/${encodeURIComponent(cid())}/revision`)
    await afterChange('已放弃修订', cid())
  }),
)
$('ed-pin').addEventListener('click', () =>
  act(async () => {
    await api('POST', '/api/editor/hot-topics/pins', { id: cid(), pinned: true })
    toast('已置顶为热点')
  }),
)

// ------------------------------------------------------------------ versions and diff

async function loadVersions(id: string) {
  const versions = await api('GET', `/api/editor/entries/${encodeURIComponent(id)}/versions`)
  const tb = clear($('version-rows'))
  const picks = defaultComparison(versions)
  versions.forEach((v: any) => {
    const rollback = can('entries:publish')
      ? el('button', {
          type: 'button',
          class: 'secondary',
          'data-version': v.version,
          text: '回滚到此版本',
          onclick: () =>
            act(async () => {
              if (!confirm(`确定回滚到 v${v.version} 吗？将生成一个新版本。`)) return
              await api('POST', `/api/editor/entries/${encodeURIComponent(id)}/rollback`, { version: v.version })
              await afterChange(`已回滚到 v${v.version}`, id)
            }),
        })
      : null
    tb.append(
      el(
        'tr',
        {},
        el(
          'td',
          {},
          el('input', {
            type: 'checkbox',
            class: 'pick',
            value: String(v.version),
            checked: picks.includes(v.version),
          }),
        ),
        el('td', { text: `v${v.version}` }),
        el('td', { text: STATUS[v.entry.status] }),
        el('td', { text: v.savedBy }),
        el('td', { text: chinaDateTime(v.savedAt) }),
        el('td', { text: v.note }),
        el('td', {}, rollback),
      ),
    )
  })
}

$('ed-diff').addEventListener('click', () =>
  act(async () => {
    const picked = Array.from(document.querySelectorAll<HTMLInputElement>('#version-rows .pick:checked'))
      .map((c) => Number(c.value))
      .sort((a, b) => a - b)
    if (picked.length !== 2) return toast('请选择两个版本', true)
    const res = await api(
      'GET',
      `/api/editor/entries/${encodeURIComponent(cid())}/diff?from=${picked[0]}&to=${picked[1]}`,
    )
    const out = clear($('diff-out'))
    out.append(el('h4', { text: `v${picked[0]} → v${picked[1]}` }))
    if (!res.diff.fields.length) out.append(el('p', { class: 'muted', text: '内容无差异' }))
    const show = (v: unknown) =>
      v === null || v === undefined ? '（空）' : typeof v === 'string' ? v : JSON.stringify(v)
    for (const f of res.diff.fields) {
      if (['title', 'question', 'body'].includes(f.field)) continue
      out.append(
        el(
          'div',
          {},
          el('strong', { text: `${f.field}：` }),
          el('del', { text: show(f.before) }),
          ' → ',
          el('ins', { text: show(f.after) }),
        ),
      )
    }
    for (const t of res.diff.text) {
      const p = el('div', { class: 'diff-text' }, el('strong', { text: `${t.field}：` }))
      for (const part of t.parts)
        p.append(
          part.added
            ? el('ins', { text: part.value })
            : part.removed
              ? el('del', { text: part.value })
              : document.createTextNode(part.value),
        )
      out.append(p)
    }
  }),
)

// ------------------------------------------------------------------ review queue, ripple

async function loadReview() {
  const q = await api('GET', '/api/editor/review-queue')
  const tb = clear($('review-rows'))
  if (!q.length) tb.append(el('tr', {}, el('td', { colspan: 6, class: 'muted', text: '没有待审核的条目' })))
  for (const r of q) {
    tb.append(
      el(
        'tr',
        { 'data-id': r.id },
        el('td', { text: r.id }),
        el('td', { text: r.title }),
        el('td', { text: r.regionCode || '全国' }),
        el('td', { text: r.authors.join('、') }),
        el('td', { text: r.isRevision ? '已发布条目的修订' : '新条目' }),
        el(
          'td',
          {},
          el('button', {
            type: 'button',
            text: r.canApprove ? '审阅' : '查看（本人起草）',
            onclick: () => openEntry(r.id).catch((e) => toast(errorMessage(e), true)),
          }),
        ),
      ),
    )
  }
}

async function loadRipple() {
  const items = await api('GET', '/api/editor/needs-review')
  const box = clear($('ripple-list'))
  if (!items.length) box.append(el('p', { class: 'muted', text: '没有需要复核的条目' }))
  for (const i of items) {
    const g = el(
      'div',
      { class: 'group', 'data-id': i.id },
      el('h4', { text: `${i.title}（${KIND[i.kind] || i.kind}，${i.regionCode || '全国'}，${STATUS[i.status]}）` }),
    )
    for (const s of i.stale)
      g.append(
        el('div', {
          text: `引用 ${s.articleId} ${staleText(s, ' → ')}`,
        }),
      )
    g.append(
      el('button', {
        type: 'button',
        text: '打开',
        onclick: () => openEntry(i.id).catch((e) => toast(errorMessage(e), true)),
      }),
    )
    box.append(g)
  }
}

// ------------------------------------------------------------------ worklists

function groupList(node: HTMLElement, groups: any[]) {
  clear(node)
  if (!groups.length) node.append(el('p', { class: 'muted', text: '暂无' }))
  for (const g of groups) {
    const box = el('div', { class: 'group' }, el('h4', { text: `${g.topic}（${g.count}）` }))
    for (const q of g.questions.slice(0, 20)) {
      box.append(
        el(
          'div',
          { class: 'q' },
          el('span', { text: `${q.question} ×${q.count}${q.reasons?.length ? `（${q.reasons.join('；')}）` : ''}` }),
          el('button', {
            type: 'button',
            text: '起草答复',
            onclick: () =>
              openNew({
                kind: 'faq',
                title: q.question,
                question: q.question,
                body: '',
                layer: q.regionCode ? (q.regionCode.endsWith('0000') ? 'province' : 'city') : undefined,
                regionCode: q.regionCode ?? undefined,
                tags: g.topic === '未分类' ? [] : [g.topic],
              }),
          }),
        ),
      )
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
  for (const r of w.promoted)
    p.append(
      el(
        'div',
        { class: 'q' },
        el('span', { text: `${r.title}（${STATUS[r.status]}，${r.updatedBy || ''}）` }),
        el('button', {
          type: 'button',
          text: '编辑',
          onclick: () => openEntry(r.id).catch((e) => toast(errorMessage(e), true)),
        }),
      ),
    )
}

// ------------------------------------------------------------------ import

function toBase64(buf: ArrayBuffer): string {
  const bytes = new Uint8Array(buf)
  let s = ''
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000))
  return btoa(s)
}

async function runImport(dryRun: boolean) {
  const file = $in('imp-file').files?.[0]
  if (!file) return toast('请选择文件', true)
  const format = $v('imp-format').value
  const buf = await file.arrayBuffer()
  const content = format === 'xlsx' ? toBase64(buf) : new TextDecoder().decode(buf)
  let report: any
  try {
    report = await api('POST', '/api/editor/import', { format, content, dryRun, publish: $in('imp-publish').checked })
  } catch (e) {
    const withReport = e instanceof ApiError ? (e.data as any)?.report : undefined
    if (!withReport) throw e
    report = withReport
  }
  const box = clear($('imp-report'))
  const unreadable = report.problems.some((p: any) => p.row === 0)
  const nothing = dryRun ? '' : '，未导入任何条目'
  const verdict = report.ok
    ? dryRun
      ? `预检通过：${report.rows} 行，可新建 ${report.created} 条、更新 ${report.updated} 条、未变化 ${report.unchanged} 条`
      : `导入完成：已导入 ${report.imported} 条`
    : `${dryRun ? '预检' : '导入'}未通过：${unreadable ? '文件无法读取' : `${report.problems.length} 行有错误`}${nothing}`
  box.append(el('p', { id: 'imp-verdict', class: report.ok ? '' : 'error', text: verdict }))
  if (report.problems.length) {
    const tb = el('tbody')
    for (const p of report.problems)
      tb.append(
        el(
          'tr',
          { 'data-row': p.row },
          el('td', { text: p.row === 0 ? '整个文件' : `第 ${p.row} 行` }),
          el('td', { text: p.id || '' }),
          el('td', { text: p.messages.join('；') }),
        ),
      )
    box.append(
      el(
        'table',
        { class: 'grid' },
        el(
          'thead',
          {},
          el('tr', {}, el('th', { text: '行号' }), el('th', { text: '编号' }), el('th', { text: '问题' })),
        ),
        tb,
      ),
    )
  }
  const warnings: any[] = report.warnings ?? []
  if (warnings.length) {
    const tb = el('tbody')
    for (const w of warnings) {
      tb.append(
        el(
          'tr',
          { 'data-warning-row': w.row },
          el('td', { text: `第 ${w.row} 行` }),
          el('td', { text: w.id || '' }),
          el('td', { text: w.messages.join('；') }),
        ),
      )
    }
    box.append(
      el('p', { id: 'imp-warnings', text: `提醒：${warnings.length} 行引用了不存在的条文（不影响导入，请核对）` }),
      el('table', { class: 'grid' }, tb),
    )
  }
  if (!dryRun && report.ok) loadEntries()
}
$('imp-templates').addEventListener('click', (ev) => {
  const b = (ev.target as HTMLElement).closest<HTMLButtonElement>('button[data-template]')
  if (!b) return
  const p = new URLSearchParams({ kind: b.dataset.template ?? 'faq', format: $v('imp-format').value })
  // Same-origin GET with the login cookie: the browser downloads it (content-disposition: attachment).
  const a = el('a', { href: `/api/editor/import-template?${p}`, download: '' })
  document.body.append(a)
  a.click()
  a.remove()
})
$('imp-dry').addEventListener('click', () => runImport(true).catch((e) => toast(errorMessage(e), true)))
$('imp-run').addEventListener('click', () => runImport(false).catch((e) => toast(errorMessage(e), true)))

// ------------------------------------------------------------------ lexicon

let lexFiles: any[] = []
async function loadLexicon() {
  const res = await api('GET', '/api/editor/lexicon')
  lexFiles = res.files
  const sel = $v('lex-file')
  const keep = sel.value || 'synonyms.txt'
  clear(sel)
  const names: Record<string, string> = {
    'synonyms.txt': '同义词',
    'user-dict.txt': '用户词典',
    'stopwords.txt': '停用词',
    'expansions.txt': '口语扩展',
  }
  for (const f of lexFiles) sel.append(el('option', { value: f.name, text: `${names[f.name] || f.name}（${f.name}）` }))
  sel.value = keep
  showLexFile()
}
function showLexFile() {
  const f = lexFiles.find((x) => x.name === $v('lex-file').value)
  $v('lex-text').value = f ? f.text : ''
  $('lex-source').textContent = f
    ? f.source === 'overlay'
      ? '（已由编辑修改，保存在数据目录）'
      : f.source === 'bundled'
        ? '（随软件发布的版本）'
        : '（空）'
    : ''
}
$('lex-file').addEventListener('change', showLexFile)
$('lex-save').addEventListener('click', () =>
  act(async () => {
    $('lex-msg').textContent = '正在提交……'
    try {
      const res = await api('PUT', `/api/editor/lexicon/${encodeURIComponent($v('lex-file').value)}`, {
        text: $v('lex-text').value,
      })
      $('lex-msg').textContent = `已提交（${res.id.slice(0, 8)}），待另一位全国层编辑批准后生效`
      await loadLexicon()
    } catch (e) {
      $('lex-msg').textContent = errorMessage(e)
      throw e
    }
  }),
)

// ------------------------------------------------------------------ hot topics

async function loadHot() {
  const h = await api('GET', '/api/hot-topics')
  const pinned = clear($('hot-pinned'))
  if (!h.pinned.length) pinned.append(el('p', { class: 'muted', text: '暂无置顶' }))
  for (const p of h.pinned)
    pinned.append(
      el(
        'div',
        { class: 'q', 'data-id': p.id },
        el('span', { text: `${p.title}（${p.id}）` }),
        el('button', {
          type: 'button',
          text: '取消置顶',
          onclick: () =>
            act(async () => {
              await api('POST', '/api/editor/hot-topics/pins', { id: p.id, pinned: false })
              await loadHot()
            }),
        }),
      ),
    )
  const tr = clear($('hot-trending'))
  for (const t of h.trending) tr.append(el('li', { text: `${t.question}（${t.count} 次）` }))
  const cs = clear($('hot-cases'))
  for (const c of h.cases) cs.append(el('li', { text: `${c.publishedAt || ''} ${c.title}` }))
}
$('hot-pin').addEventListener('click', () =>
  act(async () => {
    const id = $v('hot-id').value.trim()
    if (!id) return
    await api('POST', '/api/editor/hot-topics/pins', { id, pinned: true })
    $v('hot-id').value = ''
    await loadHot()
  }),
)

// ------------------------------------------------------------------ audit

for (const [k, v] of Object.entries(AUDIT_EVENTS)) $('a-action').append(el('option', { value: k, text: v }))
/** People seen in the log so far (id → name), for the person filter. */
const auditActors = new Map<string, string>()

async function loadAudit() {
  const p = new URLSearchParams({ limit: '200' })
  const action = $v('a-action').value
  if (action === 'http') p.set('kind', 'http')
  else if (action) p.set('action', action)
  const filters: [string, string][] = [
    ['entryId', 'a-entry'],
    ['actor', 'a-actor'],
    ['from', 'a-from'],
    ['to', 'a-to'],
  ]
  for (const [name, id] of filters) if ($v(id).value.trim()) p.set(name, $v(id).value.trim())
  const rows = await api('GET', `/api/editor/audit?${p}`)
  $('audit-summary').textContent = `${rows.length} 条${rows.length >= 200 ? '（仅显示最近 200 条，请缩小范围）' : ''}`
  const tb = clear($('audit-rows'))
  if (!rows.length) tb.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: '没有符合条件的记录' })))
  for (const a of rows) {
    auditActors.set(a.actorId, a.actorName)
    const entry = a.entryId
      ? el('button', {
          type: 'button',
          class: 'link',
          text: a.entryId,
          onclick: () => openEntry(a.entryId).catch((e) => toast(errorMessage(e), true)),
        })
      : null
    tb.append(
      el(
        'tr',
        { 'data-action': a.action },
        el('td', { text: chinaDateTime(a.at) }),
        el('td', { text: a.actorName }),
        el('td', { text: auditEvent(a) }),
        el('td', {}, entry),
        el('td', { text: auditDescription(a) }),
      ),
    )
  }
  const sel = $v('a-actor')
  const keep = sel.value
  clear(sel).append(el('option', { value: '', text: '全部人员' }))
  for (const [id, name] of auditActors) sel.append(el('option', { value: id, text: name }))
  sel.value = keep
}
$('audit-filters').addEventListener('submit', (ev) => {
  ev.preventDefault()
  loadAudit().catch((e) => toast(errorMessage(e), true))
})
// ------------------------------------------------------------------ policy documents (政策公告)
// Paste / upload → POST /api/editor/policies/parse (preview) → POST /api/editor/policies (draft) → the
// ordinary entry drawer (提交审核; another reviewer approves). Bulk JSONL and the missing list.

const RELATION: Record<string, string> = {
  repeals: '废止',
  amends: '修改',
  extends: '延续',
  implements: '依据',
  effective: '施行',
  expires: '执行至',
}

function policyRequest() {
  const body: Record<string, string> = { format: $v('pol-format').value, content: $v('pol-content').value }
  const opt: Record<string, string> = {
    docNumber: $v('pol-docno').value.trim(),
    title: $v('pol-title').value.trim(),
    publishedAt: $v('pol-published').value,
    effectiveFrom: $v('pol-effective').value,
    sourceUrl: $v('pol-url').value.trim(),
  }
  for (const [k, v] of Object.entries(opt)) if (v) body[k] = v
  return body
}

const headRow = (...labels: string[]) => el('thead', {}, el('tr', {}, ...labels.map((t) => el('th', { text: t }))))
const cells = (...texts: string[]) => el('tr', {}, ...texts.map((t) => el('td', { text: t })))

function renderPolicyPreview(d: any) {
  const box = clear($('pol-preview'))
  if (d.problems.length) {
    box.append(
      el('ul', { class: 'errors', id: 'pol-problems' }, ...d.problems.map((p: string) => el('li', { text: p }))),
    )
  }
  $<HTMLButtonElement>('pol-create').disabled = !d.entry || d.problems.length > 0
  if (!d.entry) return
  const e = d.entry
  // fill what was read, so the editor corrects it in place and parses again
  if (!$v('pol-docno').value) $v('pol-docno').value = e.id
  if (!$v('pol-title').value) $v('pol-title').value = e.title
  if (!$v('pol-published').value && e.source.publishedAt) $v('pol-published').value = e.source.publishedAt
  if (!$v('pol-effective').value && e.effectiveFrom) $v('pol-effective').value = e.effectiveFrom
  const until = e.effectiveTo ? `｜失效 ${e.effectiveTo}` : ''
  const summary =
    `${e.id}｜${e.title}｜发布 ${e.source.publishedAt || '—'}｜施行 ${e.effectiveFrom || '—'}${until}` +
    `｜${d.clauses.length} 个条款`
  box.append(el('p', { id: 'pol-summary', text: summary }))
  const rels = e.policy.relations.filter((r: any) => r.type !== 'effective')
  const rt = el('tbody', { id: 'pol-relations' })
  for (const r of rels) {
    rt.append(
      cells(
        RELATION[r.type] || r.type,
        r.target || '（未指明文号）',
        r.targetPart || '',
        r.effectiveDate || '',
        r.clause,
      ),
    )
  }
  if (!rels.length) rt.append(el('tr', {}, el('td', { colspan: 5, class: 'muted', text: '未识别出与其他文件的关系' })))
  box.append(
    el('h3', { text: '识别出的关系' }),
    el('table', { class: 'grid small' }, headRow('关系', '文号', '部分', '日期', '所在条款'), rt),
  )
  const ct = el('tbody', { id: 'pol-clauses' })
  for (const c of d.clauses) {
    const period = [c.effectiveFrom, c.effectiveTo].filter(Boolean).join(' 至 ')
    ct.append(cells(c.label, c.heading || '', period, c.text.slice(0, 80)))
  }
  box.append(
    el('h3', { text: '条款' }),
    el('table', { class: 'grid small' }, headRow('条款', '标题', '执行期间', '内容'), ct),
  )
  if (e.policy.attachments.length) box.append(el('p', { text: `附件：${e.policy.attachments.join('；')}` }))
}

async function parsePolicy() {
  renderPolicyPreview(await api('POST', '/api/editor/policies/parse', policyRequest()))
}

async function createPolicy() {
  const res = await api('POST', '/api/editor/policies', policyRequest())
  toast(`已保存草稿 ${res.entry.id}，请提交审核`)
  await openEntry(res.entry.id)
}

async function readFileInto(input: HTMLInputElement, target: FormField) {
  const f = input.files?.[0]
  if (!f) return
  target.value = await f.text()
  if (input === $('pol-file')) {
    $v('pol-format').value = /\.html?$/i.test(f.name) ? 'html' : /\.json$/i.test(f.name) ? 'json' : 'text'
  }
}

async function bulkPolicies(dryRun: boolean) {
  const f = $in('pol-bulk-file').files?.[0]
  if (!f) return toast('请选择 JSONL 文件', true)
  const content = await f.text()
  let report: any
  try {
    report = await api('POST', '/api/editor/policies/import', { content, dryRun })
  } catch (e) {
    report = e instanceof ApiError ? (e.data as any)?.report : undefined
    if (!report) throw e
  }
  const box = clear($('pol-bulk-out'))
  const done = dryRun ? `预检通过：${report.rows} 条` : `已导入并发布 ${report.imported} 条`
  box.append(el('p', { text: report.ok ? done : `有 ${report.problems.length} 行错误，未导入任何公告` }))
  if (report.problems.length) {
    const line = (p: any) => `第 ${p.row} 行${p.id ? `（${p.id}）` : ''}：${p.messages.join('；')}`
    box.append(el('ul', { class: 'errors' }, ...report.problems.map((p: any) => el('li', { text: line(p) }))))
  }
}

async function loadPolicies() {
  const rows: any[] = await api('GET', '/api/editor/policies/missing')
  const box = clear($('pol-missing'))
  if (!rows.length) return void box.append(el('p', { class: 'muted', text: '没有缺失的文件' }))
  const citedBy = (r: any) =>
    r.citedBy.slice(0, 5).join('、') + (r.citedBy.length > 5 ? ` 等 ${r.citedBy.length} 条` : '')
  box.append(
    el(
      'table',
      { class: 'grid small' },
      headRow('文号', '引用它的条目'),
      el('tbody', {}, ...rows.slice(0, 200).map((r) => cells(r.docNumber, citedBy(r)))),
    ),
  )
}

const onError = (e: unknown) => toast(errorMessage(e), true)
$('pol-parse').addEventListener('click', () => parsePolicy().catch(onError))
$('pol-create').addEventListener('click', () => createPolicy().catch(onError))
$('pol-file').addEventListener('change', () => readFileInto($in('pol-file'), $v('pol-content')).catch(onError))
$('pol-bulk-dry').addEventListener('click', () => bulkPolicies(true).catch(onError))
$('pol-bulk-run').addEventListener('click', () => bulkPolicies(false).catch(onError))

// ------------------------------------------------------------------ start
;(async () => {
  try {
    me = await staffAuth.me()
    await showApp()
  } catch {
    $('login-view').hidden = false
  }
})()
