/** The survey definition validator and per-response rules (pure; no server). */
import { describe, expect, it } from 'vitest'
import {
  findCycle,
  validateAnswers,
  validateSurveyDefinition,
  visibleQuestions,
  type Question,
} from '../../services/feedback/survey-logic.js'

const q = (id: string, type: Question['type'], extra: Partial<Question> = {}): Question => ({
  id,
  type,
  title: `题目${id}`,
  required: false,
  ...(type === 'single' || type === 'multiple' ? { options: ['甲', '乙', '丙'] } : {}),
  ...extra,
})

const codeOf = (fn: () => unknown): string => {
  try {
    fn()
  } catch (e) {
    return `${(e as { code: string }).code}: ${(e as { userMessage: string }).userMessage}`
  }
  return 'ok'
}

describe('validateSurveyDefinition', () => {
  it('accepts backward conditions of every compatible kind', () => {
    const questions = [
      q('a', 'single'),
      q('b', 'multiple', { showIf: { question: 'a', equals: '甲' } }),
      q('c', 'rating', { showIf: { question: 'b', includes: '乙' } }),
      q('d', 'nps', { showIf: { question: 'c', min: 4 } }),
      q('e', 'long', { showIf: { question: 'd', max: 6 } }),
    ]
    expect(codeOf(() => validateSurveyDefinition(questions))).toBe('ok')
  })

  it('names the question for dangling, forward, cyclic and type-incompatible references', () => {
    expect(
      codeOf(() =>
        validateSurveyDefinition([q('a', 'single'), q('b', 'rating', { showIf: { question: 'zz', equals: 1 } })]),
      ),
    ).toBe('SURVEY_LOGIC_INVALID: 第 2 题「题目b」的显示条件引用了不存在的题目 zz')
    expect(
      codeOf(() =>
        validateSurveyDefinition([q('a', 'rating', { showIf: { question: 'b', equals: '甲' } }), q('b', 'single')]),
      ),
    ).toMatch(/^SURVEY_LOGIC_INVALID: 第 1 题「题目a」的显示条件只能引用前面的题目（引用了第 2 题）$/)
    expect(
      codeOf(() => validateSurveyDefinition([q('a', 'single', { showIf: { question: 'a', equals: '甲' } })])),
    ).toMatch(/第 1 题「题目a」的显示条件形成循环：a → a/)
    expect(
      codeOf(() =>
        validateSurveyDefinition([q('a', 'short'), q('b', 'rating', { showIf: { question: 'a', equals: 'x' } })]),
      ),
    ).toMatch(/第 2 题「题目b」.*填空题不能作为条件/)
    expect(
      codeOf(() =>
        validateSurveyDefinition([q('a', 'single'), q('b', 'rating', { showIf: { question: 'a', includes: '甲' } })]),
      ),
    ).toMatch(/第 2 题「题目b」.*须为「等于」/)
    expect(
      codeOf(() => validateSurveyDefinition([q('a', 'nps'), q('b', 'long', { showIf: { question: 'a', min: 11 } })])),
    ).toMatch(/第 2 题「题目b」.*0 到 10 的整数/)
    expect(codeOf(() => validateSurveyDefinition([q('a', 'single'), q('a', 'rating')]))).toMatch(/第 2 题.*重复/)
    expect(codeOf(() => validateSurveyDefinition([q('a', 'single', { options: ['甲'] })]))).toMatch(/至少需要两个选项/)
  })

  it('finds a three-question cycle', () => {
    const qs = [
      q('a', 'rating', { showIf: { question: 'c', equals: 1 } }),
      q('b', 'rating', { showIf: { question: 'a', equals: 1 } }),
      q('c', 'rating', { showIf: { question: 'b', equals: 1 } }),
    ]
    expect(findCycle(qs)).toEqual(['a', 'c', 'b', 'a'])
    expect(codeOf(() => validateSurveyDefinition(qs))).toMatch(/第 1 题「题目a」的显示条件形成循环：a → c → b → a/)
  })
})

describe('responses', () => {
  const qs = [
    q('a', 'rating', { required: true }),
    q('b', 'long', { required: true, showIf: { question: 'a', max: 2 } }),
    q('c', 'single', { showIf: { question: 'b', equals: '甲' } }),
  ]
  it('hides a question whose source is hidden, even when its own condition would hold', () => {
    expect([...visibleQuestions(qs, { a: 5 })]).toEqual(['a'])
    expect([...visibleQuestions(qs, { a: 1 })]).toEqual(['a', 'b'])
  })
  it('requires visible required questions and refuses answers to hidden ones', () => {
    expect(codeOf(() => validateAnswers(qs, { a: 1 }))).toMatch(/第 2 题.*必答/)
    expect(codeOf(() => validateAnswers(qs, { a: 1, b: '   ' }))).toMatch(/第 2 题.*必答/)
    expect(codeOf(() => validateAnswers(qs, { a: 4, b: '多余' }))).toMatch(/第 2 题.*不显示/)
    expect(codeOf(() => validateAnswers(qs, { a: 6 }))).toMatch(/1 到 5 分/)
    expect(codeOf(() => validateAnswers(qs, { a: 4, zz: 1 }))).toMatch(/没有题目 zz/)
    expect(validateAnswers(qs, { a: 1, b: ' 太慢 ' })).toEqual({ a: 1, b: '太慢' })
  })
})
