import { describe, expect, it } from 'vitest'
import { resolveFollowUp } from '../../services/answer/follow-up.js'
import { classifyIntent } from '../../services/answer/intent-rules.js'
import { expectNamedRefusal } from '../helpers/illegal-refusal.js'

const intent = (t: string) => classifyIntent(t).intent

describe('reports phrased without 举报', () => {
  it.each([
    '我想揭发我们老板偷税漏税',
    '我要曝光一家公司用假发票报销',
    '隔壁那家店一直不开票 想让税务局查查他们',
    '某直播带货的主播收入不报税 能不能查一下他',
    '发现一家企业虚开专票 往哪里反映',
    '有个中介在朋友圈卖增值税专票 你们管不管',
  ])('%s', (t) => expect(intent(t)).toBe('report'))
  it('does not take a taxpayer asking about their own records for a report', () => {
    expect(intent('我想查一下我的个税缴纳记录')).toBe('consult')
    expect(intent('不开发票要不要申报增值税')).toBe('consult')
  })
  it('answers a question about reporting itself (reward, secrecy) instead of filing a report', () => {
    expect(intent('举报发票违法有奖励吗')).toBe('consult')
    expect(intent('检举偷税的人会保密吗')).toBe('consult')
    expect(intent('我要举报一家公司虚开发票')).toBe('report')
    expect(intent('我要举报他偷税 有奖励的话更好')).toBe('report')
  })
})

describe('asking for a person in other words', () => {
  it.each([
    '找个真人',
    '人工客服',
    '我要跟工作人员说',
    '帮我找个客服人员',
    '有没有人工啊',
    '我不想跟机器说话',
    '别让机器人回了 找个人跟我说',
    '能不能让人工来回答',
  ])('%s', (t) => expect(intent(t)).toBe('human'))
  it('leaves 个人所得税 questions alone', () => {
    expect(intent('找个人所得税的规定')).toBe('consult')
    expect(intent('个人所得税怎么算')).toBe('consult')
  })
})

describe('help with an illegal practice', () => {
  it.each([
    ['怎么虚开发票不被查', '虚开发票'],
    ['教我做两套账', '两套账'],
    ['哪里能买到发票抵扣', '买卖发票'],
    ['我想买点专票抵进项 哪里有', '买卖发票'],
    ['公司想做假账少交企业所得税 怎么弄', '做假账'],
    ['帮我开几张假发票报销', '假发票'],
  ])('%s is refused as illegal, naming %s', (t, name) => expectNamedRefusal(t, name))
  it('still takes a report of such a practice as a report', () => {
    expect(intent('我要检举一家公司做两套账')).toBe('report')
  })
})

describe('follow-ups that only ask when / how much keep the topic', () => {
  it.each([
    ['什么时候交', '契税怎么交', '契税'],
    ['要交多少', '房子租出去要交什么税', '房子租出去'],
    ['那多久能退', '多交了个税怎么退', '多交了个税'],
    ['什么时候申报呢', '印花税怎么交', '印花税'],
    ['几号截止', '个税汇算', '个税汇算'],
    ['那什么时候交', '契税税率多少', '契税'],
    ['大概要交多少钱', '车船税怎么交', '车船税'],
    ['一年交几次', '印花税怎么交', '印花税'],
    ['按月还是按季', '小规模纳税人增值税征收率多少', '小规模纳税人增值税'],
    ['最晚什么时候', '企业所得税年报怎么报', '企业所得税年报'],
    ['逾期了咋办', '房产税怎么交', '房产税'],
    ['神马时候交', '契税怎么交', '契税'],
    ['要带啥', '税务登记怎么办', '税务登记'],
  ])('%s after %s asks about %s', (follow, before, subject) => {
    const r = resolveFollowUp(follow, before)
    expect(r.resolved).toBe(true)
    expect(r.query.startsWith(subject)).toBe(true)
    // The earlier question's own ask (税率多少, 怎么交) does not outweigh the new one.
    expect(r.query).not.toMatch(/税率多少|征收率多少|怎么交 /)
    expect(r.query.endsWith(follow.replace(/^那/, '').replace(/呢$/, ''))).toBe(true)
  })
  it('a complete new question stands alone', () => {
    expect(resolveFollowUp('什么时候交车船税', '契税怎么交').resolved).toBe(false)
    expect(resolveFollowUp('小规模纳税人标准是多少', '契税怎么交').resolved).toBe(false)
  })
  it.each(['环保税多久申报一次', '工会经费能扣多少', '账本和凭证要保存几年', '城建税什么时候交', '晚交了会罚款吗'])(
    'a short question with a subject of its own stands alone: %s',
    (t) => expect(resolveFollowUp(t, '契税怎么交').resolved).toBe(false),
  )
})
