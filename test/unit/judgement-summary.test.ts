import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { type JudgedLine, summariseJudgements } from '../../eval/judgement-summary.js'
import { type Judgement, parseJudgements, VERDICTS, type Verdict } from '../../eval/taxpayer-eval.js'
import { readTaxpayerSet } from '../../eval/taxpayer-set.js'

const j = (id: string, verdict: Verdict, openingAnswers = false, answerHash = `h-${id}`): Judgement => ({
  id,
  answerHash,
  verdict,
  openingAnswers,
  judge: 't',
})

describe('judgement summary', () => {
  const lines: JudgedLine[] = [
    { id: 'a1', behaviour: 'answer', hash: 'h-a1' },
    { id: 'a2', behaviour: 'answer', hash: 'h-a2' },
    { id: 'a3', behaviour: 'answer', hash: 'h-a3' },
    { id: 'a4', behaviour: 'answer', hash: 'changed' },
    { id: 'a5', behaviour: 'answer', hash: 'h-a5' },
    { id: 's1', behaviour: 'abstain', hash: 'h-s1' },
    { id: 'r1', behaviour: 'report', hash: 'h-r1' },
    { id: 'x1', behaviour: 'redirect', hash: 'h-x1' },
    { id: 'f1', behaviour: 'refuse', hash: 'h-f1' },
  ]
  const judgements = [
    j('a1', 'partial'),
    j('a1', 'good', true), // a later judgement of the same reply wins
    j('a2', 'partial'),
    j('a3', 'wrong-confident'),
    j('a4', 'good', true), // judged an older reply: stale, not counted
    j('s1', 'honest-handoff', true),
    j('r1', 'wrong-confident'),
    j('x1', 'redirected', true),
    j('f1', 'correct-refusal', true),
  ]
  const s = summariseJudgements(lines, judgements)

  it('counts in-scope verdicts only for answer lines whose reply hash matches', () => {
    expect(s.inScope.n).toBe(3)
    expect(s.inScope.counts).toMatchObject({ good: 1, partial: 1, 'wrong-confident': 1, 'over-refusal': 0 })
    expect(s.inScope.shares.good).toBe(0.333)
    expect(s.inScope.goodPlusPartial).toBe(0.667)
    expect(s.inScope.openingAnswers).toBe(0.333)
    expect(s.stale).toBe(1)
    expect(s.unjudged).toBe(1)
    expect(s.judged).toBe(7)
  })

  it('keeps abstain and expect lines out of the in-scope rates and scores expect lines by behaviour', () => {
    expect(s.abstain.counts['honest-handoff']).toBe(1)
    expect(s.expect.n).toBe(3)
    // the report answered with content is the one expect line handled wrongly
    expect(s.expect.correct).toBe(0.667)
    expect(s.expect.byBehaviour.report?.counts['wrong-confident']).toBe(1)
    expect(s.expect.byBehaviour.handoff).toBeUndefined()
    expect(s.openingAnswers).toBe(0.571)
  })

  it('counts every judgement when no reply hashes are given', () => {
    const noHash = lines.map(({ id, behaviour }) => ({ id, behaviour }))
    const t = summariseJudgements(noHash, judgements)
    expect(t.stale).toBe(0)
    expect(t.inScope.n).toBe(4)
    expect(t.inScope.counts.good).toBe(2)
  })

  it('uses the judgement of the exact reply whichever judging round (file order) it comes from', () => {
    const two: JudgedLine[] = [
      { id: 'a1', behaviour: 'answer', hash: 'new' },
      { id: 'a2', behaviour: 'answer', hash: 'old' },
    ]
    // round 2 re-judged only a1's changed reply; its file may be read before or after round 1's
    const round1 = [j('a1', 'over-refusal', false, 'old'), j('a2', 'good', true, 'old')]
    const round2 = [j('a1', 'good', true, 'new')]
    for (const order of [
      [...round1, ...round2],
      [...round2, ...round1],
    ]) {
      const t = summariseJudgements(two, order)
      expect(t.stale).toBe(0)
      expect(t.inScope.counts).toMatchObject({ good: 2, 'over-refusal': 0 })
    }
    // a reply that changed again after round 2 is stale, not silently judged with an older verdict
    const t = summariseJudgements([{ id: 'a1', behaviour: 'answer', hash: 'newer' }], [...round2, ...round1])
    expect(t.stale).toBe(1)
    expect(t.judged).toBe(0)
  })

  it('returns zero shares, not NaN, for an empty set', () => {
    const t = summariseJudgements([], [])
    expect(t.inScope.shares.good).toBe(0)
    expect(t.expect.correct).toBe(0)
  })

  it('rejects a malformed judgement line with the file name', () => {
    expect(() => parseJudgements('{"id":"a1","answerHash":"x","verdict":"great"}\n', 'f.jsonl')).toThrow(/f\.jsonl/)
  })
})

