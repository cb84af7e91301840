/**
 * Integrity rules for bulk import and edits, pure. Nothing an import writes goes live by itself: with
 * `publish` the rows are submitted for review (new entries in `review`, live entries get a pending revision)
 * and a second person approves them through the normal four-eyes workflow. Law articles (the bundled
 * statutes) are read-only to editors: a new version of the source goes in as a new entry, with review.
 */
import type { Entry, EntryStatus } from '../../knowledge/entry.js'
import { AppError } from '../shared/errors.js'

export const STATUTE_READ_ONLY =
  'law articles are read-only: add the new version of the source under a new id (reviewed)'

export const STATUTE_READ_ONLY_ZH = '法规条文为只读：请以新编号录入新版本的法规来源，并经审核发布'

/** Status an imported row gets: never `published` (import {publish:true} means "submit for review"). */
export function importedStatus(publish: boolean): EntryStatus {
  return publish ? 'review' : 'draft'
}

export function isStatute(e: Pick<Entry, 'kind'>): boolean {
  return e.kind === 'law-article'
}

/** An existing statute cannot be changed in place by an editor (console save or import). */
export function requireNotStatute(e: Pick<Entry, 'kind' | 'id'>): void {
  if (isStatute(e)) {
    throw new AppError('FORBIDDEN', `${e.id}: ${STATUTE_READ_ONLY}`, {
      userMessage: STATUTE_READ_ONLY_ZH,
    })
  }
}
