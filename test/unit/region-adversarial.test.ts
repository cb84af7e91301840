/**
 * Places named the way people type them (eval/datasets/dev.jsonl tq983–tq1024 and the near-misses tq1037–tq1045):
 * province and city names with or without 省/市, districts and county-level cities, one-character 简称 where
 * they are used as places, 「X那边」, and a place that is only where the taxpayer comes from.
 */
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { RegionTable } from '../../knowledge/regions.js'
import { placeInQuestion, resolveRegion } from '../../services/answer/region-resolution.js'
import { REPO_ROOT } from '../../services/shared/config.js'

const regions = RegionTable.load(path.join(REPO_ROOT, 'knowledge', 'regions', 'regions.json'))
const JIANGSU = '320000'
const decide = (text: string, explicit = JIANGSU) => resolveRegion({ explicit, text }, regions)

describe('another province, named in every way people do, redirects from a 江苏 widget', () => {
  it.each([
    ['上海市个体户定额怎么核的', '310000'],
    ['我在杭州开网店 那边增值税怎么报', '330000'],
    ['沪上的办税大厅周末开门吗', '310000'],
    ['浙江那边房产税怎么收', '330000'],
    ['人在深圳 个体户定期定额咋定', '440000'],
    ['广州天河区办税大厅几点关门', '440000'],
    ['重庆城镇土地使用税多少钱一平', '500000'],
    ['在沪工作 社保基数多少', '310000'],
    ['在粤开店核定征收怎么弄', '440000'],
    ['山东省青岛市个体户怎么核定', '370000'],
    ['义乌的小商户增值税怎么交', '330000'],
    ['浦东新区税务局在哪里', '310000'],
    ['在京上班社保基数多少', '110000'],
    ['粤港澳大湾区个税补贴怎么申请', '440000'],
    ['昆明呈贡区的办税厅几点上班', '530000'],
    ['海淀区个体户怎么报税', '110000'],
    ['在闽开的公司要去哪里报税', '350000'],
    ['在老家河南盖房子要交税吗', '410000'],
    ['我在上海的房子卖了要交什么税', '310000'],
    ['去海南买房契税多少', '460000'],
    ['内蒙古包头的资源税怎么交', '150000'],
    ['请问深圳南山区的个体户咋报税', '440000'],
    ['天津那块儿印花税按季报还是按次', '120000'],
    ['在魔都买房契税多少', '310000'],
    ['杭州萧山区个体户核定征收', '330000'],
    ['四川成都市锦江区税务局电话', '510000'],
    ['苏州这边没问题 想问下上海青浦区的社保怎么交', '310000'],
    ['浙江宁波北仑区个体户税收', '330000'],
    ['羊城的房产税怎么算', '440000'],
    ['我在西安开了个小饭馆 那边怎么报税', '610000'],
    ['福州鼓楼区个体户核定', '350000'],
  ])('%s → %s', (text, province) => {
    expect(decide(text).redirect?.code).toBe(province)
    expect(decide(text).regionCode).toBe(JIANGSU)
  })
})

describe('places that must not redirect', () => {
  it.each([
    ['昆山的个体户怎么报税', '320500'],
    ['江宁区的办税大厅几点开门', '320100'],
    ['苏州工业园区社保怎么交', '320500'],
    ['我在苏州上班 专项附加扣除有哪些', '320500'],
    ['老家安徽的 在南京上班 工资多少开始交个税', '320100'],
    ['从浙江调到常州工作了 个税汇算截止到几号', '320400'],
    ['金陵的个体户定额怎么核', '320100'],
  ])('a place in the asker’s own province: %s → %s', (text, code) => {
    const d = decide(text)
    expect(d.redirect).toBeNull()
    expect(d.regionCode).toBe(code)
  })

  it.each([
    '从上海搬过来了 个税汇算截止到几号',
    '老家是河南的 个税专项附加扣除有哪些',
    '户口在安徽 能在这边交社保吗',
    '我是上海人 个税汇算怎么办',
    '以前在北京上班 现在个税怎么汇算',
    '上海飞北京的电子行程单是发票吗',
    '深圳的客户给我们开的专票能抵扣吗 吃饭的',
    '浙江发过来的货 收到的发票丢了会罚吗',
    '去上海出差的住宿费发票怎么报',
    '上海的公司给我发工资 我在江苏要交个税吗',
    // 大城县 is a county in 河北; 「大城市」 is the statute's city size
    '城镇土地使用税大城市每平方米多少',
  ])('a place that is only where the taxpayer comes from: %s', (text) => {
    const d = decide(text)
    expect(d.redirect).toBeNull()
    expect(d.regionCode).toBe(JIANGSU)
  })

  it.each([
    ['上海城市维护建设税怎么算', ['310000']],
    ['在京东买的东西能开专票吗', []],
    ['跟我们合作的公司不给开票', []],
    ['东方市场的摊位要交什么税', []],
    ['新公司怎么领发票', []],
    ['青云直上 港口企业所得税', []],
    ['南京市场监管局在哪', ['320100']],
  ])('words that only look like places: %s → %j', (text, codes) => expect(regions.findInText(text)).toEqual(codes))

  it('a national widget (no region) never redirects', () => {
    const d = resolveRegion({ text: '在沪工作 社保基数多少' }, regions)
    expect(d.redirect).toBeNull()
    expect(d.regionCode).toBe('310000')
  })
})

describe('the search text drops the place and the words that only place the taxpayer', () => {
  it.each([
    ['我在苏州上班 专项附加扣除有哪些', '上班 专项附加扣除有哪些'],
    ['从上海搬过来了 个税汇算截止到几号', '个税汇算截止到几号'],
    ['无锡这边小规模一个季度多少以内免增值税', '小规模一个季度多少以内免增值税'],
    ['浙江的城镇土地使用税每平方多少', '城镇土地使用税每平方多少'],
    ['浦东新区税务局在哪里', '税务局在哪里'],
    ['咱杭州的房产税咋收', '房产税咋收'],
    ['天津那块儿印花税按季报还是按次', '印花税按季报还是按次'],
  ])('%s → %s', (text, query) => expect(regions.withoutPlaces(text)).toBe(query))
  it.each([' 的个税怎么算 ', '的专项附加扣除有哪些', '小规模纳税人增值税征收率是多少'])(
    'a text that names no place comes back exactly as given: %j',
    (text) => expect(regions.withoutPlaces(text)).toBe(text),
  )
})

describe('the place a question (or a report / complaint) is about', () => {
  it.each([
    ['我是上海人 投诉南京某办税服务厅态度差', '320100'],
    ['江苏南京的契税', '320100'],
    ['福建厦门的办税大厅在哪', '350200'],
    ['粤港澳大湾区个税补贴怎么申请', '440000'],
    ['从杭州搬过来的 举报我们小区门口的超市不开票', undefined],
    ['老家河南的 揭发一下苏州某公司虚开发票', '320500'],
  ])('%s → %s', (text, code) => expect(placeInQuestion(text, regions)).toBe(code))
  it('a city named with its province narrows the asker’s region to the city', () => {
    expect(decide('江苏南京的契税').regionCode).toBe('320100')
  })
})
