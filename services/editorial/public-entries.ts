/** Read access to the knowledge a taxpayer may see: published and retired entries, never drafts. */
import type { Entry } from '../../knowledge/entry.js'
import { policyEntryValidityAt, type ValidityAt } from '../../knowledge/policy-validity.js'
import type { Store } from '../../knowledge/store/store.js'
import { chinaDate, type Clock } from '../shared/clock.js'
import { AppError } from '../shared/errors.js'

/** A public entry; a policy document or clause also carries its validity on today's date (China time). */
export type PublicEntry = Entry & { validityNow?: ValidityAt<string> }

export class PublicEntries {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
  ) {}

  /** The entry, unless it does not exist or is not public yet (draft, under review). */
  async get(id: string): Promise<PublicEntry> {
    const entry = await this.store.collection<Entry>('entries').get(id)
    if (!entry || entry.status === 'draft' || entry.status === 'review')
      throw new AppError('ENTRY_NOT_FOUND', `entry ${id}`)
    const validity = policyEntryValidityAt(entry, chinaDate(this.clock.now()))
    return validity ? { ...entry, validityNow: validity } : entry
  }
}
