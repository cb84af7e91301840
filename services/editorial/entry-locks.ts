/**
 * Per-entry serialisation: the read-check-write of one entry runs after the previous one on the same
 * id, so two reviewers cannot both approve the same draft. Different entries run concurrently.
 */
export class EntryLocks {
  private readonly tails = new Map<string, Promise<unknown>>()

  async run<T>(id: unknown, fn: () => Promise<T>): Promise<T> {
    const key = typeof id === 'string' ? id : ''
    const prev = this.tails.get(key) ?? Promise.resolve()
    const run = prev.then(fn, fn)
    const tail = run.catch(() => undefined)
    this.tails.set(key, tail)
    try {
      return await run
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key)
    }
  }
}
