/**
 * Confidentiality of reporters (举报人) and complainants, as a property of the chat session: once a session
 * holds a report or complaint turn, every ticket from it is confidential, transcripts shown to staff
 * without `confidential:read` have those turns replaced by 「（保密）」, and exports show 「（保密）」 for
 * every line of that session. Pure; the ticket service and the reports apply it.
 */

export const CONFIDENTIAL_TEXT = '（保密）'
export const CONFIDENTIAL_INTENTS: ReadonlySet<string> = new Set(['report', 'complaint'])
export const CONFIDENTIAL_TICKET_TYPES: ReadonlySet<string> = CONFIDENTIAL_INTENTS

export function isConfidentialIntent(intent: string | null | undefined): boolean {
  return typeof intent === 'string' && CONFIDENTIAL_INTENTS.has(intent)
}

/** Does this session (its turns, newest included) make its tickets confidential? */
export function isConfidentialSession(turns: readonly { intent?: string | undefined }[]): boolean {
  return turns.some((t) => isConfidentialIntent(t.intent))
}

/** The transcript an unprivileged reader may see: report and complaint turns redacted. */
export function redactTranscript<T extends { text: string; intent?: string | undefined }>(lines: readonly T[]): T[] {
  return lines.map((l) => (isConfidentialIntent(l.intent) ? { ...l, text: CONFIDENTIAL_TEXT } : l))
}

/**
 * The question stored in clear on a ticket of a confidential session: a report or complaint text (the
 * 转人工 button takes the last thing the taxpayer typed) is replaced, a tax question stays.
 */
export function redactQuestion(
  question: string,
  turns: readonly { text: string; intent?: string | undefined }[],
): string {
  const secret = turns.some((t) => isConfidentialIntent(t.intent) && (t.text === question || question.includes(t.text)))
  return secret ? `${CONFIDENTIAL_TEXT}纳税人请求人工服务` : question
}

/** Sessions whose ledger lines must all read 「（保密）」. */
export function confidentialSessions(
  rows: readonly { sessionId: string; intent: string; ticketId: string | null }[],
  tickets: readonly { id: string; sessionId: string | null; confidential: boolean }[],
): Set<string> {
  const out = new Set<string>()
  const confidentialTickets = new Set<string>()
  for (const t of tickets) {
    if (!t.confidential) continue
    confidentialTickets.add(t.id)
    if (t.sessionId) out.add(t.sessionId)
  }
  for (const r of rows) {
    if (isConfidentialIntent(r.intent) || (r.ticketId !== null && confidentialTickets.has(r.ticketId)))
      out.add(r.sessionId)
  }
  return out
}
