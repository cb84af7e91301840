import { errorResponses, SearchQuery, SearchResponse } from '../schemas.js'
import { routes } from '../plugins/services.js'

const searchRoutes = routes('search-routes', ['search'], async (app) => {
  app.get(
    '/api/search',
    {
      schema: {
        tags: ['search'],
        summary: '全文检索知识库 (BM25 over jieba tokens)',
        querystring: SearchQuery,
        response: { 200: SearchResponse, ...errorResponses },
      },
    },
    async (request) => {
      const t0 = performance.now()
      const { q, region, kind, limit } = request.query
      const hits = await app.search.search({ q, region, kind, limit })
      return { query: q.trim(), total: hits.length, tookMs: Math.round((performance.now() - t0) * 100) / 100, hits }
    },
  )
})
export default searchRoutes
