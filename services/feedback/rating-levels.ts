/**
 * The five satisfaction levels of 我要评价 and the pure rules of one rating: a reason is required for the two
 * lowest levels, and those two open a 回访 follow-up.
 */
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'

export const RATING_LEVELS = ['very-satisfied', 'satisfied', 'neutral', 'dissatisfied', 'very-dissatisfied'] as const
export type RatingLevel = (typeof RATING_LEVELS)[number]

export const LEVEL_LABELS: Readonly<Record<RatingLevel, string>> = {
  'very-satisfied': '非常满意',
  satisfied: '满意',
  neutral: '基本满意',
  dissatisfied: '不满意',
  'very-dissatisfied': '非常不满意',
}

/** Score 5 (非常满意) … 1 (非常不满意), for averages. */
export const LEVEL_SCORES: Readonly<Record<RatingLevel, number>> = {
  'very-satisfied': 5,
  satisfied: 4,
  neutral: 3,
  dissatisfied: 2,
  'very-dissatisfied': 1,
}

export const MAX_REASON = 500

export function isRatingLevel(v: unknown): v is RatingLevel {
  return typeof v === 'string' && (RATING_LEVELS as readonly string[]).includes(v)
}

/** The two lowest levels: a reason is required and a 回访 task is opened. */
export function needsFollowUp(level: RatingLevel): boolean {
  return LEVEL_SCORES[level] <= 2
}

/** Validates level and reason; returns the reason trimmed and PII-masked (null when none). */
export function validateLevelAndReason(level: unknown, reason: unknown): { level: RatingLevel; reason: string | null } {
  if (!isRatingLevel(level)) {
    throw new AppError('VALIDATION_FAILED', 'unknown level', { userMessage: '请选择满意度（非常满意至非常不满意）' })
  }
  const text = typeof reason === 'string' ? reason.trim() : ''
  if (text.length > MAX_REASON) {
    throw new AppError('VALIDATION_FAILED', 'reason too long', { userMessage: `原因不能超过 ${MAX_REASON} 个字` })
  }
  if (needsFollowUp(level) && text === '') {
    throw new AppError('VALIDATION_FAILED', 'reason required', {
      userMessage: '选择“不满意”或“非常不满意”时，请填写原因，以便我们回访改进',
    })
  }
  return { level, reason: text === '' ? null : maskPii(text) }
}
