/**
 * Liveness and readiness: is the store up, is the search backend up and holding entries, and which
 * answering parts are configured. Routes get this instead of the raw store and backend.
 */
import type { Store } from '../../knowledge/store/store.js'
import type { SearchBackend } from '../search/search-backend.js'

export interface Check {
  ok: boolean
  detail?: string
}

export interface Liveness {
  ok: boolean
  entries: number
  backend: string
  store: string
  detail?: string
}

export interface Readiness {
  ok: boolean
  checks: { store: Check; index: Check; entries: number }
  answering: { chatModel: string; embedder: string; confidenceThreshold: number }
}

export class HealthService {
  constructor(
    private readonly store: Pick<Store, 'health' | 'kind'>,
    private readonly backend: Pick<SearchBackend, 'health' | 'count' | 'name'>,
    private readonly answering: Readiness['answering'],
  ) {}

  async liveness(): Promise<Liveness> {
    const [s, b] = await Promise.all([this.store.health(), this.backend.health()])
    const entries = await this.backend.count()
    const detail = [s.detail, b.detail].filter(Boolean).join('; ')
    return {
      ok: s.ok && b.ok,
      entries,
      backend: this.backend.name,
      store: this.store.kind,
      ...(detail ? { detail } : {}),
    }
  }

  async readiness(): Promise<Readiness> {
    const [store, index] = await Promise.all([this.store.health(), this.backend.health()])
    const entries = await this.backend.count().catch(() => 0)
    const emptyIndex = { ok: false, detail: index.detail ?? 'index is empty: run taxkb import' }
    return {
      ok: store.ok && index.ok && entries > 0,
      checks: { store, index: entries > 0 ? index : emptyIndex, entries },
      answering: this.answering,
    }
  }
}
