/**
 * Tax scopes (knowledge/lexicon/scopes.txt): the app's lexicon loader reads them, 公告 clauses are scoped by
 * the taxes their document names, and a question naming a tax gets the sources of other taxes last.
 */
import fs from 'node:fs'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Retriever } from '../../services/answer/retrieval.js'
import type { Container } from '../../services/container.js'
import { loadLexiconWithOverlay } from '../../services/editorial/lexicon-files.js'
import { JiebaAnalyzer, scopeToken, taxesNamedIn } from '../../services/search/analyzer.js'
import { scopeTokensOf } from '../../services/search/entry-fields.js'
import { loadConfig } from '../../services/shared/config.js'
import { BUNDLED_CORPUS, containerWithCorpus, tempDir } from '../helpers/env.js'

describe('tax scopes', () => {
  it('names the taxes of a title, longest first: 土地增值税 is not also 增值税', () => {
    const taxes = ['增值税', '土地增值税', '个人所得税', '所得税']
    expect(taxesNamedIn('土地增值税暂行条例', taxes)).toEqual(['土地增值税'])
    expect(taxesNamedIn('关于增值税和个人所得税的公告', taxes).sort()).toEqual(['个人所得税', '增值税'])
    expect(taxesNamedIn('支持个体工商户发展所得税优惠政策', taxes)).toEqual(['所得税'])
    expect(taxesNamedIn('发票管理', taxes)).toEqual([])
    // 「有关税费」 is 有关 + 税费: no 关税; a real 关税 beside it still counts
    const withDuty = [...taxes, '关税']
    expect(taxesNamedIn('关于进一步支持小微企业和个体工商户发展有关税费政策的公告', withDuty)).toEqual([])
    expect(taxesNamedIn('有关税费和关税的公告', withDuty)).toEqual(['关税'])
    expect(taxesNamedIn('海关代征的进口关税', withDuty)).toEqual(['关税'])
  })

  it('the overlay loader (what the app uses) reads scopes.txt, so a named tax scopes the question', () => {
    const lexicon = loadLexiconWithOverlay(loadConfig({}).lexiconDir, tempDir())
    expect(lexicon.scopes.some((s) => s.tax === '增值税' && s.laws.includes('增值税法'))).toBe(true)
    const q = new JiebaAnalyzer(lexicon).query('个体户每个月销售额多少以内免增值税', { synonyms: false })
    expect(q.weights.has(scopeToken('增值税'))).toBe(true)
  })

  it('an editor overlay of the other lexicon files does not drop the scopes', () => {
    const dataDir = tempDir()
    fs.mkdirSync(path.join(dataDir, 'lexicon'), { recursive: true })
    fs.writeFileSync(path.join(dataDir, 'lexicon', 'synonyms.txt'), '契税,房屋过户税\n')
    expect(loadLexiconWithOverlay(loadConfig({}).lexiconDir, dataDir).scopes.length).toBeGreaterThan(10)
  })
})

describe('a question naming a tax, over the bundled corpus', () => {
  let ctx: Container
  beforeAll(async () => {
    ctx = await containerWithCorpus(BUNDLED_CORPUS)
  }, 120_000)
  afterAll(async () => {
    await ctx?.close()
  })

  it('scopes a 公告 clause by its document: the VAT 起征点 clause is 增值税, the 个体工商户 income-tax one is not', async () => {
    const a = ctx.index.analyzer
    const vat = await ctx.store.collection('entries').get('财政部 税务总局公告2026年第10号#一')
    const pit = await ctx.store.collection('entries').get('国家税务总局公告2021年第8号#二')
    expect(scopeTokensOf(vat as never, a)).toContain(scopeToken('增值税'))
    expect(scopeTokensOf(pit as never, a)).not.toContain(scopeToken('增值税'))
    expect(scopeTokensOf(pit as never, a)).toContain(scopeToken('个人所得税'))
  })

  it('a clause of a 公告 whose title names no tax (「…有关税费政策」) is scoped by the taxes its own text names', async () => {
    const a = ctx.index.analyzer
    const get = async (id: string) => scopeTokensOf((await ctx.store.collection('entries').get(id)) as never, a)
    expect(await get('财政部 税务总局公告2023年第12号#第一条')).toEqual([scopeToken('个人所得税')])
    expect(await get('财政部 税务总局公告2023年第12号#第三条')).toContain(scopeToken('企业所得税'))
    expect(await get('财政部 税务总局公告2023年第12号#第三条')).not.toContain(scopeToken('关税'))
    // a title that names a tax still decides for every clause of its document
    expect(await get('财政部 税务总局公告2026年第10号#三（三）')).toEqual([scopeToken('增值税')])
  })

  it('puts sources scoped only to other taxes after the ones in scope, keeping order within each group', async () => {
    const r = new Retriever(ctx.index.backend, ctx.store, ctx.regions, ctx.index.analyzer)
    const res = await r.retrieve('个体户每个月销售额多少以内免增值税', {
      regionCode: null,
      today: '2026-12-01',
      synonyms: true,
      limit: 12,
    })
    const a = ctx.index.analyzer
    const off = res.sources.map((s) => {
      const scopes = scopeTokensOf(s.entry, a)
      return scopes.length > 0 && !scopes.includes(scopeToken('增值税'))
    })
    expect(off.some(Boolean)).toBe(true) // the income-tax 公告 on 个体工商户 are retrieved …
    expect(off.indexOf(true)).toBeGreaterThan(off.lastIndexOf(false)) // … but after every in-scope source
    expect(res.sources.slice(0, 5).map((s) => s.entry.id)).toContain('财政部 税务总局公告2026年第10号#一')
  })
})
