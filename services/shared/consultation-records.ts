/**
 * Shapes of the consultation records (collections `ledger` and `ratings`): written by the answering
 * service (answer/ledger.ts), read by operations reporting (ops/) and the editors' worklists. Declared
 * here, below all of them, so no service imports another one's module for a row type.
 */

export interface LedgerRow {
  id: string
  at: string
  sessionId: string
  channel: string
  regionCode: string | null
  /** masked */
  question: string
  intent: string
  mode: string
  confidence: number
  citedIds: string[]
  latencyMs: number
  ticketId: string | null
  /** coarse tax topic tag, e.g. 个人所得税 */
  topic: string | null
}

export interface Rating {
  id: string
  at: string
  sessionId: string
  turnId: string | null
  helpful: boolean | null
  /** 5 非常满意 … 1 非常不满意 */
  satisfaction: 1 | 2 | 3 | 4 | 5 | null
  /** required for 1 and 2 */
  reason: string | null
  /** masked question of the rated turn */
  question: string | null
  regionCode: string | null
}
