/**
 * Taxpayer booking page (/booking/?region=320100): choose hall → business → day → time → phone code →
 * confirm; 我的预约 (phone + code) with cancel and reschedule answers; the queue board. Mobile-first.
 */
import {
  addDays,
  api,
  ApiError,
  appointmentFacts,
  type AppointmentDto,
  clear,
  dayLabel,
  el,
  errorBox,
  type HallDto,
  type SlotDto,
} from './dom.js'

interface State {
  halls: HallDto[]
  today: string
  windowDays: number
  types: { code: string; name: string; description: string }[]
  hall: HallDto | null
  business: Set<string>
  date: string | null
  slot: SlotDto | null
}

const app = document.getElementById('app') as HTMLElement
const region = new URLSearchParams(location.search).get('region') ?? ''
const state: State = {
  halls: [],
  today: '',
  windowDays: 7,
  types: [],
  hall: null,
  business: new Set(),
  date: null,
  slot: null,
}

function pickButton(
  label: Node | string,
  pressed: boolean,
  onClick: () => void,
  extra: Record<string, string> = {},
): HTMLButtonElement {
  return el(
    'button',
    { type: 'button', class: 'pick', 'aria-pressed': String(pressed), onclick: onClick, ...extra },
    label,
  )
}

/** Phone + code fields with a 获取验证码 button (60 s countdown). */
function phoneCodeFields(idPrefix: string): { node: HTMLElement; phone: HTMLInputElement; code: HTMLInputElement } {
  const phone = el('input', {
    id: `${idPrefix}-phone`,
    type: 'tel',
    inputmode: 'numeric',
    autocomplete: 'tel',
    maxlength: '11',
    placeholder: '11位手机号码',
  })
  const code = el('input', {
    id: `${idPrefix}-code`,
    inputmode: 'numeric',
    autocomplete: 'one-time-code',
    maxlength: '6',
    placeholder: '6位验证码',
  })
  const status = el('p', { class: 'muted', 'aria-live': 'polite' })
  const send = el('button', { type: 'button', class: 'secondary' }, '获取验证码')
  send.addEventListener('click', async () => {
    send.disabled = true
    try {
      await api('POST', '/api/booking/verification-codes', { phone: phone.value.trim() })
      clear(status, '验证码已发送，10分钟内有效')
      let left = 60
      const t = setInterval(() => {
        left--
        send.textContent = left > 0 ? `${left}秒后重发` : '获取验证码'
        if (left <= 0) {
          clearInterval(t)
          send.disabled = false
        }
      }, 1000)
    } catch (e) {
      clear(status, errorBox(e))
      send.disabled = false
    }
  })
  const node = el(
    'div',
    {},
    el('label', { for: `${idPrefix}-phone` }, '经办人手机号码'),
    el('div', { class: 'row' }, phone, send),
    el('label', { for: `${idPrefix}-code` }, '短信验证码'),
    code,
    status,
  )
  return { node, phone, code }
}

// ----- 预约 -------------------------------------------------------------------------------------

