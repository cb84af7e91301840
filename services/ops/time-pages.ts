/**
 * Pages through a collection in ascending order of one indexed time field, at most `batchRows` documents
 * per store call, so an export of a year holds one page in memory. Keyset paging: the next page starts at
 * the last value seen and skips the documents of that value already returned (the Store orders ties by
 * id), so it stays exact when many documents share one instant.
 */
import type { Collection, ListQuery } from '../../knowledge/store/store.js'

export interface TimeRange {
  field: string
  /** Inclusive ISO instant. */
  gte: string
  /** Exclusive ISO instant. */
  lt: string
}

export async function* timePages<T extends { id: string }>(
  collection: Collection<T>,
  range: TimeRange,
  batchRows: number,
  where?: ListQuery['where'],
): AsyncGenerator<T[]> {
  let cursor = range.gte
  let skip = 0
  for (;;) {
    const page = await collection.list({
      ...(where ? { where } : {}),
      range: { field: range.field, gte: cursor, lt: range.lt },
      sort: { field: range.field, order: 'asc' },
      limit: batchRows,
      ...(skip > 0 ? { offset: skip } : {}),
    })
    if (page.length > 0) yield page
    if (page.length < batchRows) return
    const last = String((page.at(-1) as Record<string, unknown>)[range.field])
    let same = 0
    for (let i = page.length - 1; i >= 0 && String((page[i] as Record<string, unknown>)[range.field]) === last; i--)
      same++
    if (last === cursor) skip += same
    else {
      cursor = last
      skip = same
    }
  }
}
