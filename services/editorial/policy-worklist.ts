/**
 * Editors' worklist "documents cited but missing", pure: the 文号 that entries cite (FAQ answers, guides,
 * local entries, 公告 that repeal or amend others) for which the knowledge base holds no document.
 */
import type { Entry } from '../../knowledge/entry.js'
import { docNumberKey } from '../../knowledge/policy-info.js'
import type { LawTitles } from '../../knowledge/policy-relations.js'
import type { Store } from '../../knowledge/store/store.js'

/** A 文号-looking citation (not a law-article id like 增值税法#第二十三条 or a FAQ id). */
const DOC_NUMBER = /(公告\s?\d{4}年第\d+号|〔\d{4}〕\d+号|令第\d+号)$/

export function missingDocuments(entries: readonly Entry[]): { docNumber: string; citedBy: string[] }[] {
  const have = new Set(
    entries
      .filter((e) => e.kind === 'policy' || e.kind === 'law-article')
      .map((e) => docNumberKey(e.id.split('#')[0] as string)),
  )
  const out = new Map<string, { docNumber: string; citedBy: string[] }>()
  const add = (no: string, by: string) => {
    const key = docNumberKey(no)
    if (have.has(key)) return
    const row = out.get(key) ?? { docNumber: no, citedBy: [] }
    if (!row.citedBy.includes(by)) row.citedBy.push(by)
    out.set(key, row)
  }
  for (const e of entries) {
    if (e.status === 'retired') continue
    for (const c of e.citedArticleIds) {
      const no = c.split('#')[0] as string
      if (DOC_NUMBER.test(no)) add(no, e.id)
    }
    if (e.policy?.part === 'document')
      for (const r of e.policy.relations)
        if (r.target && (r.type === 'repeals' || r.type === 'amends') && DOC_NUMBER.test(r.target)) add(r.target, e.id)
  }
  return [...out.values()].sort((a, b) => b.citedBy.length - a.citedBy.length || a.docNumber.localeCompare(b.docNumber))
}

/** Law titles from the store's law articles (「中华人民共和国增值税法」 → 「增值税法」), for `implements` links. */
export async function lawTitlesOf(store: Store): Promise<LawTitles> {
  const map = new Map<string, string>()
  for (const e of await store.collection<Entry>('entries').list({ where: { kind: 'law-article' } })) {
    if (!e.law) continue
    map.set(e.law.name, e.law.shortName)
    map.set(e.law.name.replace(/^中华人民共和国/, ''), e.law.shortName)
  }
  return { shortNameOf: (t) => map.get(t) }
}
