/**
 * The taxpayer 征纳互动 page (/feedback/): 我要评价, 我要投诉, 我要建议, 进度查询 and 网上调查. Mobile-first,
 * the widget's look, bundled by esbuild at serve time like the widget. Query: ?region=320100, ?view=…,
 * ?t=<rating token> (opens 我要评价 for that service event), ?survey=<id>.
 */
import { api, errorText, h } from './dom.js'
import { surveyFields, type PublicQuestion } from './survey-form.js'

const LEVELS: [string, string][] = [
  ['very-satisfied', '非常满意'],
  ['satisfied', '满意'],
  ['neutral', '基本满意'],
  ['dissatisfied', '不满意'],
  ['very-dissatisfied', '非常不满意'],
]
const COMPLAINT_CATEGORIES = ['服务态度', '服务质量', '办税效率', '廉政纪律', '系统故障', '其他']
const SUGGESTION_CATEGORIES = ['办税流程', '网上服务', '政策宣传', '服务厅环境', '其他']
const SESSION_KEY = 'taxkb-portal-session'
const VIEWS: [string, string][] = [
  ['rate', '我要评价'],
  ['complaint', '我要投诉'],
  ['suggestion', '我要建议'],
  ['lookup', '进度查询'],
  ['surveys', '网上调查'],
]

const params = new URLSearchParams(location.search)
const region = /^\d{6}$/.test(params.get('region') ?? '') ? params.get('region')! : null
const main = document.getElementById('app')!

function status(el: HTMLElement, text: string, kind: 'ok' | 'err' = 'ok'): void {
  el.replaceChildren(h('p', { class: `note ${kind}`, role: kind === 'err' ? 'alert' : 'status' }, text))
}

async function portalSession(): Promise<string> {
  const saved = localStorage.getItem(SESSION_KEY)
  if (saved) return saved
  const s = await api<{ sessionId: string }>('/api/surveys/sessions', { method: 'POST', body: { regionCode: region } })
  localStorage.setItem(SESSION_KEY, s.sessionId)
  return s.sessionId
}

/** 我要评价 form for one service event token. */
function ratingForm(token: string, title: string): HTMLElement {
  const out = h('div', { class: 'out' })
  const reasonBox = h('textarea', {
    name: 'reason',
    rows: 3,
    maxlength: 500,
    'aria-label': '原因',
  }) as HTMLTextAreaElement
  const levels = h('div', { class: 'levels', role: 'radiogroup', 'aria-label': '满意度' })
  for (const [value, label] of LEVELS)
    levels.appendChild(h('label', { class: 'pill' }, h('input', { type: 'radio', name: 'level', value }), label))
  const form = h(
    'form',
    { class: 'card', 'aria-label': title },
    h('h2', {}, title),
    levels,
    h('label', { class: 'field' }, '原因或建议（选择“不满意”“非常不满意”时必填）', reasonBox),
    h('button', { type: 'submit', class: 'primary' }, '提交评价'),
    out,
  ) as HTMLFormElement
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const level = (form.querySelector('input[name=level]:checked') as HTMLInputElement | null)?.value
    if (!level) return status(out, '请选择满意度', 'err')
    try {
      const reason = reasonBox.value.trim()
      const r = await api<{ followUp: boolean; followUpDueLabel: string | null }>('/api/feedback/ratings', {
        method: 'POST',
        body: { eventToken: token, level, ...(reason ? { reason } : {}) },
      })
      const extra = r.followUp && r.followUpDueLabel ? `我们将在 ${r.followUpDueLabel} 前回访您。` : ''
      form.replaceChildren(h('h2', {}, title), h('p', { class: 'note ok', role: 'status' }, `感谢您的评价！${extra}`))
    } catch (err) {
      status(out, errorText(err), 'err')
    }
  })
  return form
}

function rateView(): HTMLElement {
  const token = params.get('t')
  if (token) return ratingForm(token, '请评价本次服务')
  const box = h('div', {})
  const start = h('button', { type: 'button', class: 'primary' }, '评价整体服务')
  start.addEventListener('click', async () => {
    try {
      const sessionId = await portalSession()
      const { eventToken } = await api<{ eventToken: string }>('/api/feedback/events/overall', {
        method: 'POST',
        body: { sessionId },
      })
      box.replaceChildren(ratingForm(eventToken, '请评价 12366 整体服务'))
    } catch (err) {
      status(box, errorText(err), 'err')
    }
  })
  box.appendChild(
    h(
      'div',
      { class: 'card' },
      h('h2', {}, '我要评价'),
      h('p', {}, '每次咨询、工单答复和办税服务厅办理后，您都会收到一次性评价链接。也可以评价我们的整体服务：'),
      start,
    ),
  )
  return box
}