async function renderBook(): Promise<void> {
  const hallCard = el('section', { class: 'card' }, el('h2', {}, '1. 选择办税服务厅'))
  const list = el('ul', { class: 'list' })
  for (const h of state.halls) {
    list.append(
      el(
        'li',
        {},
        pickButton(
          el('span', {}, el('strong', {}, h.name), el('br'), el('span', { class: 'muted' }, h.address)),
          state.hall?.id === h.id,
          () => {
            state.hall = h
            state.slot = null
            void renderBook()
          },
        ),
      ),
    )
  }
  if (state.halls.length === 0) list.append(el('li', { class: 'muted' }, '该地区暂无可预约的办税服务厅'))
  hallCard.append(list)
  if (state.halls.some((h) => h.sample))
    hallCard.append(el('p', { class: 'muted' }, '标有【样例】的是演示用样例数据，不是真实的办税服务厅。'))
  const parts: HTMLElement[] = [hallCard]

  if (state.hall) {
    const biz = el('section', { class: 'card' }, el('h2', {}, '2. 选择办理业务（可多选，同一纳税人共用一个预约号）'))
    const grid = el('div', { class: 'grid' })
    for (const t of state.types) {
      grid.append(
        el(
          'button',
          {
            type: 'button',
            'aria-pressed': String(state.business.has(t.code)),
            title: t.description,
            onclick: () => {
              if (state.business.has(t.code)) state.business.delete(t.code)
              else state.business.add(t.code)
              void renderBook()
            },
          },
          t.name,
        ),
      )
    }
    biz.append(grid)
    parts.push(biz)
  }

  if (state.hall && state.business.size > 0) {
    const days = el('section', { class: 'card' }, el('h2', {}, '3. 选择日期'))
    const grid = el('div', { class: 'grid' })
    for (let i = 0; i <= state.windowDays; i++) {
      const d = addDays(state.today, i)
      grid.append(
        el(
          'button',
          {
            type: 'button',
            'aria-pressed': String(state.date === d),
            'data-date': d,
            onclick: () => {
              state.date = d
              state.slot = null
              void renderBook()
            },
          },
          i === 0 ? '今天' : i === 1 ? '明天' : (dayLabel(d).split(' ')[0] ?? d),
          el('small', {}, dayLabel(d).split(' ')[1] ?? ''),
        ),
      )
    }
    days.append(grid)
    parts.push(days)
  }

  if (state.hall && state.business.size > 0 && state.date) {
    const times = el('section', { class: 'card' }, el('h2', {}, `4. 选择时段（${dayLabel(state.date)}）`))
    const msg = el('div', { 'aria-live': 'polite' })
    try {
      const r = await api<{ slots: SlotDto[]; notice: string | null }>(
        'GET',
        `/api/booking/halls/${encodeURIComponent(state.hall.id)}/slots?date=${state.date}`,
      )
      if (r.notice) times.append(el('p', { class: 'notice' }, r.notice))
      if (r.slots.length === 0)
        times.append(el('p', { class: 'muted' }, '该日办税服务厅不开放预约（休息日、节假日或暂停预约）'))
      const grid = el('div', { class: 'grid' })
      for (const s of r.slots) {
        grid.append(
          el(
            'button',
            {
              type: 'button',
              'aria-pressed': String(state.slot?.slotStart === s.slotStart),
              class: s.bookable ? 'open' : 'unavailable',
              'data-slot': s.slotStart,
              onclick: () => {
                // Unavailable slots stay tappable so the taxpayer learns the rule that applies.
                if (!s.bookable)
                  return clear(msg, el('p', { class: 'error', role: 'alert' }, s.reason ?? '该时段不可预约'))
                state.slot = s
                void renderBook()
              },
            },
            s.label,
            el('small', {}, s.bookable ? `余${s.remaining}` : s.remaining === 0 ? '已约满' : '不可约'),
          ),
        )
      }
      times.append(grid, msg)
    } catch (e) {
      times.append(errorBox(e))
    }
    parts.push(times)
  }

  if (state.slot && state.hall && state.date) parts.push(confirmForm(state.hall, state.slot, state.date))
  clear(app, ...parts)
}

function confirmForm(hall: HallDto, slot: SlotDto, date: string): HTMLElement {
  const name = el('input', {
    id: 'tp-name',
    maxlength: '100',
    autocomplete: 'organization',
    placeholder: '营业执照或身份证件上的名称',
  })
  const id = el('input', {
    id: 'tp-id',
    maxlength: '20',
    autocapitalize: 'characters',
    placeholder: '统一社会信用代码或身份证号码',
  })
  const pc = phoneCodeFields('book')
  const out = el('div', { 'aria-live': 'polite' })
  const submit = el('button', { type: 'submit', class: 'primary' }, '确认预约')
  const form = el(
    'form',
    { class: 'card', novalidate: true },
    el('h2', {}, '5. 填写信息并确认'),
    el('p', {}, `${hall.name}，${dayLabel(date)} ${slot.label}`),
    el('label', { for: 'tp-name' }, '纳税人（缴费人）名称'),
    name,
    el('label', { for: 'tp-id' }, '纳税人识别号'),
    id,
    pc.node,
    el('div', { class: 'actions' }, submit),
    out,
  )
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault()
    submit.disabled = true
    try {
      const a = await api<AppointmentDto>('POST', '/api/booking/appointments', {
        hallId: hall.id,
        slotStart: slot.slotStart,
        businessTypes: [...state.business],
        taxpayerId: id.value.trim(),
        taxpayerName: name.value.trim(),
        phone: pc.phone.value.trim(),
        code: pc.code.value.trim(),
      })
      state.slot = null
      clear(
        app,
        el(
          'section',
          { class: 'card', id: 'booked' },
          el('h2', { class: 'ok' }, '预约成功'),
          appointmentFacts(a),
          a.notice ? el('p', { class: 'notice' }, a.notice) : null,
          el(
            'p',
            { class: 'muted' },
            '预约信息已通过短信发送。请携带有效证件按时到厅；如需取消，请在时段开始3小时前在“我的预约”中操作。',
          ),
          el(
            'div',
            { class: 'actions' },
            el('button', { type: 'button', class: 'secondary', onclick: () => void renderBook() }, '继续预约'),
          ),
        ),
      )
    } catch (e) {
      clear(out, errorBox(e))
      submit.disabled = false
      if (e instanceof ApiError && ['SLOT_FULL', 'BUSINESS_FULL'].includes(e.code))
        setTimeout(() => void renderBook(), 1500)
    }
  })
  return form
}

// ----- 我的预约 ----------------------------------------------------------------------------------

