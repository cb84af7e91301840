/**
 * `taxkb search`: builds only the knowledge-and-search half of the composition root (search-container.ts),
 * the same SearchService `GET /api/search` uses, so a one-shot query does not load tickets, editorial,
 * booking, the LLM client … (CLI start). Output: numbered lines, or `--json` [{id, kind, title, layer,
 * regionCode, score, snippet}].
 */
import type { SearchHit } from '../search/search-backend.js'
import type { SearchRequest } from '../search/search-service.js'
import { snippetToText } from '../search/snippet.js'
import { createSearchContainer, type SearchContainerOptions } from '../search-container.js'
import type { Config } from '../shared/config.js'

/** Printed when the data directory has no entries yet (a search before the first `npm start`). */
export const EMPTY_STORE_HINT = (dataDir: string) =>
  `知识库为空（${dataDir} 中没有条目）：请先运行 \`npm start\`（首次启动导入内置语料）或 \`npx taxkb import\`。`

export interface SearchCommandOptions {
  region?: string | undefined
  kind?: string | undefined
  limit: number
  json?: boolean | undefined
}

/** The JSON rows `taxkb search --json` prints (a stable, documented subset of SearchHit). */
export function searchJsonRows(hits: readonly SearchHit[]) {
  return hits.map(({ id, kind, title, layer, regionCode, score, snippet }) => ({
    id,
    kind,
    title,
    layer,
    regionCode,
    score,
    snippet,
  }))
}

/** What `taxkb search` prints, as lines (pure; the caller writes them). */
export function searchOutput(hits: readonly SearchHit[], json: boolean): string[] {
  if (json) return [JSON.stringify(searchJsonRows(hits), null, 2)]
  if (hits.length === 0) return ['没有找到相关内容。']
  return hits.flatMap((h, i) => [
    `${i + 1}. [${h.kind}] ${h.title}  (${h.id}, ${h.layer}${h.regionCode ? ` ${h.regionCode}` : ''}, score ${h.score})`,
    `   ${snippetToText(h.snippet)}`,
  ])
}

/** The request the CLI sends: the search route's defaults (published, in force today, region lineage). */
export function searchRequest(query: string, o: SearchCommandOptions): SearchRequest {
  return { q: query, region: o.region, kind: o.kind, limit: o.limit }
}

export async function runSearch(
  config: Config,
  query: string,
  o: SearchCommandOptions,
  options: SearchContainerOptions = {},
): Promise<void> {
  const ctx = await createSearchContainer(config, { entriesOnly: true, ...options })
  try {
    // The one line `taxkb serve` logs when the model is missing or broken (stderr: --json stays parseable).
    const why = (ctx.index.embedder as { reason?: string }).reason
    if (ctx.index.embedder.name === 'none' && why) {
      console.error(`语义检索未启用，仅使用 BM25 (semantic retrieval off, BM25 only): ${why}`)
    }
    const hits = await ctx.search.search(searchRequest(query, o))
    // an empty knowledge base is not "nothing found": say how to fill it (stderr: --json stays parseable)
    if (hits.length === 0 && (await ctx.store.collection('entries').count()) === 0) {
      console.error(EMPTY_STORE_HINT(config.dataDir))
    }
    for (const line of searchOutput(hits, o.json === true)) console.log(line)
  } finally {
    await ctx.close()
  }
}
