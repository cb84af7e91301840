/**
 * taxkb chat widget: one <script> tag on any portal gives its visitors the 12366-style assistant.
 *   <script src="https://HOST/widget.js" data-region="320000" data-title="江苏税务智能咨询"></script>
 * Vanilla TypeScript bundled by esbuild at serve time (services/web/widget/bundle.ts). Everything lives in
 * a shadow root; all untrusted text goes through safe-render (text nodes only, never innerHTML).
 * This class only coordinates the view parts: message log, welcome, answers (with feedback), composer,
 * source panel, handoff and rating dialogs, and live updates.
 */
import { h } from '../shared/dom.js'
import { ApiClient, ApiError, type ChatAnswer, type ChatTurn, type HandoffResult } from './api-client.js'
import { answerView, wantsHuman } from './answer-view.js'
import { appLinks } from './app-links.js'
import { Composer } from './composer.js'
import { feedbackControls } from './feedback-controls.js'
import { HandoffDialog, ticketNote } from './handoff-dialog.js'
import { incomingTurn, LiveUpdates } from './live-updates.js'
import { MessageLog } from './message-log.js'
import { readOptions, type WidgetOptions } from './options.js'
import { RatingDialog } from './rating-dialog.js'
import { SessionStore } from './session-store.js'
import { Sheets } from './sheets.js'
import { SourcePanel } from './source-panel.js'
import { widgetCss } from './styles.js'
import { welcomePanel } from './welcome-panel.js'

function launcherIcon(): SVGElement {
  const icon = document.createElementNS('http://www.w3.org/2000/svg', 'svg')
  icon.setAttribute('viewBox', '0 0 24 24')
  icon.setAttribute('aria-hidden', 'true')
  const path = document.createElementNS('http://www.w3.org/2000/svg', 'path')
  path.setAttribute('fill', 'currentColor')
  path.setAttribute('d', 'M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H8l-4 4V6a2 2 0 0 1 2-2z')
  icon.appendChild(path)
  return icon
}

class TaxkbWidget {
  private readonly api: ApiClient
  private readonly session: SessionStore
  private readonly log = new MessageLog()
  private readonly composer: Composer
  private readonly sheets: Sheets
  private readonly source: SourcePanel
  private readonly handoffDialog: HandoffDialog
  private readonly rating: RatingDialog
  private readonly updates: LiveUpdates
  private readonly link: ReturnType<typeof appLinks>
  private readonly typing = h(
    'div',
    { class: 'typing', role: 'status', hidden: true },
    '正在输入',
    h('i'),
    h('i'),
    h('i'),
  )
  private readonly announcer = h('div', { class: 'sr', role: 'status', 'aria-live': 'polite' })
  private readonly launcher: HTMLElement
  private readonly panel: HTMLElement
  private initialised = false
  private busy = false
  private readonly seen = new Set<string>()
  /** Newest turn shown, so the SSE stream can replay what arrived in between (?since=). */
  private lastTurnId: string | null = null

  constructor(private readonly opts: WidgetOptions) {
    this.api = new ApiClient(opts.base)
    this.session = new SessionStore(opts.base)
    this.link = appLinks(opts.base, opts.region)
    this.composer = new Composer({
      send: (text) => void this.ask(text),
      handoff: (from) => this.handoffDialog.open(from),
      rate: (from) => this.rating.open(from),
    })
    this.sheets = new Sheets(() => this.composer.focus())
    this.source = new SourcePanel(this.api, this.sheets)
    this.handoffDialog = new HandoffDialog(this.api, this.sheets, {
      sessionId: () => this.session.id,
      askFirst: async (question) => (await this.ask(question, { forHandoff: true }))?.ticketId !== undefined,
      created: (r) => this.ticketCreated(r),
    })
    this.rating = new RatingDialog(this.api, this.sheets, {
      sessionId: () => this.session.id,
      rated: () => {
        this.log.system('感谢您的评价！')
        this.composer.focus()
      },
    })
    this.updates = new LiveUpdates(this.api, (raw) => this.incoming(raw))

    const host = h('div', { id: 'taxkb-widget', 'data-taxkb': 'widget' })
    const root = host.attachShadow({ mode: 'open' })
    root.appendChild(h('style', {}, widgetCss(opts.color, opts.side)))
    const toggle = () => (this.panel.hidden ? this.open(true) : this.close())
    this.launcher = h(
      'button',
      {
        type: 'button',
        class: 'launcher',
        'aria-expanded': 'false',
        'aria-controls': 'tk-panel',
        'aria-label': `打开${opts.title}`,
        onclick: toggle,
      },
      launcherIcon(),
      h('span', {}, '智能咨询'),
    )
    this.panel = this.buildPanel()
    root.append(this.launcher, this.panel)
    document.body.appendChild(host)
    if (this.session.wasOpen) this.open(false)
  }

