/**
 * Hall console (/hall/): sign in, then for the hall the user administers: today's list, look-up by
 * 纳税人名称 + 预约号, printable 预约办税单 (print stylesheet in booking.css), check-in, reschedule proposal after
 * a system failure, unlock after an in-person ID check, capacity settings.
 */
import {
  addDays,
  api,
  appointmentFacts,
  type AppointmentDto,
  clear,
  dayLabel,
  el,
  errorBox,
  type HallDto,
  type SlotDto,
} from './dom.js'

const app = document.getElementById('app') as HTMLElement
const slip = document.getElementById('slip') as HTMLElement
const who = document.getElementById('who') as HTMLElement
let hall: HallDto | null = null
let today = ''

function field(id: string, label: string, input: HTMLInputElement | HTMLSelectElement): HTMLElement[] {
  input.id = id
  return [el('label', { for: id }, label), input]
}

async function signIn(): Promise<void> {
  const user = el('input', { autocomplete: 'username' })
  const pass = el('input', { type: 'password', autocomplete: 'current-password' })
  const out = el('div', { 'aria-live': 'polite' })
  const form = el(
    'form',
    { class: 'card' },
    el('h2', {}, '工作人员登录'),
    ...field('login-user', '用户名', user),
    ...field('login-pass', '密码', pass),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, '登录')),
    out,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    try {
      await api('POST', '/api/auth/login', { username: user.value.trim(), password: pass.value })
      await start()
    } catch (e) {
      clear(out, errorBox(e))
    }
  })
  clear(app, form)
}

async function start(): Promise<void> {
  let me: { name: string }
  try {
    me = await api<{ name: string }>('GET', '/api/auth/me')
  } catch {
    return signIn()
  }
  who.textContent = me.name
  try {
    const r = await api<{ halls: HallDto[] }>('GET', '/api/booking/staff/halls')
    const h = await api<{ today: string }>('GET', '/api/booking/halls?region=320000').catch(() => ({ today: '' }))
    today = h.today
    if (r.halls.length === 0) return clear(app, el('p', { class: 'error' }, '您的账号未被设置为任何办税服务厅的管理员'))
    const chosen = new URLSearchParams(location.search).get('hall')
    hall = r.halls.find((x) => x.id === chosen) ?? r.halls[0] ?? null
    const pick = el(
      'select',
      { id: 'hall-pick' },
      ...r.halls.map((x) => el('option', { value: x.id, selected: x.id === hall?.id }, x.name)),
    )
    pick.addEventListener('change', () => {
      hall = r.halls.find((x) => x.id === pick.value) ?? hall
      void render()
    })
    app.before(el('div', { class: 'no-print', style: 'max-width:960px;margin:8px auto;padding:0 12px' }, pick))
    await render()
  } catch (e) {
    clear(app, errorBox(e))
  }
}

async function render(): Promise<void> {
  if (!hall) return
  clear(app, lookupCard(), await todayCard(), unlockCard(), capacityCard())
}

function base(): string {
  return `/api/booking/halls/${encodeURIComponent(hall?.id ?? '')}`
}

function lookupCard(): HTMLElement {
  const name = el('input', { maxlength: '100' })
  const number = el('input', { maxlength: '20', placeholder: '如 1202-001' })
  const out = el('div', { id: 'lookup-result', 'aria-live': 'polite' })
  const form = el(
    'form',
    { class: 'card' },
    el('h2', {}, '查询预约（纳税人名称 + 预约号）'),
    ...field('lk-name', '纳税人名称', name),
    ...field('lk-number', '预约号', number),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, '查询')),
    out,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    try {
      const a = await api<AppointmentDto>('POST', `${base()}/appointments/lookup`, {
        taxpayerName: name.value.trim(),
        number: number.value.trim(),
      })
      clear(out, appointmentCard(a, out))
    } catch (e) {
      clear(out, errorBox(e))
    }
  })
  return form
}

