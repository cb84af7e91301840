/**
 * One saved version of an entry (collection `versions`): written by the importer and by every editorial
 * save, so history, diff and rollback read one shape whoever wrote it.
 */
import type { Entry } from './entry.js'

export interface EntryVersion {
  id: string
  entryId: string
  version: number
  entry: Entry
  savedAt: string
  savedBy: string
  note: string
}

export function versionId(entryId: string, version: number): string {
  return `${entryId}@${version}`
}

/** The version record of `entry` as saved now (its own version number). */
export function versionOf(entry: Entry, savedAt: string, savedBy: string, note: string): EntryVersion {
  return {
    id: versionId(entry.id, entry.version),
    entryId: entry.id,
    version: entry.version,
    entry,
    savedAt,
    savedBy,
    note,
  }
}