  private buildPanel(): HTMLElement {
    const header = h(
      'header',
      {},
      h('h2', { id: 'tk-title' }, this.opts.title),
      h('button', { type: 'button', class: 'hbtn', onclick: () => this.newConversation() }, '新对话'),
      h('button', { type: 'button', class: 'hbtn x', 'aria-label': '关闭咨询窗口', onclick: () => this.close() }, '×'),
    )
    const panel = h(
      'section',
      {
        id: 'tk-panel',
        class: 'panel',
        role: 'dialog',
        'aria-modal': 'false',
        'aria-labelledby': 'tk-title',
        hidden: true,
      },
      header,
      this.log.el,
      this.typing,
      this.composer.tools,
      this.composer.form,
      this.announcer,
      this.source.el,
      this.handoffDialog.el,
      this.rating.el,
    )
    panel.addEventListener('keydown', (e) => {
      if (e.key !== 'Escape') return
      e.stopPropagation()
      if (!this.sheets.closeOpen()) this.close()
    })
    return panel
  }

  // ---- open / close --------------------------------------------------------------------------------
  open(focus: boolean): void {
    this.panel.hidden = false
    this.launcher.setAttribute('aria-expanded', 'true')
    this.launcher.setAttribute('aria-label', `关闭${this.opts.title}`)
    this.session.wasOpen = true
    if (!this.initialised) {
      this.initialised = true
      void this.start()
    }
    if (focus) this.composer.focus()
  }

  close(): void {
    this.panel.hidden = true
    this.sheets.hideAll()
    this.launcher.setAttribute('aria-expanded', 'false')
    this.launcher.setAttribute('aria-label', `打开${this.opts.title}`)
    this.session.wasOpen = false
    this.launcher.focus()
  }

  private async start(): Promise<void> {
    this.showWelcome()
    const id = this.session.id
    if (!id) return
    try {
      const t = await this.api.transcript(id)
      for (const turn of t.turns) this.restoreTurn(turn)
      if (t.ticketIds.length > 0 || t.turns.some((x) => x.ticketId)) this.subscribe()
      this.log.scrollToEnd()
    } catch (err) {
      // An expired or unknown session starts afresh; other failures keep the id for a later reload.
      const gone = err instanceof ApiError && (err.status === 404 || err.status === 400 || err.status === 403)
      if (gone) this.session.save(null)
      else this.log.system('暂时无法恢复之前的对话记录。')
    }
  }

  private newConversation(): void {
    this.updates.unsubscribe()
    this.session.save(null)
    this.seen.clear()
    this.log.clear()
    this.sheets.hideAll()
    this.composer.suggestHandoff(false)
    this.showWelcome()
    this.announce('已开始新对话')
    this.composer.focus()
  }

  private showWelcome(): void {
    const deps = {
      ask: (q: string) => void this.ask(q),
      openEntry: (id: string, title: string, from: HTMLElement) => void this.source.open(id, title, from),
    }
    this.log.append(welcomePanel(this.api, this.opts, deps))
  }

  // ---- messages ------------------------------------------------------------------------------------
  private announce(text: string): void {
    this.announcer.textContent = ''
    setTimeout(() => {
      this.announcer.textContent = text
    }, 50)
  }

  private mark(turnId: string | undefined | null): void {
    if (!turnId) return
    this.seen.add(turnId)
    this.lastTurnId = turnId
  }

  private answer(a: ChatAnswer, live: boolean): HTMLElement {
    return answerView(a, live, {
      openSource: (id, title, from) => void this.source.open(id, title, from),
      feedback: (turnId) => feedbackControls((rating) => this.rateTurn(turnId, rating)),
      ask: (q) => void this.ask(q),
      link: this.link,
    })
  }

