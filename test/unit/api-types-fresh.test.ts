/**
 * The checked-in client types (services/web/shared/api-types.ts) must match the document the routes generate
 * today, and must be the real types: a key outside the contract fails type checking (checked by tsc, which
 * type-checks this file).
 */
import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { API_TYPES_FILE, generateApiTypes } from '../../scripts/api-types.js'
import { apiPath, type JsonBody, type JsonResponse, type Loose } from '../../services/web/shared/api-contract.js'

describe('generated API types', () => {
  it('are up to date with the route schemas (run `npm run api:types` after changing a route)', async () => {
    const fresh = await generateApiTypes()
    expect(fresh.length).toBeGreaterThan(10_000)
    expect(
      fs.readFileSync(API_TYPES_FILE, 'utf8') === fresh,
      'services/web/shared/api-types.ts is stale: npm run api:types',
    ).toBe(true)
  }, 60_000)

  it('type response keys and request bodies from the contract', () => {
    const key: keyof Loose<JsonResponse<'postChat'>> = 'answer'
    // @ts-expect-error a key the chat response does not have
    const missing: keyof Loose<JsonResponse<'postChat'>> = 'answerText'
    // @ts-expect-error the chat body requires a message
    const body: JsonBody<'postChat'> = { region: '320000' }
    expect([key, missing, body.region]).toEqual(['answer', 'answerText', '320000'])
  })

  it('build paths from documented templates, encoding parameters', () => {
    expect(apiPath('/api/chat/{sessionId}/events', { sessionId: 'a/b c' })).toBe('/api/chat/a%2Fb%20c/events')
    expect(apiPath('/api/hot-topics')).toBe('/api/hot-topics')
  })
})
