/**
 * The consultation ledger (台账, collection `ledger`) and satisfaction ratings (collection `ratings`).
 * One ledger row per turn, with the question masked; read by ticket metrics and the editors' worklist.
 */
import crypto from 'node:crypto'
import type { Store } from '../../knowledge/store/store.js'
import type { Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'
import { maskPii } from '../shared/mask.js'
import type { LedgerRow, Rating } from '../shared/consultation-records.js'

// The row shapes are declared below the services that write and read them (shared/consultation-records.ts).
export type { LedgerRow, Rating }

export interface RatingInput {
  helpful?: boolean | undefined
  satisfaction?: number | undefined
  reason?: string | undefined
}

/** Pure validation of a rating; throws VALIDATION_FAILED with a Chinese message. */
export function validateRating(input: RatingInput): {
  helpful: boolean | null
  satisfaction: Rating['satisfaction']
  reason: string | null
} {
  const helpful = input.helpful ?? null
  const s = input.satisfaction
  if (helpful === null && s === undefined)
    throw new AppError('VALIDATION_FAILED', 'helpful or satisfaction is required', {
      userMessage: '请选择“有帮助/没帮助”或满意度',
    })
  if (s !== undefined && !(Number.isInteger(s) && s >= 1 && s <= 5))
    throw new AppError('VALIDATION_FAILED', 'satisfaction must be 1..5', { userMessage: '满意度须为 1 到 5 分' })
  const reason = input.reason?.trim() ? input.reason.trim() : null
  if ((s === 1 || s === 2) && !reason)
    throw new AppError('VALIDATION_FAILED', 'a reason is required for satisfaction 1 or 2', {
      userMessage: '选择“不满意”或“非常不满意”时，请填写原因，以便我们改进',
    })
  return {
    helpful,
    satisfaction: (s ?? null) as Rating['satisfaction'],
    reason: reason === null ? null : maskPii(reason),
  }
}

export class LedgerService {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  async record(row: Omit<LedgerRow, 'id' | 'at'> & { at?: string }): Promise<LedgerRow> {
    const full: LedgerRow = {
      ...row,
      id: crypto.randomUUID(),
      at: row.at ?? this.clock.now().toISOString(),
      question: maskPii(row.question),
    }
    await this.store.collection<LedgerRow>('ledger').put(full)
    return full
  }

  async list(query: { sessionId?: string; limit?: number } = {}): Promise<LedgerRow[]> {
    return this.store.collection<LedgerRow>('ledger').list({
      ...(query.sessionId ? { where: { sessionId: query.sessionId } } : {}),
      sort: { field: 'at', order: 'desc' },
      ...(query.limit ? { limit: query.limit } : {}),
    })
  }

  async rate(input: Omit<Rating, 'id' | 'at'>): Promise<Rating> {
    const r: Rating = { ...input, id: crypto.randomUUID(), at: this.clock.now().toISOString() }
    await this.store.collection<Rating>('ratings').put(r)
    return r
  }

  async ratings(sessionId: string): Promise<Rating[]> {
    return this.store.collection<Rating>('ratings').list({ where: { sessionId }, sort: { field: 'at', order: 'asc' } })
  }
}
