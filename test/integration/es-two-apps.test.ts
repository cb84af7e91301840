/**
 * Two app instances (separate data dirs, one Elasticsearch): what one writes the other sees. A handoff
 * ticket created through A is claimed and answered through B; an entry published through A is searchable
 * through B within 2 s; concurrent ticket updates from both instances lose nothing (optimistic concurrency).
 * Runs when ELASTICSEARCH_URL is set.
 */
import crypto from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Entry } from '../../knowledge/entry.js'
import type { ElasticsearchStore } from '../../knowledge/store/elasticsearch-store.js'
import type { ElasticsearchSearchBackend } from '../../services/search/elasticsearch-backend.js'
import { createContainer, type Container } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import { loadConfig } from '../../services/shared/config.js'
import type { Viewer } from '../../services/tickets/routing.js'
import { runImport } from '../../indexers/run-import.js'
import { FIXTURES, testConfig } from '../helpers/env.js'

const base = loadConfig()
const agent: Viewer & { name: string } = {
  id: 'nj1',
  name: '南京坐席1',
  regionCode: '320100',
  seatGroup: '320100-remote',
  permissions: new Set(['tickets:work']),
}

describe.skipIf(!base.elasticsearchUrl)('two app instances on one Elasticsearch', () => {
  const prefix = `taxkb-test-${crypto.randomBytes(4).toString('hex')}`
  let a: Container
  let b: Container
  beforeAll(async () => {
    const es = { backend: 'elasticsearch', elasticsearchUrl: base.elasticsearchUrl, esIndexPrefix: prefix }
    a = await createContainer(testConfig(es), { skipIndexSync: true, clock: fixedClock('2026-11-25T02:00:00Z') })
    await runImport(a, path.join(FIXTURES, 'corpus'))
    // B starts after the import, like a second API process: its start-up sync finds the index current.
    b = await createContainer(testConfig(es), { clock: fixedClock('2026-11-25T02:00:00Z') })
  }, 120_000)
  afterAll(async () => {
    await (a?.index.backend as ElasticsearchSearchBackend | undefined)?.destroy()
    await (a?.store as ElasticsearchStore | undefined)?.destroy()
    await a?.close()
    await b?.close()
  })

  it('both instances see the same store and index', async () => {
    expect(a.store.kind).toBe('elasticsearch')
    expect(await b.index.backend.count()).toBe(await a.index.backend.count())
    expect(await b.index.backend.count()).toBeGreaterThan(0)
  })

  it('a handoff ticket created via one instance is answered via the other', async () => {
    const created = await a.tickets.createTicket({
      type: 'consult',
      regionCode: '320100',
      question: '我的个税汇算退税一直没到账，请人工帮我看看',
    })
    const seen = await b.tickets.get(created.id)
    expect(seen.number).toBe(created.number)
    await b.tickets.claim(agent, created.id)
    await b.tickets.reply(agent, created.id, '您好，退税已审核通过，预计3个工作日内到账。')
    const back = await a.tickets.get(created.id)
    expect(back.answer).toContain('退税已审核通过')
    expect(back.answeredBy).toBe('nj1')
    // Ticket numbers come from one shared counter: no duplicates across instances.
    const more = await Promise.all(
      [a, b, a, b].map((c, i) =>
        c.tickets.createTicket({ type: 'consult', regionCode: '320100', question: `并发工单 ${i}` }),
      ),
    )
    expect(new Set([created.number, ...more.map((t) => t.number)]).size).toBe(5)
  })

  it('an entry published via one instance is searchable via the other within 2 s', async () => {
    const entry = {
      id: 'faq-es-two-apps',
      kind: 'faq',
      title: '跨实例可见的测试问答：船舶吨税怎么申报？',
      question: '船舶吨税怎么申报？',
      body: '船舶吨税由海关征收，应税船舶负责人应当自海关填发吨税缴款凭证之日起十五日内缴清税款。',
      layer: 'national',
      regionCode: null,
      status: 'published',
      version: 1,
      tags: ['船舶吨税'],
      citedArticleIds: [],
      effectiveFrom: null,
      effectiveTo: null,
      source: { title: '测试' },
      updatedAt: '2026-11-25T02:00:00.000Z',
    } as unknown as Entry
    const t0 = Date.now()
    await a.store.collection<Entry>('entries').put(entry)
    await a.index.backend.upsert([entry])
    let found = false
    while (!found && Date.now() - t0 < 2000) {
      found = (await b.index.backend.search('船舶吨税申报', { limit: 3 })).some((h) => h.id === entry.id)
      if (!found) await new Promise((r) => setTimeout(r, 100))
    }
    expect(found).toBe(true)
    expect(Date.now() - t0).toBeLessThan(2000)
    expect((await b.store.collection<Entry>('entries').get(entry.id))?.title).toBe(entry.title)
  })

  it('concurrent updates of one ticket from both instances are serialised by optimistic concurrency', async () => {
    const t = await a.tickets.createTicket({ type: 'consult', regionCode: '320100', question: '并发更新' })
    const col = (c: Container) => c.store.collection<{ id: string; notes?: string[] }>('tickets')
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        col(i % 2 ? a : b).update(t.id, (cur) => ({ ...cur, notes: [...(cur.notes ?? []), `n${i}`] })),
      ),
    )
    expect((await col(a).get(t.id))?.notes?.length).toBe(10)
  })
})
