import { Type } from '@sinclair/typebox'
import { EntryResponse, errorResponses } from '../schemas.js'
import { routes } from '../plugins/services.js'

const entryRoutes = routes('entry-routes', ['entries'], async (app) => {
  app.get(
    '/api/entries/:id',
    {
      schema: {
        tags: ['entries'],
        summary: '读取一条知识（法规条文、问答、办税指南…）',
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: EntryResponse, ...errorResponses },
      },
    },
    async (request) => {
      // Drafts and entries under review are not public (ENTRY_NOT_FOUND); policies carry their validity today.
      return app.entries.get(request.params.id)
    },
  )
})
export default entryRoutes
