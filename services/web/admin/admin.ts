/**
 * 12366 operations dashboard (/admin). Same login as the consoles (cookie + CSRF double submit). Every
 * chart has a definition tooltip, a table view (the server's table of the figure), PNG export (the SVG
 * drawn on a canvas) and CSV export (the server's formula-safe CSV). Untrusted text only via textContent.
 */
import type { JsonResponse } from '../shared/api-contract.js'
import { barChart, hbarChart, lineChart, svgToPng } from './svg-charts.js'

/** The dashboard response as the generated API contract has it (the JSON branch, not the CSV string). */
type Contract = Exclude<JsonResponse<'getAdminDashboard'>, string>

interface Count {
  key: string
  label: string
  count: number
}
interface Table {
  columns: string[]
  rows: (string | number | null)[][]
}
interface Summary {
  volume: number
  automationRate: number | null
  satisfactionRate: number | null
  onTimeRate: number | null
  avgHandlingWorkingHours: number | null
  ticketsCreated: number
}
interface Dashboard {
  from: string
  to: string
  workingDays: number
  scope: string[] | null
  summary: { current: Summary; previous: Summary }
  days: { day: string; volume: number; automationRate: number | null; byChannel: Record<string, number> }[]
  hours: { hour: number; byChannel: Record<string, number> }[]
  channels: string[]
  intents: Count[]
  handoffReasons: Count[]
  ratings: { distribution: Count[]; dissatisfiedReasons: Count[] }
  tickets: {
    onTime: { label: string; rate: number | null }[]
    overdue: {
      id: string
      number: string
      typeLabel: string
      seatGroup: string
      dueAt: string
      question: string
      link: string
    }[]
  }
  seatGroups: { seatGroup: string; created: number }[]
  agents: { agent: string; avgHandlingWorkingHours: number | null }[]
  knowledge: {
    unansweredTopics: { topic: string; count: number; draftLink: string }[]
    mostCited: Count[]
    badlyCited: Count[]
  }
  bookings: Contract['bookings']
  surveys: Contract['surveys']
  satisfaction: Contract['satisfaction']
  followUps: Contract['followUps']
  tables: Record<string, Table>
  definitions: Record<string, { label: string; definition: string }>
}
interface Me {
  name: string
  role: string
  regionCode: string | null
}

const $ = <T extends HTMLElement = HTMLElement>(id: string): T => document.getElementById(id) as T

function csrf(): string {
  const m = /(?:^|;\s*)taxkb_csrf=([^;]+)/.exec(document.cookie)
  return m?.[1] ? decodeURIComponent(m[1]) : ''
}

async function api<T>(method: string, url: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' }
  if (method !== 'GET') headers['x-csrf-token'] = csrf()
  if (body !== undefined) headers['content-type'] = 'application/json'
  const init: RequestInit = { method, headers, credentials: 'same-origin' }
  if (body !== undefined) init.body = JSON.stringify(body)
  const res = await fetch(url, init)
  const data = (await res.json().catch(() => ({}))) as { error?: { message?: string } }
  if (!res.ok) throw new Error(data.error?.message ?? `请求失败（${res.status}）`)
  return data as T
}

function el(tag: string, props: Record<string, string> = {}, ...children: (Node | string | null)[]): HTMLElement {
  const node = document.createElement(tag)
  for (const [k, v] of Object.entries(props)) {
    if (k === 'text') node.textContent = v
    else if (k === 'class') node.className = v
    else node.setAttribute(k, v)
  }
  for (const c of children) if (c !== null) node.append(c)
  return node
}

const pct = (r: number | null): string => (r === null ? '—' : `${(r * 100).toFixed(1)}%`)
const num = (n: number | null, unit = ''): string => (n === null ? '—' : `${n}${unit}`)
const chinaDate = (iso: string): string => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 10)
const chinaTime = (iso: string): string =>
  new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ')

