/**
 * Keeps the search index in step with editorial writes: the changed entries are upserted (or removed)
 * immediately, so a published entry is searchable at once; the snapshot on disk is re-written debounced,
 * because serialising the whole index on every click would cost more than the edit itself.
 */
import type { Entry } from '../../knowledge/entry.js'
import type { BackendBundle } from '../search/backend-bundle.js'

export class IndexSync {
  private timer: NodeJS.Timeout | undefined
  private running: Promise<void> = Promise.resolve()

  constructor(
    private readonly bundle: BackendBundle,
    private readonly persistDelayMs = 1000,
    private readonly onError: (e: unknown) => void = () => {},
  ) {}

  async apply(upserts: readonly Entry[], removeIds: readonly string[] = []): Promise<void> {
    if (upserts.length > 0) await this.bundle.backend.upsert(upserts)
    if (removeIds.length > 0) await this.bundle.backend.remove(removeIds)
    this.schedulePersist()
  }

  schedulePersist(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.running = this.running.then(() => this.bundle.persist()).catch(this.onError)
    }, this.persistDelayMs)
    this.timer.unref()
  }

  /** Writes a pending snapshot now (on shutdown). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
      this.running = this.running.then(() => this.bundle.persist()).catch(this.onError)
    }
    await this.running
  }
}
