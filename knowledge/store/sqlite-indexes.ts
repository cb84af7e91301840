/**
 * Expression indexes for the queries the product runs on operational collections (found by reading the
 * callers of list()/count()). Each entry is the list of top-level fields of one index, in key order; the
 * expression text matches fieldExpr() in sqlite-query.ts exactly, or SQLite would not use the index.
 *   ledger:   range on `at` (admin ledger export, worklists, hot topics); by session, newest first
 *             (LedgerService.list); by region and time (regional reports); by ticket (the streamed
 *             ledger export asks which of a page of tickets a row points at)
 *   ratings:  range on `at` (admin, worklists); by session (LedgerService.ratings)
 *   tickets:  queue sorted by `dueAt` (TicketService.list), per seat group, per state; by session
 *   sessions: by id (primary key); by `updatedAt` for the retention sweep
 *   audit:    by entry (EditorialService.audit)
 *   meta:     revoked staff tokens by expiry (TokenRevocations.prune)
 *   feedback: ratings by kind and time (FeedbackService.metrics); form records by ticket number (look-up)
 *   followups: open tasks by deadline (FeedbackService.listFollowUps)
 *   surveys / survey_responses: published by closing date (listOpen); responses of one survey
 * The booking collections get theirs when their features add queries.
 *   dashboard (ops/dashboard-service.ts): ratings by region and time; tickets by region and creation time
 *   ledger by ticket: the rows of a ticket (dashboard day aggregates and their invalidation)
 *   dashboard service figures: appointments by hall and day; follow-ups by creation and by completion
 *   dashboard_days: markers by kind and day; day aggregates by region and day (ops/dashboard-day-store.ts)
 */
import type { CollectionName } from './store.js'
import { fieldExpr } from './sqlite-query.js'

export const SQLITE_INDEXES: Partial<Record<CollectionName, readonly (readonly string[])[]>> = {
  ledger: [['at'], ['sessionId', 'at'], ['regionCode', 'at'], ['ticketId']],
  ratings: [['at'], ['sessionId', 'at'], ['regionCode', 'at']],
  tickets: [
    ['dueAt'],
    ['seatGroup', 'dueAt'],
    ['state', 'dueAt'],
    ['sessionId'],
    ['regionCode', 'createdAt'],
    ['createdAt'],
  ],
  sessions: [['updatedAt']],
  audit: [['entryId']],
  meta: [['exp']],
  feedback: [['kind', 'at'], ['number']],
  followups: [['state', 'dueAt'], ['dueAt'], ['createdAt'], ['state', 'doneAt']],
  surveys: [['state', 'closesAt'], ['createdAt']],
  survey_responses: [['surveyId', 'day']],
  dashboard_days: [
    ['kind', 'day'],
    ['kind', 'regionCode', 'day'],
  ],
  appointments: [['hallId', 'date']],
}

export function indexStatements(name: CollectionName): string[] {
  return (SQLITE_INDEXES[name] ?? []).map(
    (fields) =>
      `CREATE INDEX IF NOT EXISTS "${name}__${fields.join('_')}" ON "${name}"(${fields.map(fieldExpr).join(', ')})`,
  )
}
