/**
 * Pure rules of a survey definition (网上调查): question types, required flags and show-if conditions.
 * `validateSurveyDefinition` runs before a survey is saved or published: it refuses dangling references,
 * cycles, forward references and conditions that do not fit the referenced question's type, and its error
 * names the question. `visibleQuestions` and `validateAnswers` apply the same logic to one response.
 */
import { AppError } from '../shared/errors.js'

export const QUESTION_TYPES = ['single', 'multiple', 'rating', 'nps', 'short', 'long'] as const
export type QuestionType = (typeof QUESTION_TYPES)[number]

export const TEXT_LIMITS: Readonly<Record<'short' | 'long', number>> = { short: 100, long: 2000 }

export interface ShowIf {
  /** Id of an earlier question. */
  question: string
  /** single: the chosen option equals; rating / nps: the score equals. */
  equals?: string | number
  /** multiple: the chosen options include. */
  includes?: string
  /** rating / nps: the score is at least / at most. */
  min?: number
  max?: number
}

export interface Question {
  id: string
  type: QuestionType
  title: string
  required: boolean
  options?: string[]
  showIf?: ShowIf
}

export type Answer = string | number | string[]

const SCALE: Readonly<Record<'rating' | 'nps', [number, number]>> = { rating: [1, 5], nps: [0, 10] }

function invalid(message: string): AppError {
  return new AppError('SURVEY_LOGIC_INVALID', message, { userMessage: message })
}

const label = (q: Question, index: number) => `第 ${index + 1} 题「${q.title}」`

/** Follows show-if references from each question; returns the ids of a cycle if there is one. */
export function findCycle(questions: readonly Question[]): string[] | null {
  const byId = new Map(questions.map((q) => [q.id, q]))
  for (const start of questions) {
    const path: string[] = []
    let cur: Question | undefined = start
    while (cur?.showIf) {
      path.push(cur.id)
      const next: string = cur.showIf.question
      if (next === start.id) return [...path, next]
      if (path.includes(next)) break
      cur = byId.get(next)
    }
  }
  return null
}

function checkQuestion(q: Question, i: number): void {
  if (!(QUESTION_TYPES as readonly string[]).includes(q.type)) throw invalid(`${label(q, i)}的题型无效`)
  if (typeof q.title !== 'string' || q.title.trim() === '') throw invalid(`第 ${i + 1} 题缺少题目`)
  const choice = q.type === 'single' || q.type === 'multiple'
  if (choice) {
    const opts = q.options ?? []
    if (opts.length < 2) throw invalid(`${label(q, i)}至少需要两个选项`)
    if (new Set(opts).size !== opts.length || opts.some((o) => o.trim() === ''))
      throw invalid(`${label(q, i)}的选项不能为空或重复`)
  } else if (q.options && q.options.length > 0) {
    throw invalid(`${label(q, i)}不是选择题，不能设置选项`)
  }
}

function checkCondition(q: Question, i: number, src: Question, srcIndex: number): void {
  const c = q.showIf!
  const where = `${label(q, i)}的显示条件`
  const used = ['equals', 'includes', 'min', 'max'].filter((k) => c[k as keyof ShowIf] !== undefined)
  if (used.length === 0) throw invalid(`${where}缺少判断值`)
  if (src.type === 'short' || src.type === 'long')
    throw invalid(`${where}引用了填空题${label(src, srcIndex)}，填空题不能作为条件`)
  if (src.type === 'single') {
    if (used.join() !== 'equals' || !src.options!.includes(String(c.equals)) || typeof c.equals !== 'string') {
      throw invalid(`${where}须为「等于」${label(src, srcIndex)}的某个选项`)
    }
  } else if (src.type === 'multiple') {
    if (used.join() !== 'includes' || !src.options!.includes(c.includes!)) {
      throw invalid(`${where}须为「包含」${label(src, srcIndex)}的某个选项`)
    }
  } else {
    const [lo, hi] = SCALE[src.type]
    if (used.includes('includes')) throw invalid(`${where}对评分题只能用等于、不低于或不高于`)
    for (const k of ['equals', 'min', 'max'] as const) {
      const v = c[k]
      if (v !== undefined && !(typeof v === 'number' && Number.isInteger(v) && v >= lo && v <= hi)) {
        throw invalid(`${where}的分值须为 ${lo} 到 ${hi} 的整数`)
      }
    }
  }
}

