import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { runImport } from '../../indexers/run-import.js'
import { ImportValidationError } from '../../indexers/import-corpus.js'
import type { Entry } from '../../knowledge/entry.js'
import { createContainer } from '../../services/container.js'
import { fixedClock } from '../../services/shared/clock.js'
import { containerWithCorpus, FIXTURES, tempDir, testConfig } from '../helpers/env.js'

describe('import', () => {
  it('imports laws, FAQ and guides into entries with layers, statuses and replacement links', async () => {
    const ctx = await containerWithCorpus()
    const entries = ctx.store.collection<Entry>('entries')
    const old = await entries.get('增值税暂行条例#第十二条')
    expect(old).toMatchObject({
      kind: 'law-article',
      status: 'retired',
      effectiveTo: '2026-01-01',
      replacedBy: ['增值税法#第三十八条'],
    })
    expect(await entries.get('个人所得税法#第六条')).toMatchObject({
      status: 'published',
      layer: 'national',
      regionCode: null,
    })
    expect(await entries.get('青岛市税收征收协助条例#第一条')).toMatchObject({ layer: 'city', regionCode: '370200' })
    const faqs = await entries.list({ where: { kind: 'faq' } })
    expect(faqs.length).toBe(6)
    expect(faqs.every((f) => f.layer === 'province' && f.question)).toBe(true)
    const guides = await entries.list({ where: { kind: 'guide' } })
    expect(guides[0]?.guide?.code).toBeTruthy()
    await ctx.close()
  })

  it('is idempotent: a second import changes nothing, not even versions or timestamps', async () => {
    const ctx = await containerWithCorpus()
    const before = await ctx.store.collection<Entry>('entries').list()
    const report = await runImport(ctx, path.join(FIXTURES, 'corpus'))
    expect(report).toMatchObject({ added: 0, updated: 0, unchanged: before.length })
    expect(await ctx.store.collection<Entry>('entries').list()).toEqual(before)
    await ctx.close()
  })

  it('a changed source line makes a new version and keeps the old one', async () => {
    const dir = tempDir()
    fs.cpSync(path.join(FIXTURES, 'corpus'), dir, { recursive: true })
    const ctx = await containerWithCorpus(dir)
    const file = path.join(dir, 'faq', 'faq.jsonl')
    const lines = fs.readFileSync(file, 'utf8').trim().split('\n')
    const first = JSON.parse(lines[0]!)
    first.answer = `${first.answer}\n（已更新）`
    lines[0] = JSON.stringify(first)
    fs.writeFileSync(file, lines.join('\n') + '\n')
    const report = await runImport(ctx, dir)
    expect(report.updated).toBe(1)
    const e = await ctx.store.collection<Entry>('entries').get(first.id)
    expect(e?.version).toBe(2)
    expect(e?.body.endsWith('（已更新）')).toBe(true)
    const versions = await ctx.store
      .collection<{ id: string; entryId: string; version: number }>('versions')
      .list({ where: { entryId: first.id } })
    expect(versions.map((v) => v.version).sort()).toEqual([1, 2])
    await ctx.close()
  })

  it('rejects a bad corpus with every problem and its line number, writing nothing', async () => {
    const config = testConfig()
    const ctx = await createContainer(config, { skipIndexSync: true, clock: fixedClock('2026-11-25T02:00:00Z') })
    const err = await runImport(ctx, path.join(FIXTURES, 'bad-corpus')).catch((e) => e)
    expect(err).toBeInstanceOf(ImportValidationError)
    const problems = (err as ImportValidationError).problems.map(
      (p) => `${path.basename(p.file)}:${p.line}: ${p.message}`,
    )
    expect(problems.some((p) => p.startsWith('articles.jsonl:2: invalid JSON'))).toBe(true)
    expect(problems.some((p) => p.startsWith('articles.jsonl:4:') && p.includes('"text"'))).toBe(true)
    expect(problems.some((p) => p.startsWith('faq.jsonl:1:') && p.includes('unknown region code 999900'))).toBe(true)
    expect(await ctx.store.collection('entries').count()).toBe(0)
    expect(fs.existsSync(path.join(config.dataDir, 'index', 'embedded.v8'))).toBe(false)
    await ctx.close()
  })

  it('persists an index snapshot that the next start loads instead of re-tokenizing', async () => {
    const ctx = await containerWithCorpus()
    const dataDir = ctx.config.dataDir
    await ctx.close()
    const again = await createContainer(ctx.config, { skipIndexSync: true })
    const res = await again.index.reindexAll()
    expect(res.fromSnapshot).toBe(true)
    expect((await again.search.search({ q: '契税', limit: 3 })).length).toBeGreaterThan(0)
    await again.close()
    // A changed lexicon invalidates the snapshot.
    const lexDir = tempDir()
    fs.cpSync(ctx.config.lexiconDir, lexDir, { recursive: true })
    fs.appendFileSync(path.join(lexDir, 'synonyms.txt'), '\n契税,房屋过户税\n')
    const changed = await createContainer({ ...ctx.config, dataDir, lexiconDir: lexDir }, { skipIndexSync: true })
    expect((await changed.index.reindexAll()).fromSnapshot).toBe(false)
    expect((await changed.search.search({ q: '房屋过户税', limit: 3 })).some((h) => h.id.startsWith('契税法'))).toBe(
      true,
    )
    await changed.close()
  })
})
