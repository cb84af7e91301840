import { Type } from '@sinclair/typebox'
import { EntryKindSchema } from '../../../knowledge/entry.js'
import { errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const HotTopicsResponse = Type.Object({
  pinned: Type.Array(
    Type.Object({
      id: Type.String(),
      kind: EntryKindSchema,
      title: Type.String(),
      question: Type.Union([Type.String(), Type.Null()]),
      pinnedAt: Type.String(),
      pinnedBy: Type.String(),
    }),
  ),
  trending: Type.Array(Type.Object({ question: Type.String(), count: Type.Integer() })),
  cases: Type.Array(
    Type.Object({ id: Type.String(), title: Type.String(), publishedAt: Type.Union([Type.String(), Type.Null()]) }),
  ),
  suggestions: Type.Array(Type.String()),
  welcome: Type.Array(
    Type.Object({
      label: Type.String(),
      id: Type.Union([Type.String(), Type.Null()]),
      question: Type.Union([Type.String(), Type.Null()]),
      source: Type.Union([Type.Literal('pinned'), Type.Literal('regional'), Type.Literal('national')], {
        description: 'pinned = 编辑置顶 (region first), regional = 本地热门咨询, national = 全国热门咨询',
      }),
    }),
    { description: 'The widget welcome: pinned, then the region trending, then national; never 税案通报 cases' },
  ),
})

const hotTopicRoutes = routes('hot-topic-routes', ['editorial', 'search'], async (app) => {
  app.get(
    '/api/hot-topics',
    {
      schema: {
        tags: ['hot-topics'],
        summary: '热点：编辑置顶、近 7 日热门问题、税案通报、推荐问题、欢迎语热点问题',
        querystring: Type.Object({
          region: Type.Optional(
            Type.String({
              maxLength: 20,
              description: 'GB/T 2260 code: only what this region sees (national + its province + itself)',
            }),
          ),
        }),
        response: { 200: HotTopicsResponse, ...errorResponses },
      },
    },
    async (request) => app.editorial.hotTopics.view(app.search.validateRegion(request.query.region)),
  )
})
export default hotTopicRoutes
