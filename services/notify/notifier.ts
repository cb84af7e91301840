/**
 * Notifier port: tells a taxpayer that something happened on their ticket (an agent's reply, an
 * extension notice, a redirect). Implementations: `log` (default; writes a masked log line) and
 * `webhook` (POSTs JSON to an SMS / message gateway). Picked once in `create-notifier.ts`.
 */
export type NotificationKind = 'reply' | 'extension' | 'redirect'

export interface Notification {
  kind: NotificationKind
  ticketId: string
  ticketNumber: string
  /** The chat session the message was also appended to, if any. */
  sessionId: string | null
  /** Where to deliver outside the chat (decrypted contact); null when the taxpayer left none. */
  to: { name?: string; phone?: string } | null
  text: string
  at: string
}

export interface NotifyResult {
  ok: boolean
  channel: string
  detail?: string
}

export interface Notifier {
  readonly kind: 'log' | 'webhook' | 'memory'
  notify(n: Notification): Promise<NotifyResult>
}