describe('recorded test-split judgements', () => {
  const root = path.resolve(import.meta.dirname, '../..')
  const files = ['2026-12-01-test.jsonl', ...['r2', 'r3', 'r4', 'r5', 'r6'].map((r) => `2026-12-01-${r}-test.jsonl`)]
  it.each(files)('%s: well-formed judgements, one per id', (name) => {
    const file = path.join(root, 'eval/judgements', name)
    const ids = new Set(readTaxpayerSet(path.join(root, 'eval/datasets/test.jsonl')).map((c) => c.id))
    const js = parseJudgements(fs.readFileSync(file, 'utf8'), file)
    expect(new Set(js.map((x) => x.id)).size).toBe(js.length)
    for (const x of js) {
      expect(ids.has(x.id), x.id).toBe(true)
      expect(x.answerHash).toMatch(/^[0-9a-f]{16}$/)
      expect(VERDICTS).toContain(x.verdict)
      expect(typeof x.openingAnswers).toBe('boolean')
      expect([...(x.notes ?? '')].length, x.id).toBeLessThanOrEqual(200)
      expect(x.notes?.length, x.id).toBeGreaterThan(0)
      expect(x.judge).toBeTruthy()
    }
  })
})

describe('recorded dev labels for the abstention fit', () => {
  it('2026-12-01-dev-confident.jsonl: well-formed, dev ids only, one verdict per (id, reply hash)', () => {
    const root = path.resolve(import.meta.dirname, '../..')
    const file = path.join(root, 'eval/judgements/2026-12-01-dev-confident.jsonl')
    const ids = new Set(readTaxpayerSet(path.join(root, 'eval/datasets/dev.jsonl')).map((c) => c.id))
    const js = parseJudgements(fs.readFileSync(file, 'utf8'), file)
    expect(js.length).toBeGreaterThan(150)
    expect(new Set(js.map((x) => `${x.id} ${x.answerHash}`)).size).toBe(js.length)
    for (const x of js) {
      expect(ids.has(x.id), x.id).toBe(true)
      expect(x.answerHash).toMatch(/^[0-9a-f]{16}$/)
      expect(['good', 'partial', 'wrong-confident', 'honest-handoff', 'over-refusal']).toContain(x.verdict)
    }
  })
})

describe('npm run eval:judged (CLI arguments)', () => {
  it('prints its usage for --help and refuses an unknown option with exit code 2 instead of a stack trace', async () => {
    const { main } = await import('../../eval/judgement-summary-cli.js')
    const out: string[] = []
    const log = console.log
    const err = console.error
    console.log = (s: string) => out.push(`out:${s}`)
    console.error = (s: string) => out.push(`err:${s}`)
    try {
      expect(main(['--help'])).toBe(0)
      expect(main(['--bogus'])).toBe(2)
    } finally {
      console.log = log
      console.error = err
    }
    expect(out[0]).toMatch(/^out:usage: npm run eval:judged/)
    expect(out[1]).toMatch(/^err:Unknown option '--bogus'\nusage:/)
  })
})
