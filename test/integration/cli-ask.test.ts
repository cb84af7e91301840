import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliResult } from '../helpers/cli.js'
import { FIXTURES, tempDir } from '../helpers/env.js'
import { storedDocsText } from '../helpers/raw-store.js'

const dataDir = tempDir()
// BM25 only, like every test that does not ask for a model (test/helpers/env.ts).
const env = { ...process.env, TAXKB_DATA_DIR: dataDir, TAXKB_LOG_LEVEL: 'silent', TAXKB_EMBEDDER: 'none' }

// In-process (test/helpers/cli.ts): the commands are under test here, not the child process.
function taxkb(args: string[]): Promise<CliResult> {
  return runCli(args, env)
}

beforeAll(async () => {
  expect((await taxkb(['import', '--source', path.join(FIXTURES, 'corpus')])).code).toBe(0)
}, 60_000)

describe('taxkb ask', () => {
  it('--json prints the /api/chat response', async () => {
    const r = await taxkb(['ask', '契税税率多少', '--json'])
    expect(r.code).toBe(0)
    const body = JSON.parse(r.stdout)
    expect(Object.keys(body)).toEqual(
      expect.arrayContaining([
        'sessionId',
        'turnId',
        'answer',
        'mode',
        'intent',
        'confidence',
        'citations',
        'suggestions',
        'handoffOffered',
      ]),
    )
    expect(body.citations.map((c: { id: string }) => c.id)).toContain('契税法#第三条')
    expect(body.answer).toContain('百分之三至百分之五')
  })

  it('continues a session with --session and prints a readable answer without --json', async () => {
    const first = JSON.parse((await taxkb(['ask', '契税税率多少', '--json'])).stdout)
    const r = await taxkb(['ask', '那印花税呢', '--session', first.sessionId])
    expect(r.code).toBe(0)
    expect(r.stdout).toContain('引用 sources:')
    expect(r.stdout).toMatch(/mode (faq|composed)/)
    expect(r.stdout).toContain('印花税')
  })

  it('reports, refusals and redirects', async () => {
    const report = JSON.parse((await taxkb(['ask', '我要举报一家公司虚开发票', '--json'])).stdout)
    expect(report).toMatchObject({ mode: 'handoff', intent: 'report' })
    expect(report.answer).toContain('严格保密')
    expect(JSON.parse((await taxkb(['ask', '帮我推荐一只股票', '--json'])).stdout).mode).toBe('refused')
    expect(
      JSON.parse((await taxkb(['ask', '浙江的房产税减免政策是什么', '--region', '320000', '--json'])).stdout).mode,
    ).toBe('redirect')
  })

  it('bad input exits 2 with a code', async () => {
    const r = await taxkb(['ask', '契税', '--region', '999999'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('UNKNOWN_REGION')
  })
})

describe('taxkb eval with answer lines', () => {
  it('reports answer metrics next to the retrieval keys, in a scratch copy of the data dir', async () => {
    const set = path.join(tempDir(), 'answers.jsonl')
    fs.writeFileSync(
      set,
      [
        { question: '契税税率多少', expectedArticleIds: ['契税法#第三条'], keyFacts: ['3%', '百分之五'] },
        { question: '帮我推荐一只股票', expect: 'refuse' },
        { question: '转人工', expect: 'handoff' },
        { question: '我要举报一家公司虚开发票', expect: 'report' },
      ]
        .map((l) => JSON.stringify(l))
        .join('\n'),
    )
    const ticketsBefore = storedDocsText(dataDir, 'tickets')
    const r = await taxkb(['eval', '--set', set, '--json', '--ablation'])
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout)
    for (const k of [
      'recallAt1',
      'recallAt5',
      'recallAt10',
      'mrr',
      'ndcgAt10',
      'keyFactCoverage',
      'expectAccuracy',
      'automationRate',
      'p50Ms',
      'p99Ms',
    ])
      expect(typeof m[k]).toBe('number')
    expect(m.keyFactCoverage).toBe(1)
    expect(m.expectAccuracy).toBe(1)
    expect(m.automationRate).toBe(0.25)
    expect(m.withoutSynonyms.synonyms).toBe(false)
    const ticketsAfter = storedDocsText(dataDir, 'tickets')
    expect(ticketsAfter).toBe(ticketsBefore)
  }, 60_000)
})