function field(label: string, control: HTMLElement): HTMLElement {
  return h('label', { class: 'field' }, label, control)
}

function formView(kind: 'complaint' | 'suggestion'): HTMLElement {
  const categories = kind === 'complaint' ? COMPLAINT_CATEGORIES : SUGGESTION_CATEGORIES
  const category = h(
    'select',
    { name: 'category' },
    ...categories.map((c) => h('option', { value: c }, c)),
  ) as HTMLSelectElement
  const regionInput = h('input', {
    name: 'regionCode',
    inputmode: 'numeric',
    maxlength: 6,
    value: region ?? '',
    placeholder: '如 320100',
  }) as HTMLInputElement
  const concerned = h('input', { name: 'concerned', maxlength: 100 }) as HTMLInputElement
  const text = h('textarea', { name: 'text', rows: 5, maxlength: 2000, required: true }) as HTMLTextAreaElement
  const name = h('input', { name: 'name', maxlength: 40, autocomplete: 'name' }) as HTMLInputElement
  const phone = h('input', { name: 'phone', inputmode: 'tel', maxlength: 11, autocomplete: 'tel' }) as HTMLInputElement
  const consent = h('input', { type: 'checkbox', name: 'consent' }) as HTMLInputElement
  const out = h('div', { class: 'out' })
  const title = kind === 'complaint' ? '我要投诉' : '我要建议'
  const form = h(
    'form',
    { class: 'card', 'aria-label': title },
    h('h2', {}, title),
    h('p', { class: 'hint' }, '我们将在 1 个工作日内转交承办部门办理。投诉人信息严格保密。'),
    field('类别', category),
    field('所在地区代码', regionInput),
    kind === 'complaint' ? field('被投诉的单位或人员', concerned) : null,
    field(kind === 'complaint' ? '投诉内容' : '建议内容', text),
    h(
      'fieldset',
      {},
      h('legend', {}, '联系方式（选填，留下手机号可查询办理进度）'),
      field('姓名', name),
      field('手机号码', phone),
      h('label', { class: 'opt' }, consent, '我同意税务机关使用以上联系方式就本事项与我联系'),
    ),
    h('button', { type: 'submit', class: 'primary' }, '提交'),
    out,
  ) as HTMLFormElement
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    const contact = {
      ...(name.value.trim() ? { name: name.value.trim() } : {}),
      ...(phone.value.trim() ? { phone: phone.value.trim() } : {}),
    }
    const body = {
      category: category.value,
      regionCode: /^\d{6}$/.test(regionInput.value.trim()) ? regionInput.value.trim() : null,
      text: text.value,
      ...(kind === 'complaint' ? { concerned: concerned.value } : {}),
      ...(Object.keys(contact).length ? { contact, consent: consent.checked } : {}),
    }
    try {
      const r = await api<{ number: string; dueLabel: string; lookupEnabled: boolean }>(`/api/feedback/${kind}s`, {
        method: 'POST',
        body,
      })
      form.replaceChildren(
        h('h2', {}, title),
        h('p', { class: 'note ok', role: 'status' }, '已受理，工单编号：', h('strong', { class: 'number' }, r.number)),
        h('p', {}, `将于 ${r.dueLabel} 前转交承办部门。`),
        h(
          'p',
          { class: 'hint' },
          r.lookupEnabled ? '可凭工单编号和手机号码在“进度查询”中查看办理情况。' : '未留手机号码，无法在线查询进度。',
        ),
      )
    } catch (err) {
      status(out, errorText(err), 'err')
    }
  })
  return form
}

