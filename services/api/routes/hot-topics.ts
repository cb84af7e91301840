import { Type } from '@sinclair/typebox'
import { EntryKindSchema } from '../../../knowledge/entry.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const HotTopicsResponse = Type.Object({
  pinned: Type.Array(Type.Object({ id: Type.String(), kind: EntryKindSchema, title: Type.String(), question: Type.Union([Type.String(), Type.Null()]), pinnedAt: Type.String(), pinnedBy: Type.String() })),
  trending: Type.Array(Type.Object({ question: Type.String(), count: Type.Integer() })),
  cases: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), publishedAt: Type.Union([Type.String(), Type.Null()]) })),
  suggestions: Type.Array(Type.String()),
})

const hotTopicRoutes = routes('hot-topic-routes', ['editorial', 'search'], async (app) => {
  app.get(
    '/api/hot-topics',
    {
      schema: {
        tags: ['hot-topics'],
        summary: '热点：编辑置顶、近 7 日热门问题、税案通报、推荐问题',
        querystring: Type.Object({ region: Type.Optional(Type.String({ maxLength: 20, description: 'GB/T 2260 code: only what this region sees (national + its province + itself)' })) }),
        response: { 200: HotTopicsResponse, ...errorResponses },
      },
    },
    async (request) => app.editorial.hotTopics.view(app.search.validateRegion(request.query.region)),
  )
})
export default hotTopicRoutes