  private async rateTurn(turnId: string, rating: { helpful: boolean; reason?: string }): Promise<void> {
    if (!this.session.id) throw new Error('请先咨询一个问题后再评价。')
    await this.api.rate(this.session.id, { turnId, ...rating })
  }

  private restoreTurn(turn: ChatTurn): void {
    this.mark(turn.id)
    if (turn.role === 'user') this.log.user(turn.text)
    else if (turn.role === 'agent') this.log.agent(turn)
    else if (turn.role === 'system') this.log.system(turn.text)
    else {
      const a: ChatAnswer = {
        sessionId: this.session.id ?? '',
        answer: turn.text,
        mode: turn.mode ?? 'faq',
        citations: turn.citations ?? [],
        suggestions: [],
      }
      if (turn.confidence !== undefined) a.confidence = turn.confidence
      if (turn.ticketId) a.ticketId = turn.ticketId
      if (turn.id) a.turnId = turn.id
      this.log.append(this.answer(a, false))
    }
  }

  private incoming(raw: unknown): void {
    const t = incomingTurn(raw)
    if (!t || (t.id && this.seen.has(t.id))) return
    this.mark(t.id)
    if (t.role === 'system') this.log.system(t.text)
    else this.log.agent(t)
  }

  // ---- asking --------------------------------------------------------------------------------------
  /** Asks a question and shows the answer with its start in view; null when asking failed. */
  private async ask(text: string, how: { forHandoff?: boolean } = {}): Promise<ChatAnswer | null> {
    if (this.busy) return null
    this.busy = true
    this.composer.busy = true
    this.log.user(text)
    this.typing.hidden = false
    let streaming: HTMLElement | null = null
    let streamed = ''
    const onToken = (t: string, reset?: boolean) => {
      streamed = reset ? '' : streamed + t
      if (!streaming) {
        this.typing.hidden = true
        // aria-hidden while streaming: the finished answer is announced once, not token by token.
        streaming = this.log.append(h('div', { class: 'msg bot streaming', 'aria-hidden': 'true' }))
      }
      streaming.textContent = streamed
      this.log.reveal(streaming)
    }
    const body: { sessionId?: string; message: string; region?: string } = { message: text }
    if (this.session.id) body.sessionId = this.session.id
    if (this.opts.region) body.region = this.opts.region
    try {
      const a = await this.chat(body, onToken)
      if (a.sessionId) this.session.save(a.sessionId)
      this.mark(a.turnId)
      const node = this.answer(a, true)
      if (streaming) (streaming as HTMLElement).replaceWith(node)
      else this.log.append(node)
      this.typing.hidden = true
      this.log.reveal(node)
      this.composer.suggestHandoff(wantsHuman(a))
      // A typed 转人工 / complaint / report opens a ticket directly; the answer carries its notice.
      if (a.ticketId) this.subscribe()
      // A typed request for a human goes straight to the consent form (the one place a ticket is agreed to).
      else if (a.intent === 'human' && !how.forHandoff) this.handoffDialog.open(this.composer.handoffBtn)
      return a
    } catch (err) {
      ;(streaming as HTMLElement | null)?.remove()
      this.log.system(`抱歉，${err instanceof Error ? err.message : '服务暂时不可用'}，请稍后再试。`)
      return null
    } finally {
      this.typing.hidden = true
      this.busy = false
      this.composer.busy = false
    }
  }

  private async chat(
    body: { sessionId?: string; message: string; region?: string },
    onToken: (t: string, reset?: boolean) => void,
  ): Promise<ChatAnswer> {
    try {
      return await this.api.chat(body, onToken)
    } catch (err) {
      // A stale stored session must not block asking: retry once as a new conversation.
      if (!(err instanceof ApiError) || !body.sessionId || !/SESSION/i.test(err.code)) throw err
      delete body.sessionId
      this.session.save(null)
      return this.api.chat(body, onToken)
    }
  }

  private ticketCreated(r: HandoffResult): void {
    this.mark(r.turnId)
    this.log.push(ticketNote(r))
    this.composer.suggestHandoff(false)
    this.composer.focus()
    this.subscribe()
  }

  private subscribe(): void {
    if (this.session.id) this.updates.subscribe(this.session.id, this.lastTurnId)
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
