/**
 * Bulk writes with backpressure: documents go out in batches of `batchSize`, at most `concurrency`
 * batches in flight, so a large import never queues the whole corpus in memory on the client or floods the
 * node's write thread pool. A 429 (rejected execution) batch is retried after a pause. Any per-item error
 * fails the whole call with the first reasons, so an import is never silently partial.
 */
import type { Client } from '@elastic/elasticsearch'
import { AppError } from '../errors.js'
import { statusOf } from './client.js'

export interface BulkOptions {
  batchSize?: number
  concurrency?: number
  refresh?: boolean | 'wait_for'
  onProgress?: (done: number, total: number) => void
}

export type BulkOp = { index: { _id: string; doc: unknown } } | { delete: { _id: string } }

export interface BulkResult {
  /** Per op, in order: the item's result (`created`, `updated`, `deleted`, `not_found`). */
  results: string[]
}

export async function bulkWrite(
  client: Client,
  index: string,
  ops: readonly BulkOp[],
  options: BulkOptions = {},
): Promise<BulkResult> {
  const batchSize = options.batchSize ?? 500
  const concurrency = Math.max(1, options.concurrency ?? 2)
  const results: string[] = new Array<string>(ops.length)
  let done = 0
  let next = 0
  const runBatch = async (from: number): Promise<void> => {
    const slice = ops.slice(from, from + batchSize)
    const operations: unknown[] = []
    for (const op of slice) {
      if ('index' in op) operations.push({ index: { _index: index, _id: op.index._id } }, op.index.doc)
      else operations.push({ delete: { _index: index, _id: op.delete._id } })
    }
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await client.bulk({
          operations,
          ...(options.refresh !== undefined ? { refresh: options.refresh } : {}),
        })
        const failures: string[] = []
        res.items.forEach((item, i) => {
          const r = Object.values(item)[0]
          if (!r) return
          if (r.error && !(r.status === 404 && 'delete' in item))
            failures.push(`${r._id}: ${r.error.type} ${r.error.reason ?? ''}`)
          results[from + i] = r.result ?? String(r.status)
        })
        if (failures.length > 0)
          throw new AppError(
            'BACKEND_UNAVAILABLE',
            `bulk write to ${index} failed for ${failures.length} documents: ${failures.slice(0, 3).join('; ')}`,
          )
        break
      } catch (e) {
        if (statusOf(e) === 429 && attempt < 5) {
          await new Promise((r) => setTimeout(r, 200 * 2 ** attempt))
          continue
        }
        throw e
      }
    }
    done += slice.length
    options.onProgress?.(done, ops.length)
  }
  const worker = async () => {
    while (next < ops.length) {
      const from = next
      next += batchSize
      await runBatch(from)
    }
  }
  await Promise.all(Array.from({ length: Math.min(concurrency, Math.ceil(ops.length / batchSize)) }, worker))
  if (ops.length === 0) options.onProgress?.(0, 0)
  return { results }
}
