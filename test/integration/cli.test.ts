import fs from 'node:fs'
import path from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { runCli, type CliResult } from '../helpers/cli.js'
import { FIXTURES, tempDir } from '../helpers/env.js'

const dataDir = tempDir()
// BM25 only, like every test that does not ask for a model (test/helpers/env.ts).
const env = { ...process.env, TAXKB_DATA_DIR: dataDir, TAXKB_LOG_LEVEL: 'silent', TAXKB_EMBEDDER: 'none' }

// In-process (test/helpers/cli.ts): the commands are under test here, not the child process.
function taxkb(args: string[], extraEnv: Record<string, string> = {}): Promise<CliResult> {
  return runCli(args, { ...env, ...extraEnv })
}

beforeAll(async () => {
  const r = await taxkb(['import', '--source', path.join(FIXTURES, 'corpus')])
  expect(r.code).toBe(0)
}, 60_000)

describe('taxkb CLI', () => {
  it('import is idempotent and says so', async () => {
    const r = await taxkb(['import', '--source', path.join(FIXTURES, 'corpus')])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/0 added, 0 updated, \d+ unchanged/)
  })

  it('search --json prints {id, kind, title, layer, regionCode, score, snippet}', async () => {
    const r = await taxkb(['search', '小规模纳税人 征收率', '--json', '--kind', 'law-article'])
    expect(r.code).toBe(0)
    const hits = JSON.parse(r.stdout)
    expect(hits.length).toBeGreaterThan(0)
    expect(Object.keys(hits[0]).sort()).toEqual(['id', 'kind', 'layer', 'regionCode', 'score', 'snippet', 'title'])
    expect(hits[0].id).toMatch(/^增值税法#/)
  })

  it('search prints readable results', async () => {
    const r = await taxkb(['search', '契税'])
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^1\. \[/)
  })

  it.each([
    [['search', ''], 'QUERY_EMPTY'],
    [['search', '契税', '--region', '123456'], 'UNKNOWN_REGION'],
    [['search', '契税', '--kind', 'poem'], 'UNKNOWN_KIND'],
  ])('bad input %j → exit 2 with %s', async (args, code) => {
    const r = await taxkb(args)
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(`[${code}]`)
  })

  it('a malformed corpus exits non-zero, lists line numbers and writes nothing', async () => {
    const fresh = tempDir()
    const r = await taxkb(['import', '--source', path.join(FIXTURES, 'bad-corpus')], { TAXKB_DATA_DIR: fresh })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/articles\.jsonl:2: invalid JSON/)
    expect(r.stderr).toMatch(/faq\.jsonl:1: .*999900/)
    expect(
      fs.existsSync(path.join(fresh, 'entries.json'))
        ? JSON.parse(fs.readFileSync(path.join(fresh, 'entries.json'), 'utf8')).docs
        : {},
    ).toEqual({})
  })

  it('eval prints the metrics as JSON with the documented keys, baseline in the same run', async () => {
    const set = path.join(tempDir(), 'set.jsonl')
    fs.writeFileSync(
      set,
      [
        JSON.stringify({ question: '个税专项附加扣除', expectedArticleIds: ['个人所得税法#第六条'] }),
        JSON.stringify({ question: '契税税率', expectedArticleIds: ['契税法#第三条'] }),
      ].join('\n'),
    )
    const r = await taxkb(['eval', '--set', set, '--json', '--baseline'])
    expect(r.code).toBe(0)
    const m = JSON.parse(r.stdout)
    for (const k of ['recallAt1', 'recallAt5', 'recallAt10', 'mrr', 'ndcgAt10', 'n']) expect(typeof m[k]).toBe('number')
    expect(m.n).toBe(2)
    expect(m.recallAt5).toBe(1)
    expect(typeof m.baseline.recallAt5).toBe('number')
  })

  it('eval on a malformed set exits 2 with the line number', async () => {
    const set = path.join(tempDir(), 'bad.jsonl')
    fs.writeFileSync(set, '{"question": "ok"}\n{"question": 5}\nnot json\n')
    const r = await taxkb(['eval', '--set', set])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/bad\.jsonl:2/)
    expect(r.stderr).toMatch(/bad\.jsonl:3/)
  })

  it('eval --split over an empty data dir exits 2 and says to import first, instead of a table of zeros', async () => {
    const empty = tempDir()
    const r = await taxkb(['eval', '--split', 'dev'], { TAXKB_DATA_DIR: empty })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('知识库为空')
    expect(r.stderr).toContain('taxkb import')
    expect(r.stdout).not.toMatch(/recall@5/)
  })
})
