/**
 * taxkb chat widget: one <script> tag on any portal gives its visitors the 12366-style assistant.
 *   <script src="https://HOST/widget.js" data-region="320000" data-title="江苏税务智能咨询"></script>
 * Vanilla TypeScript bundled by esbuild at serve time (services/web/widget/bundle.ts). Everything lives in
 * a shadow root; all untrusted text goes through safe-render (text nodes only, never innerHTML).
 */
import { h } from '../shared/dom.js'
import { ApiClient, ApiError, type ChatAnswer, type ChatTurn, type Citation, type HandoffResult, type HotTopicItem } from './api-client.js'
import { renderAnswer, renderPlain, renderSnippet } from './safe-render.js'
import { widgetCss } from './styles.js'


const KIND_LABEL: Record<string, string> = { 'law-article': '法规条文', faq: '12366问答', guide: '办税指南', 'hot-topic': '热点案例', notice: '通知公告', policy: '政策文件' }
const SATISFACTION: [number, string][] = [
  [5, '非常满意'],
  [4, '满意'],
  [3, '基本满意'],
  [2, '不满意'],
  [1, '非常不满意'],
]
const FALLBACK_SUGGESTIONS = ['小规模纳税人季度销售额多少免征增值税？', '个人所得税专项附加扣除有哪些？', '如何办理个人所得税综合所得年度汇算？', '发票丢失了怎么办？']
const LOW_CONFIDENCE = 0.5
const POLL_MS = 5000

interface Options {
  base: string
  region: string | null
  title: string
  color: string
  side: 'left' | 'right'
}

function readOptions(): Options {
  const script = (document.currentScript as HTMLScriptElement | null) ?? document.querySelector<HTMLScriptElement>('script[src*="widget.js"]')
  const d = script?.dataset ?? {}
  let base = location.origin
  try {
    base = new URL(d.api || script?.src || location.href, location.href).origin
  } catch {
    /* keep the page origin */
  }
  const region = d.region && /^\d{6}$/.test(d.region) ? d.region : null
  const color = d.color && /^#[0-9a-f]{3,8}$/i.test(d.color) ? d.color : '#b8202f'
  return { base, region, title: (d.title || '12366 税务智能咨询').slice(0, 40), color, side: d.position === 'left' ? 'left' : 'right' }
}

class TaxkbWidget {
  private readonly api: ApiClient
  private readonly root: ShadowRoot
  private readonly storageKey: string
  private sessionId: string | null = null
  private initialised = false
  private busy = false
  private seen = new Set<string>()
  /** Newest turn shown, so the SSE stream can replay what arrived in between (?since=). */
  private lastTurnId: string | null = null
  private events: EventSource | null = null
  private pollTimer: ReturnType<typeof setInterval> | null = null
  private lastFocus: HTMLElement | null = null
  private idSeq = 0

  private launcher!: HTMLElement
  private panel!: HTMLElement
  private log!: HTMLElement
  private typing!: HTMLElement
  private input!: HTMLTextAreaElement
  private sendBtn!: HTMLButtonElement
  private announcer!: HTMLElement
  private sourceSheet!: HTMLElement
  private handoffSheet!: HTMLElement
  private ratingSheet!: HTMLElement

  constructor(private readonly opts: Options) {
    this.api = new ApiClient(opts.base)
    this.storageKey = `taxkb.session@${opts.base}`
    this.sessionId = this.load()
    const host = h('div', { id: 'taxkb-widget', 'data-taxkb': 'widget' })
    this.root = host.attachShadow({ mode: 'open' })
    this.root.appendChild(h('style', {}, widgetCss(opts.color, opts.side)))
    this.build()
    document.body.appendChild(host)
    if (sessionStorage.getItem(this.storageKey + ':open') === '1') this.open(false)
  }

  // ---- storage -------------------------------------------------------------------------------------
  private load(): string | null {
    try {
      return localStorage.getItem(this.storageKey)
    } catch {
      return null
    }
  }
  private save(id: string | null): void {
    this.sessionId = id
    try {
      if (id) localStorage.setItem(this.storageKey, id)
      else localStorage.removeItem(this.storageKey)
    } catch {
      /* storage disabled: the session lasts for this page only */
    }
  }
  private mark(turnId: string | undefined | null): void {
    if (!turnId) return
    this.seen.add(turnId)
    this.lastTurnId = turnId
  }
  private uid(p: string): string {
    return `${p}-${++this.idSeq}`
  }