function appointmentCard(a: AppointmentDto, holder: HTMLElement): HTMLElement {
  const msg = el('div', { 'aria-live': 'polite' })
  const actions = el(
    'div',
    { class: 'actions' },
    el('button', { type: 'button', class: 'secondary', onclick: () => printSlip(a) }, '打印预约办税单'),
  )
  if (a.status === 'booked') {
    actions.append(
      el(
        'button',
        {
          type: 'button',
          class: 'primary',
          onclick: async () => {
            try {
              const done = await api<AppointmentDto>(
                'POST',
                `${base()}/appointments/${encodeURIComponent(a.id)}/check-in`,
              )
              clear(holder, appointmentCard(done, holder))
            } catch (e) {
              clear(msg, errorBox(e))
            }
          },
        },
        '签到',
      ),
    )
    if (!a.proposal)
      actions.append(
        el(
          'button',
          { type: 'button', class: 'secondary', onclick: () => clear(msg, rescheduleForm(a, holder)) },
          '改约（系统故障）',
        ),
      )
  }
  return el(
    'article',
    { class: 'card appointment', 'data-number': a.number },
    appointmentFacts(a),
    a.proposal
      ? el(
          'p',
          { class: 'notice' },
          `已建议改约至 ${dayLabel(a.proposal.date)} ${a.proposal.label}（${a.proposal.reason}），等待纳税人确认`,
        )
      : null,
    actions,
    msg,
  )
}

function rescheduleForm(a: AppointmentDto, holder: HTMLElement): HTMLElement {
  const date = el(
    'select',
    {},
    ...Array.from({ length: 8 }, (_, i) => addDays(today || a.date, i)).map((d) =>
      el('option', { value: d }, dayLabel(d)),
    ),
  )
  const slot = el('select', {})
  const reason = el('input', { value: '系统故障', maxlength: '100' })
  const out = el('div', { 'aria-live': 'polite' })
  // The newest request wins: a slower answer for the date shown before must not replace the list of the date chosen
  // now (it did, and the 改约 was then proposed for a slot of the wrong day).
  let latest = 0
  const loadSlots = async (): Promise<void> => {
    const mine = ++latest
    const r = await api<{ slots: SlotDto[] }>('GET', `${base()}/slots?date=${date.value}`)
    if (mine !== latest) return
    clear(
      slot,
      ...r.slots
        .filter((s) => s.remaining > 0 && s.slotStart !== a.slotStart)
        .map((s) => el('option', { value: s.slotStart }, `${s.label}（余${s.remaining}）`)),
    )
  }
  date.addEventListener('change', () => void loadSlots())
  void loadSlots()
  const form = el(
    'form',
    { class: 'card' },
    el('h3', {}, '向纳税人提出改约建议（办税服务厅不能单方取消预约）'),
    ...field('rs-date', '建议日期', date),
    ...field('rs-slot', '建议时段', slot),
    ...field('rs-reason', '原因', reason),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, '发送改约建议')),
    out,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    try {
      const updated = await api<AppointmentDto>(
        'POST',
        `${base()}/appointments/${encodeURIComponent(a.id)}/reschedule`,
        { slotStart: slot.value, reason: reason.value.trim() },
      )
      clear(holder, appointmentCard(updated, holder))
    } catch (e) {
      clear(out, errorBox(e))
    }
  })
  return form
}

async function todayCard(): Promise<HTMLElement> {
  const card = el('section', { class: 'card', id: 'today' }, el('h2', {}, '今日预约'))
  try {
    const r = await api<{ date: string; appointments: AppointmentDto[] }>('GET', `${base()}/appointments`)
    card.firstChild?.appendChild(document.createTextNode(`（${dayLabel(r.date)}）`))
    if (r.appointments.length === 0) card.append(el('p', { class: 'muted' }, '今日暂无预约'))
    const holder = el('div', {})
    const table = el(
      'table',
      {},
      el(
        'thead',
        {},
        el(
          'tr',
          {},
          el('th', {}, '时段'),
          el('th', {}, '预约号'),
          el('th', {}, '纳税人'),
          el('th', {}, '业务'),
          el('th', {}, '状态'),
        ),
      ),
    )
    const body = el('tbody', {})
    for (const a of r.appointments) {
      body.append(
        el(
          'tr',
          {},
          el('td', {}, a.label),
          el(
            'td',
            {},
            el(
              'button',
              { type: 'button', class: 'secondary', onclick: () => clear(holder, appointmentCard(a, holder)) },
              a.number,
            ),
          ),
          el('td', {}, a.taxpayerName),
          el('td', {}, a.businessNames.join('、')),
          el('td', {}, el('span', { class: `badge ${a.status}` }, a.statusLabel)),
        ),
      )
    }
    if (r.appointments.length) card.append(table)
    table.append(body)
    card.append(holder)
  } catch (e) {
    card.append(errorBox(e))
  }
  return card
}

