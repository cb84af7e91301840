/**
 * Curated links as search vocabulary: service guides and FAQ cite the law articles they rest on
 * (`citedArticleIds`). The titles and tags of the citing entries are indexed with the cited article, so a
 * taxpayer's words for a procedure ("契税申报", "汇算") reach the statute that governs it. Built from the
 * store at (re)index time; both backends use the same text.
 */
import type { Entry } from '../../knowledge/entry.js'

export class CitationLinks {
  private readonly byArticle = new Map<string, string[]>()

  static build(entries: Iterable<Entry>): CitationLinks {
    const links = new CitationLinks()
    for (const e of entries) links.add(e)
    return links
  }

  /** Only published guides and FAQ contribute: drafts must not change what the public finds. */
  add(e: Entry): void {
    if ((e.kind !== 'guide' && e.kind !== 'faq') || e.status !== 'published') return
    for (const id of e.citedArticleIds) {
      const list = this.byArticle.get(id) ?? []
      list.push(e.title, ...e.tags)
      this.byArticle.set(id, list)
    }
  }

  textFor(articleId: string): string {
    return [...new Set(this.byArticle.get(articleId) ?? [])].join(' ')
  }
}