  // ---- layout --------------------------------------------------------------------------------------
  private build(): void {
    const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
    icon.setAttribute('viewBox', '0 0 24 24')
    icon.setAttribute('aria-hidden', 'true')
    const path = document.createElementNS('http://www.w3.org/2000/svg', 'path')
    path.setAttribute('fill', 'currentColor')
    path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z')
    icon.appendChild(path)
    this.launcher = h('button', { type: 'button', class: 'launcher', 'aria-expanded': 'false', 'aria-controls': 'tk-panel', 'aria-label': `打开${this.opts.title}`, onclick: () => (this.panel.hidden ? this.open(true) : this.close()) }, icon, h('span', {}, '智能咨询'))

    this.log = h('div', { class: 'log', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', 'aria-label': '对话记录', tabindex: '0' })
    this.typing = h('div', { class: 'typing', role: 'status', hidden: true }, '正在输入', h('i'), h('i'), h('i'))
    this.announcer = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' })
    this.input = h('textarea', { id: 'tk-input', rows: '1', maxlength: '500', placeholder: '请输入您的涉税问题…', 'aria-describedby': 'tk-hint', autocomplete: 'off' }) as HTMLTextAreaElement
    this.input.addEventListener('keydown', (e) => {
      if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
        e.preventDefault()
        this.submit()
      }
    })
    this.sendBtn = h('button', { type: 'submit' }, '发送') as HTMLButtonElement
    const form = h('form', { class: 'composer', onsubmit: (e) => (e.preventDefault(), this.submit()) }, h('label', { for: 'tk-input', class: 'sr' }, '输入您的问题'), h('span', { id: 'tk-hint', class: 'sr' }, 'Enter 发送，Shift+Enter 换行'), this.input, this.sendBtn)

    this.sourceSheet = h('section', { class: 'sheet source', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'tk-src-title', hidden: true })
    this.handoffSheet = h('section', { class: 'sheet', role: 'dialog', 'aria-labelledby': 'tk-ho-title', hidden: true })
    this.ratingSheet = h('section', { class: 'sheet', role: 'dialog', 'aria-labelledby': 'tk-rt-title', hidden: true })

    this.panel = h(
      'section',
      { id: 'tk-panel', class: 'panel', role: 'dialog', 'aria-modal': 'false', 'aria-labelledby': 'tk-title', hidden: true },
      h(
        'header',
        {},
        h('h2', { id: 'tk-title' }, this.opts.title),
        h('button', { type: 'button', class: 'hbtn', onclick: () => this.newConversation() }, '新对话'),
        h('button', { type: 'button', class: 'hbtn x', 'aria-label': '关闭咨询窗口', onclick: () => this.close() }, '×'),
      ),
      this.log,
      this.typing,
      h(
        'div',
        { class: 'tools' },
        h('button', { type: 'button', class: 'ho', onclick: (e) => this.openHandoff(e.currentTarget as HTMLElement) }, '转人工'),
        h('button', { type: 'button', onclick: (e) => this.openRating(e.currentTarget as HTMLElement) }, '评价服务'),
      ),
      form,
      this.announcer,
      this.sourceSheet,
      this.handoffSheet,
      this.ratingSheet,
    )
    this.panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      const sheet = [this.sourceSheet, this.handoffSheet, this.ratingSheet].find((s) => !s.hidden)
      if (sheet) this.closeSheet(sheet)
      else this.close()
    })
    this.root.append(this.launcher, this.panel)
  }

  // ---- open / close --------------------------------------------------------------------------------
  open(focus: boolean): void {
    this.panel.hidden = false
    this.launcher.setAttribute('aria-expanded', 'true')
    this.launcher.setAttribute('aria-label', `关闭${this.opts.title}`)
    try {
      sessionStorage.setItem(this.storageKey + ':open', '1')
    } catch {
      /* ignore */
    }
    if (!this.initialised) {
      this.initialised = true
      void this.start()
    }
    if (focus) this.input.focus()
  }

  close(): void {
    this.panel.hidden = true
    for (const s of [this.sourceSheet, this.handoffSheet, this.ratingSheet]) s.hidden = true
    this.launcher.setAttribute('aria-expanded', 'false')
    this.launcher.setAttribute('aria-label', `打开${this.opts.title}`)
    try {
      sessionStorage.removeItem(this.storageKey + ':open')
    } catch {
      /* ignore */
    }
    this.launcher.focus()
  }

  private async start(): Promise<void> {
    this.renderWelcome()
    if (!this.sessionId) return
    try {
      const t = await this.api.transcript(this.sessionId)
      for (const turn of t.turns) this.renderTurn(turn)
      if (t.ticketIds.length > 0 || t.turns.some((x) => x.ticketId)) this.subscribe()
      this.scroll()
    } catch (err) {
      // An expired or unknown session starts afresh; other failures keep the id for a later reload.
      if (err instanceof ApiError && (err.status === 404 || err.status === 400 || err.status === 403)) this.save(null)
      else this.system('暂时无法恢复之前的对话记录。')
    }
  }

  private newConversation(): void {
    this.unsubscribe()
    this.save(null)
    this.seen.clear()
    this.log.replaceChildren()
    for (const s of [this.sourceSheet, this.handoffSheet, this.ratingSheet]) s.hidden = true
    this.renderWelcome()
    this.announce('已开始新对话')
    this.input.focus()
  }

  // ---- welcome -------------------------------------------------------------------------------------
  private renderWelcome(): void {
    const topics = h('div', { class: 'topics-wrap' }, h('p', { class: 'snip' }, '正在加载热点问题…'))
    const welcome = h('section', { class: 'msg bot welcome', 'aria-label': '欢迎' }, h('h3', {}, '您好！我是税务智能咨询助手'), h('p', {}, '7×24 小时为您解答涉税问题，答案均注明政策依据。复杂问题可随时“转人工”。'), topics)
    this.log.appendChild(welcome)
    this.renderInteraction(welcome)
    this.api
      .hotTopics(this.opts.region)
      .then((hot) => {
        topics.replaceChildren()
        const pinned = [...hot.pinned.slice(0, 4).map((x) => ({ ...x, tag: '置顶' })), ...hot.trending.slice(0, 4).map((x) => ({ ...x, tag: '热门' })), ...hot.cases.slice(0, 2).map((x) => ({ ...x, tag: '案例' }))].slice(0, 6)
        if (pinned.length) {
          topics.appendChild(h('h3', {}, '热点问题'))
          const ul = h('ul', { class: 'topics' })
          for (const item of pinned) ul.appendChild(h('li', {}, h('button', { type: 'button', onclick: (e) => this.pickTopic(item, e.currentTarget as HTMLElement) }, h('span', { class: 'tag' }, item.tag), item.label)))
          topics.appendChild(ul)
        }
        const sugg = hot.suggestions.map((s) => s.question ?? s.label)
        this.renderSuggestions(topics, sugg.length ? sugg : FALLBACK_SUGGESTIONS, '猜你想问')
      })
      .catch(() => {
        topics.replaceChildren()
        this.renderSuggestions(topics, FALLBACK_SUGGESTIONS, '猜你想问')
      })
  }

  /** 征纳互动 in the welcome: open surveys and links to 我要投诉 / 我要建议 on the portal's /feedback/ page. */
  private renderInteraction(welcome: HTMLElement): void {
    const q = this.opts.region ? `&region=${encodeURIComponent(this.opts.region)}` : ''
    const page = (view: string) => `${this.opts.base}/feedback/?view=${view}${q}`
    const links = h('p', { class: 'interaction' }, h('a', { href: page('complaint'), target: '_blank', rel: 'noopener' }, '我要投诉'), ' · ',
      h('a', { href: page('suggestion'), target: '_blank', rel: 'noopener' }, '我要建议'), ' · ',
      h('a', { href: page('rate'), target: '_blank', rel: 'noopener' }, '我要评价'))
    welcome.appendChild(links)
    this.api
      .openSurveys(this.opts.region)
      .then((surveys) => {
        if (!surveys.length) return
        const ul = h('ul', { class: 'topics surveys', 'aria-label': '网上调查' })
        for (const s of surveys.slice(0, 3)) {
          const href = `${this.opts.base}/feedback/?view=surveys&survey=${encodeURIComponent(s.id)}${q}`
          ul.appendChild(h('li', {}, h('a', { href, target: '_blank', rel: 'noopener' }, h('span', { class: 'tag' }, '调查'), s.title)))
        }
        welcome.insertBefore(h('div', {}, h('h3', {}, '网上调查'), ul), links)
      })
      .catch(() => undefined)
  }

  private pickTopic(item: HotTopicItem, from: HTMLElement): void {
    if (item.question) void this.ask(item.question)
    else if (item.id) void this.openSource(item.id, item.label, from)
    else void this.ask(item.label)
  }

  private renderSuggestions(parent: HTMLElement, list: string[], heading: string): void {
    if (!list.length) return
    parent.appendChild(h('h3', {}, heading))
    const ul = h('ul', { class: 'chips', 'aria-label': heading })
    for (const q of list.slice(0, 6)) ul.appendChild(h('li', {}, h('button', { type: 'button', onclick: (e) => (/^转人工/.test(q) ? this.openHandoff(e.currentTarget as HTMLElement) : void this.ask(q)) }, q)))
    parent.appendChild(ul)
  }

  // ---- messages ------------------------------------------------------------------------------------
  private scroll(): void {
    this.log.scrollTop = this.log.scrollHeight
  }
  private announce(text: string): void {
    this.announcer.textContent = ''
    setTimeout(() => (this.announcer.textContent = text), 50)
  }

  private user(text: string): void {
    this.log.appendChild(h('div', { class: 'msg user' }, h('span', { class: 'sr' }, '您说：'), h('div', { class: 'text' }, renderPlain(document, text))))
    this.scroll()
  }

  private system(text: string): HTMLElement {
    const el = h('div', { class: 'msg system' }, h('div', { class: 'text' }, renderPlain(document, text)))
    this.log.appendChild(el)
    this.scroll()
    return el
  }

  private agent(turn: ChatTurn): void {
    const el = h('div', { class: 'msg agent', 'data-turn': turn.id }, h('span', { class: 'who' }, `人工坐席${turn.agentName ? ' ' + turn.agentName : ''}：`), h('div', { class: 'text' }, renderAnswer(document, turn.text, new Set())))
    this.log.appendChild(el)
    this.scroll()
  }

  private renderTurn(turn: ChatTurn): void {
    this.mark(turn.id)
    if (turn.role === 'user') this.user(turn.text)
    else if (turn.role === 'agent') this.agent(turn)
    else if (turn.role === 'system') this.system(turn.text)
    else {
      const a: ChatAnswer = { sessionId: this.sessionId ?? '', answer: turn.text, mode: turn.mode ?? 'faq', citations: turn.citations ?? [], suggestions: [] }
      if (turn.confidence !== undefined) a.confidence = turn.confidence
      if (turn.ticketId) a.ticketId = turn.ticketId
      if (turn.id) a.turnId = turn.id
      this.log.appendChild(this.answerNode(a, false))
    }
  }

  private answerNode(a: ChatAnswer, live: boolean): HTMLElement {
    const cites = new Map<number, Citation>(a.citations.map((c) => [c.n, c]))
    const onCite = (n: number, btn: HTMLElement) => {
      const c = cites.get(n)
      if (c) void this.openSource(c.id, c.title, btn)
    }
    const el = h('div', { class: 'msg bot', 'data-mode': a.mode, 'data-turn': a.turnId }, h('span', { class: 'sr' }, '智能助手：'), h('div', { class: 'text' }, renderAnswer(document, a.answer, new Set(cites.keys()), onCite)))
    if (a.citations.length) {
      const ol = h('ol', { class: 'sources', 'aria-label': '政策依据' })
      for (const c of a.citations) {
        const li = h('li', {}, h('button', { type: 'button', class: 'src', 'data-cite': String(c.n), onclick: (e) => void this.openSource(c.id, c.title, e.currentTarget as HTMLElement) }, `[${c.n}] ${c.title}`), h('span', { class: 'kind' }, KIND_LABEL[c.kind] ?? ''))
        // policy documents: 文号 + clause + validity (h14-policies)
        if (c.docNumber) li.appendChild(h('span', { class: 'docno' }, `${c.docNumber}${c.clause && c.clause !== '正文' ? ` ${c.clause}` : ''}${c.validity ? `｜${c.validity}` : ''}`))
        if (c.snippet) li.appendChild(h('span', { class: 'snip' }, renderSnippet(document, c.snippet)))
        ol.appendChild(li)
      }
      el.appendChild(h('div', { class: 'sr' }, '政策依据：'))
      el.appendChild(ol)
    }
    const answered = a.mode === 'faq' || a.mode === 'composed' || a.mode === 'llm'
    if (a.turnId && answered) el.appendChild(this.feedback(a.turnId))
    const low = a.handoffOffered === true || a.mode === 'refused' || (answered && a.confidence !== undefined && a.confidence < LOW_CONFIDENCE)
    if (a.ticketId) el.classList.add('ticket')
    if (a.ticketNumber) el.setAttribute('data-ticket', a.ticketNumber)
    // A typed 转人工 gets the same consent step as the button: the offer opens the consent form.
    const offer = a.intent === 'human' ? '确认转人工吗？请在下一步同意提供对话记录。' : '这个回答可能不够准确，需要人工帮助吗？'
    if (low && !a.ticketId) el.appendChild(h('div', { class: 'offer' }, offer, h('button', { type: 'button', onclick: (e) => this.openHandoff(e.currentTarget as HTMLElement) }, '转人工')))
    if (live && a.suggestions.length) {
      const wrap = h('div', {})
      this.renderSuggestions(wrap, a.suggestions, '您可能还想问')
      el.appendChild(wrap)
    }
    return el
  }

  private feedback(turnId: string): HTMLElement {
    const note = h('span', { role: 'status' })
    const yes = h('button', { type: 'button', 'aria-pressed': 'false' }, '有帮助')
    const no = h('button', { type: 'button', 'aria-pressed': 'false' }, '没帮助')
    const send = async (helpful: boolean, btn: HTMLElement) => {
      if (!this.sessionId) return
      yes.setAttribute('disabled', '')
      no.setAttribute('disabled', '')
      try {
        await this.api.rate(this.sessionId, { turnId, helpful })
        btn.setAttribute('aria-pressed', 'true')
        note.textContent = helpful ? '感谢您的反馈！' : '抱歉没能帮到您，可以点“转人工”咨询坐席。'
      } catch (err) {
        yes.removeAttribute('disabled')
        no.removeAttribute('disabled')
        note.textContent = err instanceof Error ? err.message : '提交失败'
      }
    }
    yes.addEventListener('click', () => void send(true, yes))
    no.addEventListener('click', () => void send(false, no))
    return h('div', { class: 'fb', role: 'group', 'aria-label': '这个回答对您有帮助吗' }, '这个回答有帮助吗？', yes, no, note)
  }

  // ---- asking --------------------------------------------------------------------------------------
  private submit(): void {
    const text = this.input.value.trim()
    if (!text || this.busy) return
    this.input.value = ''
    void this.ask(text)
  }

  private async ask(text: string): Promise<void> {
    if (this.busy) return
    this.busy = true
    this.sendBtn.disabled = true
    this.user(text)
    this.typing.hidden = false
    let streaming: HTMLElement | null = null
    let streamed = ''
    const onToken = (t: string, reset?: boolean) => {
      streamed = reset ? '' : streamed + t
      if (!streaming) {
        this.typing.hidden = true
        // aria-hidden while streaming: the finished answer is announced once, not token by token.
        streaming = h('div', { class: 'msg bot streaming', 'aria-hidden': 'true' })
        this.log.appendChild(streaming)
      }
      streaming.textContent = streamed
      this.scroll()
    }
    const body: { sessionId?: string; message: string; region?: string } = { message: text }
    if (this.sessionId) body.sessionId = this.sessionId
    if (this.opts.region) body.region = this.opts.region
    try {
      let a: ChatAnswer
      try {
        a = await this.api.chat(body, onToken)
      } catch (err) {
        // A stale stored session must not block asking: retry once as a new conversation.
        if (!(err instanceof ApiError) || !body.sessionId || !/SESSION/i.test(err.code)) throw err
        delete body.sessionId
        this.save(null)
        a = await this.api.chat(body, onToken)
      }
      if (a.sessionId) this.save(a.sessionId)
      this.mark(a.turnId)
      const node = this.answerNode(a, true)
      if (streaming) (streaming as HTMLElement).replaceWith(node)
      else this.log.appendChild(node)
      // A typed 转人工 / complaint / report opens a ticket directly; the answer carries its notice.
      if (a.ticketId) this.subscribe()
    } catch (err) {
      ;(streaming as HTMLElement | null)?.remove()
      this.system(`抱歉，${err instanceof Error ? err.message : '服务暂时不可用'}，请稍后再试。`)
    } finally {
      this.typing.hidden = true
      this.busy = false
      this.sendBtn.disabled = false
      this.scroll()
    }
  }

  // ---- agent replies: SSE with polling fallback ----------------------------------------------------
  private subscribe(): void {
    const id = this.sessionId
    if (!id || this.events || this.pollTimer) return
    if (typeof EventSource === 'undefined') return this.poll()
    const es = new EventSource(this.api.eventsUrl(id, this.lastTurnId))
    this.events = es
    const onTurn = (e: MessageEvent) => {
      try {
        const parsed: unknown = JSON.parse(String(e.data))
        const list = Array.isArray(parsed) ? parsed : [parsed]
        for (const raw of list) this.live(raw)
      } catch {
        /* keep-alive or malformed event */
      }
    }
    es.addEventListener('message', onTurn)
    es.addEventListener('turn', onTurn as EventListener)
    es.addEventListener('agent', onTurn as EventListener)
    es.addEventListener('error', () => {
      if (es.readyState === EventSource.CLOSED && this.events === es) {
        this.events = null
        this.poll()
      }
    })
  }

  private live(raw: unknown): void {
    const o = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {}
    const turn = o.turn ?? raw
    const t = turn && typeof turn === 'object' ? (turn as Record<string, unknown>) : {}
    // Our own questions and answers are already on screen; agents and ticket notices (e.g. an extended
    // deadline) are what arrives from elsewhere.
    if (t.role !== 'agent' && t.role !== 'system') return
    const id = typeof t.id === 'string' ? t.id : ''
    if (id && this.seen.has(id)) return
    this.mark(id)
    const text = typeof t.text === 'string' ? t.text : ''
    if (t.role === 'system') this.system(text)
    else this.agent({ id, role: 'agent', text, ...(typeof t.agentName === 'string' ? { agentName: t.agentName } : {}) })
  }

  private poll(): void {
    if (this.pollTimer) return
    const tick = async () => {
      if (!this.sessionId) return
      try {
        const t = await this.api.transcript(this.sessionId)
        for (const turn of t.turns) this.live(turn)
      } catch {
        /* try again next tick */
      }
    }
    this.pollTimer = setInterval(() => void tick(), POLL_MS)
  }

  private unsubscribe(): void {
    this.events?.close()
    this.events = null
    if (this.pollTimer) clearInterval(this.pollTimer)
    this.pollTimer = null
  }

  // ---- sheets: source, handoff, rating -------------------------------------------------------------
  private showSheet(sheet: HTMLElement, from: HTMLElement | null, focus: HTMLElement): void {
    for (const s of [this.sourceSheet, this.handoffSheet, this.ratingSheet]) if (s !== sheet) s.hidden = true
    this.lastFocus = from
    sheet.hidden = false
    focus.focus()
  }

  private closeSheet(sheet: HTMLElement): void {
    sheet.hidden = true
    const back = this.lastFocus
    this.lastFocus = null
    if (back && back.isConnected) back.focus()
    else this.input.focus()
  }

  private async openSource(id: string, title: string, from: HTMLElement): Promise<void> {
    const heading = h('h3', { id: 'tk-src-title', tabindex: '-1' }, title || '政策依据')
    const content = h('div', { class: 'content', 'aria-busy': 'true' }, h('p', {}, '正在加载…'))
    this.sourceSheet.replaceChildren(h('header', {}, heading, h('button', { type: 'button', class: 'back', 'aria-label': '关闭依据', onclick: () => this.closeSheet(this.sourceSheet) }, '关闭')), content)
    this.showSheet(this.sourceSheet, from, heading)
    try {
      const e = await this.api.entry(id)
      heading.textContent = String(e.title ?? title)
      content.replaceChildren(...this.entryView(e))
    } catch (err) {
      content.replaceChildren(h('p', { class: 'err' }, err instanceof Error ? err.message : '加载失败'))
    }
    content.removeAttribute('aria-busy')
  }

  /** A policy document or clause: 文号, clause, validity today, and a link to the whole document's text. */
  private policyRows(e: Record<string, unknown>, row: (k: string, v: Node | string) => void): void {
    const p = (e.policy && typeof e.policy === 'object' ? e.policy : null) as Record<string, unknown> | null
    if (!p) return
    const v = (e.validityNow && typeof e.validityNow === 'object' ? e.validityNow : {}) as Record<string, unknown>
    row('文号', String(p.docNumber ?? ''))
    if (typeof p.label === 'string' && p.label !== '正文') row('条款', p.label)
    if (typeof v.label === 'string') {
      const current = v.validity === '全文有效' || v.validity === '部分有效' || v.validity === '有效' || v.validity === '已修改'
      row('效力', h('span', { class: current ? 'status-in' : 'status-out' }, v.label))
    }
    const doc = typeof p.documentId === 'string' ? p.documentId : null
    if (doc) row('全文', h('button', { type: 'button', class: 'link', onclick: (ev) => void this.openSource(doc, String(p.docNumber ?? ''), ev.currentTarget as HTMLElement) }, '查看公告全文'))
  }

  private entryView(e: Record<string, unknown>): Node[] {
    const s = (v: unknown) => (typeof v === 'string' ? v : '')
    const src = (e.source && typeof e.source === 'object' ? e.source : {}) as Record<string, unknown>
    const law = (e.law && typeof e.law === 'object' ? e.law : null) as Record<string, unknown> | null
    const dl = h('dl', { class: 'meta' })
    const row = (k: string, v: Node | string) => dl.append(h('dt', {}, k), h('dd', {}, v))
    row('类型', KIND_LABEL[s(e.kind)] ?? s(e.kind))
    if (law) {
      const inForce = law.lawStatus !== 'repealed' && e.status !== 'retired'
      row('效力', h('span', { class: inForce ? 'status-in' : 'status-out' }, inForce ? '现行有效' : '已废止' + (s(law.repealedBy) ? `（被${s(law.repealedBy)}替代）` : '')))
    } else if (e.status === 'retired') row('效力', h('span', { class: 'status-out' }, '已失效'))
    if (s(e.effectiveFrom)) row('施行日期', s(e.effectiveFrom))
    if (s(e.effectiveTo)) row('失效日期', s(e.effectiveTo))
    this.policyRows(e, row)
    const source = [s(src.title), s(src.docNumber)].filter(Boolean).join(' ')
    if (source) row('来源', source)
    if (s(src.issuer)) row('发布机关', s(src.issuer))
    if (/^https?:\/\//i.test(s(src.url))) row('原文', h('a', { href: s(src.url), target: '_blank', rel: 'noopener noreferrer' }, '查看原文'))
    const out: Node[] = [dl]
    if (s(e.question)) out.push(h('p', {}, h('strong', {}, '问：'), s(e.question)))
    const body = h('div', { class: 'body' })
    for (const para of s(e.body).split(/\n+/)) if (para.trim()) body.appendChild(h('p', {}, para))
    out.push(body)
    const guide = (e.guide && typeof e.guide === 'object' ? e.guide : null) as Record<string, unknown> | null
    if (guide) {
      const list = (label: string, v: unknown) => {
        if (!Array.isArray(v) || !v.length) return
        out.push(h('h3', {}, label), h('ol', {}, ...v.map((x) => h('li', {}, s(x)))))
      }
      list('办理条件', guide.conditions)
      list('所需材料', guide.materials)
      list('办理流程', guide.steps)
      if (s(guide.timeLimit)) out.push(h('p', {}, h('strong', {}, '办理时限：'), s(guide.timeLimit)))
    }
    return out
  }

  private openHandoff(from: HTMLElement): void {
    const err = h('p', { class: 'err', role: 'alert' })
    const phone = h('input', { type: 'tel', name: 'phone', autocomplete: 'tel', inputmode: 'tel', maxlength: '20' }) as HTMLInputElement
    const consent = h('input', { type: 'checkbox', name: 'consent' }) as HTMLInputElement
    // Without a conversation yet the agent needs the question itself.
    const question = h('textarea', { name: 'question', rows: '2', maxlength: '500', 'aria-required': 'true' }) as HTMLTextAreaElement
    const questionLabel = this.sessionId ? null : h('label', {}, '请简要描述您的问题（必填）', question)
    const heading = h('h3', { id: 'tk-ho-title', tabindex: '-1' }, '转人工服务')
    const submit = h('button', { type: 'submit', class: 'primary' }, '提交转人工') as HTMLButtonElement
    const form = h(
      'form',
      {
        // Own validation with role=alert messages instead of the browser's bubbles.
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault()
          void this.handoff(phone.value.trim(), consent.checked, question.value.trim(), err, submit)
        },
      },
      heading,
      h('p', {}, '将为您生成咨询工单并转给 12366 人工坐席，坐席回复会显示在本对话中。'),
      questionLabel,
      h('label', {}, '联系电话（选填，便于坐席回电）', phone),
      h('label', { class: 'check' }, consent, h('span', {}, '我同意将本次对话记录和联系电话提供给税务机关人工坐席，仅用于答复本次咨询。')),
      err,
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => this.closeSheet(this.handoffSheet) }, '取消'), submit),
    )
    this.handoffSheet.replaceChildren(form)
    this.showSheet(this.handoffSheet, from, heading)
  }

  private async handoff(phone: string, consent: boolean, question: string, err: HTMLElement, submit: HTMLButtonElement): Promise<void> {
    err.textContent = ''
    if (!this.sessionId && !question) {
      err.textContent = '请简要描述您的问题。'
      return
    }
    if (!consent) {
      err.textContent = '请先勾选同意，才能转人工。'
      return
    }
    if (phone && !/^[0-9+\-\s()]{7,20}$/.test(phone)) {
      err.textContent = '联系电话格式不正确。'
      return
    }
    submit.disabled = true
    try {
      if (!this.sessionId) {
        // 转人工 before any question: ask it first, so the ticket carries the question and its answer.
        this.handoffSheet.hidden = true
        await this.ask(question)
        const last = this.log.querySelector('.msg.bot.ticket:last-child')
        if (last) return // the question itself was a request for a human: its ticket is open already
        if (!this.sessionId) throw new Error('无法创建会话，请稍后再试。')
      }
      const r = await this.api.handoff(this.sessionId, phone ? { phone } : null)
      this.mark(r.turnId)
      this.handoffSheet.hidden = true
      this.ticketNote(r)
      this.input.focus()
      this.subscribe()
    } catch (e) {
      err.textContent = e instanceof Error ? e.message : '转人工失败，请稍后再试。'
    } finally {
      submit.disabled = false
    }
  }

  /** The ticket confirmation: number first (what the taxpayer quotes on 12366), then the service notice. */
  private ticketNote(r: HandoffResult): void {
    const number = r.number || r.ticketId || '—'
    const el = h('div', { class: 'msg bot ticket', 'data-ticket': number }, h('span', { class: 'sr' }, '智能助手：'), h('p', { class: 'ticket-no' }, '工单号：', h('strong', {}, number)))
    const notice = r.notice || (r.dueLabel ? `工作人员将在 ${r.dueLabel} 前处理并答复。` : '')
    if (notice) el.appendChild(h('div', { class: 'text' }, renderAnswer(document, notice, new Set())))
    if (r.humansAvailableNow === false && !/非工作时间/.test(notice)) el.appendChild(h('p', { class: 'offhours' }, '现在是非工作时间，人工坐席将在工作时间处理您的问题。'))
    el.appendChild(h('p', { class: 'snip' }, '坐席回复后会显示在这里；关闭页面后再打开也能看到。'))
    this.log.appendChild(el)
    this.scroll()
  }

  private openRating(from: HTMLElement): void {
    const err = h('p', { class: 'err', role: 'alert' })
    const heading = h('h3', { id: 'tk-rt-title', tabindex: '-1' }, '服务评价')
    const reasonId = this.uid('tk-reason')
    const reason = h('textarea', { id: reasonId, name: 'reason', rows: '3', maxlength: '500' }) as HTMLTextAreaElement
    const reasonLabel = h('label', { for: reasonId, hidden: true }, '请告诉我们不满意的原因（必填）', reason)
    const fs = h('fieldset', {}, h('legend', {}, '您对本次服务满意吗？'))
    for (const [value, label] of SATISFACTION) {
      const radio = h('input', { type: 'radio', name: 'satisfaction', value: String(value) }) as HTMLInputElement
      radio.addEventListener('change', () => {
        const needs = value <= 2
        reasonLabel.hidden = !needs
        reason.required = needs
        reason.setAttribute('aria-required', String(needs))
      })
      fs.appendChild(h('label', { class: 'opt' }, radio, label))
    }
    const submit = h('button', { type: 'submit', class: 'primary' }, '提交评价') as HTMLButtonElement
    const form = h(
      'form',
      {
        // Own validation with role=alert messages instead of the browser's bubbles.
        novalidate: true,
        onsubmit: (e) => {
          e.preventDefault()
          const picked = fs.querySelector<HTMLInputElement>('input[name=satisfaction]:checked')
          void this.rate(picked ? Number(picked.value) : 0, reason.value.trim(), err, submit)
        },
      },
      heading,
      fs,
      reasonLabel,
      err,
      h('div', { class: 'row' }, h('button', { type: 'button', onclick: () => this.closeSheet(this.ratingSheet) }, '取消'), submit),
    )
    this.ratingSheet.replaceChildren(form)
    this.showSheet(this.ratingSheet, from, heading)
  }

  private async rate(satisfaction: number, reason: string, err: HTMLElement, submit: HTMLButtonElement): Promise<void> {
    err.textContent = ''
    if (!satisfaction) return void (err.textContent = '请选择满意程度。')
    if (satisfaction <= 2 && !reason) return void (err.textContent = '请填写不满意的原因，我们会据此改进。')
    if (!this.sessionId) return void (err.textContent = '请先咨询一个问题后再评价。')
    submit.disabled = true
    try {
      await this.api.rate(this.sessionId, { satisfaction, ...(reason ? { reason } : {}) })
      this.ratingSheet.hidden = true
      this.system('感谢您的评价！')
      this.input.focus()
    } catch (e) {
      err.textContent = e instanceof Error ? e.message : '提交失败，请稍后再试。'
    } finally {
      submit.disabled = false
    }
  }
}

declare global {
  interface Window {
    taxkbWidget?: TaxkbWidget
  }
}

function boot(): void {
  if (window.taxkbWidget) return
  const opts = readOptions()
  const start = () => {
    if (!window.taxkbWidget) window.taxkbWidget = new TaxkbWidget(opts)
  }
  if (document.body) start()
  else document.addEventListener('DOMContentLoaded', start, { once: true })
}

boot()
