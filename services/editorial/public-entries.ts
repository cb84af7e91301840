/** Read access to the knowledge a taxpayer may see: published and retired entries, never drafts. */
import type { Entry } from '../../knowledge/entry.js'
import type { Store } from '../../knowledge/store/store.js'
import { AppError } from '../shared/errors.js'

export class PublicEntries {
  constructor(private readonly store: Store) {}

  /** The entry, unless it does not exist or is not public yet (draft, under review). */
  async get(id: string): Promise<Entry> {
    const entry = await this.store.collection<Entry>('entries').get(id)
    if (!entry || entry.status === 'draft' || entry.status === 'review') throw new AppError('ENTRY_NOT_FOUND', `entry ${id}`)
    return entry
  }
}