function renderMine(): void {
  const pc = phoneCodeFields('mine')
  const results = el('div', { id: 'mine-list', 'aria-live': 'polite' })
  const query = el('button', { type: 'button', class: 'primary' }, '查询我的预约')
  const load = async (): Promise<void> => {
    try {
      const proof = { phone: pc.phone.value.trim(), code: pc.code.value.trim() }
      const r = await api<{ appointments: AppointmentDto[] }>('POST', '/api/booking/my-appointments', proof)
      if (r.appointments.length === 0) return clear(results, el('p', { class: 'muted' }, '没有找到该手机号码的预约'))
      clear(results, ...r.appointments.map((a) => myCard(a, proof, load)))
    } catch (e) {
      clear(results, errorBox(e))
    }
  }
  query.addEventListener('click', () => void load())
  clear(
    app,
    el('section', { class: 'card' }, el('h2', {}, '我的预约'), pc.node, el('div', { class: 'actions' }, query)),
    results,
  )
}

function myCard(a: AppointmentDto, proof: { phone: string; code: string }, reload: () => Promise<void>): HTMLElement {
  const out = el('div', { 'aria-live': 'polite' })
  const act = (path: string, confirmText: string) => async () => {
    if (!window.confirm(confirmText)) return
    try {
      await api('POST', `/api/booking/appointments/${encodeURIComponent(a.id)}/${path}`, proof)
      await reload()
    } catch (e) {
      clear(out, errorBox(e))
    }
  }
  const actions = el('div', { class: 'actions' })
  if (a.status === 'booked')
    actions.append(
      el('button', { type: 'button', class: 'danger', onclick: act('cancel', '确定取消该预约吗？') }, '取消预约'),
    )
  const card = el(
    'article',
    { class: 'card appointment', 'data-number': a.number },
    appointmentFacts(a),
    a.notice ? el('p', { class: 'notice' }, a.notice) : null,
  )
  if (a.proposal && a.status === 'booked') {
    card.append(
      el(
        'p',
        { class: 'notice' },
        `办税服务厅因${a.proposal.reason}建议改约至 ${dayLabel(a.proposal.date)} ${a.proposal.label}`,
      ),
    )
    actions.append(
      el(
        'button',
        { type: 'button', class: 'primary', onclick: act('reschedule/accept', '同意改约到建议的时间？') },
        '同意改约',
      ),
      el(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: act('reschedule/decline', '拒绝改约将取消该预约（不计未到），确定吗？'),
        },
        '拒绝改约',
      ),
    )
  }
  card.append(actions, out)
  return card
}

// ----- 排队情况 ----------------------------------------------------------------------------------

function renderQueue(): void {
  const board = el('div', { 'aria-live': 'polite' })
  const select = el('select', { id: 'queue-hall' }, ...state.halls.map((h) => el('option', { value: h.id }, h.name)))
  const show = async (): Promise<void> => {
    try {
      const q = await api<{
        available: boolean
        waiting: number | null
        estimatedWaitMinutes: number | null
        stale: boolean
        message: string
      }>('GET', `/api/booking/halls/${encodeURIComponent(select.value)}/queue`)
      clear(
        board,
        el(
          'section',
          { class: 'card' },
          q.available && q.waiting !== null
            ? el('p', {}, '当前等候 ', el('span', { class: 'big' }, String(q.waiting)), ' 人')
            : null,
          q.available && q.estimatedWaitMinutes !== null
            ? el('p', {}, `预计等候约 ${q.estimatedWaitMinutes} 分钟`)
            : null,
          el('p', { class: q.stale ? 'notice' : 'muted' }, q.message),
        ),
      )
    } catch (e) {
      clear(board, errorBox(e))
    }
  }
  select.addEventListener('change', () => void show())
  clear(
    app,
    el(
      'section',
      { class: 'card' },
      el('h2', {}, '办税服务厅排队情况'),
      el('label', { for: 'queue-hall' }, '办税服务厅'),
      select,
    ),
    board,
  )
  if (state.halls.length) void show()
}

// ----- start -------------------------------------------------------------------------------------

const tabs = Array.from(document.querySelectorAll<HTMLButtonElement>('[data-tab]'))
function openTab(name: string): void {
  for (const t of tabs) t.setAttribute('aria-pressed', String(t.dataset.tab === name))
  if (name === 'mine') renderMine()
  else if (name === 'queue') renderQueue()
  else void renderBook()
}
for (const t of tabs) t.addEventListener('click', () => openTab(t.dataset.tab ?? 'book'))

async function start(): Promise<void> {
  try {
    const [h, t] = await Promise.all([
      api<{ halls: HallDto[]; today: string; windowDays: number }>(
        'GET',
        `/api/booking/halls${region ? `?region=${encodeURIComponent(region)}` : ''}`,
      ),
      api<{ types: State['types'] }>('GET', '/api/booking/business-types'),
    ])
    Object.assign(state, { halls: h.halls, today: h.today, windowDays: h.windowDays, types: t.types })
    openTab(location.hash === '#mine' ? 'mine' : location.hash === '#queue' ? 'queue' : 'book')
  } catch (e) {
    clear(app, errorBox(e))
  }
}
void start()
