import { Type } from '@sinclair/typebox'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Entry } from '../../../knowledge/entry.js'
import { policyEntryValidityAt } from '../../../knowledge/policy-validity.js'
import { chinaDate } from '../../shared/clock.js'
import { AppError } from '../../shared/errors.js'
import { EntryResponse, errorResponses } from '../schemas.js'

const entryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/api/entries/:id', { schema: { tags: ['entries'], summary: '读取一条知识（法规条文、问答、办税指南…）', params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }), response: { 200: EntryResponse, ...errorResponses } } }, async (request) => {
    const entry = await app.ctx.store.collection<Entry>('entries').get(request.params.id)
    // Drafts and entries under review are not public.
    if (!entry || entry.status === 'draft' || entry.status === 'review') throw new AppError('ENTRY_NOT_FOUND', `entry ${request.params.id}`)
    const validity = policyEntryValidityAt(entry, chinaDate(app.ctx.clock.now()))
    return validity ? { ...entry, validityNow: validity } : entry
  })
}
export default entryRoutes
