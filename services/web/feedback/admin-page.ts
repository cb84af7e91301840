/**
 * Staff survey page (/feedback/admin.html), for holders of surveys:manage signed in at /console/ (the
 * login cookie is sent; writes echo the CSRF cookie): build a survey (questions with show-if) as JSON,
 * save and publish, and see results as charts with tables, NPS and paged text answers, and export.
 */
import { api, errorText, h } from './dom.js'
import { barChart, type Count } from './results-chart.js'

interface StaffSurvey {
  id: string
  title: string
  state: string
  regionCode: string | null
}
interface Result {
  id: string
  type: string
  title: string
  answered: number
  counts?: Count[]
  mean?: number
  nps?: { promoters: number; passives: number; detractors: number; score: number }
  texts?: { items: string[]; total: number; page: number; pageSize: number }
}

const STATE_LABELS: Record<string, string> = { draft: '草稿', published: '进行中', closed: '已结束' }
const TEMPLATE = {
  title: '纳税服务满意度调查',
  regionCode: '320100',
  mode: 'anonymous',
  opensAt: new Date().toISOString(),
  closesAt: new Date(Date.now() + 30 * 86400_000).toISOString(),
  questions: [
    { id: 'q1', type: 'rating', title: '您对办税服务的总体评分', required: true },
    { id: 'q2', type: 'long', title: '请告诉我们不满意的原因', required: true, showIf: { question: 'q1', max: 2 } },
  ],
}

const app = document.getElementById('app')!

function msg(el: HTMLElement, text: string, kind: 'ok' | 'err'): void {
  el.replaceChildren(h('p', { class: `note ${kind}`, role: kind === 'err' ? 'alert' : 'status' }, text))
}

async function showResults(id: string, target: HTMLElement, textPage = 1): Promise<void> {
  const r = await api<{ survey: StaffSurvey; total: number; questions: Result[] }>(
    `/api/admin/surveys/${id}/results?textPage=${textPage}`,
  )
  const blocks = r.questions.map((q) => {
    const head = h('h3', {}, `${q.title}（${q.answered} 人作答）`)
    if (q.texts) {
      const pages = Math.max(1, Math.ceil(q.texts.total / q.texts.pageSize))
      const nav = h(
        'p',
        {},
        `第 ${q.texts.page} / ${pages} 页`,
        q.texts.page < pages
          ? h('button', { type: 'button', onclick: () => void showResults(id, target, textPage + 1) }, '下一页')
          : null,
      )
      return h(
        'section',
        { class: 'result', 'data-q': q.id },
        head,
        h('ul', { class: 'texts' }, ...q.texts.items.map((t) => h('li', {}, t))),
        nav,
      )
    }
    const extra = q.nps
      ? h(
          'p',
          { class: 'nps' },
          `NPS：${q.nps.score}（推荐者 ${q.nps.promoters}，中立者 ${q.nps.passives}，贬损者 ${q.nps.detractors}）`,
        )
      : q.mean !== undefined
        ? h('p', {}, `平均分：${q.mean}`)
        : null
    return h('section', { class: 'result', 'data-q': q.id }, head, barChart(q.title, q.counts ?? []), extra)
  })
  const exports = h(
    'p',
    {},
    h('a', { href: `/api/admin/surveys/${id}/export?format=csv` }, '导出 CSV'),
    ' ',
    h('a', { href: `/api/admin/surveys/${id}/export?format=xlsx` }, '导出 Excel'),
  )
  target.replaceChildren(h('h2', {}, `${r.survey.title}：共 ${r.total} 份答卷`), exports, ...blocks)
}

async function listSurveys(list: HTMLElement, results: HTMLElement): Promise<void> {
  const { surveys } = await api<{ surveys: StaffSurvey[] }>('/api/admin/surveys')
  list.replaceChildren(
    ...surveys.map((s) => {
      const publish =
        s.state === 'draft'
          ? h(
              'button',
              {
                type: 'button',
                onclick: async () => {
                  await api(`/api/admin/surveys/${s.id}/publish`, { method: 'POST', body: {} }).catch((e) =>
                    msg(results, errorText(e), 'err'),
                  )
                  await listSurveys(list, results)
                },
              },
              '发布',
            )
          : null
      const view = h(
        'button',
        {
          type: 'button',
          onclick: () => void showResults(s.id, results).catch((e) => msg(results, errorText(e), 'err')),
        },
        '查看结果',
      )
      return h('li', { 'data-id': s.id }, `${s.title}（${STATE_LABELS[s.state] ?? s.state}）`, publish, view)
    }),
  )
}

function boot(): void {
  const editor = h('textarea', { rows: 18, 'aria-label': '问卷定义（JSON）', class: 'json' }) as HTMLTextAreaElement
  editor.value = JSON.stringify(TEMPLATE, null, 2)
  const out = h('div', { class: 'out' })
  const list = h('ul', { class: 'list surveys' })
  const results = h('div', { class: 'results' })
  const save = h('button', { type: 'button', class: 'primary' }, '保存草稿')
  save.addEventListener('click', async () => {
    let body: unknown
    try {
      body = JSON.parse(editor.value)
    } catch {
      return msg(out, '问卷定义不是有效的 JSON', 'err')
    }
    try {
      const s = await api<StaffSurvey>('/api/admin/surveys', { method: 'POST', body })
      msg(out, `已保存草稿：${s.title}`, 'ok')
      await listSurveys(list, results)
    } catch (err) {
      msg(out, errorText(err), 'err')
    }
  })
  app.replaceChildren(
    h('header', {}, h('h1', {}, '网上调查管理')),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, '新建问卷'),
      h(
        'p',
        { class: 'hint' },
        '题型：single 单选、multiple 多选、rating 评分 1–5、nps 推荐度 0–10、short 短文本、long 长文本；showIf 只能引用前面的题目。',
      ),
      editor,
      save,
      out,
    ),
    h('section', { class: 'card' }, h('h2', {}, '本地区问卷'), list),
    results,
  )
  void listSurveys(list, results).catch((e) => msg(out, errorText(e), 'err'))
}

boot()
