/**
 * Finding 6: a city editor emptied the global synonyms overlay, effective at once. Global lexicon edits
 * now need a national editor (lexicon:edit, no region) and the approval of a second national editor;
 * every applied change is a version, and any version can be restored (again with approval).
 */
import { describe, expect, it } from 'vitest'
import type { FastifyInstance } from 'fastify'
import type { Container } from '../../services/container.js'
import { useApp } from './support/app.js'
import { staffAuth } from '../helpers/env.js'

let ctx: Container
let app: FastifyInstance

useApp(async (c, a) => {
  ctx = c
  app = a
})

const synonyms = () => ctx.editorial.lexiconFiles().find((f) => f.name === 'synonyms.txt')!.text
const put = (headers: Record<string, string>, text: string) =>
  app.inject({ method: 'PUT', url: '/api/editor/lexicon/synonyms.txt', headers, payload: { text } })

describe('global lexicon edits', () => {
  it('a city or provincial editor cannot change the global lexicon', async () => {
    const before = synonyms()
    for (const [name, role, region] of [
      ['lex-ed-nj', 'editor', '320100'],
      ['lex-rev-js', 'reviewer', '320000'],
    ] as const) {
      const res = await put(await staffAuth(ctx, name, role, region), '')
      expect(res.statusCode, name).toBe(403)
    }
    expect(synonyms()).toBe(before)
  })

  it('a national edit waits for a second national editor; every change is versioned and revertible', async () => {
    const a = await staffAuth(ctx, 'lex-ed-nat-a', 'editor', null)
    const b = await staffAuth(ctx, 'lex-rev-nat-b', 'reviewer', null)
    const original = synonyms()
    const edited = `${original.trimEnd()}\n契税,房产交易税\n`
    const proposed = await put(a, edited)
    expect(proposed.statusCode).toBe(202)
    const proposal = proposed.json() as { id: string; status: string }
    expect(proposal.status).toBe('pending')
    expect(synonyms()).toBe(original)
    const pending = await app.inject({ url: '/api/editor/lexicon/proposals', headers: b })
    expect(pending.json().proposals.map((p: { id: string }) => p.id)).toContain(proposal.id)

    const approve = (headers: Record<string, string>, id: string) =>
      app.inject({ method: 'POST', url: `/api/editor/lexicon/proposals/${id}/approve`, headers, payload: {} })
    expect((await approve(a, proposal.id)).statusCode).toBe(403)
    const done = await approve(b, proposal.id)
    expect(done.statusCode).toBe(200)
    expect(synonyms()).toBe(edited)
    expect((await approve(b, proposal.id)).statusCode).toBe(409)

    const versions = (await app.inject({ url: '/api/editor/lexicon/synonyms.txt/versions', headers: a })).json()
      .versions
    expect(versions.map((v: { version: number }) => v.version)).toEqual([2, 1])
    expect(versions[0]).toMatchObject({ proposedBy: 'lex-ed-nat-a', approvedBy: 'lex-rev-nat-b' })

    // Revert to version 1 (the text before the change): proposed by B, approved by A.
    const revert = await app.inject({
      method: 'POST',
      url: '/api/editor/lexicon/synonyms.txt/revert',
      headers: b,
      payload: { version: 1 },
    })
    expect(revert.statusCode).toBe(202)
    expect(synonyms()).toBe(edited)
    expect((await approve(a, revert.json().id)).statusCode).toBe(200)
    expect(synonyms()).toBe(original)
  })
})