/** Throws SURVEY_LOGIC_INVALID naming the first question at fault. */
export function validateSurveyDefinition(questions: readonly Question[]): void {
  if (questions.length === 0) throw invalid('问卷至少需要一道题目')
  if (questions.length > 100) throw invalid('问卷题目不能超过 100 道')
  const ids = new Set<string>()
  questions.forEach((q, i) => {
    if (typeof q.id !== 'string' || !/^[A-Za-z0-9_-]{1,32}$/.test(q.id)) throw invalid(`第 ${i + 1} 题的编号无效`)
    if (ids.has(q.id)) throw invalid(`${label(q, i)}的编号 ${q.id} 重复`)
    ids.add(q.id)
    checkQuestion(q, i)
  })
  const index = new Map(questions.map((q, i) => [q.id, i]))
  questions.forEach((q, i) => {
    if (q.showIf && !index.has(q.showIf.question)) {
      throw invalid(`${label(q, i)}的显示条件引用了不存在的题目 ${q.showIf.question}`)
    }
  })
  const cycle = findCycle(questions)
  if (cycle) {
    const first = questions[index.get(cycle[0]!)!]!
    throw invalid(`${label(first, index.get(first.id)!)}的显示条件形成循环：${cycle.join(' → ')}`)
  }
  questions.forEach((q, i) => {
    if (!q.showIf) return
    const j = index.get(q.showIf.question)!
    if (j >= i) throw invalid(`${label(q, i)}的显示条件只能引用前面的题目（引用了第 ${j + 1} 题）`)
    checkCondition(q, i, questions[j]!, j)
  })
}

function conditionHolds(c: ShowIf, answer: Answer | undefined): boolean {
  if (answer === undefined) return false
  if (c.includes !== undefined) return Array.isArray(answer) && answer.includes(c.includes)
  if (c.equals !== undefined && answer !== c.equals) return false
  if (typeof answer === 'number') {
    if (c.min !== undefined && answer < c.min) return false
    if (c.max !== undefined && answer > c.max) return false
  }
  return true
}

/** Ids of the questions shown given these answers (a question whose condition's source is hidden is hidden). */
export function visibleQuestions(
  questions: readonly Question[],
  answers: Readonly<Record<string, Answer>>,
): Set<string> {
  const shown = new Set<string>()
  for (const q of questions) {
    if (!q.showIf || (shown.has(q.showIf.question) && conditionHolds(q.showIf, answers[q.showIf.question])))
      shown.add(q.id)
  }
  return shown
}

function answerError(q: Question, i: number, what: string): AppError {
  return new AppError('VALIDATION_FAILED', `answer ${q.id}: ${what}`, { userMessage: `${label(q, i)}${what}` })
}

function checkAnswer(q: Question, i: number, a: Answer): Answer {
  switch (q.type) {
    case 'single':
      if (typeof a !== 'string' || !q.options!.includes(a)) throw answerError(q, i, '的选项无效')
      return a
    case 'multiple':
      if (
        !Array.isArray(a) ||
        a.length === 0 ||
        a.some((o) => !q.options!.includes(o)) ||
        new Set(a).size !== a.length
      ) {
        throw answerError(q, i, '的选项无效')
      }
      return a
    case 'rating':
    case 'nps': {
      const [lo, hi] = SCALE[q.type]
      if (typeof a !== 'number' || !Number.isInteger(a) || a < lo || a > hi)
        throw answerError(q, i, `须为 ${lo} 到 ${hi} 分`)
      return a
    }
    case 'short':
    case 'long': {
      const t = typeof a === 'string' ? a.trim() : ''
      if (t.length > TEXT_LIMITS[q.type]) throw answerError(q, i, `不能超过 ${TEXT_LIMITS[q.type]} 个字`)
      return t
    }
  }
}

/** Checks one response; returns the answers of visible questions only (answers to hidden ones are refused). */
export function validateAnswers(
  questions: readonly Question[],
  raw: Readonly<Record<string, unknown>>,
): Record<string, Answer> {
  const known = new Set(questions.map((q) => q.id))
  for (const id of Object.keys(raw)) {
    if (!known.has(id))
      throw new AppError('VALIDATION_FAILED', `unknown question ${id}`, { userMessage: `问卷中没有题目 ${id}` })
  }
  const answers = raw as Record<string, Answer>
  const shown = visibleQuestions(questions, answers)
  const out: Record<string, Answer> = {}
  questions.forEach((q, i) => {
    const a = answers[q.id]
    const empty = a === undefined || a === null || a === '' || (Array.isArray(a) && a.length === 0)
    if (!shown.has(q.id)) {
      if (!empty) throw answerError(q, i, '当前不显示，不能作答')
      return
    }
    if (empty) {
      if (q.required) throw answerError(q, i, '为必答题')
      return
    }
    const v = checkAnswer(q, i, a)
    if (v === '' && q.required) throw answerError(q, i, '为必答题')
    if (v !== '') out[q.id] = v
  })
  return out
}
