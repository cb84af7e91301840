/**
 * Pure: a question for the amount or rate that applies in one place (「南京一级土地每平米多少」「我们这契税税率是多少」)
 * whose best evidence is a statute's national range (城镇土地使用税 每平方米1.5元至30元, 契税 百分之三至百分之五): the
 * statute leaves the figure to each province within that range, so the range is not the answer. The reply says so
 * and offers 转人工 instead of presenting the range as the amount asked.
 */

/** The question names a place, a local grade or 「我们这」. */
const LOCAL =
  /(我们这|我们那|我们当地|我们本地|这边|本地|当地|本市|我市|本省|我省|本区|我区|一级|二级|三级|四级|五级|六级|几级|等级|地段)/
/** It asks for a figure: how much, what rate, what standard. */
const FIGURE = /(多少|几块|几元|几毛|税率|税额|标准|怎么收|收多少|交多少|缴多少|按多少)/
/** A range stated as the rule: 1.5元至30元, 百分之三至百分之五, 3%-5%, 幅度. */
const RANGE =
  /(\d+(\.\d+)?\s*(元|%|％)?\s*(至|到|～|~|－|-|—)\s*\d+(\.\d+)?\s*(元|%|％))|(百分之[零一二三四五六七八九十]+(点[零一二三四五六七八九]+)?至百分之)|(税额幅度|税率幅度|幅度内)/

export function asksLocalFigure(question: string, namesPlace: boolean): boolean {
  return FIGURE.test(question) && (namesPlace || LOCAL.test(question))
}

export function statesRange(text: string): boolean {
  return RANGE.test(text)
}
