/**
 * A small corpus for the 公告 tests: the fixture corpus, plus 国家税务总局公告2023年第1号 (without the data's own
 * supersededBy, so only a pasted repealing 公告 can retire it) and a FAQ that cites it.
 */
import fs from 'node:fs'
import path from 'node:path'
import { BUNDLED_CORPUS, FIXTURES, tempDir } from './env.js'

const records = fs
  .readFileSync(path.join(BUNDLED_CORPUS, 'policies', 'announcements.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as Record<string, unknown>)

export function policyRecord(id: string): Record<string, unknown> {
  const r = records.find((x) => x.id === id)
  if (!r) throw new Error(`no record ${id}`)
  return r
}

/** The official page text as an editor copies it: title, 文号, body with signature. */
export function pastedText(id: string): string {
  const r = policyRecord(id)
  return `${r.title}\n${id}\n${r.fullText}`
}

export const CITING_FAQ_ID = 'faq-policy-1'

export function policyCorpus(): string {
  const corpus = tempDir('taxkb-policy-corpus-')
  fs.cpSync(path.join(FIXTURES, 'corpus'), corpus, { recursive: true })
  fs.mkdirSync(path.join(corpus, 'policies'))
  const old = {
    ...policyRecord('国家税务总局公告2023年第1号'),
    supersededBy: null,
    status: 'in-force',
    effectiveTo: null,
  }
  fs.writeFileSync(path.join(corpus, 'policies', 'announcements.jsonl'), `${JSON.stringify(old)}\n`)
  fs.mkdirSync(path.join(corpus, 'entries'))
  const faq = {
    id: CITING_FAQ_ID,
    kind: 'faq',
    title: '小规模纳税人月销售额10万元以下免征增值税吗',
    question: '小规模纳税人月销售额10万元以下免征增值税吗',
    body: '根据《国家税务总局关于增值税小规模纳税人减免增值税等政策有关征管事项的公告》（国家税务总局公告2023年第1号）第一条，免征增值税。',
    source: { title: '测试' },
    layer: 'national',
    regionCode: null,
    effectiveFrom: null,
    effectiveTo: null,
    status: 'published',
    tags: ['增值税'],
    citedArticleIds: ['国家税务总局公告2023年第1号'],
  }
  fs.writeFileSync(path.join(corpus, 'entries', 'faq.jsonl'), `${JSON.stringify(faq)}\n`)
  return corpus
}
