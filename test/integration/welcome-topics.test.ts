/**
 * Issue 20 item 9: the widget's opening 热点问题 on a 江苏 portal (region 320000) are what 江苏 taxpayers ask —
 * pinned for the region, then the region's trending consultations (its cities included), then national ones —
 * and never 税案通报 case reports, pinned or not, nor another province's questions.
 */
import type { FastifyInstance } from 'fastify'
import { describe, expect, it } from 'vitest'
import type { Container } from '../../services/container.js'
import type { Entry } from '../../knowledge/entry.js'
import { useApp } from '../hardening/support/app.js'
import { consultRows } from '../helpers/ledger-rows.js'

let ctx: Container
let app: FastifyInstance

const JIANGSU_PIN = 'faq-js-013e69429d'
const NATIONAL_PIN = 'faq-nat-welcome'
const SHANXI_CASE = 'case-sx-welcome'
const NATIONAL_CASE = 'case-nat-welcome'

const Q_PROVINCE = '江苏省契税的适用税率是多少'
const Q_NANJING = '南京市个人出租房屋怎么代开发票'
const Q_SHANXI = '山西省煤炭资源税税率是多少'
const Q_NATIONAL = '个人所得税年度汇算什么时候开始'
const Q_RARE = '江苏省印花税按季申报吗'

const rows = (prefix: string, question: string, regionCode: string | null, asks: number, sessions: number) =>
  consultRows(ctx.clock.now(), prefix, question, regionCode, asks, sessions)

useApp(async (c, a) => {
  ctx = c
  app = a
  const entries = ctx.store.collection<Entry>('entries')
  const base = await entries.get(JIANGSU_PIN)
  if (!base) throw new Error(`fixture entry ${JIANGSU_PIN} missing`)
  const national: Entry = {
    ...base,
    id: NATIONAL_PIN,
    layer: 'national',
    regionCode: null,
    question: '增值税小规模纳税人免征额是多少？',
    title: '增值税小规模纳税人免征额是多少？',
  }
  const { question: _question, ...report } = base
  const shanxiCase: Entry = {
    ...report,
    id: SHANXI_CASE,
    kind: 'hot-topic',
    layer: 'province',
    regionCode: '140000',
    title: '山西省税务局曝光一起虚开发票案件',
  }
  const nationalCase: Entry = {
    ...report,
    id: NATIONAL_CASE,
    kind: 'hot-topic',
    layer: 'national',
    regionCode: null,
    title: '税务部门集中曝光8起私户收款偷税案件',
  }
  await entries.putMany([national, shanxiCase, nationalCase])
  await ctx.store.collection<{ id: string }>('ledger').putMany([
    ...rows('prov', Q_PROVINCE, '320000', 6, 3),
    ...rows('nj', Q_NANJING, '320100', 9, 4),
    ...rows('sx', Q_SHANXI, '140000', 20, 10),
    ...rows('nat', Q_NATIONAL, null, 7, 5),
    // Asked by two sessions only: below the trending threshold.
    ...rows('rare', Q_RARE, '320000', 6, 2),
  ])
  // Newest pin first: the national case, then the national FAQ, then the 江苏 FAQ.
  for (const id of [JIANGSU_PIN, NATIONAL_PIN, NATIONAL_CASE])
    await ctx.editorial.hotTopics.setPinned(id, true, 'editor-1')
})

interface Welcome {
  welcome: { label: string; id: string | null; question: string | null; source: string }[]
}

async function welcome(region?: string): Promise<Welcome['welcome']> {
  ctx.editorial.hotTopics.invalidate()
  const res = await app.inject({ url: `/api/hot-topics${region ? `?region=${region}` : ''}` })
  expect(res.statusCode).toBe(200)
  return (res.json() as Welcome).welcome
}

describe('the widget welcome list (GET /api/hot-topics → welcome)', () => {
  it('on a 江苏 portal: 江苏 pin, national pin, 江苏 trending (most asked first), national trending; no cases', async () => {
    const list = await welcome('320000')
    expect(list.map((t) => [t.source, t.id ?? t.question])).toEqual([
      ['pinned', JIANGSU_PIN],
      ['pinned', NATIONAL_PIN],
      ['regional', Q_NANJING],
      ['regional', Q_PROVINCE],
      ['national', Q_NATIONAL],
    ])
    const text = JSON.stringify(list)
    expect(text).not.toContain('案件')
    expect(text).not.toContain('山西')
    expect(text).not.toContain(Q_RARE)
    // The case feed itself is still served for the portal's 税案通报 column; suggestions carry no case.
    const res = await app.inject({ url: '/api/hot-topics?region=320000' })
    const body = res.json() as { cases: { id: string }[]; suggestions: string[] }
    expect(body.cases.map((c) => c.id)).toContain(NATIONAL_CASE)
    expect(body.suggestions.join('\n')).not.toContain('案件')
  })

  it('a pinned FAQ is asked by its question; a trending item carries its question', async () => {
    const list = await welcome('320000')
    expect(list[0]).toMatchObject({
      id: JIANGSU_PIN,
      question: '用人单位向税务部门申报2026年度社会保险缴费工资的时间是什么？',
    })
    expect(list.find((t) => t.source === 'national')).toMatchObject({
      id: null,
      question: Q_NATIONAL,
      label: Q_NATIONAL,
    })
  })

  it('a 苏州 city portal sees its province pin but not 南京 questions; a 山西 portal never sees 江苏 ones', async () => {
    const suzhou = await welcome('320500')
    expect(suzhou.map((t) => t.question)).not.toContain(Q_NANJING)
    expect(suzhou.map((t) => t.id)).toContain(JIANGSU_PIN)
    const shanxi = await welcome('140000')
    expect(shanxi.map((t) => t.question)).toEqual([expect.any(String), Q_SHANXI, Q_NATIONAL])
    expect(shanxi[0]).toMatchObject({ id: NATIONAL_PIN, source: 'pinned' })
  })

  it('without a region (national portal): pins, then what is asked anywhere', async () => {
    const list = await welcome()
    expect(list.map((t) => t.source)).toEqual(['pinned', 'pinned', 'national', 'national', 'national', 'national'])
    expect(list.slice(2).map((t) => t.question)).toEqual([Q_SHANXI, Q_NANJING, Q_NATIONAL, Q_PROVINCE])
  })
})