function lookupView(): HTMLElement {
  const number = h('input', { name: 'number', placeholder: '12366-20261125-0001', maxlength: 24 }) as HTMLInputElement
  const phone = h('input', { name: 'phone', inputmode: 'tel', maxlength: 11 }) as HTMLInputElement
  const code = h('input', { name: 'code', inputmode: 'numeric', maxlength: 6 }) as HTMLInputElement
  const out = h('div', { class: 'out' })
  const send = h('button', { type: 'button', class: 'secondary' }, '获取验证码')
  send.addEventListener('click', async () => {
    try {
      await api('/api/feedback/phone-codes', { method: 'POST', body: { phone: phone.value.trim() } })
      status(out, '验证码已发送，10 分钟内有效。')
    } catch (err) {
      status(out, errorText(err), 'err')
    }
  })
  const form = h(
    'form',
    { class: 'card', 'aria-label': '进度查询' },
    h('h2', {}, '进度查询'),
    field('工单编号', number),
    field('手机号码', phone),
    h('div', { class: 'row' }, field('验证码', code), send),
    h('button', { type: 'submit', class: 'primary' }, '查询'),
    out,
  ) as HTMLFormElement
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      const { phoneToken } = await api<{ phoneToken: string }>('/api/feedback/phone-codes/verify', {
        method: 'POST',
        body: { phone: phone.value.trim(), code: code.value.trim() },
      })
      const t = await api<{
        number: string
        typeLabel: string
        stateLabel: string
        dueLabel: string
        answer: string | null
        ratingToken: string | null
      }>(`/api/feedback/tickets/${encodeURIComponent(number.value.trim())}`, {
        headers: { 'x-phone-token': phoneToken },
      })
      out.replaceChildren(
        h(
          'section',
          { class: 'status', 'aria-label': '办理情况' },
          h('p', {}, `${t.typeLabel} ${t.number}：`, h('strong', {}, t.stateLabel)),
          h('p', {}, `办理期限：${t.dueLabel}`),
          t.answer
            ? h('div', { class: 'answer' }, h('h3', {}, '答复'), h('p', {}, t.answer))
            : h('p', {}, '尚未答复，请耐心等待。'),
          t.ratingToken ? ratingForm(t.ratingToken, '请评价本次答复') : null,
        ),
      )
    } catch (err) {
      status(out, errorText(err), 'err')
    }
  })
  return form
}

interface PublicSurvey {
  id: string
  title: string
  description: string
  mode: string
  closesAt: string
  open: boolean
  questions: PublicQuestion[]
}

async function surveyView(id: string): Promise<HTMLElement> {
  const s = await api<PublicSurvey>(`/api/surveys/${encodeURIComponent(id)}`)
  const fields = surveyFields(s.questions)
  const out = h('div', { class: 'out' })
  const form = h(
    'form',
    { class: 'card', 'aria-label': s.title },
    h('h2', {}, s.title),
    s.description ? h('p', {}, s.description) : null,
    h(
      'p',
      { class: 'hint' },
      s.mode === 'anonymous'
        ? '本问卷为匿名问卷：不记录您的会话、IP 地址或身份，提交时间只保留到日。'
        : '本问卷为实名问卷。',
    ),
    fields.root,
    h('button', { type: 'submit', class: 'primary' }, '提交问卷'),
    out,
  ) as HTMLFormElement
  form.addEventListener('submit', async (e) => {
    e.preventDefault()
    try {
      const sessionId = await portalSession()
      await api(`/api/surveys/${encodeURIComponent(s.id)}/responses`, {
        method: 'POST',
        body: { sessionId, answers: fields.read() },
      })
      form.replaceChildren(
        h('h2', {}, s.title),
        h('p', { class: 'note ok', role: 'status' }, '提交成功，感谢您参与调查！'),
      )
    } catch (err) {
      status(out, errorText(err), 'err')
    }
  })
  return form
}

async function surveysView(): Promise<HTMLElement> {
  const id = params.get('survey')
  if (id) return surveyView(id)
  const { surveys } = await api<{ surveys: PublicSurvey[] }>(`/api/surveys${region ? `?region=${region}` : ''}`)
  const list = h('ul', { class: 'list' })
  for (const s of surveys) {
    const link = h(
      'a',
      { href: `?view=surveys&survey=${encodeURIComponent(s.id)}${region ? `&region=${region}` : ''}` },
      s.title,
    )
    list.appendChild(h('li', {}, link))
  }
  return h(
    'div',
    { class: 'card' },
    h('h2', {}, '网上调查'),
    surveys.length ? list : h('p', {}, '目前没有正在进行的调查。'),
  )
}

async function show(view: string): Promise<void> {
  for (const b of Array.from(document.querySelectorAll<HTMLElement>('nav button')))
    b.setAttribute('aria-current', String(b.dataset.view === view))
  const content = document.getElementById('content')!
  try {
    const el =
      view === 'complaint' || view === 'suggestion'
        ? formView(view)
        : view === 'lookup'
          ? lookupView()
          : view === 'surveys'
            ? await surveysView()
            : rateView()
    content.replaceChildren(el)
  } catch (err) {
    content.replaceChildren(h('p', { class: 'note err', role: 'alert' }, errorText(err)))
  }
}

function boot(): void {
  const nav = h('nav', { 'aria-label': '征纳互动' })
  for (const [view, label] of VIEWS) {
    nav.appendChild(h('button', { type: 'button', 'data-view': view, onclick: () => void show(view) }, label))
  }
  main.replaceChildren(h('header', {}, h('h1', {}, '征纳互动')), nav, h('div', { id: 'content' }))
  const start = params.get('view') ?? (params.get('survey') ? 'surveys' : 'rate')
  void show(VIEWS.some(([v]) => v === start) ? start : 'rate')
}

boot()