let current: Dashboard | null = null

function query(extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({
    from: $<HTMLInputElement>('from').value,
    to: $<HTMLInputElement>('to').value,
    ...extra,
  })
  const region = $<HTMLSelectElement>('region').value
  if (region) p.set('region', region)
  return p.toString()
}

function download(blob: Blob, name: string): void {
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  document.body.append(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

function tableView(t: Table, linkCol?: (row: number) => { col: number; href: string }): HTMLTableElement {
  const table = document.createElement('table')
  table.append(el('thead', {}, el('tr', {}, ...t.columns.map((c) => el('th', { scope: 'col', text: c })))))
  const body = document.createElement('tbody')
  t.rows.forEach((r, i) => {
    const link = linkCol?.(i)
    body.append(
      el(
        'tr',
        {},
        ...r.map((c, j) => {
          const text = c === null ? '' : String(c)
          return el('td', {}, link && link.col === j ? el('a', { href: link.href, text, target: '_blank' }) : text)
        }),
      ),
    )
  })
  table.append(body)
  return table
}

/** One chart card: heading with definition tooltip, chart (or table only), table toggle, PNG and CSV. */
function card(
  key: string,
  chart: SVGSVGElement | null,
  linkCol?: (row: number) => { col: number; href: string },
): HTMLElement {
  const d = current
  if (!d) throw new Error('no data')
  const def = d.definitions[key] ?? { label: key, definition: '' }
  const table = d.tables[key] ?? { columns: [], rows: [] }
  const tableBox = el('div', { class: 'table-view' }, tableView(table, linkCol))
  tableBox.hidden = chart !== null
  const info = el(
    'span',
    { class: 'info', title: def.definition, tabindex: '0', 'aria-label': `口径：${def.definition}` },
    'i',
  )
  const toggle = el(
    'button',
    { type: 'button', class: 'small', 'aria-expanded': String(!tableBox.hidden) },
    chart ? '表格视图' : '表格',
  )
  toggle.addEventListener('click', () => {
    tableBox.hidden = !tableBox.hidden
    toggle.setAttribute('aria-expanded', String(!tableBox.hidden))
  })
  const csv = el(
    'a',
    { class: 'small', href: `/api/admin/dashboard?${query({ format: 'csv', figure: key })}`, download: `${key}.csv` },
    '导出 CSV',
  )
  const head = el('div', { class: 'chart-head' }, el('h2', { text: def.label }), info, chart ? toggle : null)
  if (chart) {
    const png = el('button', { type: 'button', class: 'small' }, '导出 PNG')
    png.addEventListener('click', () => {
      svgToPng(chart)
        .then((b) => download(b, `${key}.png`))
        .catch((e: unknown) => showError((e as Error).message))
    })
    head.append(png)
  }
  head.append(csv)
  const section = el('section', { class: 'chart', 'data-figure': key, 'aria-label': def.label }, head)
  section.append(el('p', { class: 'definition', text: def.definition }))
  if (chart) section.append(chart)
  section.append(tableBox)
  return section
}

function kpi(label: string, now: string, before: string): HTMLElement {
  return el(
    'div',
    { class: 'kpi' },
    el('div', { class: 'k-label', text: label }),
    el('div', { class: 'k-value', text: now }),
    el('div', { class: 'k-prev', text: `上一周期 ${before}` }),
  )
}

/** A figure of the period without a previous-period comparison (bookings, follow-ups). */
function note(label: string, value: string): HTMLElement {
  return el(
    'div',
    { class: 'kpi' },
    el('div', { class: 'k-label', text: label }),
    el('div', { class: 'k-value', text: value }),
  )
}

const pctOrNull = (r: number | null): number | null => (r === null ? null : Math.round(r * 1000) / 10)
const pct1 = (r: number | null): number => pctOrNull(r) ?? 0

function render(d: Dashboard): void {
  current = d
  const { current: c, previous: p } = d.summary
  $('range-note').textContent =
    `${chinaDate(d.from)} 至 ${chinaDate(new Date(Date.parse(d.to) - 1).toISOString())}，共 ${d.days.length} 天（工作日 ${d.workingDays} 天）`
  $('summary').replaceChildren(
    kpi('咨询量', String(c.volume), String(p.volume)),
    kpi('智能应答占比', pct(c.automationRate), pct(p.automationRate)),
    kpi('满意率', pct(c.satisfactionRate), pct(p.satisfactionRate)),
    kpi('按期办理率', pct(c.onTimeRate), pct(p.onTimeRate)),
    kpi('新建工单', String(c.ticketsCreated), String(p.ticketsCreated)),
    kpi('平均处理时长', num(c.avgHandlingWorkingHours, ' 工作小时'), num(p.avgHandlingWorkingHours, ' 工作小时')),
  )
  const b = d.bookings.totals
  const f = d.followUps
  $('service-summary').replaceChildren(
    note('预约利用率', pct(b.utilisation)),
    note('爽约率', pct(b.noShowRate)),
    note('预约取消', String(b.cancellations)),
    note('回访新建 / 完成', `${f.opened} / ${f.closed}`),
    note('回访未完成（其中超期）', `${f.openNow}（${f.overdueNow}）`),
  )
  const days = d.days.map((x) => x.day.slice(5))
  const byChannel = (rows: { byChannel: Record<string, number> }[]) =>
    d.channels.map((ch) => ({ name: ch, values: rows.map((r) => r.byChannel[ch] ?? 0) }))
  const counts = (xs: Count[]) => xs.map((x) => ({ label: x.label, value: x.count }))
  const hb = (key: string, items: { label: string; value: number }[], unit = '') =>
    hbarChart(d.definitions[key]?.label ?? key, items, unit)
  const overdue = d.tickets.overdue
  const topics = d.knowledge.unansweredTopics
  $('charts').replaceChildren(
    card('volume', barChart('咨询量', days, byChannel(d.days))),
    card(
      'automationRate',
      lineChart(
        '智能应答占比',
        days,
        d.days.map((x) => (x.automationRate === null ? null : Math.round(x.automationRate * 1000) / 10)),
        100,
        '%',
      ),
    ),
    card(
      'volumeByHour',
      barChart(
        '分时咨询量',
        d.hours.map((h) => String(h.hour)),
        byChannel(d.hours),
      ),
    ),
    card('volumeByIntent', hb('volumeByIntent', counts(d.intents))),
    card('handoffReasons', hb('handoffReasons', counts(d.handoffReasons))),
    card(
      'ratingDistribution',
      hb(
        'ratingDistribution',
        d.ratings.distribution.map((x) => ({ label: `${x.key} 分 ${x.label}`, value: x.count })),
      ),
    ),
    card('dissatisfiedReasons', hb('dissatisfiedReasons', counts(d.ratings.dissatisfiedReasons))),
    card(
      'onTimeRate',
      hb(
        'onTimeRate',
        d.tickets.onTime.map((x) => ({ label: x.label, value: x.rate === null ? 0 : Math.round(x.rate * 1000) / 10 })),
        '%',
      ),
    ),
    card('overdue', null, (i) => ({ col: 0, href: overdue[i]?.link ?? '#' })),
    card('extensions', null),
    card(
      'seatGroups',
      hb(
        'seatGroups',
        d.seatGroups.map((g) => ({ label: g.seatGroup, value: g.created })),
      ),
    ),
    card(
      'agents',
      hb(
        'agents',
        d.agents.map((a) => ({ label: a.agent, value: a.avgHandlingWorkingHours ?? 0 })),
        ' 小时',
      ),
    ),
    card(
      'unansweredTopics',
      hb(
        'unansweredTopics',
        topics.map((t) => ({ label: t.topic, value: t.count })),
      ),
      (i) => ({ col: 0, href: topics[i]?.draftLink ?? '#' }),
    ),
    card('mostCited', hb('mostCited', counts(d.knowledge.mostCited))),
    card('badlyCited', hb('badlyCited', counts(d.knowledge.badlyCited))),
    card(
      'bookingHalls',
      hb(
        'bookingHalls',
        d.bookings.halls.map((h) => ({ label: h.hallName, value: pct1(h.utilisation) })),
        '%',
      ),
    ),
    card(
      'bookingDays',
      lineChart(
        '预约利用率',
        days,
        d.bookings.days.map((x) => pctOrNull(x.utilisation)),
        100,
        '%',
      ),
    ),
    card(
      'surveyResponses',
      hb(
        'surveyResponses',
        d.surveys.map((x) => ({ label: x.title, value: x.responses })),
      ),
    ),
    card(
      'serviceSatisfaction',
      hb(
        'serviceSatisfaction',
        d.satisfaction.map((x) => ({ label: x.channel, value: pct1(x.satisfiedRate) })),
        '%',
      ),
    ),
    card(
      'followUps',
      barChart('回访任务', days, [
        { name: '新建', values: d.followUps.days.map((x) => x.opened) },
        { name: '完成', values: d.followUps.days.map((x) => x.closed) },
      ]),
    ),
  )
  // Overdue deadlines read better in China time than as ISO instants.
  document.querySelectorAll('[data-figure="overdue"] tbody tr td:nth-child(5)').forEach((td) => {
    td.textContent = chinaTime(td.textContent ?? '')
  })
}

function showError(text: string): void {
  $('dash-error').textContent = text
}

async function load(): Promise<void> {
  showError('')
  try {
    render(await api<Dashboard>('GET', `/api/admin/dashboard?${query()}`))
  } catch (e) {
    showError((e as Error).message)
  }
}

function fillRegions(me: Me, scope: string[] | null): void {
  const sel = $<HTMLSelectElement>('region')
  const own = me.regionCode
  const codes = scope ?? []
  sel.replaceChildren(
    el('option', { value: '', text: own ? `本辖区全部（${own}）` : '全国' }),
    ...codes.filter((c) => c !== own).map((c) => el('option', { value: c, text: c })),
  )
}

async function showApp(me: Me): Promise<void> {
  $('login-view').hidden = true
  $('app-view').hidden = false
  $('whoami').hidden = false
  $('user-label').textContent = `${me.name}（${me.regionCode ?? '全国'}）`
  const today = new Date(Date.now() + 8 * 3_600_000)
  const from = new Date(today.getTime() - 29 * 86_400_000)
  $<HTMLInputElement>('to').value = today.toISOString().slice(0, 10)
  $<HTMLInputElement>('from').value = from.toISOString().slice(0, 10)
  await load()
  fillRegions(me, current?.scope ?? null)
}

function showLogin(): void {
  $('app-view').hidden = true
  $('whoami').hidden = true
  $('login-view').hidden = false
  $('login-username').focus()
}

$('login-form').addEventListener('submit', (e) => {
  e.preventDefault()
  $('login-error').textContent = ''
  const username = $<HTMLInputElement>('login-username').value.trim()
  const password = $<HTMLInputElement>('login-password').value
  api<{ user: Me }>('POST', '/api/auth/login', { username, password })
    .then((r) => {
      $<HTMLInputElement>('login-password').value = ''
      return showApp(r.user)
    })
    .catch((err: unknown) => {
      $('login-error').textContent = (err as Error).message
    })
})
$('logout').addEventListener('click', () => {
  api('POST', '/api/auth/logout')
    .catch(() => undefined)
    .finally(showLogin)
})
$('range-form').addEventListener('submit', (e) => {
  e.preventDefault()
  void load()
})

api<Me>('GET', '/api/auth/me').then(showApp).catch(showLogin)