function unlockCard(): HTMLElement {
  const id = el('input', { maxlength: '20', autocapitalize: 'characters' })
  const phone = el('input', { type: 'tel', maxlength: '11' })
  const checked = el('input', { type: 'checkbox', id: 'ul-checked' })
  const note = el('input', { maxlength: '200', value: '已现场核验有效身份证件' })
  const out = el('div', { 'aria-live': 'polite' })
  const form = el(
    'form',
    { class: 'card' },
    el('h2', {}, '解除预约锁定（累计3次未到）'),
    ...field('ul-id', '纳税人识别号', id),
    ...field('ul-phone', '经办人手机号码（可选）', phone),
    el('label', { for: 'ul-checked' }, checked, ' 已现场核验本人有效身份证件'),
    ...field('ul-note', '备注', note),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, '解除锁定')),
    out,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    if (!checked.checked) return clear(out, el('p', { class: 'error', role: 'alert' }, '须先现场核验身份证件'))
    try {
      const body = {
        idChecked: true,
        note: note.value.trim(),
        ...(id.value.trim() ? { taxpayerId: id.value.trim() } : {}),
        ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
      }
      const r = await api<{ unlocked: number }>('POST', `${base()}/unlock`, body)
      clear(
        out,
        el(
          'p',
          { class: r.unlocked ? 'ok' : 'muted' },
          r.unlocked ? '已解除锁定（已记录审计）' : '该纳税人当前未被锁定',
        ),
      )
    } catch (e) {
      clear(out, errorBox(e))
    }
  })
  return form
}

function capacityCard(): HTMLElement {
  const h = hall as HallDto
  const cap = el('input', { type: 'number', min: '1', value: String(h.capacityPerSlot) })
  const byBiz = el('input', {
    value: Object.entries(h.capacityByBusiness)
      .map(([k, v]) => `${k}=${v}`)
      .join(';'),
  })
  const blackout = el('input', { value: h.blackoutDays.join(';'), placeholder: 'YYYY-MM-DD;YYYY-MM-DD' })
  const out = el('div', { 'aria-live': 'polite' })
  const form = el(
    'form',
    { class: 'card' },
    el('h2', {}, '号源设置'),
    ...field('cap-total', '每时段可预约数', cap),
    ...field('cap-biz', '分业务容量（业务代码=数量，分号分隔）', byBiz),
    ...field('cap-blackout', '暂停预约日期（分号分隔）', blackout),
    el('div', { class: 'actions' }, el('button', { type: 'submit', class: 'primary' }, '保存')),
    out,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    const capacityByBusiness = Object.fromEntries(
      byBiz.value
        .split(';')
        .map((p) => p.split('='))
        .filter((p) => p[0]?.trim())
        .map(([k, v]) => [(k ?? '').trim(), Number(v)]),
    )
    try {
      hall = await api<HallDto>('PUT', `${base()}/capacity`, {
        capacityPerSlot: Number(cap.value),
        capacityByBusiness,
        blackoutDays: blackout.value
          .split(';')
          .map((s) => s.trim())
          .filter(Boolean),
      })
      clear(out, el('p', { class: 'ok' }, '已保存'))
    } catch (e) {
      clear(out, errorBox(e))
    }
  })
  return form
}

/** Fills the 预约办税单 and opens the print dialog; the print stylesheet shows only the slip. */
function printSlip(a: AppointmentDto): void {
  clear(
    slip,
    el('h2', {}, '预约办税单'),
    appointmentFacts(a),
    el('p', {}, `办税服务厅地址：${hall?.address ?? ''}`),
    el('p', { class: 'muted' }, '预约纳税人请到预约专窗优先办理。'),
    el(
      'p',
      { class: 'muted' },
      `打印时间：${new Date().toLocaleString('zh-CN', { timeZone: 'Asia/Shanghai', hour12: false })}`,
    ),
  )
  slip.hidden = false
  window.print()
}

void start()
