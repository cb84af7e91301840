/**
 * Pre-fills a data directory with a year of operational history for the chat benchmark: N ledger rows and
 * N/5 closed sessions (4 turns each), spread over the 365 days before `now`, across the province's
 * regions. Written through the Store port (putMany: one transaction per batch), so it exercises the same
 * engine the server reads. Row generation is pure and seeded.
 */
import type { LedgerRow } from '../../services/answer/ledger.js'
import type { ChatSession } from '../../services/answer/session-service.js'
import type { Store } from '../../knowledge/store/store.js'
import { seededRandom, type Rng } from './seeded-random.js'

const REGIONS = ['320000', '320100', '320200', '320500', '330100', null] as const
const QUESTIONS = [
  '小规模纳税人季度销售额多少免征增值税',
  '个人所得税专项附加扣除怎么填报',
  '电子发票如何开具红字发票',
  '契税的计税依据是什么',
  '企业所得税汇算清缴截止时间',
  '房产税怎么申报',
  '印花税税目税率表',
  '转人工',
]
const MODES = ['faq', 'composed', 'handoff', 'redirect'] as const
const YEAR_MS = 365 * 86400_000

export function ledgerRow(i: number, now: number, rng: Rng): LedgerRow {
  const q = QUESTIONS[Math.floor(rng.next() * QUESTIONS.length)]!
  return {
    id: `hist-l-${i}`,
    at: new Date(now - Math.floor(rng.next() * YEAR_MS)).toISOString(),
    sessionId: `hist-s-${Math.floor(i / 5)}`,
    channel: 'web',
    regionCode: REGIONS[Math.floor(rng.next() * REGIONS.length)] ?? null,
    question: q,
    intent: 'consult',
    mode: MODES[Math.floor(rng.next() * MODES.length)]!,
    confidence: Math.round(rng.next() * 100) / 100,
    citedIds: rng.next() < 0.8 ? ['faq-0001', 'law-0002'] : [],
    latencyMs: Math.floor(rng.next() * 40),
    ticketId: null,
    topic: rng.next() < 0.5 ? '增值税' : '个人所得税',
  }
}

export function historySession(i: number, now: number, rng: Rng): ChatSession {
  const created = now - Math.floor(rng.next() * YEAR_MS)
  const at = (k: number) => new Date(created + k * 20_000).toISOString()
  const q = QUESTIONS[Math.floor(rng.next() * QUESTIONS.length)]!
  return {
    id: `hist-s-${i}`,
    createdAt: at(0),
    updatedAt: at(3),
    regionCode: REGIONS[Math.floor(rng.next() * REGIONS.length)] ?? null,
    channel: 'web',
    ticketIds: [],
    turns: [0, 1, 2, 3].map((k) => ({
      id: `t${i}-${k}`,
      at: at(k),
      role: k % 2 === 0 ? ('user' as const) : ('assistant' as const),
      text: k % 2 === 0 ? q : `关于“${q}”，根据现行规定……（第${k}轮答复，引用相关条文与办税指南）`.repeat(2),
    })),
  }
}

export async function fillHistory(
  store: Store,
  n: number,
  now: number,
  onProgress?: (done: number) => void,
): Promise<{ ledger: number; sessions: number; ms: number }> {
  const t0 = performance.now()
  const rng = seededRandom(20261201)
  const batch = 10_000
  const ledger = store.collection<LedgerRow>('ledger')
  for (let i = 0; i < n; i += batch) {
    const rows: LedgerRow[] = []
    for (let k = i; k < Math.min(n, i + batch); k++) rows.push(ledgerRow(k, now, rng))
    await ledger.putMany(rows)
    onProgress?.(Math.min(n, i + batch))
  }
  const sessions = store.collection<ChatSession>('sessions')
  const ns = Math.floor(n / 5)
  for (let i = 0; i < ns; i += batch) {
    const docs: ChatSession[] = []
    for (let k = i; k < Math.min(ns, i + batch); k++) docs.push(historySession(k, now, rng))
    await sessions.putMany(docs)
  }
  return { ledger: n, sessions: ns, ms: Math.round(performance.now() - t0) }
}
