/**
 * Keeps the policy entries of a store consistent with their texts: every published policy document is
 * rebuilt from its own entry (clause passages re-split, relations re-parsed), all documents are linked
 * again (who repeals / amends whom, from which date), and the entries whose content changed are written as
 * new versions. Run after an import and after an editor publishes or retires a document, so publishing a
 * 公告 that repeals another retires the other on the repeal date and queues the entries that cite it.
 * Idempotent: a second run writes nothing.
 */
import { contentKey, type Entry } from '../knowledge/entry.js'
import { buildPolicy, linkPolicies, type BuiltPolicy, type PolicyDocumentInput } from '../knowledge/policy-entries.js'
import type { LawTitles } from '../knowledge/policy-relations.js'
import type { Store } from '../knowledge/store/store.js'
import { versionOf, type EntryVersion } from '../knowledge/entry-version.js'

/** The builder input an existing document entry was made from (or an editor corrected). Pure. */
export function policyInputFromEntry(e: Entry): PolicyDocumentInput {
  const p = e.policy
  if (!p || p.part !== 'document') throw new Error(`${e.id} is not a policy document entry`)
  return {
    docNumber: p.docNumber,
    title: e.title,
    issuers: p.issuers,
    category: p.category,
    taxTopic: p.taxTopic,
    publishedAt: p.publishedAt,
    effectiveFrom: e.effectiveFrom,
    fullText: e.body,
    sourceUrl: e.source.url,
    provenance: e.source.provenance,
    officialValidity: p.officialValidity,
    tags: e.tags,
    statedRelations: p.relations.filter((r) => r.origin !== 'parsed'),
    statedRepealedBy: p.repealedBy.filter((r) => r.origin === 'stated'),
    layer: e.layer,
    regionCode: e.regionCode,
  }
}

export interface RelinkResult {
  changed: Entry[]
  /** 文号 named by a repeal / amendment that no published document in the store has. */
  missing: Map<string, string[]>
}

export async function relinkPolicies(
  store: Store,
  laws: LawTitles | undefined,
  now: Date,
  actor = 'policy-links',
): Promise<RelinkResult> {
  const entries = store.collection<Entry>('entries')
  const all = await entries.list({ where: { kind: 'policy' } })
  const stored = new Map(all.map((e) => [e.id, e]))
  const docs = all.filter((e) => e.policy?.part === 'document' && (e.status === 'published' || e.status === 'retired'))
  const built: BuiltPolicy[] = docs.map((d) => buildPolicy(policyInputFromEntry(d), laws))
  // only documents in force somewhere in time act on others; a retired document's links still hold
  const { missing } = linkPolicies(built)
  const ts = now.toISOString()
  const changed: Entry[] = []
  const history: EntryVersion[] = []
  const keep = (draft: BuiltPolicy['document'], status: Entry['status']) => {
    const old = stored.get(draft.id)
    const base = { ...draft, status } as Entry
    if (old) {
      const same =
        contentKey({
          ...base,
          version: old.version,
          updatedAt: old.updatedAt,
          ...(old.updatedBy ? { updatedBy: old.updatedBy } : {}),
        }) === contentKey(old)
      if (same) return
    }
    const e = { ...base, version: (old?.version ?? 0) + 1, updatedAt: ts, updatedBy: actor } as Entry
    changed.push(e)
    history.push(versionOf(e, ts, actor, old ? 'policy links recomputed' : 'clause passage derived'))
  }
  const liveClauseIds = new Set<string>()
  built.forEach((b, i) => {
    const doc = docs[i] as Entry
    // the document entry keeps what the editor or import wrote; only the derived fields follow
    keep(
      {
        ...doc,
        ...(b.document.policy ? { policy: b.document.policy } : {}),
        effectiveTo: b.document.effectiveTo,
        citedArticleIds: b.document.citedArticleIds,
      },
      doc.status,
    )
    for (const c of b.clauses) {
      liveClauseIds.add(c.id)
      keep(c, doc.status)
    }
  })
  // clause passages whose document was retired, withdrawn or re-split are taken out of service
  for (const e of all) {
    if (e.policy?.part !== 'clause' || liveClauseIds.has(e.id) || e.status === 'retired') continue
    const parent = e.policy.documentId ? stored.get(e.policy.documentId) : undefined
    if (parent && parent.status !== 'published' && parent.status !== 'retired') continue
    keep({ ...e }, 'retired')
  }
  if (changed.length > 0) {
    await store.collection<EntryVersion>('versions').putMany(history)
    await entries.putMany(changed)
  }
  return { changed, missing }
}
