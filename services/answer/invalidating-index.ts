/**
 * The index upkeep the editorial side is given, with the cached replies emptied around every change: publish,
 * retire and rollback upsert or remove entries, a lexicon edit re-tokenizes everything, a reindex rebuilds it. The
 * hook runs before the change (so no reply composed while it runs is stored) and after it (so none composed in the
 * meantime from the old index is served). Searching goes straight to the backend; only its writes are wrapped.
 */
import type { Entry } from '../../knowledge/entry.js'
import type { BackendBundle } from '../search/backend-bundle.js'
import type { SearchBackend } from '../search/search-backend.js'

async function around<T>(changed: () => void, run: () => Promise<T>): Promise<T> {
  changed()
  try {
    return await run()
  } finally {
    changed()
  }
}

export function invalidatingIndex(bundle: BackendBundle, changed: () => void): BackendBundle {
  const inner = bundle.backend
  const writes: Partial<SearchBackend> = {
    upsert: (entries: readonly Entry[]) => around(changed, () => inner.upsert(entries)),
    remove: (ids: readonly string[]) => around(changed, () => inner.remove(ids)),
  }
  // A Proxy, not a prototype: the backends keep state in private fields, which only the instance itself can read.
  // Each method is bound once (keyed by the function, so a method replaced on the instance is bound anew), not on
  // every call of search().
  const bound = new WeakMap<object, unknown>()
  const backend = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'upsert' || prop === 'remove') return writes[prop]
      const v: unknown = Reflect.get(target, prop, target)
      if (typeof v !== 'function') return v
      if (!bound.has(v)) bound.set(v, v.bind(target))
      return bound.get(v)
    },
  })
  const reloadLexicon = bundle.reloadLexicon?.bind(bundle)
  return {
    ...bundle,
    backend,
    reindexAll: (onProgress, onEmbed) => around(changed, () => bundle.reindexAll(onProgress, onEmbed)),
    ...(reloadLexicon ? { reloadLexicon: (lexicon) => around(changed, () => reloadLexicon(lexicon)) } : {}),
  }
}
